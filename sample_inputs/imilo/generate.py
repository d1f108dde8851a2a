"""Write an I-MILO export calibrated to a report's figures: `write_export`.

One batch (one structure): the population of youths and their sets (population.py,
counted_sets.py), their dates (days.py), contacts, enrolments, situations and allowances
(contacts.py, enrolments.py, situations.py, cej_measures.py, allocations.py), identity columns (identity_columns.py), ids, and some files
exported twice (an earlier row with another address and qualification, the latest row
carrying the calibrated attributes), written by writer.py.
Deterministic: the same figures, year and seed give the same bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from sample_inputs.imilo import identity_columns
from sample_inputs.imilo._numeric import uniform_days
from sample_inputs.imilo.allocations import make_allocations
from sample_inputs.imilo.codes import (
    AIDS,
    CATEGORIES,
    CONTRACTS,
    FILES,
    HOUSINGS,
    NATURES,
    PROGRAMMES,
    QUALIFICATIONS,
    SEXES,
    SITUATION_PROGRAMMES,
    STATES,
    YES_NO,
)
from sample_inputs.imilo.contacts import make_events
from sample_inputs.imilo.counted_sets import build_population
from sample_inputs.imilo.days import NONE, Calendar, day, youth_dates
from sample_inputs.imilo.enrolments import make_enrolments
from sample_inputs.imilo.export_figures import ExportFigures, figures_from_report
from sample_inputs.imilo.situations import make_situations
from sample_inputs.imilo.targets import Batch, batch_from_figures
from sample_inputs.imilo.writer import (
    ExportWriter,
    amount_array,
    code_array,
    date_array,
)

REEXPORT_SHARE = 0.04  # files exported twice


@dataclass(frozen=True)
class ExportSummary:
    out_dir: Path
    year: int
    seed: int
    encoding: str
    structures: int
    youths: int  # distinct files (idDossier)
    reexported: int  # files with an earlier row
    rows: dict[str, int]  # data rows per file (without the header)
    bytes: dict[str, int]
    notes: tuple[str, ...] = field(default=())  # figures the export cannot reproduce, and why
    reference_dir: Path | None = None  # invented structures and communes (national export only)

    @property
    def paths(self) -> dict[str, Path]:
        return {name: self.out_dir / f"{name}.csv" for name in FILES}


def write_export(out_dir: str | Path, figures, year: int | None = None, seed: int = 1,
                 encoding: str = "utf-8") -> ExportSummary:
    """Write the five files of an export into `out_dir`, calibrated to `figures`: an
    `ExportFigures`, a plain mapping (see `ExportFigures.from_mapping`) or a synthetic
    `ReportFigures`. `year` defaults to the figures' year."""
    figures = as_figures(figures)
    year = int(year or figures.year or 0)
    if not year:
        raise ValueError("write_export needs a year (the figures carry none)")
    batch = batch_from_figures(figures, year)
    sequence = np.random.SeedSequence([seed, year, zlib.crc32(figures.structure_code.encode())])
    with ExportWriter(out_dir, encoding) as writer:
        tables, stats = build_tables(batch, sequence)
        for name in FILES:
            writer.write(name, tables[name])
    return summarise(writer, year, seed, encoding, 1, stats["youths"], stats["reexported"],
                     batch.notes)


def as_figures(figures) -> ExportFigures:
    if isinstance(figures, ExportFigures):
        return figures
    if hasattr(figures, "table_specs") and hasattr(figures, "commune_insee"):
        return figures_from_report(figures)
    if isinstance(figures, Mapping):
        return ExportFigures.from_mapping(figures)
    raise TypeError(f"cannot calibrate an export to {type(figures).__name__}")


def summarise(writer: ExportWriter, year: int, seed: int, encoding: str, structures: int,
              youths: int, reexported: int, notes) -> ExportSummary:
    return ExportSummary(
        out_dir=writer.out_dir, year=year, seed=seed, encoding=encoding, structures=structures,
        youths=youths, reexported=reexported, rows=dict(writer.rows),
        bytes={name: path.stat().st_size for name, path in writer.paths.items()},
        notes=tuple(dict.fromkeys(notes)),
    )


