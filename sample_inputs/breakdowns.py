"""Breakdown tables of a synthetic report: profiles, cross-tabs, label tables, share lists.

A `BreakdownSpec` is how an edition prints one table kind of the mapping files
(breakdown_mappings.py builds them); a `BreakdownTable` is a spec with its figures
(breakdown_figures.py draws them). The layouts and total styles below are what the renderer
(render_breakdowns.py) prints and the extractors must read.
"""

from __future__ import annotations

from dataclasses import dataclass


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
