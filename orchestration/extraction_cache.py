"""Extraction results cached on disk by document content and extractor code.

The key is the document's SHA-256 plus a fingerprint of the extractor package (code and
mapping files) and the document limits: an unchanged document is not re-extracted, a changed
extractor or limit re-extracts all.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

import extractors
from extractors import curation
from extractors.documents import file_sha256
from extractors.extract import extract_path
from extractors.document_limits import max_document_bytes, max_document_lines
from extractors.result import ExtractionResult


def extractor_fingerprint() -> str:
    """Hash of the extractors' code and data and of the document limits in force: a document
    refused as too large is extracted again once the limit is raised."""
    limits = f"{max_document_bytes()}:{max_document_lines()}"
    return hashlib.sha256(f"{_code_fingerprint()}:{limits}:{curation.digest()}".encode()).hexdigest()[:16]


def extractor_code_fingerprint() -> str:
    """The extractors' code and reference data only (no limit, no curation): what an I-MILO
    ingestion depends on besides its files, reference and key."""
    return _code_fingerprint()


@cache
def _code_fingerprint() -> str:
    """Hash of every source and mapping file of the extractors and their reference data."""
    package = Path(extractors.__file__).parent
    reference = package.parent / "dbt_project" / "seeds" / "reference"
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.yaml"), *reference.glob("*.csv")]):
        digest.update(path.relative_to(package.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def extract_cached(path: Path, cache_dir: Path) -> tuple[ExtractionResult, bool]:
    """The document's extraction result and whether it came from the cache."""
    try:
        sha256 = file_sha256(path)
    except OSError:
        return extract_path(path), False
    cache_file = cache_dir / f"{sha256}-{extractor_fingerprint()}.json"
    if cache_file.is_file():
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        return ExtractionResult.from_json(data, path=str(path)), True  # content may have moved
    result = extract_path(path)
    cache_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomically(cache_file, json.dumps(result.to_json(), ensure_ascii=False))
    return result, False


def write_text_atomically(target: Path, text: str) -> None:
    """Write `text` so that a reader sees the old file or the new one, never half of it."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, target)
