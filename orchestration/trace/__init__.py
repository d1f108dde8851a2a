"""`mlw trace`: from a published figure down to its source, a document line or export rows.

A figure (year, structure, commune or stated total, indicator) comes from one of two sources:
a report (`report_source.py`: down to the document line that prints it) or the I-MILO exports
(`imilo_source.py`: the figure recomputed from individual records, down to the export rows it
counts). Without --source, a figure a report prints is traced to the report, and one that only
the exports give (an indicator the report does not print there) to the exports. A figure of a
mart with one row per printed figure (profiles, key figures, programmes) is asked about by its
`fact_id` (`fact_source.py`).
"""

from __future__ import annotations

from orchestration.settings import Settings
from orchestration.trace.chain import table_exists
from orchestration.trace.fact_source import trace_fact
from orchestration.trace.imilo_source import trace_imilo
from orchestration.trace.query import SOURCES, TraceQuery, commune_params, fact_condition
from orchestration.trace.report_source import trace_report
from orchestration.warehouse import connect

__all__ = ["SOURCES", "TraceQuery", "trace", "trace_fact"]


def trace(settings: Settings, query: TraceQuery) -> list[str]:
    """The lines `mlw trace` prints; raises LookupError when the figure is not published."""
    source = query.source or _default_source(settings, query)
    return (trace_imilo if source == "exports" else trace_report)(settings, query)


def _default_source(settings: Settings, query: TraceQuery) -> str:
    """The report when a document prints the figure; else the exports when they recompute it."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        printed = connection.execute(
            "select count(*) from star.fct_published_indicator where year = ? and structure_code = ? "
            "and indicator_code = ? and " + fact_condition(query),
            [query.year, query.structure, query.indicator, *commune_params(query)]).fetchone()[0]
        recomputed = table_exists(connection, "intermediate", "int_imilo_recomputed_indicators") \
            and connection.execute("select count(*) from intermediate.int_imilo_recomputed_indicators "
                                   "where indicator_code = ?", [query.indicator]).fetchone()[0]
    return "exports" if recomputed and not printed else "report"
