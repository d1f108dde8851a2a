"""The indicator catalogue: one declaration per published indicator (see indicators.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOGUE_FILE = Path(__file__).with_name("indicators.yaml")
DIMENSIONS_FILE = Path(__file__).with_name("dimensions.yaml")


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
    # grain "breakdown": the dimension sets the figure is published along
    breakdowns: tuple[tuple[str, ...], ...] = ()

    def expected_in(self, report_kind: str, year: int) -> bool:
        """Whether an edition of `report_kind` for `year` must publish this indicator."""
        in_period = self.first_year <= year and (self.last_year is None or year <= self.last_year)
        return report_kind in self.reports and in_period


def catalogue_files() -> list[Path]:
    """indicators.yaml, then one `indicators_<document kind>.yaml` per other document kind:
    together they are the one catalogue (a code declared twice is an error)."""
    return [CATALOGUE_FILE, *sorted(CATALOGUE_FILE.parent.glob("indicators_*.yaml"))]


@cache
def load_catalogue() -> dict[str, Indicator]:
    raw: dict[str, dict] = {}
    for path in catalogue_files():
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"]
        if twice := sorted(set(entries) & set(raw)):
            raise ValueError(f"{path}: indicators already declared in the catalogue: {twice}")
        raw.update(entries)
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
            breakdowns=tuple(tuple(dims) for dims in entry.get("breakdowns", [])),
        )
        for code, entry in raw.items()
    }


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    codes: dict[str, str]  # code -> label; empty for open dimensions (commune)
    covers: dict[str, tuple[str, ...]]  # coarse code -> the finer codes it groups


@cache
def load_dimensions() -> dict[str, Dimension]:
    """The conformed dimensions and their codes (dimensions.yaml)."""
    raw = yaml.safe_load(DIMENSIONS_FILE.read_text(encoding="utf-8"))["dimensions"]
    dimensions = {}
    for name, entry in raw.items():
        codes, covers = {}, {}
        for code, value in (entry.get("codes") or {}).items():
            if isinstance(value, dict):
                codes[str(code)] = value["label"]
                covers[str(code)] = tuple(value.get("covers", ()))
            else:
                codes[str(code)] = value
        dimensions[name] = Dimension(name, entry["label"], codes, covers)
    return dimensions
