"""Gate policy: what a year withholds, and when that blocks it.

A wrong or inconsistent figure blocks the year (the other suites). A table that could not be
read is another matter: its cells are not in the marts, so they cannot be wrong there. Its
extraction errors and the year's open review items are listed as *withheld* (table, indicator,
reason, review item): the release publishes the year's certain figures and its manifest lists
what it withholds. `MLW_STRICT_GATE=1` restores the former policy: anything withheld blocks.
"""

from __future__ import annotations

import os

import great_expectations as gx
import pandas as pd

from expectations.gx_runner import FrameCheck

STRICT_GATE_VARIABLE = "MLW_STRICT_GATE"
WITHHELD_COLUMNS = ["table", "indicator", "reason", "review_item", "document", "line"]
REVIEW_COLUMNS = ["review_id", "year", "kind", "table_id", "indicator", "reason", "label",
                  "document_path", "source_line"]
ISSUE_COLUMNS = ["year", "severity", "reason", "document_path", "line"]


def strict_gate() -> bool:
    """Whether anything withheld blocks the year (MLW_STRICT_GATE=1)."""
    return os.environ.get(STRICT_GATE_VARIABLE, "").strip().lower() in {"1", "true", "yes"}


def withheld_frame(issues: pd.DataFrame, review_items: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per thing of `year` that could not be read: each extraction error (a table or
    block not extracted) and each open review item, with what it withholds and why."""
    issues = issues.reindex(columns=ISSUE_COLUMNS)
    errors = issues[issues["severity"].astype("string").str.lower().eq("error").fillna(False).astype(bool)
                    & pd.to_numeric(issues["year"], errors="coerce").eq(year).fillna(False).astype(bool)]
    reviews = review_items.reindex(columns=REVIEW_COLUMNS)
    reviews = reviews[pd.to_numeric(reviews["year"], errors="coerce").eq(year).fillna(False).astype(bool)]
    rows = [{"table": None, "indicator": None, "reason": f"extraction error: {reason}", "review_item": None,
             "document": document, "line": None if pd.isna(line) else int(line)}
            for reason, document, line in errors[["reason", "document_path", "line"]].itertuples(index=False)]
    rows += [{"table": None if pd.isna(table) else table,
              "indicator": None if pd.isna(indicator) else indicator,
              "reason": f"{kind}: {reason}" + ("" if pd.isna(label) else f" ('{label}')"),
              "review_item": review_id, "document": document,
              "line": None if pd.isna(line) else int(line)}
             for review_id, kind, table, indicator, reason, label, document, line in reviews[
                 ["review_id", "kind", "table_id", "indicator", "reason", "label", "document_path",
                  "source_line"]].itertuples(index=False)]
    return pd.DataFrame(rows, columns=WITHHELD_COLUMNS)


def withheld_check(withheld: pd.DataFrame, year: int, strict: bool | None = None) -> FrameCheck:
    """`nothing_withheld`: recorded with what is withheld; blocking only under the strict gate."""
    expectation = gx.expectations.ExpectTableRowCountToEqual(value=0)
    expectation.meta = {"name": "nothing_withheld", "gate": "mart_commune_year"}
    expectation.description = (f"no cell of {year} withheld (a table not read, a review item open); "
                               f"blocking only with {STRICT_GATE_VARIABLE}=1")
    return FrameCheck("withheld", withheld, [expectation], rows_are_unexpected=True,
                      blocking=strict_gate() if strict is None else strict)
