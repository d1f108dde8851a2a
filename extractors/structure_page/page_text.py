"""Text helpers that keep character positions: a figure's span in the folded line is its span
in the printed line, so provenance can quote exactly what was read."""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.text_folding import fold


def norm(text: str) -> str:
    """Folded, with whitespace runs collapsed: the form wordings are compared in."""
    return re.sub(r"\s+", " ", fold(text)).strip()


def word_set(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", norm(text)))


def phrase_pattern(phrases: Iterable[str]) -> str:
    """A regex alternative matching any phrase whole (spaces match any whitespace run)."""
    parts = sorted({re.escape(p).replace(r"\ ", r"\s+") for p in phrases if p}, key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def contains_phrase(folded: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){phrase_pattern([phrase])}(?![a-z0-9])", folded) is not None


def blank_out(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace spans by spaces, keeping every other position."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# "St. Lievin": a capitalised word of one or two letters before a full stop is an abbreviation.
_SENTENCE_END = re.compile(r"(?:(?<!\b[A-Z])(?<!\b[A-Z][a-z])\.|[!?])(?=\s+(?![a-zà-ÿ])\S|\s*$)")


def sentence_spans(printed: str) -> list[tuple[int, int]]:
    """Sentences of a printed line (a web page prints one paragraph a line): a full stop, "!" or
    "?" followed by a word that does not start in lower case ends one."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(printed):
        spans.append((start, match.end()))
        start = match.end()
    if printed[start:].strip():
        spans.append((start, len(printed)))
    return spans


def word_count(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))
