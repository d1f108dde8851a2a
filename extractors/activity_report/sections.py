"""Where a line sits in the report's outline: chapter "3) La Formation", part "I. ...", sub-part "b. ...".

Tables that share a layout ("Nature | Nombre de contacts" for all contacts and for the CEJ's)
are told apart by the section they are printed in. Chapter headings precede their content;
part and sub-part headings are page headers that the text layer sometimes prints after the
page's content, so a line's context is the chapter it is in plus the latest part and sub-part
headings seen since that chapter started (never those of an earlier chapter).
"""

from __future__ import annotations

import re

from extractors.lines import Line
from extractors.headings import SectionContext

# "3) La Formation" as printed in 2023, and the numberings a later edition may use instead
# ("3. Formation", "Partie 3 – Formation", "3 | Formation"): a number, a separator, a word
# (never a figure: "16 - 17 ans" is a table row).
_CHAPTER = re.compile(r"^\s*(?:partie\s+)?(\d{1,2})\s*[).|–:]\s+([^\W\d_].*)$", re.IGNORECASE)
_PART = re.compile(r"^\s*([IVX]{1,4})\.\s+(\S.*)$")
_SUBPART = re.compile(r"^\s*([a-h])\.\s+(\S.*)$")


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
