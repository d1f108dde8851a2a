"""The lower bound of the I-MILO export path: ONE hand-written DuckDB query, in a fresh
in-memory DuckDB, that reads the five export CSV files directly and computes the unsuppressed
recomputed indicators of int_imilo_indicator_values (per year x structure x commune of the
territory x indicator; sample_inputs/imilo/recompute.md).

It does only what the answer needs: it parses the files once, keeps each youth's latest dossier
row, and aggregates. It does none of what the pipeline adds: file checks (encoding, header,
truncation), validation and quarantine, pseudonymisation, de-duplication of ids exported twice,
provenance columns, the star schema, dbt's tests, the gate, the release. So it assumes what
ingestion checks (valid codes and dates, no id listed twice, no two dossier rows of a youth with
the same dateExport), which the generated exports satisfy; the benchmark compares its result with
the warehouse's, value by value.

Territory: the national structures are not in the MEL territory seed (ref_structure_territory),
so, as in int_imilo_territory, a structure's communes are those its youths currently live in.

Run in its own process so that its peak memory is its own:

    .venv/bin/python -m benchmarks.imilo_lower_bound EXPORT_DIR OUT.parquet
prints one JSON line: {"seconds", "peak_rss_mib", "baseline_rss_mib", "rows"}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

if not __package__:  # run as `python benchmarks/imilo_lower_bound.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb

from benchmarks._memory import own_peak_rss_mib

# Every file is read with the same options; the types that matter are given (codes stay text).
_READ = ("read_csv({path}, delim=';', header=true, dateformat='%d/%m/%Y', decimal_separator=',', "
         "types={types})")
_TYPES = {"idDossier": "BIGINT", "codeStructure": "VARCHAR"}
_MORE_TYPES = {"dossiers": {"codeInseeCommune": "VARCHAR"}, "allocations": {"montant": "DECIMAL(14, 2)"}}

LOWER_BOUND_SQL = """
with
youths as (
    -- each youth's current row: the latest dateExport
    select codeStructure as structure_code, idDossier as id,
        arg_max({{'commune': codeInseeCommune, 'qpv': residentQPV = 'O',
                  'first_year': year(datePremierAccueil)}}, dateExport) as latest
    from {dossiers}
    group by all
),
current_youths as (
    select structure_code, id, latest.commune as commune_insee, latest.qpv as qpv,
        latest.first_year as first_year
    from youths
),
territory as (
    select distinct structure_code, commune_insee from current_youths where commune_insee is not null
),
contacts as (
    select e.codeStructure as structure_code, year(e.dateEvenement) as year, y.commune_insee,
        e.idDossier as id, e.nature in ('ENTRETIEN_INDIVIDUEL', 'ATELIER') as is_interview
    from {evenements} as e
    left join current_youths as y on y.structure_code = e.codeStructure and y.id = e.idDossier
    where e.dateEvenement is not null
),
scope as (
    -- the (structure, year) pairs the export covers: at least one contact
    select distinct structure_code, year from contacts
),
registrations as (
    select structure_code, first_year as year, commune_insee,
        count(*) as new_registrations,
        count(*) filter (where qpv) as new_registrations_qpv
    from current_youths where first_year is not null
    group by all
),
contact_values as (
    select structure_code, year, commune_insee,
        count(distinct id) as youths_in_contact,
        count(distinct id) filter (where is_interview) as youths_interviewed,
        count(*) as contacts,
        count(*) filter (where is_interview) as contacts_interviews
    from contacts where commune_insee is not null
    group by all
),
situation_values as (
    -- confirmed situations (EN_COURS, TERMINE), in the year they start
    select s.codeStructure as structure_code, year(s.dateDebut) as year, y.commune_insee,
        count(*) filter (where s.categorieSituation in ('Emploi', 'Contrat en Alternance'))
            as employment_contracts,
        count(*) filter (where s.categorieSituation = 'Contrat en Alternance') as alternance_contracts,
        count(*) filter (where s.categorieSituation = 'Emploi' and s.typeContrat = 'PEC')
            as pec_contracts,
        count(*) filter (where s.categorieSituation in ('Pmsmp', 'Immersion en entreprise'))
            as pmsmp_periods,
        count(distinct s.idDossier) filter (where s.categorieSituation = 'Formation')
            as training_entries
    from {situations} as s
    inner join current_youths as y on y.structure_code = s.codeStructure and y.id = s.idDossier
    where s.etat in ('EN_COURS', 'TERMINE') and s.dateDebut is not null
    group by all
),
enrolment_values as (
    -- enrolments active in a year of the scope (real end, not the planned one)
    select c.structure_code, c.year, y.commune_insee,
        count(distinct a.idDossier) filter (where a.dispositif in ('CEJ', 'GARANTIE_JEUNES'))
            as cej_youths,
        count(distinct a.idDossier) filter (where a.dispositif in ('CEJ', 'GARANTIE_JEUNES')
                                            and year(a.dateDebut) = c.year) as cej_entrants,
        count(distinct a.idDossier) filter (where a.dispositif = 'SERVICE_CIVIQUE')
            as civic_service_youths,
        count(distinct a.idDossier) filter (where a.dispositif = 'SERVICE_CIVIQUE'
                                            and year(a.dateDebut) = c.year) as civic_service_starts
    from {accompagnements} as a
    inner join current_youths as y on y.structure_code = a.codeStructure and y.id = a.idDossier
    inner join scope as c on c.structure_code = a.codeStructure
        and year(a.dateDebut) <= c.year
        and (a.dateFinReelle is null or year(a.dateFinReelle) >= c.year)
    where a.dispositif in ('CEJ', 'GARANTIE_JEUNES', 'SERVICE_CIVIQUE')
    group by all
),
aid_values as (
    select p.codeStructure as structure_code, year(p.dateVersement) as year, y.commune_insee,
        aids.indicator, count(distinct p.idDossier) as beneficiaries, sum(p.montant) as amount
    from {allocations} as p
    inner join current_youths as y on y.structure_code = p.codeStructure and y.id = p.idDossier
    inner join (values ('PACEA', 'pacea_allowance'), ('CEJ', 'cej_allowance'),
                       ('FAJ', 'fajem_aid'), ('MOBILITE', 'mobility_aid'),
                       ('FONDS_ML_DIRECT', 'ml_fund_direct_aid'),
                       ('FONDS_ML_INDIRECT', 'ml_fund_indirect_aid')) as aids (dispositif, indicator)
        on aids.dispositif = p.dispositif
    where p.dateVersement is not null
    group by all
),
computed as (
    select * from (unpivot registrations on new_registrations, new_registrations_qpv
        into name indicator_code value value)
    union all
    select * from (unpivot contact_values on youths_in_contact, youths_interviewed, contacts, contacts_interviews
        into name indicator_code value value)
    union all
    select * from (unpivot situation_values on employment_contracts, alternance_contracts, pec_contracts,
        pmsmp_periods, training_entries
        into name indicator_code value value)
    union all
    select * from (unpivot enrolment_values on cej_youths, cej_entrants, civic_service_youths, civic_service_starts
        into name indicator_code value value)
    union all
    select structure_code, year, commune_insee, indicator || '_beneficiaries', beneficiaries
    from aid_values
    union all
    select structure_code, year, commune_insee, indicator || '_amount', amount
    from aid_values
),
indicators as (
    select unnest([
        'new_registrations', 'new_registrations_qpv', 'youths_in_contact', 'youths_interviewed',
        'contacts', 'contacts_interviews', 'employment_contracts', 'alternance_contracts',
        'pec_contracts', 'pmsmp_periods', 'training_entries', 'cej_youths', 'cej_entrants',
        'civic_service_youths', 'civic_service_starts',
        'pacea_allowance_beneficiaries', 'pacea_allowance_amount',
        'cej_allowance_beneficiaries', 'cej_allowance_amount',
        'fajem_aid_beneficiaries', 'fajem_aid_amount',
        'mobility_aid_beneficiaries', 'mobility_aid_amount',
        'ml_fund_direct_aid_beneficiaries', 'ml_fund_direct_aid_amount',
        'ml_fund_indirect_aid_beneficiaries', 'ml_fund_indirect_aid_amount']) as indicator_code
)
select
    c.year::integer as year, c.structure_code, t.commune_insee, i.indicator_code,
    coalesce(v.value, 0)::decimal(18, 2) as value
