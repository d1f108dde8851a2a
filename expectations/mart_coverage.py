"""What the gate had to check in each mart of the year: rows per mart, and a year with nothing.

A suite run on an empty frame passes: "no negative count", "no small count visible" hold
vacuously. So the gate states, per mart, how many rows it checked and `empty` when there were
none, and the release, its manifest and `mlw run` say so rather than a bare "PASSED". A year
whose every mart is empty has nothing to publish: its gate fails (`year_has_rows`). A year with
some marts empty is published, those marts marked `empty` (a guide's 2017 programme figures are
real even though no activity report gives 2017's communes).
"""

from __future__ import annotations

from collections.abc import Mapping

import great_expectations as gx
import pandas as pd

from expectations.gx_runner import FrameCheck

CHECKED, EMPTY = "checked", "empty"


def mart_coverage(frames: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, object]]:
    """mart -> {"rows": n, "status": "checked" | "empty"}."""
    return {name: {"rows": len(frame), "status": CHECKED if len(frame) else EMPTY}
            for name, frame in frames.items()}


def empty_marts(coverage: Mapping[str, Mapping[str, object]]) -> list[str]:
    return [name for name, mart in coverage.items() if mart["status"] == EMPTY]


def coverage_check(frames: Mapping[str, pd.DataFrame], year: int) -> FrameCheck:
    """Blocking: at least one mart of the year has rows."""
    counts = pd.DataFrame({"mart": list(frames), "rows": [len(frame) for frame in frames.values()]})
    expectation = gx.expectations.ExpectColumnMaxToBeBetween(
        column="rows", min_value=1,
        description=f"at least one published mart has rows for {year} (a year with nothing to "
                    "check is not published)",
        meta={"name": "year_has_rows"})
    return FrameCheck("mart_rows", counts, [expectation], id_columns=["mart"])


def coverage_line(coverage: Mapping[str, Mapping[str, object]]) -> str:
    """One line for summaries: rows checked per mart, the empty ones named."""
    checked = ", ".join(f"{name} {mart['rows']}" for name, mart in coverage.items() if mart["rows"])
    empty = empty_marts(coverage)
    return (f"Rows checked: {checked or 'none'}."
            + (f" EMPTY, nothing checked: {', '.join(empty)}." if empty else ""))
