"""The prose of an activity report, as sentences: what its headline claims are read from.

The text layer wraps sentences over several lines and mixes them with table rows, chart
residue and headings: this rebuilds the sentences and leaves the rest out. Nothing here
depends on an edition's line numbers or wording.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.lines import Line

# --- Sentences --------------------------------------------------------------------------

BULLET = re.compile(
    r"^\s*(?:[-–—•▪■►➢✓*\uf0b7\uf0a7\uf0d8\uf076\uf0fc](?=\s|\d)|\d+[.)]\s)\s*")
_AGENDA_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}\b")  # "21/11 Café Signes": a title line
_HEADING = re.compile(r"^\s*(?:[IVX]+|[a-h]|\d{1,2})[.)]\s+\S")
_CHART_RESIDUE = re.compile(r"^(?:graph|feuil|sheet|chart)\s*\d*$", re.IGNORECASE)
_VALUE_CELL = re.compile(r"^(?:\d+|/|%|€|-)$")
_TOTAL = re.compile(r"^total\b", re.IGNORECASE)
_TOKEN = re.compile(r"\S+")
_CELL_TOKEN = re.compile(r"(?:\d|[/%€])+")
_LETTER = re.compile(r"[^\W\d_]")
# Finite verbs tell prose from a table label. Lower-case "a" only: "A" in a label is "à".
FINITE_VERB = re.compile(
    r"\b(?:a|(?i:ont|est|sont|était|étaient|sera|seront|avait|avaient|représente|représentent|"
    r"reste|restent|compte|comptent|concerne|concernent|constitue|constituent|bénéficie|"
    r"bénéficient|réside|résident|participe|participent|accompagne|accompagnent|atteint|"
    r"atteignent|totalise|totalisent|s['’]élève|s['’]élèvent|regroupe|regroupent|"
    r"accueille|accueillent|permet|permettent|progresse|progressent|augmente|augmentent|"
    r"diminue|diminuent|baisse|baissent|recule|reculent))\b"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+(?![a-zà-ÿ])|$)")
LINK_WORDS = frozenset(
    "de d' du des a au aux en et ou par pour sur le la les l' un une avec dans dont soit "
    "contre vers chez entre qui que + - / :".split()
)


_MAX_TITLE_WORDS = 8


@dataclass(frozen=True)
class Sentence:
    """A prose sentence rebuilt from its wrapped lines."""

    text: str  # the lines joined with single spaces, whitespace runs collapsed
    lines: tuple[Line, ...]


def prose_sentences(lines: tuple[Line, ...]) -> Iterator[Sentence]:
    """The sentences of the prose, table rows, headings and chart residue left out."""
    for block in _prose_blocks(lines):
        yield from _split_block(block)


def _prose_blocks(lines: tuple[Line, ...]) -> Iterator[list[Line]]:
    """Runs of prose lines; a blank, noise or bullet line closes the run, so does a ':' end."""
    block: list[Line] = []
    for line in lines:
        kind = _line_kind(line.text)
        if kind == "start" or kind == "skip":
            if block:
                yield block
            block = [line] if kind == "start" else []
        elif block and _is_title(block) and line.text.strip()[:1].isupper():
            yield block  # "Dispositifs mis en place" over "Dans le cadre du projet...": a title
            block = [line]
        else:
            block.append(line)
        if block and (line.text.rstrip().endswith(":") or _AGENDA_DATE.match(line.text)):
            yield block
            block = []
    if block:
        yield block


def _is_title(block: list[Line]) -> bool:
    """Whether the block's last line is a title: a short capitalised line without a verb or
    final punctuation, starting the block or a new sentence of it (the line after it starts
    with a capital too: a wrapped sentence would go on in lower case or after a link word)."""
    text = block[-1].text.strip()
    words = text.split()
    starts_sentence = len(block) == 1 or block[-2].text.rstrip().endswith((".", "!", "?"))
    return (starts_sentence and 0 < len(words) <= _MAX_TITLE_WORDS and text[:1].isupper()
            and not text.endswith((".", ",", ";", ":", "!", "?", ")", "»", "%"))
            and not FINITE_VERB.search(text) and fold(words[-1]) not in LINK_WORDS)


def _line_kind(raw: str) -> str:
    """"skip" (blank, table row, heading, chart residue), "start" (new item) or "continue"."""
    text = raw.strip()
    if not text or "\t" in raw or _CHART_RESIDUE.match(text) or _TOTAL.match(text):
        return "skip"
    if all(_VALUE_CELL.match(token) for token in text.split()):
        return "skip"  # only figures: a table row without label, or a page number
    if _HEADING.match(raw) and not FINITE_VERB.search(text):
        return "skip"
    if _is_table_row(raw):
        return "skip"
    if BULLET.match(raw) or raw[:1].isspace() or _AGENDA_DATE.match(raw):
        return "start"  # the text layer renders bullet glyphs as a leading space
    return "continue"


def _is_table_row(raw: str) -> bool:
    """A label without a verb followed by figures only: "CDD 901", "Lambersart 50 49 269 €"."""
    if BULLET.match(raw):
        return False
    match = _table_row(raw.strip())
    if match is None:
        return False
    label, cells = match
    if not re.search(r"\d", cells) or label.count("(") > label.count(")"):
        return False  # "ans (22 %": the wrapped middle of a sentence
    if FINITE_VERB.search(label) or re.search(r"[^\W\d_]{2}\.\s", label):
        return False  # a sentence, or a sentence end followed by a page number
    last = fold(label[-64:]).split()[-1]  # the last word only: folding is per character
    return last not in LINK_WORDS and not last.endswith("'")  # "... mesures en 2023"


def _table_row(text: str) -> tuple[str, str] | None:
    """(label, cells) of "label figures...": the longest tail of figure tokens ("50", "/", "%",
    "€", "12€") after a label holding a letter; None otherwise. One pass over the tokens: the
    regular expression it replaces backtracked exponentially on long digit runs."""
    tokens = list(_TOKEN.finditer(text))
    first_cell = len(tokens)
    while first_cell > 0 and _CELL_TOKEN.fullmatch(tokens[first_cell - 1].group()):
        first_cell -= 1
    if first_cell == 0 or first_cell == len(tokens):
        return None
    label = text[:tokens[first_cell - 1].end()]
    if not _LETTER.search(label):
        return None
    return label, text[tokens[first_cell].start():]


def _split_block(block: list[Line]) -> Iterator[Sentence]:
    parts = [" ".join(line.text.split()) for line in block]
    spans, offset = [], 0
    for part in parts:
        spans.append((offset, offset + len(part)))
        offset += len(part) + 1
    text = " ".join(parts)
    start = 0
    for end in [match.end() for match in _SENTENCE_END.finditer(text)] + [len(text)]:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + len(piece) - len(piece.lstrip())
            last = first + len(stripped)
            lines = tuple(line for line, (a, b) in zip(block, spans) if a < last and b > first)
            yield Sentence(stripped, lines)
        start = end


def fold(text: str) -> str:
    """Lower case without accents, one character for one, so positions stay those of `text`."""
    out = []
    for char in text:
        if char in "’‘`´":
            out.append("'")
        elif char.isspace():
            out.append(" ")
        elif "\u2010" <= char <= "\u2015" or char == "\u2212":
            out.append("-")
        else:
            out.append((unicodedata.normalize("NFKD", char)[:1] or char).lower()[:1])
    return "".join(out)
