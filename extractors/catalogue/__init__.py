"""The indicator catalogue: one declaration per published indicator (see indicators.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOGUE_FILE = Path(__file__).with_name("indicators.yaml")


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    grain: str
    definition: str
    reports: tuple[str, ...]
    first_year: int
    last_year: int | None

    def expected_in(self, report_kind: str, year: int) -> bool:
        """Whether an edition of `report_kind` for `year` must publish this indicator."""
        in_period = self.first_year <= year and (self.last_year is None or year <= self.last_year)
        return report_kind in self.reports and in_period


@cache
def load_catalogue() -> dict[str, Indicator]:
    raw = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))["indicators"]
    return {
        code: Indicator(
            code=code,
            label=entry["label"],
            unit=entry["unit"],
            grain=entry["grain"],
            definition=entry["definition"],
            reports=tuple(entry["reports"]),
            first_year=int(entry["first_year"]),
            last_year=entry.get("last_year"),
        )
        for code, entry in raw.items()
    }
