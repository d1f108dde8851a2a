"""The labels of a profile block's header or rows: the dimension vocabularies, read as words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors import wording_rules
from extractors.numbers import value_token
from extractors.reference import normalise_label

TOTAL_WORD = "total"
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Label:
    dimension: str
    words: tuple[str, ...]  # normalised words, in print order
    code: str


def label_sequence(text: str) -> tuple[str, ...]:
    """A printed text as its normalised words, in order (punctuation dropped)."""
    return tuple(_WORD.findall(normalise_label(text)))


def vocabulary_of(dimension: str, year: int) -> dict[tuple[str, ...], Label]:
    """Printed labels of a dimension for an edition (its own, else every listed edition's,
    latest first), keyed by their words."""
    editions = wording_rules.dimension_labels().get(dimension, {})
    order = [year] if year in editions else sorted(editions, reverse=True)
    vocabulary: dict[tuple[str, ...], Label] = {}
    for edition in order:
        for label, code in editions[edition].items():
            words = label_sequence(label)
            if words:
                vocabulary.setdefault(words, Label(dimension, words, code))
    return vocabulary


def parse_labels(words: tuple[str, ...], vocabulary: dict[tuple[str, ...], Label]
                  ) -> tuple[list[Label], bool] | None:
    """Read `words` as a sequence of labels (longest label first), optionally ending with
    "total"; None unless every word is used."""
    labels: list[Label] = []
    index = 0
    while index < len(words):
        best = max((label for key, label in vocabulary.items()
                    if words[index:index + len(key)] == key), key=lambda l: len(l.words),
                   default=None)
        if best is None:
            if words[index:] == (TOTAL_WORD,):
                return labels, True
            return None
        labels.append(best)
        index += len(best.words)
    return labels, False


def label_prefix(tokens: list[str], vocabulary: dict[tuple[str, ...], Label]
                  ) -> tuple[Label, list[str]] | None:
    """A row "<label> figures": the shortest leading label after which only figures follow."""
    for end in range(1, len(tokens)):
        label = vocabulary.get(label_sequence(" ".join(tokens[:end])))
        figures = [figure_cell(token) for token in tokens[end:]]
        if label and None not in figures:
            return label, figures
    return None


def figure_cell(token: str) -> str | None:
    """A figure token of a block as read ("12*" -> "12", "45%" kept, a lone "%" kept), or None."""
    if token == "%":
        return token
    percent = token.endswith("%")
    value = value_token(token[:-1] if percent else token)
    return None if value is None else value + ("%" if percent else "")
