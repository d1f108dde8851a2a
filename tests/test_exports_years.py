"""A new year costs one year (issue 14): a warehouse built from a 2022 export, then the 2023
export added beside it. Real runs (Dagster, dbt, GX, publication) shared by the module.

The 2023 export also lists a youth of 2022 who moved to another commune of their structure: the
2022 figures must keep them in their 2022 commune (a year reads the exports of that year or
earlier only, macros/imilo_years.sql), so 2022's digest and release stay as they were and only
2023 is built.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetRecordsFilter, DagsterInstance

from benchmarks.imilo_landing_floor import run as landing_floor
from benchmarks.imilo_lower_bound import lower_bound_sql
from orchestration.dbt_docs import generate_docs
from orchestration.definitions_factory import ANNUAL_JOB, LOAD_JOB
from orchestration.run import run_all
from orchestration.settings import Settings
from orchestration.warehouse.build_inputs import year_digest
from sample_inputs.imilo import write_national_export

VALUES = "select * from intermediate.int_imilo_indicator_values where year = 2022 order by all"
VALUE_CELLS = ("select year, structure_code, commune_insee, indicator_code, value "
               "from intermediate.int_imilo_indicator_values where year = 2022 order by all")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _add_mover(export_2022: Path, export_2023: Path) -> tuple[str, str, str]:
    """Copy into the 2023 export a 2022 youth with 2022 contacts, living in another commune of
    their structure (the address of another youth of it); (dossier, old commune, new commune)."""
    youths = _rows(export_2022 / "dossiers.csv")
    contacted = {row["idDossier"] for row in _rows(export_2022 / "evenements.csv")}
    mover = next(row for row in youths if row["idDossier"] in contacted
                 and int(row["dateNaissance"][-4:]) >= 2001)
    elsewhere = next(row for row in youths if row["codeStructure"] == mover["codeStructure"]
                     and row["codeInseeCommune"] != mover["codeInseeCommune"])
    moved = {**mover, "dateExport": "15/01/2024",
             **{column: elsewhere[column] for column in
                ("adresseCodePostal", "adresseCommune", "codeInseeCommune")}}
    with (export_2023 / "dossiers.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(moved), delimiter=";",
                       lineterminator="\n").writerow(moved)
    return mover["idDossier"], mover["codeInseeCommune"], elsewhere["codeInseeCommune"]


def _query(settings: Settings, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def added_year(tmp_path_factory):
    root = tmp_path_factory.mktemp("exports_years")
    (root / "inputs").mkdir()  # no document: the years are the exports'
    exports = root / "exports"
    first = write_national_export(exports / "national_2022", 2022, seed=1, structures=3, youths=40_000)
    settings = Settings(warehouse_path=root / "warehouse" / "warehouse.duckdb",
                        input_paths=(root / "inputs",), imilo_export_paths=(exports,),
                        imilo_reference_dir=first.reference_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
        patch.setenv("MLW_DEMO", "1")
        (root / "dagster").mkdir()
        with DagsterInstance.local_temp(tempdir=str(root / "dagster")) as instance:
            before = run_all(settings, instance)
            state = {"digest": year_digest(settings.warehouse_path, 2022),
                     "values": _query(settings, VALUES), "cells": _query(settings, VALUE_CELLS),
                     "export_2022": first.out_dir, "runs": {r.dagster_run.run_id for r in
                                                             instance.get_run_records()},
                     "docs": before.docs.stat().st_mtime_ns}
            write_national_export(exports / "national_2023", 2023, seed=1, structures=3, youths=40_000,
                                  reference_dir=root / "reference_2023")
            mover = _add_mover(exports / "national_2022", exports / "national_2023")
            after = run_all(settings, instance)
            # what the second load's dim_youth ran (read now: a later `dbt docs generate` recompiles it)
            state["dim_youth_sql"] = next((settings.warehouse_dir / "dbt_target" / "compiled")
                                          .rglob("dim_youth.sql")).read_text()
            yield settings, instance, before, after, state, mover


def test_adding_2023_keeps_2022_release_and_builds_only_2023(added_year):
    settings, instance, before, after, state, _ = added_year
    assert before.success and set(before.published) == {2022}, before.blocked
    assert after.success, after.blocked
    assert after.published[2022] == before.published[2022]  # the same release folder
    assert "2022" in after.unchanged and 2023 in after.published
    assert year_digest(settings.warehouse_path, 2022) == state["digest"]
    new_runs = [r.dagster_run for r in instance.get_run_records()
                if r.dagster_run.run_id not in state["runs"]]
    assert sorted(run.tags.get("dagster/partition") for run in new_runs
                  if run.job_name == ANNUAL_JOB) == ["2023"]


def test_adding_a_year_keeps_the_docs_which_follow_the_warehouse_relations(added_year):
    """The documentation site holds no figure: a run that only adds rows keeps it (dbt_docs.py);
    a relation that appears in the warehouse makes the next run generate it again."""
    settings, _, before, after, state, _ = added_year
    assert after.docs == before.docs and after.docs.stat().st_mtime_ns == state["docs"]
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        connection.execute("create view marts.a_view_added_by_hand as select 1 as one")
    try:
        assert generate_docs(settings) == before.docs
        assert before.docs.stat().st_mtime_ns > state["docs"]
    finally:
        with duckdb.connect(str(settings.warehouse_path)) as connection:
            connection.execute("drop view marts.a_view_added_by_hand")


def test_the_second_run_reuses_the_column_lineage_of_the_first(added_year):
    """Column lineage only depends on the compiled SQL (year aside) and the columns read
    (orchestration/lineage_cache.py): the second load reuses the lineage of every model but
    dim_youth, 2023's build
    the lineage of the annual models whose SQL is that of 2022's (the others were compiled for
    a first build, of every year, in 2022), and the lineage is the same."""
    _, instance, _, _, state, _ = added_year
    new_runs = {r.dagster_run.job_name: r.dagster_run.run_id for r in instance.get_run_records()
                if r.dagster_run.run_id not in state["runs"]}

    def computed_and_reused(run_id: str) -> tuple[int, int]:
        summary = next(entry.user_message for entry in instance.all_logs(run_id)
                       if entry.user_message.startswith("dbt table metadata:"))
        counts = re.search(r"column lineage of (\d+) models computed, of (\d+) reused", summary)
        assert counts, summary
        return int(counts[1]), int(counts[2])

    computed, reused = computed_and_reused(new_runs[LOAD_JOB])
    # the models the added export reaches; dim_youth's SQL now names the export whose youths it
    # rebuilds (macros/youth_versions_rebuilt.sql), so its lineage is computed again
    assert computed == 1 and reused >= 5
    assert computed_and_reused(new_runs[ANNUAL_JOB])[1] >= 5

    def lineage(year: str):
        records = instance.fetch_materializations(
            AssetRecordsFilter(asset_key=AssetKey(["star", "fct_contact"]), asset_partitions=[year]), limit=1)
        return records.records[0].asset_materialization.metadata["dagster/column_lineage"].value

    assert lineage("2023") == lineage("2022")
    assert [dep.asset_key for dep in lineage("2023").deps_by_column["contact_date"]] == \
        [AssetKey(["intermediate", "int_imilo_contacts"])]


def test_the_load_runs_only_the_added_export_and_what_it_reaches(added_year):
    """orchestration/load_selection.py: the second load materialises the 2023 export, the raw
    I-MILO tables and the dbt models built from them, not the 2022 export, the seeds or the
    documents' models, which are as the first load left them."""
    _, instance, _, _, state, _ = added_year
    second_load = next(r.dagster_run.run_id for r in instance.get_run_records()
                       if r.dagster_run.run_id not in state["runs"] and r.dagster_run.job_name == LOAD_JOB)

    def last_run(key: list[str]) -> str:
        return instance.get_latest_materialization_event(AssetKey(key)).run_id

    latest_2023 = instance.get_latest_materialization_event(AssetKey(["exports", "national_2023"]))
    assert latest_2023.run_id == second_load
    assert latest_2023.asset_materialization.metadata["reused"].value is False
    for reached in (["raw", "imilo_youths"], ["staging", "stg_imilo__youths"], ["star", "dim_youth"],
                    ["star", "dim_structure"]):
        assert last_run(reached) == second_load, reached
    for kept in (["exports", "national_2022"], ["reference", "ref_communes"],
                 ["reference", "indicator_catalogue"], ["star", "dim_indicator"]):
        assert last_run(kept) in state["runs"], kept


