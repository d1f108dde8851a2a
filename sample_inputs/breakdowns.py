"""Breakdown tables of a synthetic report: profiles, cross-tabs, label tables, share lists.

Every table kind that the mapping files list (extractors/mappings/ml_activity_report_label_tables
.yaml and ..._profile_blocks.yaml) becomes a `BreakdownSpec` for the edition, built from the
mapping entry, the catalogue (unit, dimension order) and dimension_labels.yaml (the edition's
printed labels): a new mapping entry shows up in the samples without code.

The figures of an indicator come from one joint distribution over all the dimensions it is
printed by, so its tables agree with each other (the two new-registration cross-tabs share
their age totals; a profile by sex and one by qualification count the same people) and with
the commune tables where the report implies it (the sex x age grand total is the commune
table's "Total général" of new registrations). They are the expected answer of extraction.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml

from extractors import wording_rules
from extractors.activity_report.label_table_mapping import label_table_mappings
from extractors.activity_report.profile_block_mapping import profile_block_mappings
from extractors.catalogue import load_catalogue, load_dimensions
from extractors.headings import YEAR_PLACEHOLDER, SectionRule

COMMUNE = "commune"
# Kinds of printed table.
LABEL_TABLE = "label_table"  # vertical "label figure" rows and a stated total
SHARE_LIST = "share_list"  # vertical "label NN %" rows, no total
PROFILE_LINE = "profile_line"  # a header of labels, one line of figures
CROSS_TAB = "cross_tab"  # a header of labels, rows "<label> figures", a Total row
COMMUNE_LIST = "commune_list"  # "La Madeleine 8 Pérenchies 4": two communes to a line
# How a table prints its total.
NO_TOTAL = "none"
TOTAL_LINE = "line"  # "Total : N" under the table
TOTAL_COLUMN = "column"  # a "Total :" header label, the total ends the figure line
TOTAL_ROW = "row"  # cross-tab: a "Total" row of column totals
TOTAL_ROW_AND_COLUMN = "row_and_column"  # cross-tab: a "Total :" column and a "Total" row
# Profile lines and cross-tabs cycle through these, so that each layout is printed.
_LINE_TOTALS = (TOTAL_LINE, TOTAL_COLUMN, NO_TOTAL)
_CROSS_TAB_TOTALS = (TOTAL_ROW, TOTAL_ROW_AND_COLUMN)

# The total of a breakdown is the total of a commune table when the report says so
# (e.g. every profile of the new registrations counts the new registrations)...
_TIED_TOTALS = {
    "new_registrations_profile": "new_registrations",
    "youths_interviewed_profile": "youths_interviewed",
    "training_entrants_profile": "training_entries",
    "cej_entrants_profile": "cej_entrants",
    "contacts_by_nature": "contacts",
    "employment_contracts_by_type": "employment_contracts",
}
# ... else a plausible multiple (low, high) of one ...
_RATIOS = {
    "employment_youths_profile": ("employment_contracts", 0.40, 0.50),  # youths <= contracts
    "training_actions": ("training_entries", 1.3, 1.6),
    "propositions": ("contacts", 0.6, 0.75),
    "cej_contacts_by_nature": ("cej_youths", 22.0, 30.0),
    "cej_measures": ("cej_youths", 1.5, 1.9),
}
# ... else a level of its own (the default for entries added to the mappings later).
_LEVELS = {"mentoring_youths": 58}
_DEFAULT_LEVEL = 300
# Categories whose sum is the total of a commune-table column: (dimension, codes, indicator).
_PINNED = {
    "contacts_by_nature": ("contact_nature", ("individual_interview", "group_session"),
                           "contacts_interviews"),
    "employment_contracts_by_type": ("contract_type", ("alternance",), "alternance_contracts"),
}
# Tables printed with the coarse categories of a dimension ("BAC et plus" for above_bac + bac).
_COARSE = {
    ("training_entrants_profile", "qualification_level"),
    ("mentoring_youths", "qualification_level"),
    ("cej_contacts_by_nature", "contact_nature"),
}
# Relative weight of some categories, for plausible profiles (1.0 otherwise).
_CODE_WEIGHTS = {
    ("age_band", "16_17"): 0.5, ("age_band", "18_21"): 1.6, ("age_band", "26_plus"): 0.12,
    ("qualification_level", "above_bac"): 0.4, ("qualification_level", "no_diploma"): 1.8,
    ("housing", "with_parents"): 2.0, ("housing", "precarious"): 0.7,
    ("contract_type", "fixed_term"): 2.0, ("contract_type", "temporary_seasonal"): 1.5,
    ("contract_type", "permanent"): 0.4, ("contract_type", "subsidised"): 0.06,
    ("contract_type", "self_employed"): 0.03, ("contact_nature", "other"): 0.3,
    ("situation_type", "employment"): 3.0, ("situation_type", "civic_service"): 0.1,
    ("situation_type", "other"): 0.1, ("situation_type", "alternance"): 0.3,
}

Key = tuple[tuple[str, str], ...]  # a fact's dimensions, sorted: (("sex", "female"),)


@dataclass(frozen=True)
class BreakdownSpec:
    """One breakdown table as an edition prints it: what it counts, along what, how."""

    indicator: str
    kind: str  # LABEL_TABLE, SHARE_LIST, PROFILE_LINE, CROSS_TAB or COMMUNE_LIST
    dimensions: tuple[str, ...]  # print order: (rows, columns) of a cross-tab
    codes: tuple[tuple[str, ...], ...]  # printed codes of each dimension (INSEE for communes)
    labels: tuple[tuple[str, ...], ...]  # their printed labels, the edition's wording
    section: str  # heading wording (mapping file) the table must be printed under
    unit: str  # catalogue unit: count or percent
    header: str = ""  # a label table's column headers (mapping file), year filled in
    total: str = NO_TOTAL  # how its total is printed

    def label(self, dimension: str, code: str) -> str:
        position = self.dimensions.index(dimension)
        return self.labels[position][self.codes[position].index(code)]

    def key(self, codes: dict[str, str]) -> Key:
        """The dimensions of the fact printed for `codes` ({dimension: code})."""
        pairs = []
        for dimension, code in codes.items():
            if dimension == COMMUNE:  # facts name a commune and give its INSEE code
                pairs += [(COMMUNE, self.label(COMMUNE, code)), ("commune_insee", code)]
            else:
                pairs.append((dimension, code))
        return tuple(sorted(pairs))


@dataclass(frozen=True)
class BreakdownTable:
    """A breakdown table's figures: its cells, and the totals it prints."""

    spec: BreakdownSpec
    grid: dict[tuple[str, ...], int]  # codes in spec.dimensions order -> value
    totals: dict[Key, int]  # stated totals: () for the grand total, (dim, code) for a row's

    @property
    def cells(self) -> dict[Key, int]:
        return {self.spec.key(dict(zip(self.spec.dimensions, codes))): value
                for codes, value in self.grid.items()}

    @property
    def total(self) -> int:
        """What the table counts in all (100 for shares), printed or not."""
        return sum(self.grid.values())

    def marginal(self, dimension: str) -> dict[str, int]:
        """code -> sum of the cells of that code (a row or column total)."""
        position = self.spec.dimensions.index(dimension)
        sums = dict.fromkeys(self.spec.codes[position], 0)
        for codes, value in self.grid.items():
            sums[codes[position]] += value
        return sums


