"""Breakdown specs from the mapping files.

Every table kind that the mapping files list (extractors/mappings/ml_activity_report_label_tables
.yaml and ..._profile_blocks.yaml) becomes a `BreakdownSpec` for the edition, built from the
mapping entry, the catalogue (unit, dimension order) and dimension_labels.yaml (the edition's
printed labels): a new mapping entry shows up in the samples without code.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml

from extractors import wording_rules
from extractors.activity_report.label_table_mapping import label_table_mappings
from extractors.activity_report.profile_block_mapping import profile_block_mappings
from extractors.catalogue import load_catalogue, load_dimensions
from extractors.headings import YEAR_PLACEHOLDER, SectionRule
from sample_inputs.breakdowns import (
    COMMUNE,
    COMMUNE_LIST,
    CROSS_TAB,
    LABEL_TABLE,
    NO_TOTAL,
    PROFILE_LINE,
    SHARE_LIST,
    TOTAL_COLUMN,
    TOTAL_LINE,
    TOTAL_ROW,
    TOTAL_ROW_AND_COLUMN,
    BreakdownSpec,
)


# Profile lines and cross-tabs cycle through these, so that each layout is printed.
_LINE_TOTALS = (TOTAL_LINE, TOTAL_COLUMN, NO_TOTAL)
_CROSS_TAB_TOTALS = (TOTAL_ROW, TOTAL_ROW_AND_COLUMN)
# Tables printed with the coarse categories of a dimension ("BAC et plus" for above_bac + bac).
_COARSE = {
    ("training_entrants_profile", "qualification_level"),
    ("mentoring_youths", "qualification_level"),
    ("cej_contacts_by_nature", "contact_nature"),
}
# Relative weight of some categories, for plausible profiles (1.0 otherwise).


def breakdown_specs(year: int, communes: Iterable[tuple[str, str, int]]) -> tuple[BreakdownSpec, ...]:
    """Every breakdown table kind of the mapping files, as an edition of `year` prints it
    (label tables first, then profile blocks, each in mapping order)."""
    catalogue = load_catalogue()
    communes = tuple(communes)
    entries: list[tuple[str, tuple[str, ...], SectionRule, str, bool]] = []
    for entry in label_table_mappings():
        header = _by_edition(entry.header_labels, year) if entry.header_labels else ""
        entries.append((entry.indicator, (entry.dimension,), entry.section,
                        header.replace(YEAR_PLACEHOLDER, str(year)), True))
    for entry in profile_block_mappings():
        dims = next(tuple(b) for b in catalogue[entry.indicator].breakdowns
                    if frozenset(b) == entry.dimensions)  # the catalogue's order: rows first
        entries.append((entry.indicator, dims, entry.section, "", False))

    specs = []
    uses: dict[str, int] = {}  # dimension -> tables printed with it so far (label variants)
    line_count = cross_count = 0
    for indicator, dims, section, header, vertical in entries:
        unit = catalogue[indicator].unit
        codes, labels = [], []
        for dimension in dims:
            dim_codes, dim_labels = _printed(dimension, indicator, year, uses.get(dimension, 0),
                                             communes)
            uses[dimension] = uses.get(dimension, 0) + 1
            codes.append(dim_codes)
            labels.append(dim_labels)
        if vertical:
            kind = SHARE_LIST if unit == "percent" else LABEL_TABLE
            total = NO_TOTAL if unit == "percent" else TOTAL_LINE
        elif dims == (COMMUNE,):
            kind, total = COMMUNE_LIST, TOTAL_LINE
        elif len(dims) == 2:
            kind, total = CROSS_TAB, _CROSS_TAB_TOTALS[cross_count % len(_CROSS_TAB_TOTALS)]
            cross_count += 1
        else:
            kind, total = PROFILE_LINE, NO_TOTAL
            if unit != "percent":
                total = _LINE_TOTALS[line_count % len(_LINE_TOTALS)]
                line_count += 1
        specs.append(BreakdownSpec(indicator, kind, dims, tuple(codes), tuple(labels),
                                   section.wordings(year)[0], unit, header, total))
    return tuple(specs)


def _by_edition(labels: dict[int, str], year: int) -> str:
    """The edition's own wording if listed, else the latest listed before it, else the latest."""
    return labels[_edition(labels, year)]


def _edition_labels(dimension: str, year: int) -> dict[str, list[str]]:
    """code -> its printed labels (as written, not normalised) in dimension_labels.yaml for the
    edition: its own if listed, else the latest listed before it, else the latest."""
    editions = _label_file(wording_rules.MAPPINGS_DIR / "dimension_labels.yaml")[dimension]
    labels: dict[str, list[str]] = {}
    for label, code in editions[_edition(editions, year)].items():
        labels.setdefault(code, []).append(label)
    return labels


def _edition(editions: dict[int, object], year: int) -> int:
    listed = [edition for edition in editions if edition <= year]
    return max(listed) if listed else max(editions)


@cache
def _label_file(path: Path) -> dict[str, dict[int, dict[str, str]]]:
    """dimension_labels.yaml as printed: dimension -> edition -> {label: code}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {dimension: {int(year): {str(label): str(code) for label, code in labels.items()}
                        for year, labels in editions.items()}
            for dimension, editions in data.items()}


def _printed(dimension: str, indicator: str, year: int, variant: int,
             communes: tuple[tuple[str, str, int], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The codes a table prints for a dimension and their labels: fine codes, or coarse ones
    where _COARSE says so or where the edition only labels the coarse one ("BAC et plus");
    `variant` picks among a code's alternative labels ("Femmes" / "Femme")."""
    if dimension == COMMUNE:
        return tuple(insee for insee, _, _ in communes), tuple(name for _, name, _ in communes)
    definition = load_dimensions()[dimension]
    coarse_of = {fine: coarse for coarse, fines in definition.covers.items() for fine in fines}
    labels_of = _edition_labels(dimension, year)
    codes: list[str] = []
    for code in fine_codes(dimension):
        options = [code, coarse_of.get(code)]
        if (indicator, dimension) in _COARSE:
            options.reverse()
        printed = next((option for option in options if option in labels_of), None)
        if printed is None:
            raise ValueError(f"dimension_labels.yaml prints no label for {dimension} {code!r} "
                             f"in the {year} edition")
        if printed not in codes:
            codes.append(printed)
    labels = [labels_of[code][variant % len(labels_of[code])] for code in codes]
    return tuple(codes), tuple(labels)


def fine_codes(dimension: str) -> tuple[str, ...]:
    """A dimension's codes without the coarse ones that group others."""
    definition = load_dimensions()[dimension]
    return tuple(code for code in definition.codes if code not in definition.covers)