# --- one batch -> five arrow tables ---------------------------------------------------------------


def build_tables(batch: Batch, sequence: np.random.SeedSequence
                 ) -> tuple[dict[str, pa.Table], dict]:
    """The five files' tables of one batch, and {"youths", "reexported"} counts."""
    rng = np.random.default_rng(sequence)
    cal = Calendar(batch.year)
    pop = build_population(batch, rng)
    dates = youth_dates(pop, cal, rng)
    events = make_events(pop, dates, cal, rng)
    enrolments, periods = make_enrolments(pop, dates, cal, rng)
    situations = make_situations(pop, dates, periods, cal, rng)
    allocations = make_allocations(pop, dates, periods, cal, rng)

    n = pop.n
    cell = pop.cols["cell"]
    structure = batch.cell_structure[cell]
    ids = _file_ids(n, rng)
    dossiers, reexported = _dossiers(batch, pop, dates, ids, structure, cal, rng)
    structures = tuple(batch.structures)

    def keyed(table, day_col, extra=()):
        youth = table.cols["youth"]
        order = np.lexsort((*extra, ids[youth], table.cols[day_col], structure[youth]))
        return {k: v[order] for k, v in table.cols.items()}, youth[order]

    ev, youth = keyed(events, "day", (events.cols["nature"],))
    evenements = pa.table({
        "idEvenement": pa.array(1_000_001 + np.arange(len(youth), dtype=np.int64)),
        "idDossier": pa.array(ids[youth]),
        "codeStructure": code_array(structure[youth], structures),
        "dateEvenement": date_array(ev["day"]),
        "nature": code_array(ev["nature"], NATURES),
    })
    si, youth = keyed(situations, "start", (situations.cols["category"],))
    situations_table = pa.table({
        "idSituation": pa.array(500_001 + np.arange(len(youth), dtype=np.int64)),
        "idDossier": pa.array(ids[youth]),
        "codeStructure": code_array(structure[youth], structures),
        "categorieSituation": code_array(si["category"], CATEGORIES),
        "typeContrat": code_array(si["contract"], CONTRACTS),
        "etat": code_array(si["state"], STATES),
        "dateDebut": date_array(si["start"]),
        "dateFin": date_array(si["end"]),
        "dispositif": code_array(si["programme"], SITUATION_PROGRAMMES),
    })
    en, youth = keyed(enrolments, "start", (enrolments.cols["programme"],))
    accompagnements = pa.table({
        "idAccompagnement": pa.array(200_001 + np.arange(len(youth), dtype=np.int64)),
        "idDossier": pa.array(ids[youth]),
        "codeStructure": code_array(structure[youth], structures),
        "dispositif": code_array(en["programme"], PROGRAMMES),
        "dateDebut": date_array(en["start"]),
        "dateFinPrevue": date_array(en["planned"]),
        "dateFinReelle": date_array(en["end"]),
    })
    al, youth = keyed(allocations, "day", (allocations.cols["aid"],))
    allocations_table = pa.table({
        "idAllocation": pa.array(300_001 + np.arange(len(youth), dtype=np.int64)),
        "idDossier": pa.array(ids[youth]),
        "codeStructure": code_array(structure[youth], structures),
        "dispositif": code_array(al["aid"], AIDS),
        "dateVersement": date_array(al["day"]),
        "montant": amount_array(al["cents"]),
    })
    tables = {"dossiers": dossiers, "evenements": evenements, "situations": situations_table,
              "accompagnements": accompagnements, "allocations": allocations_table}
    return tables, {"youths": n, "reexported": reexported}


def _file_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """Distinct idDossier values, increasing with gaps, dealt out in random order."""
    ids = np.empty(n, dtype=np.int64)
    ids[rng.permutation(n)] = 100_000 + np.cumsum(rng.integers(1, 9, n))
    return ids


