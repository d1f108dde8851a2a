"""The reference data an invented (national) export needs: its structures and communes.

Ingestion checks every `codeStructure` and `codeInseeCommune` against a reference folder
(`MLW_IMILO_REFERENCE`, by default the MEL seeds of dbt_project/seeds/reference). The national
layout invents its 440 structures and ~16,000 communes, so the generator writes them as
`ref_structures.csv` and `ref_communes.csv`, with the seeds' columns (the ones it cannot invent,
such as EPCI and population, are left empty), into a folder beside the export: never inside it,
where it would change the export's content hash, and not as an export folder itself (it holds
none of the five export files, so `find_export_folders` never takes it for one).

Written with pyarrow from the layout's arrays: no Python loop over communes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from extractors.imilo.reference import (
    COMMUNE_COLUMNS,
    COMMUNES_FILE,
    STRUCTURE_COLUMNS,
    STRUCTURES_FILE,
)


def reference_dir_for(export_dir: str | Path) -> Path:
    """Where the reference of the export written in `export_dir` goes: a sibling folder."""
    export_dir = Path(export_dir)
    return export_dir.with_name(f"{export_dir.name}_reference")


def write_reference(out_dir: str | Path, codes: list[str], cell_insee: np.ndarray,
                    cell_name: np.ndarray, cell_postcode: np.ndarray, source: str) -> Path:
    """Write ref_structures.csv and ref_communes.csv for these structures (codes: seat INSEE
    code + "S" + number) and communes (one cell per commune, INSEE codes unique)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    insee = pa.array(cell_insee, pa.string())
    names = pa.array(cell_name, pa.string())
    code_array = pa.array(codes, pa.string())
    seats = pc.utf8_slice_codeunits(code_array, 0, 5)
    seat_names = pc.take(names, pc.index_in(seats, value_set=insee))
    official = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(code_array, 0, 2), "-ML ", pc.utf8_upper(seat_names), "")
    structures = pa.table({
        "code_structure_imilo": code_array,
        "nom_officiel": official,
        "nom_usuel": pc.binary_join_element_wise("Mission locale ", seat_names, ""),
        "code_insee_siege_deduit_du_code": seats,
        "source": pa.array([source] * len(codes), pa.string()),
    })
    # a seat commune's structure is its S00 (a second structure in the same seat is S01...)
    first = pc.filter(code_array, pc.ends_with(code_array, "S00"))
    seat_codes = pc.take(first, pc.index_in(insee, value_set=pc.utf8_slice_codeunits(first, 0, 5)))
    empty = pa.nulls(len(insee), pa.string())
    communes = pa.table({
        "code_insee": insee,
        "nom_commune": names,
        "codes_postaux": pa.array(cell_postcode, pa.string()),
        "siren_epci": empty, "nom_epci": empty,
        "dep": pc.utf8_slice_codeunits(insee, 0, 2),
        "arr": empty, "pop_totale_dgcl2025": empty, "pop_municipale_dgcl2025": empty,
        "siege_structure_imilo": seat_codes,
    })
    options = pcsv.WriteOptions(include_header=False, quoting_style="none")  # like the seeds
    for name, table, columns in ((STRUCTURES_FILE, structures, STRUCTURE_COLUMNS),
                                 (COMMUNES_FILE, communes, COMMUNE_COLUMNS)):
        with open(out_dir / name, "wb") as handle:
            handle.write((",".join(columns) + "\n").encode())
            pcsv.write_csv(table.select(list(columns)), handle, options)
    return out_dir
