"""The population of a batch: every counted set filled in an order that keeps the natural
nestings (interviews among new registrations, CEJ, jobs, training and aid among the
interviewed), with targets from the commune tables and the breakdowns."""

from __future__ import annotations

import numpy as np

from sample_inputs.imilo._numeric import (
    bounded_split,
    conform,
    counts_from_shares,
    rank_within,
    shuffled_codes,
)
from sample_inputs.imilo.breakdown_targets import (
    mentoring_targets,
    one_dimension_counts,
    profile_targets,
    qualification_counts,
)
from sample_inputs.imilo.codes import (
    AGE_BANDS,
    AID_INDICATORS,
    HOUSING_CODES,
    LICENCE_CODES,
    SEX_CODES,
)
from sample_inputs.imilo.population import Population
from sample_inputs.imilo.targets import Batch


def build_population(batch: Batch, rng: np.random.Generator) -> Population:
    """Fill every counted set of the batch, in an order that keeps the natural nestings
    (interviews among new registrations, CEJ, jobs, training and aid among the interviewed)."""
    pop = Population(batch, rng)
    counts, bd, notes = batch.counts, batch.breakdowns, batch.notes

    # defaults for free attributes: the profile of the youths interviewed, when published
    interviewed = bd.get("youths_interviewed_profile")
    found = one_dimension_counts(interviewed, "sex", SEX_CODES)
    if found is not None and found.sum() > 0:
        pop.defaults["sex"] = found.astype(np.float64)
    found = qualification_counts(interviewed)
    if found is not None and found[0] == "qual" and found[1].sum() > 0:
        pop.defaults["qual"] = found[1].astype(np.float64)

    # 1. new registrations: the full profile, QPV, driving licence and housing
    nr_total = int(counts["new_registrations"].sum())
    targets = {"commune": counts["new_registrations"]}
    profile = profile_targets(bd.get("new_registrations_profile"), nr_total, notes, rng)
    if profile is not None:
        targets["profile"] = profile
    nr = pop.fill("NR", targets)
    rows = np.flatnonzero(nr)
    pop.cols["qpv"][rows] = 0
    order = rows[rng.permutation(len(rows))]
    chosen = order[rank_within(pop.cols["cell"][order]) < counts["new_registrations_qpv"][
        pop.cols["cell"][order]]]
    pop.cols["qpv"][chosen] = 1
    shares = bd.get("new_registrations_share")
    for attribute, codes, dim in (("licence", LICENCE_CODES, "driving_licence"),
                                  ("housing", HOUSING_CODES, "housing")):
        wanted = one_dimension_counts(shares, dim, codes)
        if wanted is None:
            continue
        values, exact = counts_from_shares(wanted, len(rows))
        if not exact:
            notes.append(f"new_registrations_share: no counts of {len(rows)} youths round to the "
                         f"{dim} shares {wanted.tolist()}")
        pop.cols[attribute][rows] = shuffled_codes(values, rng)

    # 2. youths interviewed: among the new registrations first
    targets = {"commune": counts["youths_interviewed"]}
    int_total = int(counts["youths_interviewed"].sum())
    found = qualification_counts(interviewed)
    if found is not None:
        targets[found[0]] = found[1]
    sexes = one_dimension_counts(interviewed, "sex", SEX_CODES)
    if sexes is not None:
        targets["sex"] = sexes
    age_shares = one_dimension_counts(bd.get("youths_interviewed_share"), "age_band", AGE_BANDS)
    if age_shares is not None:
        values, exact = counts_from_shares(age_shares, int_total)
        if not exact:
            notes.append(f"youths_interviewed_share: no counts of {int_total} youths round to the "
                         f"age shares {age_shares.tolist()}")
        targets["age"] = values
    inter = pop.fill("INT", targets, pools=[nr])
    not_new = ~pop.mask("NR")

    # 3. Garantie Jeunes / CEJ: entrants, then every youth followed in the year. A youth
    # followed but not entering this year entered last year, so was registered before.
    targets = {"commune": counts["cej_entrants"]}
    found = qualification_counts(bd.get("cej_entrants_profile"))
    if found is not None:
        targets[found[0]] = found[1]
    ceje = pop.fill("CEJE", targets, pools=[pop.mask("INT")])
    inter, not_new = pop.mask("INT"), ~pop.mask("NR")
    cejy = pop.fill("CEJY", {"commune": counts["cej_youths"]}, forced=ceje,
                    pools=[inter & not_new, not_new])

    # 4. youths with a job contract (each has one at least: at most one per contract)
    contracts = counts["employment_contracts"]
    found = qualification_counts(bd.get("employment_youths_profile"))
    emp_total = int(found[1].sum()) if found else int(round(0.45 * contracts.sum()))
    emp_cells, reached = bounded_split(emp_total, (contracts > 0).astype(np.int64), contracts)
    if reached != emp_total:
        notes.append(f"employment_youths_profile: {emp_total} youths cannot hold "
                     f"{int(contracts.sum())} contracts in their communes")
    targets = {"commune": emp_cells}
    if found is not None:
        targets[found[0]] = conform(found[1], reached)
    inter, cejy = pop.mask("INT"), pop.mask("CEJY")
    pop.fill("EMP", targets, pools=[inter & cejy, inter])

    # 5. training entrants, mentoring
    training = bd.get("training_entrants_profile")
    targets = {"commune": counts["training_entries"]}
    found = qualification_counts(training)
    if found is not None:
        targets[found[0]] = found[1]
    sexes = one_dimension_counts(training, "sex", SEX_CODES)
    if sexes is not None:
        targets["sex"] = sexes
    inter, cejy = pop.mask("INT"), pop.mask("CEJY")
    pop.fill("TRN", targets, pools=[inter & cejy, inter])

    mentoring = bd.get("mentoring_youths")
    if mentoring:
        targets = mentoring_targets(batch, mentoring)
        pop.fill("MENT", targets, pools=[pop.mask("INT")])

    # 6. civic service: starters, then every youth on a mission in the year
    inter, cejy, not_new = pop.mask("INT"), pop.mask("CEJY"), ~pop.mask("NR")
    civs = pop.fill("CIVS", {"commune": counts["civic_service_starts"]},
                    pools=[inter & cejy, inter])
    inter, cejy, not_new = pop.mask("INT"), pop.mask("CEJY"), ~pop.mask("NR")
    pop.fill("CIVY", {"commune": counts["civic_service_youths"]}, forced=civs,
             pools=[inter & cejy & not_new, inter & not_new, not_new])

    # 7. financial aid beneficiaries
    for prefix in AID_INDICATORS:
        inter, cejy = pop.mask("INT"), pop.mask("CEJY")
        if prefix == "cej_allowance":
            pools = [inter & cejy, cejy, inter]
        elif prefix == "pacea_allowance":
            pools = [inter & ~cejy, inter]
        else:
            pools = [inter]
        pop.fill(f"AID_{prefix}", {"commune": counts[f"{prefix}_beneficiaries"]}, pools=pools)

    # 8. youths in contact: every youth interviewed, then the others (CEJ youths first)
    inter, cejy = pop.mask("INT"), pop.mask("CEJY")
    anyone = np.ones(pop.n, dtype=bool)
    pop.fill("CONTACT", {"commune": counts["youths_in_contact"]}, forced=inter,
             pools=[cejy, anyone])
    for name in pop.member:
        pop.member[name] = pop.mask(name)
    return pop
