"""Shared test fixtures: where the real corpus is, and a project-local temp area."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
MNO_2023 = CORPUS / "ml_mno_rapport_activite_2023.txt"


@pytest.fixture
def mno_2023() -> Path:
    if not MNO_2023.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    return MNO_2023


@pytest.fixture(autouse=True)
def demo_pseudonymisation(monkeypatch):
    """Tests ingest generated exports only: the public demo key is enough (and no test may
    depend on a developer's real key)."""
    monkeypatch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
    monkeypatch.setenv("MLW_DEMO", "1")
