"""What a year withholds and which decisions it was built with, read from the warehouse:
for the gate (expectations/withheld.py) and for the release manifest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from expectations.withheld import withheld_frame
from extractors import curation
from orchestration.marts import read_issues
from orchestration.review.items import raw_table_exists
from orchestration.warehouse import connect


def read_review_items(warehouse: Path, year: int) -> pd.DataFrame:
    """The year's rows of raw.review_items (none in a warehouse landed before they existed)."""
    with connect(warehouse, read_only=True) as connection:
        if not raw_table_exists(connection, "review_items"):
            return pd.DataFrame()
        return connection.execute("select * from raw.review_items where year = ? "
                                  "order by document_path, source_line", [year]).df()


def read_withheld(warehouse: Path, year: int) -> pd.DataFrame:
    """expectations.withheld.WITHHELD_COLUMNS, one row per cell or table withheld in `year`."""
    return withheld_frame(read_issues(warehouse, year), read_review_items(warehouse, year), year)


def review_provenance(warehouse: Path, year: int) -> dict:
    """The manifest's `curation` (folder, SHA-256 of the decisions, files) and `withheld`."""
    folder = curation.curation_dir()
    withheld = read_withheld(warehouse, year).astype(object)
    return {
        "curation": {"folder": str(folder), "sha256": curation.digest(folder),
                     "files": [path.relative_to(folder).as_posix() for path in curation.decision_files(folder)]},
        "withheld": withheld.where(withheld.notna(), None).to_dict(orient="records"),
    }
