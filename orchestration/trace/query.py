"""What `mlw trace` is asked about, and how a figure's row is found in a mart or release.

Shared by both sources of a figure (report and I-MILO exports); imports nothing of the project,
so every trace module can lean on it without a circle.
"""

from __future__ import annotations

from dataclasses import dataclass

DBT_NODE = "model.missions_locales_warehouse."
SOURCES = ("report", "exports")


@dataclass(frozen=True)
class TraceQuery:
    year: int
    structure: str
    commune: str | None  # INSEE code; None for the stated total
    indicator: str
    source: str | None = None  # "report", "exports", or None: the report if it prints the figure
    limit: int = 20            # export rows listed (all are counted)


def describe(query: TraceQuery) -> str:
    return (f"{query.indicator}, {query.year}, structure {query.structure}, "
            f"{'commune ' + query.commune if query.commune else 'stated total'}")


def commune_condition(query: TraceQuery) -> str:
    """The figure's row of a mart (parameters: commune_params)."""
    return "commune_insee = ?" if query.commune else "is_stated_total"


def fact_condition(query: TraceQuery) -> str:
    """The figure's facts in star.fct_published_indicator (parameters: commune_params)."""
    return "commune_insee = ? and not is_total" if query.commune else "is_total and dimension_key = ''"


def commune_params(query: TraceQuery) -> list[str]:
    return [query.commune] if query.commune else []


def show(value: object) -> str:
    """A figure as printed: 132, 49.3, 1234567.5 (no exponent, no trailing zeros)."""
    return format(float(value), "f").rstrip("0").rstrip(".") if value is not None else "null"
