"""The label tables' mapping file: which indicator a table of one dimension feeds, by section."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extractors.curation import curated_cache
from extractors import wording_rules
from extractors.catalogue import load_catalogue, load_dimensions
from extractors.headings import SectionContext, SectionRule, label_words

LABEL_TABLES_FILE = "ml_activity_report_label_tables.yaml"


@dataclass(frozen=True)
class LabelTableMapping:
    indicator: str
    dimension: str
    section: SectionRule  # the headings it is printed under
    header_labels: dict[int, str] = field(default_factory=dict)  # optional: its column headers

    def in_section(self, context: SectionContext, year: int) -> bool:
        return self.section.matches(context, year)

    def header_words(self, year: int) -> list[tuple[str, ...]]:
        return [label_words(label, year) for label in _by_edition(self.header_labels, year)]


def _by_edition(labels: dict[int, str], year: int) -> list[str]:
    editions = [year] if year in labels else sorted(labels, reverse=True)
    return [labels[edition] for edition in editions]


def label_table_mappings() -> tuple[LabelTableMapping, ...]:
    """The entries of the mapping file (read from extractors.wording_rules.MAPPINGS_DIR)."""
    return _load_mappings(wording_rules.MAPPINGS_DIR / LABEL_TABLES_FILE)


@curated_cache
def _load_mappings(path: Path) -> tuple[LabelTableMapping, ...]:
    data = wording_rules.mapping_file(path)
    catalogue, dimensions = load_catalogue(), load_dimensions()
    entries = []
    for entry in data["label_tables"]:
        mapping = LabelTableMapping(
            indicator=entry["indicator"],
            dimension=entry["dimension"],
            section=SectionRule.parse(entry.get("section")),
            header_labels={int(year): str(label)
                           for year, label in (entry.get("header") or {}).items()},
        )
        indicator = catalogue.get(mapping.indicator)
        if indicator is None or mapping.dimension not in dimensions:
            raise ValueError(f"{path}: {mapping.indicator} / {mapping.dimension} is not in the "
                             "catalogue (indicators.yaml / dimensions.yaml)")
        if (mapping.dimension,) not in indicator.breakdowns:
            raise ValueError(f"{path}: {mapping.indicator} is not published by "
                             f"{mapping.dimension} in indicators.yaml")
        if mapping.section is None:
            raise ValueError(f"{path}: {mapping.indicator} / {mapping.dimension} names no section")
        entries.append(mapping)
    return tuple(entries)
