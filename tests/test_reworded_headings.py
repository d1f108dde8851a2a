"""Chapter headings of a later edition numbered and worded otherwise ("3) La Formation" ->
"Partie 3 – Formation en 2023"): the tables under them are read as in the 2023 report.

Real input: the 2023 ML MNO report's text layer, its chapter headings rewritten.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from extractors.activity_report.sections import section_contexts
from extractors.extract import extract_path
from extractors.lines import Line

_CHAPTER_2023 = re.compile(r"^ ?(\d{1,2})\) (?:Les |La |Le |L’|L‘)?(.+?) *$", re.MULTILINE)


def _cells(result) -> Counter:
    return Counter((f.indicator, tuple(sorted(f.dimensions.items())), f.is_total, f.value)
                   for f in result.facts)


@pytest.mark.parametrize("style", ["{n}. {title}", "Partie {n} – {title} en 2023", "{n} | {title}"])
def test_reworded_chapter_headings_leave_every_fact_as_read(tmp_path, mno_2023, style):
    text = mno_2023.read_text(encoding="utf-8")
    reworded, count = _CHAPTER_2023.subn(lambda m: style.format(n=m[1], title=m[2]), text)
    assert count >= 5
    path = tmp_path / "report.txt"
    path.write_text(reworded, encoding="utf-8")
    assert _cells(extract_path(path)) == _cells(extract_path(mno_2023))


def test_a_table_row_is_no_chapter_heading():
    lines = tuple(Line(page=1, number=n, text=t) for n, t in
                  enumerate(["3. Formation", "16 - 17 ans 4 9 146", "I. Les entrées"], 1))
    contexts = section_contexts(lines)
    assert contexts[1].chapter == "3. Formation"
    assert contexts[2].part == "I. Les entrées" and contexts[2].chapter == "3. Formation"
