"""Folding printed text one character for one: lower case, no accents, plain quotes, dashes
and spaces.

Offsets in the folded text are offsets in the printed text (unlike `reference.normalise_label`,
which may change the length), so a figure found in a folded line quotes exactly its printed
span. The guide's and the structure page's readers match their wordings on this form.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_QUOTES = "’‘`´"
_DASHES = "‐‑‒–—―"
_SPACES = "\u00a0\u202f\u2009\t"


def fold(text: str) -> str:
    """Lower case, no accents, plain quotes and dashes, one character for one ("km²" -> "km2")."""
    return "".join(_fold_char(ch) for ch in text)


@lru_cache(maxsize=4096)  # a document has few distinct characters; folding each is costly
def _fold_char(ch: str) -> str:
    """A character that would not fold into exactly one character stays as printed."""
    if ch in _QUOTES:
        return "'"
    if ch in _DASHES:
        return "-"
    if ch in _SPACES:
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    lowered = base.lower() if len(base) == 1 else ch.lower()
    return lowered if len(lowered) == 1 else ch
