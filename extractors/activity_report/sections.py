"""Where a line sits in the report's outline: chapter "3) La Formation", part "I. ...", sub-part "b. ...".

Tables that share a layout ("Nature | Nombre de contacts" for all contacts and for the CEJ's)
are told apart by the section they are printed in. Chapter headings precede their content;
part and sub-part headings are page headers that the text layer sometimes prints after the
page's content, so a line's context is the chapter it is in plus the latest part and sub-part
headings seen since that chapter started (never those of an earlier chapter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.documents import Line
from extractors.mappings import label_words

_CHAPTER = re.compile(r"^\s*(\d{1,2})\)\s+(\S.*)$")
_PART = re.compile(r"^\s*([IVX]{1,4})\.\s+(\S.*)$")
_SUBPART = re.compile(r"^\s*([a-h])\.\s+(\S.*)$")


@dataclass(frozen=True)
class SectionContext:
    chapter: str = ""  # e.g. "3) La Formation"
    part: str = ""  # e.g. "I. Les entrées en formation"
    subpart: str = ""  # e.g. "b. Répartition par commune"

    def words(self) -> set[str]:
        """The context as a set of normalised words, for matching mapping entries."""
        return set(label_words(f"{self.chapter} {self.part} {self.subpart}"))

    def __str__(self) -> str:
        return " / ".join(part for part in (self.chapter, self.part, self.subpart) if part)


def section_contexts(lines: tuple[Line, ...]) -> list[SectionContext]:
    """The context of each line (same order as `lines`)."""
    contexts = []
    current = SectionContext()
    for line in lines:
        text = line.text.strip()
        if _CHAPTER.match(text):
            current = SectionContext(chapter=text)
        elif _PART.match(text):
            current = SectionContext(current.chapter, part=text)
        elif _SUBPART.match(text) and current.part:
            current = SectionContext(current.chapter, current.part, subpart=text)
        contexts.append(current)
    return contexts


def matches(context: SectionContext, section_words: tuple[str, ...]) -> bool:
    """Whether every word of a mapping entry's section label is in the context."""
    return set(section_words) <= context.words()

