"""Where things are: inputs, the warehouse file, caches and releases. All from the environment.

MLW_WAREHOUSE   the DuckDB file (default: warehouse/warehouse.duckdb under the project)
MLW_INPUTS      documents to load: files or folders separated by ':' (default: ../shared/corpus
                when it is beside the project, else the sample reports of the warehouse folder's
                sample_inputs/)
MLW_IMILO_EXPORTS  I-MILO export folders, or folders of export folders, separated by ':'
                (default: the demo export of the warehouse folder's sample_exports/, calibrated
                to the 2023 ML MNO report: the real one when ../shared is there, else the sample
                one)
The demo inputs are written by `python -m sample_inputs.demo WAREHOUSE_DIR` (`make run` calls
it), never by the pipeline: production code does not import the sample generators.
MLW_IMILO_REFERENCE  a folder holding ref_structures.csv and ref_communes.csv (the columns of the
                seeds of the same name): the structure codes and INSEE codes the exports' rows are
                checked against at ingestion; a row with a code not in them is quarantined
                (default: the MEL seeds, dbt_project/seeds/reference). Exports of other
                territories need theirs: `python -m sample_inputs.imilo OUT --national` writes the
                one it invents beside the export (OUT_reference). It is also landed into
                raw.imilo_reference_*, from which dim_structure and dim_commune add what the
                seeds lack; a structure without a seeded territory gets the communes its youths
                live in (int_imilo_territory)
MLW_IMILO_MAX_QUARANTINE_SHARE  the largest share of a year's export rows in quarantine that
                still lets the year be published (default 0.02)
MLW_PSEUDONYMISATION_KEY  the key of the keyed hash of I-MILO ids (required, except in the
                demo: MLW_DEMO=1, which `make run` sets when no key is given)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
DOCUMENT_SUFFIXES = {".txt", ".pdf"}
NOT_DOCUMENTS = {"readme.md", "readme.txt"}
# Folders of the warehouse folder that `python -m sample_inputs.demo` fills and `mlw run` reads
# when no inputs are configured.
SAMPLE_REPORTS_FOLDER = "sample_inputs"
DEMO_EXPORTS_FOLDER = "sample_exports"
DEMO_COMMAND = "python -m sample_inputs.demo"


@dataclass(frozen=True)
class Settings:
    warehouse_path: Path
    input_paths: tuple[Path, ...]  # files or folders; empty means "the sample reports"
    imilo_export_paths: tuple[Path, ...] | None = None  # None means "the demo export"
    imilo_max_quarantine_share: float = 0.02
    imilo_reference_dir: Path | None = None  # None means "the MEL seeds"

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse_path.parent

    @property
    def extracted_dir(self) -> Path:
        """Extraction results cached by content hash, so unchanged inputs are not re-read."""
        return self.warehouse_dir / "extracted"

    @property
    def imilo_reference(self) -> Path:
        """The folder of ref_structures.csv and ref_communes.csv that export codes are checked
        against."""
        from extractors.reference import SEEDS_DIR

        return self.imilo_reference_dir or SEEDS_DIR

    @property
    def published_dir(self) -> Path:
        return self.warehouse_dir / "published"

    @property
    def samples_dir(self) -> Path:
        return self.warehouse_dir / SAMPLE_REPORTS_FOLDER

    @property
    def demo_exports_dir(self) -> Path:
        return self.warehouse_dir / DEMO_EXPORTS_FOLDER

    @classmethod
    def from_env(cls) -> Settings:
        warehouse = Path(os.environ.get("MLW_WAREHOUSE") or PROJECT_ROOT / "warehouse" / "warehouse.duckdb")
        inputs = os.environ.get("MLW_INPUTS")
        if inputs:
            input_paths = tuple(Path(part) for part in inputs.split(":") if part)
        elif SHARED_CORPUS.is_dir():
            input_paths = (SHARED_CORPUS,)
        else:
            input_paths = ()
        exports = os.environ.get("MLW_IMILO_EXPORTS")
        reference = os.environ.get("MLW_IMILO_REFERENCE")
        return cls(
            warehouse_path=warehouse.resolve(),
            input_paths=tuple(p.resolve() for p in input_paths),
            imilo_export_paths=(None if exports is None else
                                tuple(Path(part).resolve() for part in exports.split(":") if part)),
            imilo_max_quarantine_share=float(os.environ.get("MLW_IMILO_MAX_QUARANTINE_SHARE", "0.02")),
            imilo_reference_dir=Path(reference).resolve() if reference else None,
        )

    def imilo_export_folders(self) -> list[Path]:
        """The export folders to ingest; the demo export's, if written, when none is configured."""
        from extractors.imilo import find_export_folders

        if self.imilo_export_paths is None:
            demo = self.demo_exports_dir
            return find_export_folders([demo]) if demo.is_dir() else []
        return find_export_folders(self.imilo_export_paths)

    def set_dbt_environment(self) -> None:
        """dbt runs as a subprocess and reads the warehouse path from the environment."""
        from orchestration.duckdb_settings import set_dbt_environment

        os.environ["MLW_WAREHOUSE"] = str(self.warehouse_path)
        set_dbt_environment(self.warehouse_path)  # DuckDB's memory limit, threads, spill folder

    def document_roots(self) -> tuple[Path, ...]:
        """Where documents are read: the configured inputs, else the sample reports' folder (if
        written: a missing one is not an input that could not be read)."""
        if self.input_paths:
            return self.input_paths
        return (self.samples_dir,) if self.samples_dir.is_dir() else ()

    def document_paths(self) -> list[Path]:
        """The input documents, sorted; the sample reports' when no inputs are configured."""
        found: list[Path] = []
        for root in self.document_roots():
            if root.is_dir():
                found.extend(p for p in root.iterdir() if _is_document(p))
            else:
                found.append(root)  # named explicitly: kept even if unreadable, to report it
        return sorted(found)


def _is_document(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES and path.name.lower() not in NOT_DOCUMENTS


def no_inputs_message(settings: Settings) -> str | None:
    """What `mlw run` says, and why it stops, when there is neither a document nor an export."""
    if settings.document_paths() or settings.imilo_export_folders():
        return None
    documents = ", ".join(str(p) for p in settings.input_paths or (settings.samples_dir,))
    exports = ", ".join(str(p) for p in settings.imilo_export_paths or (settings.demo_exports_dir,))
    return (f"no inputs: no document in {documents} and no I-MILO export in {exports}; "
            f"write the demo inputs with `{DEMO_COMMAND} {settings.warehouse_dir}` "
            "(`make run` does), or set MLW_INPUTS / MLW_IMILO_EXPORTS")
