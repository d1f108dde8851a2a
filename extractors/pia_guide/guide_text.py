"""Text helpers: cleaning printed lines, joining them back into sentences, redacting contacts.

The text layer breaks words at line ends ("accompagne-" / "ment") and prefixes bullets with
a replacement character ("• �Qui ..."); records keep the words as printed, joined back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.lines import Line
from extractors.reference import normalise_label

BULLET = "•"
_JUNK = re.compile("[\ufffd\u00ad]")
_SPACES = re.compile(r"\s+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+33\s*(?:\(0\))?\s*|\b0)\d(?:[\s.]?\d{2}){4}\b")
REDACTED = "[contact retiré]"


def clean(text: str) -> str:
    """A printed line without bullet marks and layout junk, with single spaces."""
    text = _JUNK.sub("", text).replace(BULLET, " ")
    return _SPACES.sub(" ", text).strip()


def norm(text: str) -> str:
    """`clean` then `normalise_label`: the form in which wordings are compared."""
    return normalise_label(clean(text))


def is_blank(line: Line) -> bool:
    return not clean(line.text)


def is_bullet(line: Line) -> bool:
    return line.text.lstrip().startswith(BULLET)


def is_upper_text(text: str) -> bool:
    """A heading or title line: some letters, none in lower case."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and not any(ch.islower() for ch in letters)


def ends_sentence(text: str) -> bool:
    """Closing quotes and brackets do not count: they also close words inside a sentence."""
    return clean(text).endswith((".", "!", "?", "…"))


def redact(text: str) -> str:
    """The text without e-mail addresses and phone numbers, which are personal data here
    (contact persons): every `Source.text` and free text of a record goes through it. Names
    cannot be told from other words in free text; they are kept out by never reading the
    contact boxes at all (see action_layout.py)."""
    return PHONE.sub(REDACTED, EMAIL.sub(REDACTED, text))


def paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs of non-blank lines."""
    runs: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if is_blank(line):
            if current:
                runs.append(current)
            current = []
        else:
            current.append(line)
    if current:
        runs.append(current)
    return runs


@dataclass(frozen=True)
class Span:
    """Printed lines joined into one text, remembering which line each character came from."""

    text: str
    starts: tuple[tuple[int, Line], ...]  # (offset in text, line), in order

    def line_at(self, offset: int) -> Line:
        found = self.starts[0][1]
        for start, line in self.starts:
            if start > offset:
                break
            found = line
        return found

    def lines_between(self, start: int, end: int) -> tuple[Line, ...]:
        """The lines that the characters start..end (exclusive) were printed on."""
        bounds = [offset for offset, _ in self.starts[1:]] + [len(self.text)]
        return tuple(line for (offset, line), stop in zip(self.starts, bounds)
                     if offset < end and stop > start)

    @classmethod
    def join(cls, lines: Iterable[Line]) -> Span:
        """A word broken at a line end is joined back ("accompagne-" + "ment"); a hyphen before a
        capital is kept ("Lys-lez-" + "Lannoy"); other lines are joined with one space."""
        text = ""
        starts: list[tuple[int, Line]] = []
        for line in lines:
            piece = clean(line.text)
            if not piece:
                continue
            if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and piece[0].isalpha():
                if piece[0].islower():
                    text = text[:-1]
            elif text:
                text += " "
            starts.append((len(text), line))
            text += piece
        return cls(text, tuple(starts))


def join_text(lines: Iterable[Line]) -> str | None:
    """Printed lines as one redacted text, or None when there is nothing."""
    text = Span.join(lines).text
    return redact(text) if text else None
