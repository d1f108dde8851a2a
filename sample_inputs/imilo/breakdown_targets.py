"""A counted set's targets read from the report's breakdowns: one-dimension counts, cross
tables, qualification (fine or coarse), the new registrations' joint profile, mentoring."""

from __future__ import annotations

import numpy as np

from sample_inputs.imilo._numeric import conform, largest_remainder, shuffled_codes
from sample_inputs.imilo.codes import (
    AGE_BANDS,
    QUALIFICATION3_CODES,
    QUALIFICATION_CODES,
    SEX_CODES,
)
from sample_inputs.imilo.population import DEFAULTS
from sample_inputs.imilo.targets import Batch


def one_dimension_counts(cells: dict | None, dim: str, codes: tuple[str, ...]) -> np.ndarray | None:
    """The one-dimension cells of a breakdown along `dim`, in `codes` order; None if none."""
    if not cells:
        return None
    found = {key[0][1]: value for key, value in cells.items() if len(key) == 1 and key[0][0] == dim}
    if not found or not set(found) <= set(codes):
        return None
    return np.array([round(found.get(code, 0)) for code in codes], dtype=np.int64)


def cross_counts(cells: dict | None, dim_a: str, codes_a, dim_b: str, codes_b) -> np.ndarray | None:
    if not cells:
        return None
    out = np.zeros((len(codes_a), len(codes_b)), dtype=np.int64)
    found = False
    for key, value in cells.items():
        pairs = dict(key)
        if len(key) == 2 and set(pairs) == {dim_a, dim_b} and pairs[dim_a] in codes_a \
                and pairs[dim_b] in codes_b:
            out[codes_a.index(pairs[dim_a]), codes_b.index(pairs[dim_b])] = round(value)
            found = True
    return out if found else None


def qualification_counts(cells: dict | None) -> tuple[str, np.ndarray] | None:
    """("qual", fine counts) or ("qual3", coarse counts) of a breakdown by qualification."""
    fine = one_dimension_counts(cells, "qualification_level", QUALIFICATION_CODES)
    if fine is not None:
        return "qual", fine
    coarse = one_dimension_counts(cells, "qualification_level", QUALIFICATION3_CODES)
    return ("qual3", coarse) if coarse is not None else None


def profile_targets(cells: dict | None, total: int, notes: list[str],
                     rng: np.random.Generator) -> np.ndarray | None:
    """The new registrations' sex x age x qualification joint counts (index (sex*4+age)*4+qual)
    from the report's sex x age and age x qualification tables, which share their age totals."""
    sex_age = cross_counts(cells, "sex", SEX_CODES, "age_band", AGE_BANDS)
    age_qual = cross_counts(cells, "age_band", AGE_BANDS,
                            "qualification_level", QUALIFICATION_CODES)
    if sex_age is None and age_qual is None:
        return None
    if sex_age is None:
        sex_age = np.stack([largest_remainder(n, (1, 1)) for n in age_qual.sum(axis=1)], axis=1)
    if age_qual is None:
        age_qual = np.stack([largest_remainder(n, DEFAULTS["qual"]) for n in sex_age.sum(axis=0)])
    joint = np.zeros((2, 4, 4), dtype=np.int64)
    for age in range(4):
        n = int(sex_age[:, age].sum())
        quals = age_qual[age]
        if int(quals.sum()) != n:
            notes.append(f"new_registrations_profile: age {AGE_BANDS[age]} is {n} by sex, "
                         f"{int(quals.sum())} by qualification: qualification rescaled")
            quals = conform(quals, n)
        sexes = np.repeat(np.arange(2), sex_age[:, age])
        paired = shuffled_codes(quals, rng)
        np.add.at(joint, (sexes, age, paired), 1)
    flat = joint.reshape(-1)
    if int(flat.sum()) != total:
        notes.append(f"new_registrations_profile adds up to {int(flat.sum())}, "
                     f"new_registrations to {total}: profile rescaled")
        flat = conform(flat, total)
    return flat


def mentoring_targets(batch: Batch, cells: dict) -> dict[str, np.ndarray]:
    by_commune = {dict(key)["commune_insee"]: value for key, value in cells.items()
                  if len(key) == 1 and key[0][0] == "commune_insee"}
    sexes = one_dimension_counts(cells, "sex", SEX_CODES)
    found = qualification_counts(cells)
    total = int(sum(by_commune.values())) if by_commune else (
        int(sexes.sum()) if sexes is not None else int(found[1].sum()) if found else 0)
    if by_commune:
        unknown = set(by_commune) - set(batch.cell_insee)
        if unknown:
            batch.notes.append(f"mentoring_youths: communes outside the tables {sorted(unknown)}")
        communes = np.array([round(by_commune.get(code, 0)) for code in batch.cell_insee],
                            dtype=np.int64)
        communes = conform(communes, total)
    else:
        communes = largest_remainder(total, batch.counts["youths_in_contact"])
    targets = {"commune": communes}
    if sexes is not None:
        targets["sex"] = sexes
    if found is not None:
        targets[found[0]] = found[1]
    return targets
