"""The quarantine share of each year, for the gate: rows not landed / rows read, per year.

A year is blocked when its share exceeds the configured maximum, or (by default) when a file of
one of its exports was rejected whole (a missing or unreadable file cannot be outweighed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.imilo.tables import AUDIT_TABLE, connect, create_tables


@dataclass(frozen=True)
class YearQuarantine:
    year: int
    rows_read: int
    rows_quarantined: int
    rejected_files: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.rows_quarantined / self.rows_read if self.rows_read else 0.0

    def blocked(self, max_share: float, block_on_rejected_files: bool = True) -> bool:
        return self.share > max_share or (block_on_rejected_files and bool(self.rejected_files))


def quarantine_by_year(warehouse: Path) -> dict[int, YearQuarantine]:
    with connect(warehouse) as connection:
        create_tables(connection)
        rows = connection.execute(
            f"select year, sum(rows_read), sum(rows_quarantined), "
            f"list(export_file order by export_file) filter (where file_error is not null) "
            f"from {AUDIT_TABLE} where year is not null group by year order by year").fetchall()
    return {year: YearQuarantine(year, int(read or 0), int(quarantined or 0), tuple(rejected or ()))
            for year, read, quarantined, rejected in rows}


def blocked_years(warehouse: Path, max_share: float, block_on_rejected_files: bool = True) -> list[int]:
    return [year for year, quarantine in quarantine_by_year(warehouse).items()
            if quarantine.blocked(max_share, block_on_rejected_files)]
