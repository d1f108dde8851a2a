"""Which structure published a report, and for which year: read from its content only."""

from __future__ import annotations

import re
from collections import Counter

from extractors.reference import normalise_label, structure_aliases

# Phrases that date the report's own activity: "en 2023", "Bilan 2023", "au 31/12/2023"...
_YEAR_PHRASES = re.compile(
    r"(?:\ben|\bbilan|\bau 31/12/|\brapport d'activite|\bannee)\s+(20\d\d)\b|\bau 31/12/(20\d\d)\b"
)


def detect_year(normalised_text: str) -> int | None:
    """The year most often named as the activity's year; None if there is no clear winner."""
    counts = Counter(
        int(first or second) for first, second in _YEAR_PHRASES.findall(normalised_text)
    )
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def detect_structure(normalised_text: str) -> str | None:
    """The structure whose names occur most; None if none or a tie."""
    counts: Counter[str] = Counter()
    for alias, code in structure_aliases().items():
        counts[code] += len(re.findall(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", normalised_text))
    ranked = [entry for entry in counts.most_common(2) if entry[1] > 0]
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def normalised_document_text(lines: list[str]) -> str:
    return normalise_label(" ".join(lines))
