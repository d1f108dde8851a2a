"""Cell recall and precision of an extraction against a drifted edition's truth.

Cells are compared as multisets (a total printed by two tables counts twice). A wrong value is
an extracted cell that is not in the truth: either a figure where the truth has another for
the same meaning, or a cell of a meaning the edition does not print.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sample_inputs.drift.truth import TruthCell


@dataclass
class Score:
    expected: int = 0  # truth cells
    extracted: int = 0  # extracted cells
    exact: int = 0  # extracted cells that are in the truth
    wrong: list[tuple[TruthCell, float | None]] = field(default_factory=list)  # (read, truth's value)

    @property
    def recall(self) -> float:
        return self.exact / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.exact / self.extracted if self.extracted else 1.0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.extracted += other.extracted
        self.exact += other.exact
        self.wrong += other.wrong


def score_cells(truth: Counter[TruthCell], extracted: Iterable[TruthCell]) -> Score:
    """How many truth cells were read exactly, and which read cells are wrong."""
    read = Counter(extracted)
    exact = truth & read
    expected_by_key = {cell.key(): cell.value for cell in truth}
    wrong = [(cell, expected_by_key.get(cell.key()))
             for cell in sorted((read - exact).elements())]
    return Score(sum(truth.values()), sum(read.values()), sum(exact.values()), wrong)
