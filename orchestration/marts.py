"""Reading an annual mart out of the warehouse, and fingerprinting what was read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from extractors.facts import FLAG_UNMAPPED_LABEL
from orchestration.warehouse import connect

MART_COMMUNE_YEAR = "marts.mart_commune_year"
MART_BREAKDOWN_YEAR = "marts.mart_breakdown_year"
# The marts a year's release holds: file name -> table.
MART_PROGRAMME_YEAR = "marts.mart_programme_year"
MART_RECONCILIATION = "marts.mart_reconciliation"  # internal: checked by the gate, not published
RECOMPUTED_INDICATORS = "intermediate.int_imilo_recomputed_indicators"
# Public marts only: those derived from individual records suppress small counts; the
# reconciliation (exact recomputed values) stays in the warehouse.
PUBLISHED_MARTS = {"mart_commune_year": MART_COMMUNE_YEAR, "mart_breakdown_year": MART_BREAKDOWN_YEAR,
                   "mart_programme_year": MART_PROGRAMME_YEAR,
                   "mart_commune_year_recomputed": "marts.mart_commune_year_recomputed",
                   "mart_outcomes_by_profile": "marts.mart_outcomes_by_profile",
                   "mart_report_audit": "marts.mart_report_audit"}


def read_year(warehouse: Path, table: str, year: int) -> pd.DataFrame:
    """One year of a mart, in a stable row order."""
    with connect(warehouse, read_only=True) as connection:
        return connection.execute(
            f"select * from {table} where year = ? order by all", [year]
        ).df()


def recomputed_count_indicators(warehouse: Path) -> list[str]:
    """The indicators recomputed from exports that are counts (amounts are not suppressed on
    their own): the list dbt computes them from."""
    with connect(warehouse, read_only=True) as connection:
        return [row[0] for row in connection.execute(
            f"select indicator_code from {RECOMPUTED_INDICATORS} where unit = 'count' order by 1").fetchall()]


def read_withheld_cells(warehouse: Path, year: int) -> pd.DataFrame:
    """(structure_code, indicator, value) of the year's commune cells kept out of the marts until
    a reviewer maps their printed label (flag unmapped_label): the stated totals count them."""
    with connect(warehouse, read_only=True) as connection:
        return connection.execute(
            "select structure_code, indicator_code as indicator, value "
            "from staging.stg_documents__report_facts "
            "where year = ? and not is_total and list_contains(flags, ?) order by all",
            [year, FLAG_UNMAPPED_LABEL]).df()


def read_issues(warehouse: Path, year: int) -> pd.DataFrame:
    with connect(warehouse, read_only=True) as connection:
        return connection.execute(
            "select * from raw.extraction_issues where year = ? order by document_path, line", [year]
        ).df()


def fingerprint(frame: pd.DataFrame) -> str:
    """Content hash of a mart's rows: the gate result is bound to exactly what it checked."""
    text = frame.to_json(orient="split", date_format="iso", default_handler=str)
    return hashlib.sha256(text.encode()).hexdigest()


def combined_fingerprint(frames: dict[str, pd.DataFrame]) -> str:
    """One fingerprint for several marts: a release changes when any of them does."""
    parts = "".join(f"{name}:{fingerprint(frames[name])};" for name in sorted(frames))
    return hashlib.sha256(parts.encode()).hexdigest()
