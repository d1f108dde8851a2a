"""The landing floor of the I-MILO export path: what any warehouse of these exports must do at
least, written as a few DuckDB statements in one process, with no check at all.

The lower bound (`imilo_lower_bound.py`) only reads the files and answers. A warehouse also
keeps the rows, so that a figure can be traced back to them: this script times, into a fresh
DuckDB file with the project's memory limit and threads (MLW_DUCKDB_MEMORY_LIMIT,
MLW_DUCKDB_THREADS):

- land: each of the five files read once into a table, with the keyed SHA-256 of its youth id
  (pseudonymisation) and the file's name (provenance), then a checkpoint;
- star: a youth dimension (one row per youth) and the four fact tables joined to it, then a
  checkpoint;
- answer: the lower bound's query over the landed tables instead of the files.

It skips everything the pipeline adds on top: file checks, validation, quarantine, line numbers,
duplicates, dimension history, keys of the facts, dbt and its tests, Dagster, the gate, the
release. So no pipeline of this warehouse can be faster; the ratio of this floor to the lower
bound says how much of issue 14's "8 x the lower bound" is spent before any of those.

    .venv/bin/python -m benchmarks.imilo_landing_floor EXPORT_DIR
prints one JSON line: {"seconds", "land_seconds", "star_seconds", "answer_seconds",
"peak_rss_mib", "rows"}.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as `python benchmarks/imilo_landing_floor.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb

from benchmarks._memory import own_peak_rss_mib
from benchmarks.imilo_lower_bound import FILES, LOWER_BOUND_SQL, file_reader
from orchestration.duckdb_settings import connection_config

# Any key of the right length: the cost of a keyed SHA-256 does not depend on it.
_KEY = "landing-floor-benchmark-key-0000"
_FACT_FILES = ("evenements", "situations", "accompagnements", "allocations")


def run(export_dir: Path, with_answer: bool = False) -> dict:
    """Time the three parts; `with_answer` adds the answer's rows, sorted (untimed), to check
    that the floor computes what the lower bound computes."""
    with tempfile.TemporaryDirectory(prefix="mlw-landing-floor-") as scratch:
        path = Path(scratch) / "floor.duckdb"
        with duckdb.connect(str(path), config=dict(connection_config(path))) as connection:
            started = time.perf_counter()
            for name in FILES:
                connection.execute(
                    f"create table raw_{name} as select *, "
                    f"substr(sha256($key || ':' || codeStructure || ':' || idDossier), 1, 32) as youth_key, "
                    f"'{name}.csv' as export_file from {file_reader(export_dir, name)}", {"key": _KEY})
            connection.execute("checkpoint")
            landed = time.perf_counter()
            connection.execute("create table dim_youth as select youth_key, "
                               "arg_max(codeInseeCommune, dateExport) as commune_insee "
                               "from raw_dossiers group by youth_key")
            for name in _FACT_FILES:
                connection.execute(f"create table fct_{name} as select f.*, y.commune_insee "
                                   f"from raw_{name} as f left join dim_youth as y using (youth_key)")
            connection.execute("checkpoint")
            starred = time.perf_counter()
            connection.execute("create temp table answer as "
                               + LOWER_BOUND_SQL.format(**{name: f"raw_{name}" for name in FILES}))
            answered = time.perf_counter()
            result = {"seconds": answered - started, "land_seconds": landed - started,
                      "star_seconds": starred - landed, "answer_seconds": answered - starred,
                      "peak_rss_mib": own_peak_rss_mib(),
                      "rows": connection.execute("select count(*) from answer").fetchone()[0]}
            if with_answer:
                result["answer"] = connection.execute("select * from answer order by all").fetchall()
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-3].strip(), file=sys.stderr)
        return 2
    print(json.dumps(run(Path(args[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
