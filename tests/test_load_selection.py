"""When the load may run in part (orchestration/load_selection.py): only inputs added or changed
since the last successful load, with the same code; anything else runs it whole. The part it
runs is checked on real runs in tests/test_exports_years.py."""

from __future__ import annotations

import json

from orchestration.load_selection import changed_inputs
from orchestration.warehouse.build_inputs import load_state

EXPORTS = [("export:/data/national_2022", "a" * 64), ("imilo_reference:/data/reference", "r" * 64),
           ("pseudonymisation key", "k" * 16)]


def test_an_added_export_is_the_only_change():
    before = load_state(EXPORTS)
    after = load_state([*EXPORTS, ("export:/data/national_2023", "b" * 64)])
    assert changed_inputs(before, after) == {"export:/data/national_2023"}


def test_a_rewritten_document_is_a_change():
    before = load_state([*EXPORTS, ("/inputs/ra_2023.pdf", "c" * 64)])
    after = load_state([*EXPORTS, ("/inputs/ra_2023.pdf", "d" * 64)])
    assert changed_inputs(before, after) == {"/inputs/ra_2023.pdf"}


def test_the_load_runs_whole_when_it_cannot_compare():
    current = load_state(EXPORTS)
    assert changed_inputs(None, current) is None  # no load recorded (or built before this rule)
    assert changed_inputs("not json", current) is None
    other_code = json.dumps({**json.loads(current), "code": "another version"})
    assert changed_inputs(other_code, current) is None
    removed = load_state(EXPORTS[1:])
    assert changed_inputs(current, removed) is None  # the removed export's rows must go
    new_reference = load_state([EXPORTS[0], ("imilo_reference:/data/reference", "s" * 64), EXPORTS[2]])
    assert changed_inputs(current, new_reference) is None  # every export is checked again
    new_key = load_state([*EXPORTS[:2], ("pseudonymisation key", "j" * 16)])
    assert changed_inputs(current, new_key) is None  # every export is hashed again