"""The demo I-MILO export: generated once, calibrated to the 2023 ML MNO activity report.

With the real corpus beside the project, the export reproduces the real report's figures (so
mart_reconciliation shows zero difference on the calibrated indicators); without it, the
sample report's. Its identity columns are fake but present, so pseudonymisation is exercised.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import SHARED_CORPUS

DEMO_YEAR = 2023
DEMO_SEED = 1
REAL_REPORT = SHARED_CORPUS / "ml_mno_rapport_activite_2023.txt"


def ensure_demo_export(parent: Path) -> Path:
    """The demo export folder under `parent`, written if missing (deterministic)."""
    source = "real" if REAL_REPORT.is_file() else "sample"
    folder = parent / f"imilo_ml_mno_{DEMO_YEAR}_{source}"
    if (folder / "dossiers.csv").is_file():
        return folder
    from sample_inputs.imilo import figures_from_facts, figures_from_report, write_export

    if source == "real":
        from extractors.extract import extract_path

        figures = figures_from_facts(extract_path(REAL_REPORT).facts, year=DEMO_YEAR)
    else:
        from sample_inputs import generate_figures

        figures = figures_from_report(generate_figures(DEMO_YEAR, DEMO_SEED))
    partial = parent / f".{folder.name}.partial"
    write_export(partial, figures, year=DEMO_YEAR, seed=DEMO_SEED)
    partial.rename(folder)
    return folder
