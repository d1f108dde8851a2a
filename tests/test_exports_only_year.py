"""A year that only an I-MILO export covers, from outside the MEL: no document at all (an empty
MLW_INPUTS folder), a small national export and the reference it invents (MLW_IMILO_REFERENCE).

One real run (Dagster, dbt, GX, publication) shared by the module; the rest is DuckDB.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from extractors.imilo import DEMO_KEY, ingest_export
from extractors.imilo import spec as s
from orchestration.warehouse.build_inputs import year_digest
from orchestration.run import run_all
from orchestration.settings import Settings
from sample_inputs.imilo import write_national_export

YEAR = 2023


def _national(folder: Path, seed: int = 1, year: int = YEAR):
    """Three invented structures, a few hundred youths."""
    return write_national_export(folder, year, seed=seed, structures=3, youths=40_000)


def _codes(path: Path, column: str) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def test_a_national_export_is_known_only_through_the_reference_written_beside_it(tmp_path):
    summary = _national(tmp_path / "exports" / "national_2023")
    reference = summary.reference_dir
    assert reference == tmp_path / "exports" / "national_2023_reference"
    structures = _codes(reference / "ref_structures.csv", "code_structure_imilo")
    communes = _codes(reference / "ref_communes.csv", "code_insee")
    with duckdb.connect() as connection:
        used = connection.execute(
            "select list(distinct codeStructure), list(distinct codeInseeCommune) from read_csv(?, "
            "delim=';', header=true, all_varchar=true)", [str(summary.paths["dossiers"])]).fetchone()
    assert set(used[0]) == structures and set(used[1]) <= communes

    # against the MEL seeds (the default), every row is quarantined; against its reference, none
    seeds = ingest_export(summary.out_dir, tmp_path / "seeds.duckdb", DEMO_KEY)
    assert seeds.quarantine_reasons[s.UNKNOWN_STRUCTURE] == sum(seeds.rows_read.values())
    own = ingest_export(summary.out_dir, tmp_path / "own.duckdb", DEMO_KEY, reference_dir=reference)
    assert own.quarantined == 0 and own.rows["imilo_contacts"] == summary.rows["evenements"]


@pytest.fixture(scope="module")
def exports_only(tmp_path_factory):
    root = tmp_path_factory.mktemp("exports_only")
    (root / "inputs").mkdir()  # MLW_INPUTS names an empty folder: no document, no sample either
    summary = _national(root / "exports" / "national_2023")
    settings = Settings(warehouse_path=root / "warehouse" / "warehouse.duckdb",
                        input_paths=(root / "inputs",), imilo_export_paths=(root / "exports",),
                        imilo_reference_dir=summary.reference_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
        patch.setenv("MLW_DEMO", "1")
        (root / "dagster").mkdir()
        with DagsterInstance.local_temp(tempdir=str(root / "dagster")) as instance:
            first = run_all(settings, instance)
            second = run_all(settings, instance)
            yield settings, summary, first, second


def test_a_year_only_an_export_covers_is_built_gated_and_published(exports_only):
    settings, summary, first, _ = exports_only
    assert first.success, first.blocked
    assert settings.document_paths() == []
    assert set(first.published) == {YEAR}
    release = Path(first.published[YEAR])
    codes = _codes(summary.reference_dir / "ref_structures.csv", "code_structure_imilo")
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        assert connection.execute("select count(*) from raw.documents").fetchone() == (0,)
        assert connection.execute("select bool_and(passed), count(*) > 0 from audit.gate_results "
                                  "where year = ?", [YEAR]).fetchone() == (True, True)
        # dim_structure and dim_commune know the invented structures and communes (from the
        # landed reference), so the star's relationships hold and the mart names the communes
        known = {row[0] for row in connection.execute(
            "select structure_code from star.dim_structure").fetchall()}
        assert codes <= known
        unnamed = connection.execute(
            "select count(*) from marts.mart_commune_year_recomputed where year = ? "
            "and not is_stated_total and commune_name is null", [YEAR]).fetchone()[0]
        assert unnamed == 0
        contacts = connection.execute(
            "select sum(value) from intermediate.int_imilo_indicator_values where year = ? "
            "and indicator_code = 'contacts'", [YEAR]).fetchone()[0]
    with duckdb.connect() as connection:
        published = connection.execute(
            f"select count(distinct structure_code), count(*) filter (where is_stated_total) "
            f"from '{release / 'mart_commune_year_recomputed.parquet'}'").fetchone()
    assert published == (3, 3)
    assert summary.rows["evenements"] >= contacts > 0.9 * summary.rows["evenements"]


def test_the_second_run_skips_the_unchanged_export_year(exports_only):
    _, _, first, second = exports_only
    assert second.unchanged == ["load", str(YEAR)]
    assert second.published == first.published


def test_a_changed_export_changes_the_load_and_year_digests(exports_only, tmp_path):
    """What decides whether run_all skips a step: the export's content is part of both digests,
    and ingesting the same content again changes neither."""
    from orchestration.fast_path import load_inputs

    settings, summary, _, _ = exports_only
    warehouse = tmp_path / "copy.duckdb"
    warehouse.write_bytes(settings.warehouse_path.read_bytes())
    year_before = year_digest(warehouse, YEAR)
    ingest_export(summary.out_dir, warehouse, DEMO_KEY, reference_dir=summary.reference_dir)
    assert year_digest(warehouse, YEAR) == year_before

    folder = tmp_path / "exports" / summary.out_dir.name
    copy = Settings(warehouse_path=warehouse, input_paths=settings.input_paths,
                    imilo_export_paths=(folder.parent,), imilo_reference_dir=summary.reference_dir)
    _national(folder)
    load_before = load_inputs(copy)
    _national(folder, seed=2)  # the same export folder, other rows
    assert load_inputs(copy) != load_before
    ingest_export(folder, warehouse, DEMO_KEY, reference_dir=summary.reference_dir)
    assert year_digest(warehouse, YEAR) != year_before


def test_a_later_export_leaves_the_digest_of_an_earlier_year(exports_only, tmp_path):
    """A year reads the exports of that year or earlier (macros/imilo_years.sql): an export of
    the next year changes the next year's digest, never this year's, so this year is kept."""
    settings, summary, _, _ = exports_only
    warehouse = tmp_path / "copy.duckdb"
    warehouse.write_bytes(settings.warehouse_path.read_bytes())
    before, next_before = year_digest(warehouse, YEAR), year_digest(warehouse, YEAR + 1)
    later = tmp_path / "exports" / f"national_{YEAR + 1}"
    _national(later, year=YEAR + 1)
    ingest_export(later, warehouse, DEMO_KEY, reference_dir=summary.reference_dir)
    assert year_digest(warehouse, YEAR) == before
    assert year_digest(warehouse, YEAR + 1) != next_before
