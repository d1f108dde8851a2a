"""The audit page's charts as inline SVG (matplotlib's SVG backend, no JavaScript, no network).

Text stays text (`svg.fonttype: none`) so that the page can be searched and printed sharply,
and ids are salted per chart so that several SVGs inline in one page never share an id.
"""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

matplotlib.use("svg")  # no display here, and none is needed

COLOURS = {"match": "#4c9a5f", "mismatch": "#c0392b", "withheld": "#b0b0b0"}
PALETTE = ["#2f6690", "#d9822b", "#3a7d44", "#8e5572", "#5c5c5c"]


def _svg(figure: Figure, name: str) -> str:
    """The figure as an <svg> element (no XML prolog), deterministic for the same data."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name,
                                "font.family": "sans-serif"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def label(code: str) -> str:
    return code.replace("_recomputed", " (recomputed)").replace("_", " ")


def communes_chart(communes: pd.DataFrame, indicators: list[str]) -> str | None:
    """Horizontal bars: the year's headline figures per commune (stated totals left out)."""
    if communes.empty or not indicators:
        return None
    rows = communes[~communes["is_stated_total"].fillna(False).astype(bool)]
    if rows.empty:
        return None
    several = rows["structure_code"].nunique() > 1
    names = [f"{name} ({structure})" if several else str(name)
             for name, structure in zip(rows["commune_name"], rows["structure_code"])]
    figure = Figure(figsize=(4.2 * len(indicators), 0.32 * len(rows) + 1.2))
    axes = figure.subplots(1, len(indicators), sharey=True, squeeze=False)[0]
    for position, (ax, indicator) in enumerate(zip(axes, indicators)):
        values = pd.to_numeric(rows[indicator], errors="coerce").astype(float)
        ax.barh(names, values.fillna(0), color=PALETTE[position % len(PALETTE)])
        for y, value in enumerate(values):
            ax.text(0 if pd.isna(value) else value, y, " withheld" if pd.isna(value) else f" {value:,.0f}",
                    va="center", fontsize=8)
        ax.set_title(label(indicator), fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(x=0.18)
    axes[0].invert_yaxis()  # shared: first commune on top in every panel
    return _svg(figure, "communes")


def trends_chart(trends: pd.DataFrame, year: int) -> str | None:
    """Lines: stated totals of the headline indicators in each year's current release."""
    if trends.empty or trends["year"].nunique() < 2:
        return None
    indicators = list(dict.fromkeys(trends["indicator"]))
    figure = Figure(figsize=(4.2 * len(indicators), 3.0))
    axes = figure.subplots(1, len(indicators), squeeze=False)[0]
    for ax, indicator in zip(axes, indicators):
        subset = trends[trends["indicator"] == indicator]
        for position, (structure, points) in enumerate(subset.groupby("structure_code")):
            points = points.sort_values("year")
            ax.plot(points["year"], points["value"], marker="o", label=structure,
                    color=PALETTE[position % len(PALETTE)])
        ax.axvline(year, color="#999999", linestyle=":", linewidth=1)
        ax.set_title(label(indicator), fontsize=10)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(fontsize=7, title="structure", title_fontsize=7)
    return _svg(figure, "trends")


def reconciliation_chart(reconciliation: pd.DataFrame) -> str | None:
    """Stacked bars per indicator: report figures that the exports match, miss, or that the
    release withholds."""
    if reconciliation.empty:
        return None
    counts = (reconciliation.groupby(["indicator_code", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(COLOURS), fill_value=0).sort_index(ascending=False))
    figure = Figure(figsize=(8, 0.28 * len(counts) + 1.2))
    ax = figure.subplots()
    left = pd.Series(0, index=counts.index)
    for status, colour in COLOURS.items():
        ax.barh([label(code) for code in counts.index], counts[status], left=left, color=colour, label=status)
        left = left + counts[status]
    ax.set_xlabel("report figures reconciled with the exports")
    ax.legend(fontsize=8, ncols=3, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(figure, "reconciliation")


def gaps_chart(reconciliation: pd.DataFrame) -> str | None:
    """Bars: relative gap (report minus recomputed, % of the report's figure) of each visible
    mismatch."""
    gaps = reconciliation[(reconciliation["status"] == "mismatch") & reconciliation["difference"].notna()]
    if gaps.empty:
        return None
    names = [f"{label(code)} — {commune}" for code, commune in zip(gaps["indicator_code"], gaps["commune"])]
    published = gaps["published_value"].astype(float).replace(0, float("nan"))
    relative = (gaps["difference"].astype(float) / published * 100).fillna(0)
    figure = Figure(figsize=(8, 0.35 * len(gaps) + 1.2))
    ax = figure.subplots()
    bars = ax.barh(names, relative, color=[COLOURS["mismatch"]] * len(gaps))
    ax.bar_label(bars, labels=[f" {value:+.2f} % ({gap:+,.0f})" for value, gap in
                               zip(relative, gaps["difference"].astype(float))], fontsize=8)
    ax.margins(x=0.25)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel("gap: (report − recomputed) / report, %")
    ax.invert_yaxis()
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(figure, "gaps")
