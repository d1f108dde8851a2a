"""`python -m sample_inputs.demo WAREHOUSE_DIR [--corpus DIR]`: write the demo inputs that
`mlw run` reads when none are configured, each only if missing (`make run` calls it first).

- the sample activity reports (WAREHOUSE_DIR/sample_inputs/), when there is no corpus: read when
  MLW_INPUTS is unset and ../shared/corpus is not beside the project;
- the demo I-MILO export (WAREHOUSE_DIR/sample_exports/), read when MLW_IMILO_EXPORTS is unset:
  calibrated to the corpus's 2023 ML MNO report when the corpus has it (mart_reconciliation then
  shows zero difference on the calibrated indicators), else to the sample report. Its identity
  columns are fake but present, so pseudonymisation is exercised.

A command of its own, so that the pipeline never imports the sample generators.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from extractors.extract import extract_path
from orchestration.settings import DEMO_EXPORTS_FOLDER, SAMPLE_REPORTS_FOLDER, SHARED_CORPUS
from sample_inputs import generate_figures, write_samples
from sample_inputs.imilo import figures_from_facts, figures_from_report, write_export

DEMO_YEAR = 2023
DEMO_SEED = 1
CALIBRATING_REPORT = "ml_mno_rapport_activite_2023.txt"


def write_demo_inputs(warehouse_dir: Path, corpus: Path | None) -> list[Path]:
    """The sample reports (without a corpus) and the demo export under `warehouse_dir`; returns
    the folders that hold them."""
    folders = []
    if corpus is None or not corpus.is_dir():
        folders.append(ensure_sample_reports(warehouse_dir / SAMPLE_REPORTS_FOLDER))
    folders.append(ensure_demo_export(warehouse_dir / DEMO_EXPORTS_FOLDER, corpus))
    return folders


def ensure_sample_reports(folder: Path) -> Path:
    if not folder.is_dir() or not any(folder.iterdir()):
        write_samples(folder, seed=DEMO_SEED)
    return folder


def ensure_demo_export(parent: Path, corpus: Path | None) -> Path:
    """The demo export folder under `parent`, written if missing (deterministic); the only
    export there, so that one calibrated to another report is not read beside it."""
    report = corpus / CALIBRATING_REPORT if corpus is not None else None
    source = "real" if report is not None and report.is_file() else "sample"
    folder = parent / f"imilo_ml_mno_{DEMO_YEAR}_{source}"
    if not (folder / "dossiers.csv").is_file():
        if source == "real":
            figures = figures_from_facts(extract_path(report).facts, year=DEMO_YEAR)
        else:
            figures = figures_from_report(generate_figures(DEMO_YEAR, DEMO_SEED))
        partial = parent / f".{folder.name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        write_export(partial, figures, year=DEMO_YEAR, seed=DEMO_SEED)
        partial.rename(folder)
    for other in parent.iterdir():
        if other != folder and other.is_dir():
            shutil.rmtree(other)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_inputs.demo",
                                     description="Write the demo inputs `mlw run` reads by default.")
    parser.add_argument("warehouse_dir", type=Path, help="the warehouse folder (e.g. warehouse)")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS if SHARED_CORPUS.is_dir() else None,
                        help="the folder of real reports (default: ../shared/corpus when beside the "
                             "project); without one, sample reports are written")
    args = parser.parse_args(argv)
    for folder in write_demo_inputs(args.warehouse_dir.resolve(), args.corpus):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