def test_the_second_load_rebuilds_the_versions_of_the_youths_the_2023_export_lists(added_year):
    """dim_youth (macros/youth_versions_rebuilt.sql) read the youths of the new export only, and
    holds the rows its whole query gives, version for version."""
    settings, _, _, _, state, _ = added_year
    compiled = state["dim_youth_sql"]
    assert "export_file in ('national_2023/dossiers.csv')" in compiled
    assert _query(settings, "select export_file, row_count from audit.dim_youth_sources order by 1") == [
        ("national_2022/dossiers.csv", _query(settings, "select count(*) from raw.imilo_youths "
                                                        "where export_file = 'national_2022/dossiers.csv'")[0][0]),
        ("national_2023/dossiers.csv", _query(settings, "select count(*) from raw.imilo_youths "
                                                        "where export_file = 'national_2023/dossiers.csv'")[0][0])]
    whole = compiled.replace("export_file in ('national_2023/dossiers.csv')", "true")
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        assert connection.execute(f"select count(*) from (({whole}) except all "
                                  "select * from star.dim_youth)").fetchone() == (0,)
        assert connection.execute(f"select count(*) from (select * from star.dim_youth except all "
                                  f"({whole}))").fetchone() == (0,)


def test_a_youth_who_moved_in_2023_still_counts_in_their_2022_commune(added_year):
    settings, _, _, _, state, (dossier, old, new) = added_year
    versions = _query(settings, "select y.youth_key, y.valid_from_year, y.commune_insee from star.dim_youth y "
                                "join (select youth_key from star.dim_youth group by 1 having count(*) > 1 "
                                "and list_sort(list(commune_insee)) = list_sort([?, ?])) using (youth_key) "
                                "order by valid_from_year", [old, new])
    assert [(year, commune) for _, year, commune in versions] == [(2022, old), (2023, new)]
    youth = versions[0][0]
    communes = _query(settings, "select distinct commune_insee from star.fct_contact "
                                "where youth_key = ? and year = 2022", [youth])
    assert communes == [(old,)]
    # recomputed now, from the dimension that knows the move: 2022's figures are unchanged
    assert _query(settings, VALUES) == state["values"]


def test_the_2022_values_agree_with_the_lower_bound_query(added_year):
    """Every recomputed value of 2022, and no more cells, as the one hand-written query over the
    CSV files computes them (benchmarks/imilo_lower_bound.py). The generated export lists 4 % of
    the youths twice, some at another address before: a commune a youth left within the year is
    not in their structure's territory for that year (int_imilo_territory)."""
    _, _, _, _, state, _ = added_year
    with duckdb.connect() as connection:
        expected = connection.execute(f"select * from ({lower_bound_sql(state['export_2022'])}) "
                                      "order by all").fetchall()
    assert len(expected) > 1000
    assert state["cells"] == expected


def test_the_landing_floor_answers_as_the_lower_bound_query(added_year):
    """benchmarks/imilo_landing_floor.py lands the files, writes a dimension and the facts, then
    answers from them: its answer must be the lower bound's, or its time would floor nothing."""
    _, _, _, _, state, _ = added_year
    floor = landing_floor(state["export_2022"], with_answer=True)
    assert floor["rows"] == len(state["cells"]) > 1000
    assert floor["answer"] == state["cells"]
    assert 0 < floor["land_seconds"] < floor["seconds"]