def _dossiers(batch: Batch, pop, dates: dict, ids: np.ndarray, structure: np.ndarray,
              cal: Calendar, rng: np.random.Generator) -> tuple[pa.Table, int]:
    """One row per file at the export date, plus an earlier row for the files exported twice
    (another address, often another commune, a lower qualification)."""
    n = pop.n
    cols = pop.cols
    premier = dates["premier"]
    low = np.maximum(premier + 1, cal.start - 120)
    high = np.full(n, cal.export - 20)
    again = np.flatnonzero((rng.random(n) < REEXPORT_SHARE) & (low <= high))
    earlier_day = uniform_days(low[again], high[again], rng)
    # the earlier row's commune: another commune of the same structure, half of the time
    cells_of = np.bincount(batch.cell_structure, minlength=len(batch.structures))
    first_cell = np.r_[0, np.cumsum(cells_of)[:-1]]
    order_cells = np.argsort(batch.cell_structure, kind="stable")
    moved = rng.random(len(again)) < 0.5
    pick = first_cell[structure[again]] + np.floor(
        rng.random(len(again)) * cells_of[structure[again]]).astype(np.int64)
    earlier_cell = np.where(moved, order_cells[pick], cols["cell"][again])
    earlier_qual = np.where(rng.random(len(again)) < 0.7, np.minimum(cols["qual"][again] + 1, 3),
                            cols["qual"][again])
    earlier_qpv = (rng.random(len(again)) < batch.cell_qpv_rate[earlier_cell]).astype(np.int64)

    rows = np.concatenate([np.arange(n), again])
    cell = np.concatenate([cols["cell"], earlier_cell])
    qual = np.concatenate([cols["qual"], earlier_qual])
    qpv = np.concatenate([cols["qpv"], earlier_qpv])
    exported = np.concatenate([np.full(n, cal.export), earlier_day])
    names = identity_columns.names(cols["sex"], dates["birth"], cal.year, rng)
    department = np.array([int(code[:2]) if code[:2].isdigit() else 75
                           for code in batch.cell_insee], dtype=np.int64)
    nir = identity_columns.social_security_numbers(cols["sex"], dates["birth"],
                                                   department[cols["cell"]], rng)
    phones = identity_columns.phones(n, rng)
    address = identity_columns.addresses(n + len(again), rng)
    take = pa.array(rows)
    cell_structure = batch.cell_structure[cell]
    table = pa.table({
        "idDossier": pa.array(ids[rows]),
        "codeStructure": code_array(cell_structure, tuple(batch.structures)),
        "nomNaissance": names["nomNaissance"].take(take),
        "nomUsage": names["nomUsage"].take(take),
        "prenom": names["prenom"].take(take),
        "dateNaissance": date_array(dates["birth"][rows]),
        "sexe": code_array(cols["sex"][rows], SEXES),
        "mail": names["mail"].take(take),
        "telephone": phones.take(take),
        "numeroSecuriteSociale": nir.take(take),
        "adresseNumero": address["adresseNumero"],
        "adresseLibelleVoie": address["adresseLibelleVoie"],
        "adresseCodePostal": pa.array(batch.cell_postcode).take(pa.array(cell)),
        "adresseCommune": pa.array(batch.cell_name).take(pa.array(cell)),
        "codeInseeCommune": pa.array(batch.cell_insee).take(pa.array(cell)),
        "residentQPV": code_array(qpv, YES_NO),
        "niveauQualification": code_array(qual, QUALIFICATIONS),
        "permisB": code_array(cols["licence"][rows], YES_NO),
        "logement": code_array(cols["housing"][rows], HOUSINGS),
        "datePremierAccueil": date_array(premier[rows]),
        "dateExport": date_array(exported),
    })
    order = np.lexsort((exported, ids[rows], cell_structure))
    return table.take(pa.array(order)), len(again)


__all__ = ["ExportSummary", "as_figures", "build_tables", "write_export", "day", "NONE"]
