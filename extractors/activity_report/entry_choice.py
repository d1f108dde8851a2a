"""Which mapping entry a recognised table feeds: shared by label tables and profile blocks.

A table is recognised from its labels (their dimensions); the entries of that shape are told
apart by the section headings the table is printed under. When no entry names the section but
only one entry has the shape, the heading drifted: the table is read as that entry and a
warning asks for the new wording. Each entry is read once per document.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from extractors.lines import Line
from extractors.facts import Severity
from extractors.headings import SectionContext


class _Entry(Protocol):
    indicator: str

    def in_section(self, context: SectionContext, year: int) -> bool: ...


Entry = TypeVar("Entry", bound=_Entry)
Note = tuple[str, Severity]  # a message about the choice, and its severity


@dataclass
class EntryChoice(Generic[Entry]):
    entry: Entry | None  # None: the table is not extracted (the notes say why)
    drifted: bool  # read through the only entry of its shape, whose section heading differs
    notes: list[Note] = field(default_factory=list)


@dataclass
class EntryChooser(Generic[Entry]):
    """Chooses entries for one document's tables, remembering which were already read."""

    mapping_file: str  # the mapping file's name, for the messages
    year: int
    key: Callable[[Entry], Hashable]  # what makes two entries the same table
    seen: dict[Hashable, Line] = field(default_factory=dict)

    def choose(self, shaped: Sequence[Entry], context: SectionContext, what: str, line: Line,
               may_drift: bool = True, report_unmatched: bool = True) -> EntryChoice[Entry]:
        """The entry among `shaped` (entries of the table's shape) for a table `what` whose
        first line is `line`, printed under `context`."""
        where = f"{what} under '{context}'"
        source = f"extractors/mappings/{self.mapping_file}"
        found = [entry for entry in shaped if entry.in_section(context, self.year)]
        choice: EntryChoice[Entry] = EntryChoice(None, False)
        if not found and may_drift and len(shaped) == 1:
            found, choice.drifted = list(shaped), True
            choice.notes.append((f"{where} read as {found[0].indicator}, the only entry of "
                                 f"{source} of this shape: add this section's wording for "
                                 f"{self.year}", "warning"))
        if not found:
            if report_unmatched:
                choice.notes.append((f"{where} matches no entry of {source} for {self.year}; "
                                     "not extracted", "warning"))
            return choice
        if len(found) > 1:
            names = ", ".join(entry.indicator for entry in found)
            choice.notes.append((f"{where} matches several entries of {source} ({names}); "
                                 "not extracted", "error"))
            return choice
        key = self.key(found[0])
        if key in self.seen:
            choice.notes.append((f"second {what} for {found[0].indicator} under '{context}' "
                                 f"(first at line {self.seen[key].number}); not extracted",
                                 "error"))
            return choice
        self.seen[key] = line
        choice.entry = found[0]
        return choice
