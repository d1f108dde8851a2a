"""The parts of a structure page (profile, about, actions, partnership) and the action blocks
inside them.

A web page's text has one paragraph a line and short heading lines. Lines before the first
heading of the mapping are the profile. An action is either a numbered item ("1-Visit
Strasbourg parliament : the ninth of may 2014, ...") or a short heading followed by a prose
paragraph ("Charter of good practices" / "Face and Wattrelos-Leers MILO worked together ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.lines import Line
from extractors.structure_page.page_mapping import PageMapping
from extractors.structure_page.page_text import norm, phrase_pattern, word_count
from extractors.text_folding import fold

PROFILE = "profile"
HEADING_MAX_WORDS = 8
PROSE_MIN_WORDS = 10
_NUMBERED = re.compile(r"^\s*\d{1,2}\s*[-.)]\s*(?P<title>[^:]+?)\s*:\s*(?P<text>\S.*)$")


@dataclass
class Section:
    kind: str  # profile | about | actions | partnership
    heading: Line | None
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class ActionBlock:
    title_line: Line
    title: str  # as printed
    lines: tuple[Line, ...]  # the title line and the description lines
    description: str  # as printed, lines joined with single spaces
    category: str


def heading_kind(line: Line, mapping: PageMapping) -> str | None:
    """The section a short line opens, if it is one of the mapping's headings."""
    text = norm(line.text)
    if not text or word_count(line.text) > HEADING_MAX_WORDS:
        return None
    for kind, wordings in mapping.sections.items():
        if re.match(rf"{phrase_pattern(wordings)}(?![a-z])", text):
            return kind
    return None


def split_sections(lines: tuple[Line, ...], mapping: PageMapping) -> list[Section]:
    sections = [Section(PROFILE, None)]
    for line in lines:
        kind = heading_kind(line, mapping)
        if kind is not None:
            sections.append(Section(kind, line))
        else:
            sections[-1].lines.append(line)
    return sections


def is_prose(line: Line) -> bool:
    """A paragraph: enough words and at least one sentence end."""
    return word_count(line.text) >= PROSE_MIN_WORDS and re.search(r"[.!?](\s|$)", line.text) is not None


def _is_title(line: Line) -> bool:
    text = line.text.strip()
    return bool(text) and word_count(text) <= HEADING_MAX_WORDS and not re.search(r"[.:!?]$", text)


def action_blocks(section: Section, mapping: PageMapping) -> list[ActionBlock]:
    """The actions a section describes (actions and partnership sections only)."""
    category = mapping.programme_categories.get(section.kind)
    if category is None:
        return []
    blocks: list[ActionBlock] = []
    lines = [line for line in section.lines if line.text.strip()]
    for index, line in enumerate(lines):
        if numbered := _NUMBERED.match(line.text):
            blocks.append(ActionBlock(line, numbered.group("title").strip(), (line,),
                                      numbered.group("text").strip(), category))
        elif _is_title(line) and index + 1 < len(lines) and is_prose(lines[index + 1]) \
                and not _NUMBERED.match(lines[index + 1].text):
            paragraph = lines[index + 1]
            blocks.append(ActionBlock(line, line.text.strip(), (line, paragraph),
                                      " ".join(paragraph.text.split()), category))
    return blocks


def about_subject(section: Section, mapping: PageMapping) -> str | None:
    """The organisation an about part presents ("What's FACE ?" -> "FACE"), as printed."""
    if section.kind != "about" or section.heading is None:
        return None
    text = section.heading.text
    match = re.match(rf"\s*{phrase_pattern(mapping.sections['about'])}\s*", fold(text))
    name = text[match.end():] if match else text
    name = re.sub(r"^(?:the|la|le|les|l')\s+", "", name.strip(), flags=re.IGNORECASE)
    return name.strip(" ?!.:") or None
