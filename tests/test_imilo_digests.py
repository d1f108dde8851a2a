"""Each export file is hashed once per process, and not at all on a re-run while its size and
modification time are those recorded beside the warehouse (real files, real ingestion)."""

from __future__ import annotations

import hashlib
import os

import pytest

from extractors.imilo import export_content_hash, folders, ingest_export
from imilo_export_rows import KEY, export_files, query, write_export


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """Names of the files read by the hasher, in a process that knows no digest yet."""
    reads: list[str] = []
    real_hash = folders._hash_file

    def counting(path):
        reads.append(path.name)
        return real_hash(path)

    monkeypatch.setattr(folders, "_hash_file", counting)
    monkeypatch.setattr(folders, "_known", {})
    monkeypatch.setattr(folders, "_store", None)
    return reads


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ingestion_reuses_the_digest_of_the_load_and_records_the_right_one(tmp_path, hashed):
    export = write_export(tmp_path / "imilo_2023")
    warehouse = tmp_path / "warehouse.duckdb"
    first = export_content_hash(export)
    report = ingest_export(export, warehouse, KEY)

    assert export_content_hash(export) == first
    assert sorted(hashed) == sorted(p.name for p in export.iterdir())  # once each, in all
    recorded = dict(query(warehouse, "select export_file, file_sha256 from audit.imilo_export_files"))
    assert recorded and all(sha == _sha256(export / name.split("/")[1])
                            for name, sha in recorded.items())
    assert report.sha256 == {p.name: _sha256(p) for p in export.iterdir()}


def test_a_rerun_hashes_only_the_file_changed_in_place(tmp_path, hashed, monkeypatch):
    export = write_export(tmp_path / "imilo_2023")
    warehouse_dir = tmp_path / "warehouse"
    folders.use_digest_store(warehouse_dir)
    first = export_content_hash(export)
    assert (warehouse_dir / folders.DIGESTS_FILE).is_file()

    changed = export / "dossiers.csv"
    content = changed.read_bytes()
    at = changed.stat().st_mtime_ns
    changed.write_bytes(content.replace(b"59350S00", b"59350S01", 1))  # same size, new bytes
    os.utime(changed, ns=(at + 5_000_000_000, at + 5_000_000_000))
    hashed.clear()
    monkeypatch.setattr(folders, "_known", {})  # a new process: only the store is known
    folders.use_digest_store(warehouse_dir)
    second = export_content_hash(export)

    assert hashed == ["dossiers.csv"]
    assert second != first
    hashed.clear()
    monkeypatch.setattr(folders, "_known", {})
    folders.use_digest_store(warehouse_dir)
    assert export_content_hash(export) == second and hashed == []


def test_a_year_digest_hashes_the_rows_of_each_landing_once(tmp_path, monkeypatch):
    """The year digests read each export's rows as sums kept per landing (export_row_sums.py):
    a new run hashes only the exports landed since, the digests are those of a fresh count,
    and an export ingested again, here with other rows, is hashed again."""
    from orchestration.warehouse import export_row_sums as row_sums
    from orchestration.warehouse.build_inputs import year_digest
    from orchestration.warehouse.raw_layer import land_raw_layer

    hashed_exports: list[str] = []
    real = row_sums.hash_export_rows
    monkeypatch.setattr(row_sums, "hash_export_rows", lambda connection, landed, names: (
        hashed_exports.extend(names), real(connection, landed, names))[1])
    warehouse = tmp_path / "warehouse" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    land_raw_layer(warehouse, [])  # no document: empty raw tables
    ingest_export(write_export(tmp_path / "imilo_2022"), warehouse, KEY, year=2022)
    first = year_digest(warehouse, 2023)
    ingest_export(write_export(tmp_path / "imilo_2023"), warehouse, KEY, year=2023)
    hashed_exports.clear()
    both = year_digest(warehouse, 2023)

    assert hashed_exports == ["imilo_2023"] and both != first  # 2022's sums were kept
    (warehouse.parent / row_sums.STORE_FILE).unlink()
    assert year_digest(warehouse, 2023) == both  # the same as counted afresh
    hashed_exports.clear()
    assert year_digest(warehouse, 2023) == both and hashed_exports == []

    files = export_files()
    files["evenements.csv"] = files["evenements.csv"][:-1]  # one contact fewer
    ingest_export(write_export(tmp_path / "imilo_2022", files), warehouse, KEY, year=2022)
    assert year_digest(warehouse, 2023) != both and hashed_exports == ["imilo_2022"]
