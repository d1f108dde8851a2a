"""Cell recall and precision of an extraction against a drifted edition's truth.

Cells are compared as multisets (a total printed by two tables counts twice). A wrong value is
an extracted cell that is not in the truth: either a figure where the truth has another for
the same meaning, or a cell of a meaning the edition does not print. A cell read with an
`unmapped` code where the truth knows its code is not wrong but pending review (its label
flagged for a reviewer): it counts neither as exact nor in the precision.
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
    pending: int = 0  # extracted cells with an unmapped code the truth knows (left to review)
    wrong: list[tuple[TruthCell, float | None]] = field(default_factory=list)  # (read, truth's value)

    @property
    def recall(self) -> float:
        return self.exact / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        """Exact cells among those read as certain (the pending ones left aside)."""
        certain = self.extracted - self.pending
        return self.exact / certain if certain else 1.0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.extracted += other.extracted
        self.exact += other.exact
        self.pending += other.pending
        self.wrong += other.wrong


def score_cells(truth: Counter[TruthCell], extracted: Iterable[TruthCell]) -> Score:
    """How many truth cells were read exactly, and which read cells are wrong."""
    read = Counter(extracted)
    exact = truth & read
    expected_by_key = {cell.key(): cell.value for cell in truth}
    left = sorted((read - exact).elements())
    wrong = [(cell, expected_by_key.get(cell.key())) for cell in left
             if not cell.unmapped or cell.key() in expected_by_key]
    return Score(sum(truth.values()), sum(read.values()), sum(exact.values()),
                 len(left) - len(wrong), wrong)
