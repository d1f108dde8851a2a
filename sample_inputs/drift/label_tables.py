"""The label tables of an edition ("<label> <figure>" rows closed by "Total : N") as lines to drift.

Their labels are a conformed dimension's (dimension_labels.yaml), the wording a reviewer's
decision settles: a renamed label keeps its code, a new label is a category no edition printed
before, expected as the dimension's `unmapped` code, and its figure joins the stated total.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sample_inputs.breakdowns import LABEL_TABLE, TOTAL_LINE, BreakdownTable
from sample_inputs.drift.model import Edition
from sample_inputs.drift.truth import TruthCell, unmapped_pairs
from sample_inputs.pages import cell_value, thousands

TOTAL_PREFIX = "Total : "
# New categories a later edition may print, by dimension (else the generic one).
NEW_CATEGORIES = {"contact_nature": "Visioconférence", "proposition_theme": "Mobilité internationale"}
GENERIC_CATEGORY = "Autre dispositif"
# Other wordings of a label's words; a label with none of them is pluralised.
_SYNONYMS = {"E-mail": "Courriel", "Email": "Courriel", "Téléphone": "Appels téléphoniques",
             "SMS": "Textos (SMS)", "CDD": "Contrat à durée déterminée", "Emploi": "Accès à l'emploi"}


@dataclass(frozen=True)
class LabelRow:
    index: int  # the row's block in the edition
    label: str
    code: str


@dataclass(frozen=True)
class PrintedLabelTable:
    table: BreakdownTable
    rows: tuple[LabelRow, ...]  # the rows printed on one line (a wrapped label is left alone)
    total_index: int  # the block of its "Total : N" line

    @property
    def dimension(self) -> str:
        return self.table.spec.dimensions[0]


def printed_label_tables(edition: Edition) -> list[PrintedLabelTable]:
    """The edition's count label tables with a "Total :" line, found by their rows' lines."""
    found = []
    for table in edition.label_tables:
        spec = table.spec
        if spec.kind != LABEL_TABLE or spec.total != TOTAL_LINE or spec.unit != "count":
            continue
        rows = []
        for code, label in zip(spec.codes[0], spec.labels[0]):
            value = table.cells[spec.key({spec.dimensions[0]: code})]
            line = f"{label} {cell_value(value)}"
            if line in edition.blocks:
                rows.append(LabelRow(edition.blocks.index(line), label, code))
        total = TOTAL_PREFIX + cell_value(table.totals[()])
        after = max((row.index for row in rows), default=None)
        if after is not None and total in edition.blocks[after:]:
            found.append(PrintedLabelTable(table, tuple(rows), edition.blocks.index(total, after)))
    return found


def rename_label(edition: Edition, rng: random.Random) -> None:
    """One label of a label table printed in other words (same code, same figure)."""
    table = rng.choice([table for table in printed_label_tables(edition) if table.rows])
    row = rng.choice(table.rows)
    line = edition.blocks[row.index]
    edition.blocks[row.index] = _reworded(row.label) + line[len(row.label):]


def add_category(edition: Edition, rng: random.Random) -> None:
    """A label table gains a row of a new category; its figure joins the stated total."""
    printed = rng.choice(printed_label_tables(edition))
    spec, stated = printed.table.spec, printed.table.totals[()]
    value = rng.randint(1, max(1, stated // 20))
    label = NEW_CATEGORIES.get(printed.dimension, GENERIC_CATEGORY)
    edition.blocks[printed.total_index] = TOTAL_PREFIX + thousands(stated + value)
    edition.blocks.insert(printed.total_index, f"{label} {thousands(value)}")
    edition.truth_changes.update({
        TruthCell(spec.indicator, unmapped_pairs(printed.dimension, label), False, float(value)): 1,
        TruthCell(spec.indicator, (), True, float(stated + value)): 1,
        TruthCell(spec.indicator, (), True, float(stated)): -1,
    })


def _reworded(label: str) -> str:
    for word, other in _SYNONYMS.items():
        if word in label:
            return label.replace(word, other, 1)
    first, _, rest = label.partition(" ")
    first = first[:-1] if first.endswith("s") else first + "s"
    return f"{first} {rest}".strip()
