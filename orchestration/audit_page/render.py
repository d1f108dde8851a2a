"""Rendering the audit page of a release with its Jinja template, and where the page is written."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from orchestration.audit_page import charts
from orchestration.audit_page.data import PageData, gather
from orchestration.settings import Settings

PAGE_SUFFIX = ".audit.html"
_AUDIT_ORDER = {"inconsistent": 0, "not_checkable": 1, "consistent": 2}


def audit_page_path(release: Path) -> Path:
    """`published/<year>/<release>.audit.html`: beside the release folder, never inside it."""
    release = release.resolve()
    return release.parent / f"{release.name}{PAGE_SUFFIX}"


def ensure_audit_page(settings: Settings, release: Path) -> Path:
    """The release's page, rendered if it is not there yet."""
    page = audit_page_path(release)
    return page if page.is_file() else render_audit_page(settings, release)


def render_audit_page(settings: Settings, release: Path) -> Path:
    """Write the page of `release` (atomically, read-only like the release) and return its path."""
    release = release.resolve()
    data = gather(settings, release)
    html = _environment().get_template("audit_page.html.j2").render(d=data, charts=_charts(data))
    page = audit_page_path(release)
    partial = page.with_name(f".{page.name}.partial")
    partial.write_text(html, encoding="utf-8")
    partial.chmod(0o444)
    os.replace(partial, page)
    return page


def _charts(data: PageData) -> dict[str, str | None]:
    return {"communes": charts.communes_chart(data.communes, data.headlines),
            "trends": charts.trends_chart(data.trends, data.year),
            "reconciliation": charts.reconciliation_chart(data.reconciliation),
            "gaps": charts.gaps_chart(data.reconciliation)}


def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("orchestration.audit_page", "templates"),
                              autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(figure=figure, label=charts.label, basename=lambda path: Path(str(path)).name)
    environment.globals["audit_order"] = _audit_order
    return environment


def figure(value: object) -> str:
    """A figure as printed on the page: thousands separated, decimals only when there are any,
    empty when there is no value (a withheld cell is said so by the template)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return str(value)


def _audit_order(column: pd.Series) -> pd.Series:
    return column.map(_AUDIT_ORDER).fillna(1) if column.name == "status" else column
