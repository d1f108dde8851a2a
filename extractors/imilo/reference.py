"""The reference the exports' codes are checked against, landed beside the exports' rows.

A reference folder holds `ref_structures.csv` and `ref_communes.csv` with the columns of the dbt
seeds of the same name (dbt_project/seeds/reference: the MEL, the default); only
`code_structure_imilo` and `code_insee` are required. Ingestion quarantines a row whose structure
or commune code is not in it (ingest.py). The same folder is landed whole into
raw.imilo_reference_structures and raw.imilo_reference_communes, so that dbt's dim_structure and
dim_commune know the structures and communes of exports from outside the MEL (a national export
invents its own: sample_inputs/imilo/reference.py writes them). Read by DuckDB: no Python loop.
"""

from __future__ import annotations

from pathlib import Path

from extractors.duckdb_connection import connect

STRUCTURES_FILE = "ref_structures.csv"
COMMUNES_FILE = "ref_communes.csv"
STRUCTURE_COLUMNS = ("code_structure_imilo", "nom_officiel", "nom_usuel",
                     "code_insee_siege_deduit_du_code", "source")
COMMUNE_COLUMNS = ("code_insee", "nom_commune", "codes_postaux", "siren_epci", "nom_epci", "dep",
                   "arr", "pop_totale_dgcl2025", "pop_municipale_dgcl2025", "siege_structure_imilo")
# raw table -> (file, its columns, the key column that must be there)
REFERENCE_TABLES = {
    "imilo_reference_structures": (STRUCTURES_FILE, STRUCTURE_COLUMNS, "code_structure_imilo"),
    "imilo_reference_communes": (COMMUNES_FILE, COMMUNE_COLUMNS, "code_insee"),
}


def land_reference(warehouse: Path, reference_dir: Path) -> dict[str, int]:
    """Replace raw.imilo_reference_* with the reference folder's files (every column text, the
    seeds' columns a file lacks null, codes trimmed); return the rows of each table."""
    counts = {}
    with connect(warehouse) as connection:
        connection.execute("begin transaction")
        connection.execute("create schema if not exists raw")
        for table, (file, columns, key) in REFERENCE_TABLES.items():
            path = str(Path(reference_dir) / file)
            present = {row[0] for row in connection.execute(
                "describe select * from read_csv($path, header=true, all_varchar=true)",
                {"path": path}).fetchall()}
            if key not in present:
                raise ValueError(f"{path}: no column {key} (see extractors/imilo/reference.py)")
            select = ", ".join(f"trim({column}) as {column}" if column in present
                               else f"null::varchar as {column}" for column in columns)
            connection.execute(
                f"create or replace table raw.{table} as select {select} "
                f"from read_csv($path, header=true, all_varchar=true) where {key} is not null",
                {"path": path})
            counts[table] = connection.execute(f"select count(*) from raw.{table}").fetchone()[0]
        connection.execute("commit")
    return counts
