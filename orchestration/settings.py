"""Where things are: inputs, the warehouse file, caches and releases. All from the environment.

MLW_WAREHOUSE   the DuckDB file (default: warehouse/warehouse.duckdb under the project)
MLW_INPUTS      documents to load: files or folders separated by ':' (default: ../shared/corpus
                when it is beside the project, else generated sample reports)
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


@dataclass(frozen=True)
class Settings:
    warehouse_path: Path
    input_paths: tuple[Path, ...]  # files or folders; empty means "generate samples"

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse_path.parent

    @property
    def extracted_dir(self) -> Path:
        """Extraction results cached by content hash, so unchanged inputs are not re-read."""
        return self.warehouse_dir / "extracted"

    @property
    def published_dir(self) -> Path:
        return self.warehouse_dir / "published"

    @property
    def samples_dir(self) -> Path:
        return self.warehouse_dir / "sample_inputs"

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
        return cls(warehouse_path=warehouse.resolve(), input_paths=tuple(p.resolve() for p in input_paths))

    def export_for_dbt(self) -> None:
        """dbt runs as a subprocess and reads the warehouse path from the environment."""
        os.environ["MLW_WAREHOUSE"] = str(self.warehouse_path)

    def document_paths(self) -> list[Path]:
        """The input documents, sorted; sample reports are generated when there are no inputs."""
        roots = self.input_paths or (self.samples_dir,)
        if not self.input_paths:
            from sample_inputs import write_samples

            if not self.samples_dir.is_dir() or not any(self.samples_dir.iterdir()):
                write_samples(self.samples_dir, seed=1)
        found: list[Path] = []
        for root in roots:
            if root.is_dir():
                found.extend(p for p in root.iterdir() if _is_document(p))
            else:
                found.append(root)  # named explicitly: kept even if unreadable, to report it
        return sorted(found)


def _is_document(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES and path.name.lower() not in NOT_DOCUMENTS
