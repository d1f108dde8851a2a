"""The README.md of a release: what each table is, its grain, how to join, where its figures come
from (the demo status first), and example queries, so that an analyst holding only the folder
needs nobody. The example queries are those of the project README's "Opening a release"
(tests/test_release_bi.py runs them on a real release)."""

from __future__ import annotations

from collections.abc import Mapping

from orchestration.bi_database import STORAGE_VERSION, views_of

GRAINS = {
    "mart_commune_year": "one row per structure and commune of the year, plus one 'Total' row per "
                         "structure (is_stated_total = true, commune_insee empty) as the report "
                         "prints it: filter it out, or use mart_commune_year_communes, before a SUM",
    "mart_commune_year_communes": "mart_commune_year without its 'Total' rows",
    "mart_commune_year_recomputed": "one row per structure and commune, plus a 'Total' row per "
                                    "structure, recomputed from the I-MILO exports",
    "mart_commune_year_recomputed_communes": "mart_commune_year_recomputed without its 'Total' rows",
    "mart_breakdown_year": "one row per figure of a breakdown table (structure, indicator, one "
                           "column per conformed dimension); is_stated_total marks printed totals",
    "mart_programme_year": "one row per figure stated about a programme",
    "mart_outcomes_by_profile": "one row per structure, profile (sex, age band, qualification) and "
                                "outcome; is_total marks the totals",
    "mart_report_audit": "one row per internal-consistency check of a report",
    "dim_structure": "one row per structure (Mission Locale), key structure_code",
    "dim_commune": "one row per commune, key commune_insee (INSEE code)",
    "dim_indicator": "one row per indicator, key indicator_code (the indicator columns of the marts "
                     "are named after it)",
}
JOINS = """\
- `structure_code` -> `dim_structure.structure_code` (the structure's official and usual names);
- `commune_insee` -> `dim_commune.commune_insee` (the commune's name, EPCI, department);
- an indicator column of `mart_commune_year` (e.g. `new_registrations`, or
  `new_registrations_recomputed`) and `indicator_code` of `mart_breakdown_year` ->
  `dim_indicator.indicator_code` (label, unit, grain, definition).
"""
COMMUNE_QUERY = """\
select s.usual_name as structure, m.commune_insee, m.commune_name, m.new_registrations
from mart_commune_year_communes as m
join dim_structure as s using (structure_code)
where m.year = 2023
order by structure, m.commune_name;"""
TREND_QUERY = """\
select m.year, s.usual_name as structure, sum(m.new_registrations) as new_registrations
from mart_commune_year_communes as m
join dim_structure as s using (structure_code)
group by all
order by structure, m.year;"""


def release_readme(year: int, release_id: str, tables: Mapping[str, int],
                   descriptions: Mapping[str, Mapping[str, str]], origin: str | None,
                   mart_status: Mapping[str, str]) -> str:
    """The README of one release; `tables`: name -> rows, `mart_status`: mart -> gate status."""
    lines = [f"# Missions Locales Warehouse: release {release_id} of {year}", ""]
    lines += _origin_section(origin)
    lines += ["## Files", "",
              "- `marts.duckdb`: every table and view below, with table and column comments "
              f"(DuckDB storage {STORAGE_VERSION}: DuckDB 1.1 and later open it);",
              "- one Parquet file per table (`<table>.parquet`), for tools that read Parquet;",
              "- `data_dictionary.csv`: table, column, type, description, unit of every column;",
              "- `manifest.json`: every file's SHA-256 and rows, the inputs, the code version, the "
              "gate's results (`mlw verify <this folder>` checks them).", "",
              "## Tables", "", "| table | rows | gate | grain | description |", "|---|---:|---|---|---|"]
    names = [*tables, *views_of(tables)]
    for name in names:
        rows = tables.get(name, "view")
        description = " ".join(descriptions.get(name, {}).get("", "").split()).replace("|", "/")
        lines.append(f"| `{name}` | {rows} | {mart_status.get(name, '')} | {GRAINS.get(name, '')} "
                     f"| {description} |")
    lines += ["", "A mart whose gate status is `empty` had no rows of the year to check: it is "
              "published empty, not as complete.", "", "## How to join", "", JOINS,
              "## Example queries", "", "New registrations per commune in 2023 (on `marts.duckdb`):",
              "", "```sql", COMMUNE_QUERY, "```", "",
              "A trend across years: the same query on `published/latest.duckdb` (every year's "
              "current release), without the year filter:", "", "```sql", TREND_QUERY, "```", ""]
    return "\n".join(lines)


def _origin_section(origin: str | None) -> list[str]:
    if origin == "demo_export":
        return ["## DEMO DATA: read this first", "",
                "The figures recomputed from I-MILO exports in this release (`*_recomputed` "
                "columns, `mart_commune_year_recomputed`, `mart_outcomes_by_profile`) come from a "
                "**generated demo export**, not from real records: that they agree with the "
                "report confirms nothing. Rows say so in `data_origin` / `recomputed_data_origin` "
                "= 'demo_export'. The report's own figures (`data_origin` = 'report') are real.", ""]
    if origin == "export":
        return ["## Data origin", "", "Report figures (`data_origin` = 'report') are read from the "
                "published activity reports; recomputed figures ('export') from real I-MILO "
                "exports, pseudonymised.", ""]
    return ["## Data origin", "", "Report figures only (`data_origin` = 'report'): no I-MILO "
            "export was landed.", ""]
