"""Cutting the guide into action blocks, each under the thematic axis printed before it.

An action block opens with its contact box ("POUR EN SAVOIR PLUS") and runs to the next
block, the next axis heading or the closing contact directory. Cutting on the contact box
rather than on the carrier line means a block that lacks a carrier is still a block (and is
reported), never merged into its neighbour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.lines import Line
from extractors.pia_guide.guide_mapping import GuideMapping
from extractors.pia_guide.guide_text import is_blank, is_upper_text, norm

_MAX_HEADING_LINES = 6


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]  # from the contact box marker to the block's last line
    axis: str | None  # code of the axis heading printed before it; None before any heading


def axis_heading_at(lines: Sequence[Line], index: int, mapping: GuideMapping) -> tuple[str, int] | None:
    """(axis code, number of lines) when an axis heading starts at `index`. Headings are
    printed in capitals over one to a few lines; the introduction's sentence-case list of the
    axes is not a heading."""
    if not is_upper_text(lines[index].text):
        return None
    headings = dict(mapping.axes)
    text, taken = "", 0
    for line in lines[index:index + _MAX_HEADING_LINES]:
        if is_blank(line):
            break
        text, taken = f"{text} {norm(line.text)}".strip(), taken + 1
        if text in headings:
            return headings[text], taken
    return None


def segment(lines: Sequence[Line], mapping: GuideMapping) -> list[Block]:
    """The action blocks of the guide, in print order."""
    blocks: list[Block] = []
    axis: str | None = None
    current: list[Line] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        text = norm(line.text)
        heading = axis_heading_at(lines, index, mapping)
        ends = heading is not None or text == mapping.block_start or text == mapping.directory
        if ends and current is not None:
            blocks.append(Block(tuple(current), axis))
            current = None
        if heading is not None:
            axis = heading[0]
            index += heading[1]
            continue
        if text == mapping.directory and blocks:
            break  # the contact directory closes the guide: personal data, never read
        if text == mapping.block_start:
            current = []
        if current is not None:
            current.append(line)
        index += 1
    if current is not None:
        blocks.append(Block(tuple(current), axis))
    return blocks
