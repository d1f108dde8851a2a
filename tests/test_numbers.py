"""Reading space-separated figures: every reading is listed, totals choose, nothing is guessed."""

from extractors.extract import extract_path
from extractors.numbers import gap_readings, readings, resolve_table, split_cells, value_token


def test_readings_list_every_split():
    assert sorted(readings(["1", "168", "436"], 2)) == [(1, 168436), (1168, 436)]
    assert readings(["3", "087", "1", "634"], 2) == [(3087, 1634)]
    assert readings(["/", "/"], 2) == [(0, 0)]
    assert readings(["112", "/"], 2) == [(112, 0)]
    assert readings(["12"], 2) == []


def test_split_cells_refuses_words():
    assert split_cells("39 15 728 €") == ["39", "15", "728"]
    assert split_cells("8 Pérenchies 4") is None


def test_totals_choose_between_readings():
    rows = [readings(["1", "168", "436"], 2), readings(["10", "5"], 2)]
    resolved = resolve_table(rows, readings(["1", "178", "441"], 2), subordinate_columns=set())
    assert resolved.rows == [(1168, 436), (10, 5)] and resolved.resolved_rows == {0}


def test_dont_column_never_exceeds_its_main_column():
    rows = [readings(["1", "168", "436"], 2)]
    resolved = resolve_table(rows, [(1, 168436), (1168, 436)], subordinate_columns={1})
    assert resolved.rows == [(1168, 436)] and resolved.resolved_rows == {0}


def test_ambiguity_is_reported_with_candidates():
    rows = [readings(["1", "168", "436"], 2)]
    resolved = resolve_table(rows, [(5, 5)], subordinate_columns=set())
    assert resolved.rows is None and "ambiguous" in resolved.problem
    assert resolved.candidates == ["row 1: 1 / 168 436 | 1 168 / 436"]


def test_unambiguous_mismatch_is_kept_and_located():
    resolved = resolve_table([[(2, 1)], [(3, 1)]], [(6, 2)], subordinate_columns=set())
    assert resolved.rows == [(2, 1), (3, 1)] and resolved.mismatched_columns == {0}


def test_decimal_amounts_end_their_number():
    from decimal import Decimal

    assert split_cells("2 2 120,15 €") == ["2", "2", "120,15"]
    assert readings(["2", "2", "120,15"], 2) == [(2, Decimal("2120.15"))]
    assert readings(["13", "1", "410"], 2) == [(13, 1410)]
    assert readings(["120,15", "300"], 2) == [(Decimal("120.15"), 300)]
    resolved = resolve_table([readings(["1", "0,50"], 2), readings(["2", "1,25"], 2)],
                             readings(["3", "1,75"], 2), subordinate_columns=set())
    assert resolved.rows == [(1, Decimal("0.50")), (2, Decimal("1.25"))] and not resolved.mismatched_columns


def test_footnote_calls_glued_to_a_figure_are_dropped():
    assert [value_token(t) for t in ("12*", "12**", "12(1)", "12¹", "120,15*")] == [
        "12", "12", "12", "12", "120,15"]
    assert value_token("*") is None and value_token("(1)") is None
    assert split_cells("1 234* 56(2)") == ["1", "234", "56"]
    assert readings(["1", "234*"], 1) == [(1234,)]


def test_dotted_thousands_are_a_count_and_other_dots_are_not_figures():
    assert split_cells("1.234 12.345.678") == ["1234", "12345678"]
    assert readings(["1.234"], 1) == [(1234,)]
    assert split_cells("1.5") is None and split_cells("1.23") is None and split_cells("1.2345") is None


def test_dashes_print_none_like_a_slash():
    assert split_cells("- 12 –") == ["/", "12", "/"]
    assert readings(["-", "12"], 2) == [(0, 12)]


def test_marked_and_dotted_figures_of_a_real_report(mno_2023, tmp_path):
    """The 2023 report with a footnote call and a dotted thousands figure in a commune table:
    the same facts as printed without them."""
    text = mno_2023.read_text(encoding="utf-8")
    assert "Lambersart 132 15" in text and "Total général : 679 38" in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace("Lambersart 132 15", "Lambersart 1.132(1) 15*", 1)
                    .replace("Total général : 679 38", "Total général : 1.679 38", 1),
                    encoding="utf-8")
    result = extract_path(path)
    assert not result.errors
    row = {f.indicator: f.value for f in result.facts if f.dimensions.get("commune") == "Lambersart"
           and f.indicator.startswith("new_registrations")}
    assert row == {"new_registrations": 1132, "new_registrations_qpv": 15}
    total = next(f for f in result.facts if f.indicator == "new_registrations" and f.is_total)
    assert total.value == 1679 and total.flags == ()


def test_a_row_short_of_figures_gets_every_placement_of_its_missing_cells():
    assert gap_readings(["12"], 2) == [(12, 0), (0, 12)]
    assert gap_readings(["/"], 2) == [(0, 0)]  # one "/" for both columns: none either way
    assert gap_readings(["12", "/"], 2) == []  # a full row needs no gap
    assert sorted(gap_readings(["1", "234"], 3)) == sorted(
        [(1234, 0, 0), (0, 1234, 0), (0, 0, 1234), (1, 234, 0), (1, 0, 234), (0, 1, 234)])