from scope as c
inner join territory as t on t.structure_code = c.structure_code
cross join indicators as i
left join computed as v
    on v.structure_code = c.structure_code and v.year = c.year
    and v.commune_insee = t.commune_insee and v.indicator_code = i.indicator_code
"""

FILES = ("dossiers", "evenements", "situations", "accompagnements", "allocations")


def lower_bound_sql(export_dir: Path) -> str:
    """The query, with the paths of the export's five files."""
    return LOWER_BOUND_SQL.format(**{name: file_reader(export_dir, name) for name in FILES})


def file_reader(export_dir: Path, name: str) -> str:
    """The `read_csv` of one of the export's files (`name` without `.csv`)."""
    return _READ.format(path=_literal(str(Path(export_dir) / f"{name}.csv")),
                        types=_struct({**_TYPES, **_MORE_TYPES.get(name, {})}))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _struct(types: dict[str, str]) -> str:
    return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in types.items()) + "}"


def run(export_dir: Path, out: Path) -> dict:
    """Time the query in a fresh in-memory DuckDB (result kept in memory), then write the
    result to `out` (Parquet, untimed) for the comparison with the warehouse."""
    baseline = own_peak_rss_mib()
    with duckdb.connect() as connection:
        started = time.perf_counter()
        connection.execute(f"create table lower_bound as {lower_bound_sql(export_dir)}")
        seconds = time.perf_counter() - started
        peak = own_peak_rss_mib()
        rows = connection.execute("select count(*) from lower_bound").fetchone()[0]
        connection.execute("copy lower_bound to $out (format parquet)", {"out": str(out)})
    return {"seconds": seconds, "peak_rss_mib": peak, "baseline_rss_mib": baseline, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-2].strip(), file=sys.stderr)
        return 2
    print(json.dumps(run(Path(args[0]), Path(args[1]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