# --- specs from the mapping files ---------------------------------------------------------------


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
    for code in _fine_codes(dimension):
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


def _fine_codes(dimension: str) -> tuple[str, ...]:
    """A dimension's codes without the coarse ones that group others."""
    definition = load_dimensions()[dimension]
    return tuple(code for code in definition.codes if code not in definition.covers)


# --- figures ------------------------------------------------------------------------------------


def generate_breakdowns(year: int, seed: int, communes: Iterable[tuple[str, str, int]],
                        commune_totals: dict[str, int]) -> tuple[BreakdownTable, ...]:
    """The breakdown tables of an edition; deterministic in (year, seed), and drawn from their
    own random stream so that the commune tables stay what they were."""
    rng = random.Random(f"ml-mno-sample-breakdowns:{seed}:{year}")
    communes = tuple(communes)
    specs = breakdown_specs(year, communes)
    populations = {insee: population for insee, _, population in communes}
    catalogue = load_catalogue()
    tables: list[BreakdownTable] = []
    for indicator in dict.fromkeys(spec.indicator for spec in specs):
        group = [spec for spec in specs if spec.indicator == indicator]
        total = _indicator_total(indicator, catalogue[indicator].unit, commune_totals, rng)
        pinned = _PINNED.get(indicator)
        dims = list(dict.fromkeys(d for spec in group for d in spec.dimensions))
        if pinned and pinned[0] in dims:  # the pinned dimension is split first, exactly
            dims.remove(pinned[0])
            dims.insert(0, pinned[0])
        codes = {d: tuple(populations) if d == COMMUNE else _fine_codes(d) for d in dims}
        weights = {d: {code: (populations[code] if d == COMMUNE else _CODE_WEIGHTS.get((d, code), 1.0))
                       * rng.uniform(0.5, 1.5) for code in codes[d]} for d in dims}
        pin = (pinned[1], commune_totals[pinned[2]]) if pinned and pinned[0] in dims else None
        joint = _joint(total, dims, codes, weights, pin, rng)
        tables.extend(_table(spec, dims, joint) for spec in group)
    return tuple(tables)


