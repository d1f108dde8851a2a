"""Drifts of wording: column headers and section headings reworded, row labels renamed or new.

What a later edition does most: the same figures under other words. Headers and headings change
the print only (the truth keeps its indicators); a renamed label keeps its commune; a new label
is a row that no reference knows, expected as the dimension's `unmapped` code.
"""

from __future__ import annotations

import random
import re

from sample_inputs.drift import label_tables
from sample_inputs.drift.model import Column, Edition, Row, added_row_values

# (pattern, alternatives) a header may be reworded with; the first that matches is used.
_HEADER_REWRITES = (
    (r"^Nombre d[e’']\s*", ("Nb de ", "Total des ", "Effectif : ")),
    (r"^Dont\s+", ("dont : ", "Parmi eux, ", "Dont total ")),
    (r"\bjeunes\b", ("personnes", "jeunes (16-25 ans)")),
)
# Row labels no reference knows, as reports print them for out-of-territory youths.
NEW_LABELS = ("Hors territoire", "Autres communes", "Non renseigné", "Commune inconnue")


def reworded_headers(edition: Edition, rng: random.Random) -> None:
    """Two tables' column headers reworded (the year, when printed, stays)."""
    for table in rng.sample(edition.tables(), 2):
        table.columns = [Column(column.indicator, _reword(column.header, rng), column.unit)
                         for column in table.columns]
        table.header_lines = None


def reworded_headings(edition: Edition, rng: random.Random) -> None:
    """Every numbered section heading reworded: another numbering, the article dropped, a suffix."""
    year = edition.year
    style = rng.choice(("{n}. {title}", "Partie {n} – {title}", "{n} | {title}"))
    suffix = rng.choice(("", f" en {year}", " : bilan de l’année"))
    for index, block in enumerate(edition.blocks):
        match = re.match(r"^\s*(\d+)\) (.+)$", block) if isinstance(block, str) else None
        if match:
            title = re.sub(r"^(Les |La |Le |L’)", "", match.group(2))
            title = title[:1].upper() + title[1:]
            edition.blocks[index] = style.format(n=match.group(1), title=title) + suffix


def renamed_labels(edition: Edition, rng: random.Random) -> None:
    """Two communes of every table printed under another spelling (same commune), and one
    label of a label table in other words (same category)."""
    communes = [name for name in edition.communes if spellings(name)]
    renamed = {name: rng.choice(spellings(name)) for name in rng.sample(communes, 2)}
    for table in edition.tables():
        for row in table.rows:
            row.label = renamed.get(row.label, row.label)
    if label_tables.printed_label_tables(edition):
        label_tables.rename_label(edition, rng)


def new_labels(edition: Edition, rng: random.Random) -> None:
    """A commune table gains a row whose label no reference knows, or a label table a row of a
    new category (their figures join the total)."""
    if rng.random() < 0.5 and label_tables.printed_label_tables(edition):
        label_tables.add_category(edition, rng)
        return
    table = rng.choice(edition.tables())
    table.rows.append(Row(rng.choice(NEW_LABELS), None, added_row_values(table, rng)))


def _reword(header: str, rng: random.Random) -> str:
    for pattern, alternatives in _HEADER_REWRITES:
        if re.search(pattern, header):
            return re.sub(pattern, rng.choice(alternatives), header, count=1)
    return f"{header} (total)"


def spellings(name: str) -> list[str]:
    """Other spellings a report may use (not only case or accents, which every reader folds):
    unhyphenated, "St-" for "Saint-", "lès" for "lez", the article after the name."""
    article = re.match(r"^(La|Le|Les) (.+)$", name)
    spellings = {name.replace("-", " "), name.replace("Saint-", "St-"), name.replace("-lez-", "-lès-"),
                 f"{article.group(2)} ({article.group(1)})" if article else name}
    return sorted(spellings - {name})
