"""Folding keeps one character for one, so a span found in folded text is the printed span."""

from __future__ import annotations

from extractors.text_folding import fold


def test_folding_is_plain_lower_case_without_accents():
    assert fold("Écoles d’Été – 1\u202f234 km²") == "ecoles d'ete - 1 234 km2"


def test_a_span_in_the_folded_text_is_the_same_span_in_the_printed_text():
    printed = "Straße « İstanbul » : Œuvre\u00a0d’art — 42 jeunes"
    folded = fold(printed)

    assert len(folded) == len(printed)
    start = folded.index("42 jeunes")
    assert printed[start:start + len("42 jeunes")] == "42 jeunes"