def _indicator_total(indicator: str, unit: str, commune_totals: dict[str, int],
                     rng: random.Random) -> int:
    if unit == "percent":
        return 100
    if indicator in _TIED_TOTALS:
        return commune_totals[_TIED_TOTALS[indicator]]
    if indicator in _RATIOS:
        base, low, high = _RATIOS[indicator]
        return round(commune_totals[base] * rng.uniform(low, high))
    return round(_LEVELS.get(indicator, _DEFAULT_LEVEL) * rng.uniform(0.88, 1.12))


def split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights`, in integers that add up exactly (largest
    remainders first, ties to the first)."""
    if total == 0 or not weights:
        return [0] * len(weights)
    scale = sum(weights)
    raw = [total * weight / scale for weight in weights]
    shares = [math.floor(value) for value in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for index in by_remainder[:total - sum(shares)]:
        shares[index] += 1
    return shares


def _joint(total: int, dims: list[str], codes: dict[str, tuple[str, ...]],
           weights: dict[str, dict[str, float]], pin: tuple[tuple[str, ...], int] | None,
           rng: random.Random) -> dict[tuple[str, ...], int]:
    """Counts over every combination of fine codes, adding up to `total`: split along the
    first dimension (its pinned codes, if any, getting exactly their sum), then each part along
    the next dimension with slightly varied weights, so the dimensions are not independent."""
    first = dims[0]
    first_codes = codes[first]
    if pin is not None:  # (codes, the exact sum they must get)
        pinned = [code for code in first_codes if code in pin[0]]
        others = [code for code in first_codes if code not in pin[0]]
        amounts = dict(zip(pinned, split(pin[1], [weights[first][c] for c in pinned])))
        amounts |= dict(zip(others, split(total - pin[1], [weights[first][c] for c in others])))
        counts = {(code,): amounts[code] for code in first_codes}
    else:
        counts = {(code,): value for code, value in
                  zip(first_codes, split(total, [weights[first][c] for c in first_codes]))}
    for dimension in dims[1:]:
        deeper = {}
        for prefix, amount in counts.items():
            parts = split(amount, [weights[dimension][c] * rng.uniform(0.7, 1.3)
                                   for c in codes[dimension]])
            deeper |= {prefix + (code,): part for code, part in zip(codes[dimension], parts)}
        counts = deeper
    return counts


def _table(spec: BreakdownSpec, dims: list[str], joint: dict[tuple[str, ...], int]) -> BreakdownTable:
    """The spec's cells (the joint summed onto its dimensions, fine codes grouped into its
    coarse ones) and the totals its layout prints."""
    positions = [dims.index(dimension) for dimension in spec.dimensions]
    printed_as = []
    for dimension, codes in zip(spec.dimensions, spec.codes):
        covers = {} if dimension == COMMUNE else load_dimensions()[dimension].covers
        printed_as.append({fine: code for code in codes for fine in covers.get(code, (code,))})
    grid: dict[tuple[str, ...], int] = {}
    for index in _product(spec.codes):
        grid[index] = 0
    for combination, value in joint.items():
        index = tuple(mapping[combination[p]] for mapping, p in zip(printed_as, positions))
        grid[index] += value
    if spec.kind == PROFILE_LINE and spec.total == NO_TOTAL and spec.unit == "count" \
            and max(grid.values()) >= 1000:  # "1 146 515 ..." needs a total to be read
        spec = replace(spec, total=TOTAL_LINE)
    table = BreakdownTable(spec, grid, {})
    return replace(table, totals=_stated_totals(table))


def _product(codes: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    combinations: list[tuple[str, ...]] = [()]
    for dimension_codes in codes:
        combinations = [prefix + (code,) for prefix in combinations for code in dimension_codes]
    return combinations


def _stated_totals(table: BreakdownTable) -> dict[Key, int]:
    spec = table.spec
    if spec.total == NO_TOTAL:
        return {}
    if spec.kind != CROSS_TAB:
        return {(): table.total}
    rows, columns = spec.dimensions
    totals = {spec.key({columns: code}): value for code, value in table.marginal(columns).items()}
    if spec.total == TOTAL_ROW_AND_COLUMN:
        totals |= {spec.key({rows: code}): value for code, value in table.marginal(rows).items()}
        totals[()] = table.total
    return totals
