"""A national-size export: about 1.1 M youths over 440 structures, 15 M contacts, 2.5 M
situations, written in batches of whole structures so that memory stays bounded.

The structures (codes like 59386S00: seat commune's INSEE code, "S", a number), their
territories (synthetic INSEE codes of their department) and each commune's figures are invented
from the seed, with the national averages of targets.RATIOS; each batch then goes through the
same generator as a calibrated export (population, activity, identity columns), with no breakdown
targets. Everything is vectorised with numpy and pyarrow; the only Python loops are over
departments and batches.

The invented structures and communes are not in the MEL reference seeds: the reference is
written beside the export (reference.py, `<export>_reference/`), for `MLW_IMILO_REFERENCE`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sample_inputs.imilo.codes import AID_INDICATORS, FILES
from sample_inputs.imilo.generate import ExportSummary, build_tables, summarise
from sample_inputs.imilo.reference import reference_dir_for, write_reference
from sample_inputs.imilo.targets import EUR_PER_HEAD, RATIOS, Batch
from sample_inputs.imilo.writer import ExportWriter

STRUCTURES = 440
YOUTHS = 1_100_000  # distinct files over the structures
DEPARTMENTS = np.array([d for d in range(1, 96) if d != 20])  # metropolitan, Corsica aside
BATCH_YOUTHS = 60_000  # youths per batch (whole structures): bounds memory
NAME_STEMS = ("Martin", "Denis", "Aubin", "Germain", "Laurent", "Pierre", "Vincent", "Jean",
              "Amand", "Omer", "Pol", "Quentin", "Rémy", "Valery", "Brice", "Étienne", "Avold",
              "Dizier", "Lô", "Malo", "Nazaire", "Priest", "Cloud", "Maur", "Ouen", "Leu")
NAME_PREFIXES = ("Saint-", "Sainte-", "Villers-", "Fontaine-", "Mont-", "Neuville-", "Bourg-",
                 "Château-", "Ville-", "")
NAME_SUFFIXES = ("", "", "", "-sur-Mer", "-lès-Bains", "-en-Forêt", "-le-Grand", "-la-Rivière",
                 "-du-Bois", "-d'Aval", "-sous-Bois", "-en-Plaine")


@dataclass(frozen=True)
class Layout:
    """The national structures and their communes (cells)."""

    codes: list[str]  # structure codes
    cell_structure: np.ndarray  # structure index of each commune
    cell_insee: np.ndarray  # str
    cell_name: np.ndarray  # str
    cell_postcode: np.ndarray  # str
    cell_youths: np.ndarray  # youths in contact per commune
    cell_qpv_rate: np.ndarray


def layout(seed: int, structures: int = STRUCTURES, youths: int = YOUTHS) -> Layout:
    """Invent `structures` structures and their territories, with `youths` youths in contact in
    all (the national layout's first structures when `structures` < 440: a smaller country
    with the same structures)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x1A710, STRUCTURES]))
    n = STRUCTURES
    dept = np.sort(rng.choice(DEPARTMENTS, size=n, p=_weights(rng, len(DEPARTMENTS))))
    communes = np.clip(np.round(4 + rng.pareto(1.6, n) * 30), 3, 150).astype(np.int64)
    per_dept = np.bincount(np.searchsorted(DEPARTMENTS, dept), communes)[
        np.searchsorted(DEPARTMENTS, dept)]
    communes = np.maximum(3, communes * np.minimum(1.0, 990 / per_dept)).astype(np.int64)
    size = rng.lognormal(0.0, 0.6, n)
    size = size / size.sum() * youths
    # INSEE codes: department + 3 distinct digits; the first of a structure's communes is its seat
    numbers = np.empty(int(communes.sum()), dtype=np.int64)
    cell_structure = np.repeat(np.arange(n), communes)
    cell_dept = dept[cell_structure]
    for d in np.unique(dept):  # a loop over departments
        cells = np.flatnonzero(cell_dept == d)
        numbers[cells] = 1 + rng.choice(998, size=len(cells), replace=False)
    seats = numbers[np.r_[0, np.cumsum(communes)[:-1]]]
    cell_insee = _digits(cell_dept, 2, numbers, 3)
    seat_insee = _digits(dept, 2, seats, 3)
    # two structures in one seat commune (big cities): numbered S00, S01...
    shared = np.r_[False, (rng.random(n - 1) < 0.08) & (dept[1:] == dept[:-1])]
    seat_insee = np.where(shared, np.r_[seat_insee[:1], seat_insee[:-1]], seat_insee)
    keys = pc.binary_join_element_wise(pa.array(seat_insee), "S", "")
    rank = np.zeros(n, dtype=np.int64)
    for i in range(1, n):  # a loop over the 440 structures
        rank[i] = rank[i - 1] + 1 if shared[i] else 0
    codes = pc.binary_join_element_wise(keys, _digits(rank, 2), "").to_pylist()
    weights = rng.pareto(1.1, len(cell_structure)) + 0.05
    share = weights / np.bincount(cell_structure, weights)[cell_structure]
    youths_cell = np.floor(share * size[cell_structure] + rng.random(len(share))).astype(np.int64)
    names = _commune_names(len(cell_structure), rng)
    postcode = _digits(cell_dept, 2, rng.integers(0, 1000, len(cell_structure)) // 10 * 10, 3)
    qpv_rate = np.where(rng.random(len(cell_structure)) < 0.3, 0.2, 0.0)
    keep = cell_structure < structures
    return Layout(codes[:structures], cell_structure[keep], cell_insee[keep], names[keep],
                  postcode[keep], youths_cell[keep], qpv_rate[keep])


def _weights(rng: np.random.Generator, k: int) -> np.ndarray:
    w = rng.gamma(2.0, 1.0, k)
    return w / w.sum()


def _digits(a: np.ndarray, width_a: int, b: np.ndarray | None = None,
            width_b: int = 0) -> np.ndarray:
    """Zero-padded decimal strings of `a`, followed by those of `b` when given."""
    out = pc.utf8_lpad(pc.cast(pa.array(np.asarray(a, dtype=np.int64)), pa.string()), width_a, "0")
    if b is not None:
        tail = pc.utf8_lpad(pc.cast(pa.array(np.asarray(b, dtype=np.int64)), pa.string()),
                            width_b, "0")
        out = pc.binary_join_element_wise(out, tail, "")
    return np.asarray(out.to_numpy(zero_copy_only=False), dtype=object)


def _commune_names(k: int, rng: np.random.Generator) -> np.ndarray:
    parts = [pa.array(words).take(pa.array(rng.integers(0, len(words), k)))
             for words in (NAME_PREFIXES, NAME_STEMS, NAME_SUFFIXES)]
    return np.asarray(pc.binary_join_element_wise(*parts, "").to_numpy(zero_copy_only=False),
                      dtype=object)


def batch_targets(plan: Layout, cells: np.ndarray, year: int, rng: np.random.Generator) -> Batch:
    """The commune figures of some structures' communes, drawn around the national ratios and
    consistent with each other (parts within their totals, enough contacts for every youth)."""
    contact = plan.cell_youths[cells]
    k = len(cells)
    b = rng.binomial
    p = rng.poisson
    inter = b(contact, RATIOS["youths_interviewed"])
    new = b(contact, RATIOS["new_registrations"])
    counts = {
        "youths_in_contact": contact, "youths_interviewed": inter, "new_registrations": new,
        "new_registrations_qpv": b(new, plan.cell_qpv_rate[cells] * 0.9),
        "contacts_interviews": inter + p(inter * 9.0),
        "pmsmp_periods": p(contact * RATIOS["pmsmp_periods"]),
        "training_entries": b(contact, RATIOS["training_entries"]),
        "employment_contracts": p(contact * RATIOS["employment_contracts"]),
        "civic_service_youths": b(contact, RATIOS["civic_service_youths"]),
        "cej_youths": b(contact, RATIOS["cej_youths"]),
    }
    counts["contacts"] = counts["contacts_interviews"] + (contact - inter) + p(contact * 7.85)
    counts["alternance_contracts"] = b(counts["employment_contracts"], 0.07)
    counts["pec_contracts"] = b(counts["employment_contracts"] - counts["alternance_contracts"],
                                0.008)
    counts["civic_service_starts"] = b(counts["civic_service_youths"], 0.43)
    counts["cej_entrants"] = b(counts["cej_youths"], 0.63)
    cents = {}
    for prefix in AID_INDICATORS:
        beneficiaries = b(contact, RATIOS[f"{prefix}_beneficiaries"])
        counts[f"{prefix}_beneficiaries"] = beneficiaries
        per_head = rng.gamma(4.0, EUR_PER_HEAD[prefix] / 4.0, k)
        cents[f"{prefix}_amount"] = np.round(beneficiaries * per_head).astype(np.int64) * 100
    structures = np.unique(plan.cell_structure[cells])
    return Batch(
        year=year, structures=[plan.codes[s] for s in structures],
        cell_structure=np.searchsorted(structures, plan.cell_structure[cells]),
        cell_insee=list(plan.cell_insee[cells]), cell_name=list(plan.cell_name[cells]),
        cell_postcode=list(plan.cell_postcode[cells]), cell_qpv_rate=plan.cell_qpv_rate[cells],
        counts={name: np.asarray(v, dtype=np.int64) for name, v in counts.items()}, cents=cents)


def write_national_export(out_dir: str | Path, year: int = 2023, seed: int = 1,
                          encoding: str = "utf-8", structures: int = STRUCTURES,
                          youths: int = YOUTHS, batch_youths: int = BATCH_YOUTHS,
                          progress=None, reference_dir: str | Path | None = None) -> ExportSummary:
    """Write a national-size export (all structures in one folder), batch after batch of whole
    structures; `structures` < 440 writes the first ones only (a proportional share of the
    youths), e.g. 44 for a tenth. `progress(done_structures, total, seconds)` is called after
    each batch. The invented structures and communes go to `reference_dir` (default: the
    folder `<out_dir>_reference` beside the export; see reference.py)."""
    plan = layout(seed, structures, youths)
    reference = write_reference(
        reference_dir or reference_dir_for(out_dir), plan.codes, plan.cell_insee, plan.cell_name,
        plan.cell_postcode, f"sample_inputs/imilo/national.py: invented (seed {seed})")
    per_structure = np.bincount(plan.cell_structure, plan.cell_youths, minlength=structures)
    # whole structures per batch, about batch_youths youths each
    batch_of = np.floor(np.cumsum(per_structure) / batch_youths).astype(np.int64)
    youths_total = reexported = 0
    notes: list[str] = []
    started = time.perf_counter()
    with ExportWriter(out_dir, encoding) as writer:
        for number in np.unique(batch_of):  # a loop over batches
            members = np.flatnonzero(batch_of == number)
            cells = np.flatnonzero(np.isin(plan.cell_structure, members))
            sequence = np.random.SeedSequence([seed, year, 0x4E41, int(number)])
            rng = np.random.default_rng(sequence.spawn(2)[0])
            batch = batch_targets(plan, cells, year, rng)
            tables, stats = build_tables(batch, sequence.spawn(2)[1])
            for name in FILES:
                writer.write(name, tables[name])
            del tables
            youths_total += stats["youths"]
            reexported += stats["reexported"]
            notes.extend(batch.notes)
            if progress:
                progress(int(members.max()) + 1, structures, time.perf_counter() - started)
    summary = summarise(writer, year, seed, encoding, structures, youths_total, reexported, notes)
    return replace(summary, reference_dir=reference)
