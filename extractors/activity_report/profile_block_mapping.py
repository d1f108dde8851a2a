"""The profile blocks' mapping file: which indicator a block of given dimensions feeds, by section."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.curation import curated_cache
from extractors import wording_rules
from extractors.catalogue import load_catalogue, load_dimensions
from extractors.headings import SectionContext, SectionRule

MAPPING_FILE = "ml_activity_report_profile_blocks.yaml"


@dataclass(frozen=True)
class ProfileBlockMapping:
    indicator: str
    dimensions: frozenset[str]
    section: SectionRule  # the headings it is printed under

    def in_section(self, context: SectionContext, year: int) -> bool:
        return self.section.matches(context, year)


@curated_cache
def profile_block_mappings() -> tuple[ProfileBlockMapping, ...]:
    """The mapping file's entries, checked against the catalogue (a mismatch is a bug)."""
    path = wording_rules.MAPPINGS_DIR / MAPPING_FILE
    data = wording_rules.mapping_file(path)
    catalogue, dimensions = load_catalogue(), load_dimensions()
    entries = []
    for entry in data["profile_blocks"]:
        indicator = catalogue.get(entry["indicator"])
        dims = frozenset(entry["dimensions"])
        if indicator is None:
            raise ValueError(f"{path}: unknown indicator {entry['indicator']!r}")
        if unknown := dims - set(dimensions):
            raise ValueError(f"{path}: {indicator.code}: unknown dimensions {sorted(unknown)}")
        if dims not in {frozenset(breakdown) for breakdown in indicator.breakdowns}:
            raise ValueError(f"{path}: {indicator.code}: dimensions {sorted(dims)} are not one "
                             f"of its catalogue breakdowns {list(indicator.breakdowns)}")
        section = SectionRule.parse(entry.get("section"))
        if section is None:
            raise ValueError(f"{path}: {indicator.code}: every entry needs its section headings")
        entries.append(ProfileBlockMapping(indicator.code, dims, section))
    return tuple(entries)
