"""Folding printed text for matching while keeping the way back to what was printed.

Labels are compared lower case, without accents and with one space (as `normalise_label`
does), but a review item must quote the number as printed and name its line: `Folded` keeps,
for each folded character, the index of the printed character it comes from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_QUOTES = "’‘`´"
# Personal data never leaves the extractor, even as a review item's context.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<![\w+])(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\w)")


def _fold_char(char: str) -> str:
    """One printed character as `normalise_label` would write it (possibly several or none)."""
    if char in _QUOTES:
        return "'"
    if char.isspace():
        return " "
    if "\u2010" <= char <= "\u2015" or char == "\u2212":
        return "-"
    if char in "œŒ":
        return "oe"
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@dataclass(frozen=True)
class Folded:
    """Folded text (single spaces, no leading or trailing space) and, per character, the
    index of the printed character it comes from."""

    text: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, printed: str) -> Folded:
        chars: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(printed):
            for folded in _fold_char(char):
                if folded == " " and (not chars or chars[-1] == " "):
                    continue
                chars.append(folded)
                origin.append(index)
        while chars and chars[-1] == " ":
            chars.pop()
            origin.pop()
        return cls("".join(chars), tuple(origin))

    def printed_span(self, start: int, end: int) -> tuple[int, int]:
        """The printed [start, end) of the folded [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def redact(text: str) -> str:
    """The text without e-mail addresses or phone numbers."""
    return _PHONE.sub("[téléphone]", _EMAIL.sub("[e-mail]", text))
