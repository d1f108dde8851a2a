"""What the audit page of a release shows, gathered from the release itself and the warehouse.

The release's own files are the source of truth: its manifest (files, inputs, code version, gate
results) and its Parquet marts. The warehouse adds what a release does not hold: the
reconciliation (marts.mart_reconciliation, internal: exact values) and the gate's record
(audit.gate_results). The reconciliation is exposed only as far as the published marts show it:
a recomputed value is printed only where the release's mart_commune_year prints it (its
`<code>_recomputed` column, small counts already suppressed), so the page never reveals a cell
that the public marts withhold.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from orchestration.marts import MART_COMMUNE_YEAR, MART_RECONCILIATION, PUBLISHED_MARTS, combined_fingerprint, read_year
from orchestration.publication import CURRENT, MANIFEST
from orchestration.settings import Settings
from orchestration.warehouse import connect, has_table

# Indicators shown per commune and over the years, first those the release carries.
HEADLINE_INDICATORS = ("youths_in_contact", "new_registrations", "youths_interviewed", "contacts")
MAX_HEADLINES = 3

# The gate's expectations run on frames derived from the marts: the mart each frame reads.
FRAME_MART = {
    "structures": "mart_commune_year", "commune_rows": "mart_commune_year",
    "expected_indicators": "mart_commune_year", "totals": "mart_commune_year",
    "extraction_errors": "mart_commune_year (extraction issues)",
    "mart_commune_year": "mart_commune_year", "mart_breakdown_year": "mart_breakdown_year",
    "breakdown_totals": "mart_breakdown_year", "breakdown_percents": "mart_breakdown_year",
    "recomputed_counts": "mart_commune_year_recomputed",
    "recomputed_residuals": "mart_commune_year_recomputed",
    "mart_outcomes_by_profile": "mart_outcomes_by_profile",
    "outcome_counts": "mart_outcomes_by_profile", "outcome_residuals": "mart_outcomes_by_profile",
    "reconciliation": "mart_reconciliation (internal)", "imilo_exports": "I-MILO exports (quarantine)",
}


@dataclass
class PageData:
    """Everything the template prints; charts are drawn from the frames."""

    year: int
    release: Path
    manifest: dict
    manifest_sha256: str
    files: list[dict]
    documents: list[dict]
    export_files: list[dict]
    gate: dict | None
    gate_groups: dict[str, list[dict]]
    gate_recorded: dict | None  # the matching row of audit.gate_results, if the warehouse has it
    withheld: list[dict]
    communes: pd.DataFrame  # the release's mart_commune_year
    headlines: list[str]
    trends: pd.DataFrame  # year, structure_code, indicator, value (stated totals of current releases)
    reconciliation: pd.DataFrame  # exposure-safe rows
    reconciliation_in_sync: bool
    report_audit: pd.DataFrame
    suppression_threshold: int | None
    notes: list[str] = field(default_factory=list)


def gather(settings: Settings, release: Path) -> PageData:
    """Read the release and the warehouse; raises FileNotFoundError naming a missing file."""
    manifest_path = release / MANIFEST
    if not manifest_path.is_file():
        raise FileNotFoundError(f"{release}: no {MANIFEST}: not a release")
    manifest_bytes = manifest_path.read_bytes()
    manifest = json.loads(manifest_bytes)
    year = int(manifest["year"])
    marts = {name: _read_parquet(release, name) for name in PUBLISHED_MARTS}
    communes = marts["mart_commune_year"]
    threshold = _threshold(marts)
    reconciliation, in_sync = _reconciliation(settings, year, manifest, communes)
    gate = manifest.get("gate")
    return PageData(
        year=year, release=release, manifest=manifest,
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
        files=[{"name": name, **entry} for name, entry in manifest.get("files", {}).items()],
        documents=manifest.get("inputs", []), export_files=_export_files(manifest),
        gate=gate, gate_groups=_gate_groups(gate), gate_recorded=_gate_recorded(settings, year, manifest),
        withheld=_withheld(marts, reconciliation, threshold),
        communes=communes, headlines=headline_indicators(communes),
        trends=_trends(settings.published_dir, headline_indicators(communes)),
        reconciliation=reconciliation, reconciliation_in_sync=in_sync,
        report_audit=marts["mart_report_audit"], suppression_threshold=threshold)


def _read_parquet(release: Path, name: str) -> pd.DataFrame:
    path = release / f"{name}.parquet"
    return pd.read_parquet(path) if path.is_file() else pd.DataFrame()


def headline_indicators(communes: pd.DataFrame) -> list[str]:
    """The headline indicators the release prints a value for (else their recomputed columns)."""
    printed = [code for code in HEADLINE_INDICATORS
               if code in communes and communes[code].notna().any()]
    recomputed = [f"{code}_recomputed" for code in HEADLINE_INDICATORS
                  if f"{code}_recomputed" in communes and communes[f"{code}_recomputed"].notna().any()]
    return (printed or recomputed)[:MAX_HEADLINES]


def _threshold(marts: dict[str, pd.DataFrame]) -> int | None:
    frame = marts["mart_commune_year_recomputed"]
    if "suppression_threshold" in frame and frame["suppression_threshold"].notna().any():
        return int(frame["suppression_threshold"].dropna().iloc[0])
    return None


def _export_files(manifest: dict) -> list[dict]:
    return [{"export": export["export"], "year": export["year"], "demo_key": export["demo_key"],
             "path": f"{export['folder']}/{file['file']}", **file}
            for export in manifest.get("exports", []) for file in export["files"]]


def _gate_groups(gate: dict | None) -> dict[str, list[dict]]:
    """The gate's expectations by the mart they check, failures first within each mart."""
    groups: dict[str, list[dict]] = {}
    for expectation in (gate or {}).get("expectations", []):
        frame = expectation.get("frame") or "other"
        groups.setdefault(FRAME_MART.get(frame, frame), []).append(
            {**expectation, "observed": _observed(expectation)})
    return {mart: sorted(rows, key=lambda row: bool(row["success"]))
            for mart, rows in sorted(groups.items())}


def _observed(expectation: dict) -> str:
    """What the expectation saw, in a line: the observed value or the unexpected count."""
    parts = []
    if "observed_value" in expectation:
        value = expectation["observed_value"]
        parts.append(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str))
    if expectation.get("unexpected_count") is not None:
        parts.append(f"{expectation['unexpected_count']} unexpected")
    return "; ".join(parts)


def _gate_recorded(settings: Settings, year: int, manifest: dict) -> dict | None:
    """The audit.gate_results row bound to the release's rows (same fingerprint), if recorded."""
    if not settings.warehouse_path.is_file():
        return None
    with connect(settings.warehouse_path, read_only=True) as connection:
        if not has_table(connection, "audit", "gate_results"):
            return None
        row = connection.execute(
            "select passed, checked_at, summary from audit.gate_results where mart = ? and year = ? "
            "and mart_fingerprint = ? order by checked_at desc limit 1",
            [MART_COMMUNE_YEAR, year, manifest.get("fingerprint")]).fetchone()
    return None if row is None else {"passed": row[0], "checked_at": str(row[1]), "summary": row[2]}



def _reconciliation(settings: Settings, year: int, manifest: dict,
                    communes: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Report figure against recomputed, as far as the release may show it, and whether the
    warehouse's rows of the year are still those of the release (same fingerprint)."""
    columns = ["indicator_code", "structure_code", "commune", "unit", "published_value",
               "recomputed_value", "difference", "status", "withheld"]
    if not settings.warehouse_path.is_file():
        return pd.DataFrame(columns=columns), False
    with connect(settings.warehouse_path, read_only=True) as connection:
        if not has_table(connection, "marts", "mart_reconciliation"):
            return pd.DataFrame(columns=columns), False
    internal = read_year(settings.warehouse_path, MART_RECONCILIATION, year)
    current = {name: read_year(settings.warehouse_path, table, year) for name, table in PUBLISHED_MARTS.items()}
    in_sync = combined_fingerprint(current) == manifest.get("fingerprint")
    # Column-wise, not row by row: a national year has ~400 k reconciliation rows.
    is_total = internal["is_total"].fillna(False).astype(bool)
    keyed = internal.assign(commune_key=_commune_key(internal["commune_insee"], is_total))
    # one printed value per key: set_axis fails loudly rather than misalign rows on a fan-out
    shown = keyed.merge(_visible_recomputed(communes), how="left",
                        on=["structure_code", "commune_key", "indicator_code"])["shown"].set_axis(internal.index)
    withheld = shown.isna().to_numpy()
    frame = pd.DataFrame({
        "indicator_code": internal["indicator_code"], "structure_code": internal["structure_code"],
        "commune": internal["commune_name"].astype(object).where(~is_total, "Total"),
        "unit": internal["unit"], "published_value": internal["published_value"],
        "recomputed_value": shown.astype(object).where(~withheld, None),
        "difference": internal["difference"].astype(object).where(~withheld, None),
        "status": internal["status"].astype(object).where(~withheld, "withheld"),
        "withheld": withheld}, columns=columns)
    order = {"mismatch": 0, "match": 1, "withheld": 2}
    frame = frame.sort_values(["status", "indicator_code", "structure_code", "commune"],
                              key=lambda s: s.map(order).fillna(1) if s.name == "status" else s)
    return frame.reset_index(drop=True), in_sync


_TOTAL, _NO_COMMUNE = "\x00total", "\x00none"  # commune keys that are never INSEE codes


def _commune_key(commune_insee: pd.Series, is_total: pd.Series) -> pd.Series:
    """The join key of a row's commune: its INSEE code, _TOTAL for a stated total."""
    return commune_insee.astype(object).fillna(_NO_COMMUNE).where(~is_total, _TOTAL)


def _visible_recomputed(communes: pd.DataFrame) -> pd.DataFrame:
    """The recomputed values the release prints: structure_code, commune_key (INSEE code, or
    _TOTAL for the stated total), indicator_code, shown; suppressed cells are absent."""
    columns = [column for column in communes.columns if column.endswith("_recomputed")]
    if communes.empty or not columns:
        return pd.DataFrame({"structure_code": pd.Series(dtype=object), "commune_key": pd.Series(dtype=object),
                             "indicator_code": pd.Series(dtype=object), "shown": pd.Series(dtype=float)})
    is_total = (communes["is_stated_total"].fillna(False).astype(bool) if "is_stated_total" in communes
                else pd.Series(False, index=communes.index))
    keys = pd.DataFrame({"structure_code": communes["structure_code"].astype(object),
                         "commune_key": _commune_key(communes["commune_insee"], is_total)})
    long = pd.concat([keys, communes[columns]], axis=1).melt(
        id_vars=["structure_code", "commune_key"], var_name="indicator_code", value_name="shown")
    long = long[long["shown"].notna()]
    return long.assign(indicator_code=long["indicator_code"].str.removesuffix("_recomputed"),
                       shown=long["shown"].astype(float))


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _withheld(marts: dict[str, pd.DataFrame], reconciliation: pd.DataFrame,
              threshold: int | None) -> list[dict]:
    """What the release does not show, and why."""
    below = "below the suppression threshold" + (f" ({threshold})" if threshold else "")
    rows = []
    recomputed = marts["mart_commune_year_recomputed"]
    if "suppressed_indicators" in recomputed:
        cells = int(recomputed["suppressed_indicators"].map(_length).sum())
        rows.append({"what": "mart_commune_year_recomputed (and the _recomputed columns of "
                             "mart_commune_year): recomputed cells", "count": cells,
                     "why": f"counts {below}, and cells that would let them be recovered from a total"})
    outcomes = marts["mart_outcomes_by_profile"]
    if "is_suppressed" in outcomes:
        rows.append({"what": "mart_outcomes_by_profile: profile × outcome rows",
                     "count": int(outcomes["is_suppressed"].fillna(False).astype(bool).sum()),
                     "why": f"youths or outcomes {below} (primary), or recoverable (secondary)"})
    rows.append({"what": "mart_reconciliation (internal): reconciliation rows whose recomputed value "
                         "is not printed here", "count": int(reconciliation["withheld"].sum()),
                 "why": "the public marts withhold that recomputed value; exact values stay in the warehouse"})
    rows.append({"what": "I-MILO individual records", "count": None,
                 "why": "never published: only pseudonymised keys reach the warehouse, and only "
                        "aggregates leave it"})
    return rows


def _length(value: object) -> int:
    return 0 if value is None or isinstance(value, float) else len(value)


def _trends(published_dir: Path, headlines: list[str]) -> pd.DataFrame:
    """Stated totals of the headline indicators in every year's current release."""
    rows = []
    for year_dir in sorted(published_dir.iterdir()) if published_dir.is_dir() else []:
        path = year_dir / CURRENT / "mart_commune_year.parquet"
        if not (year_dir.name.isdigit() and path.is_file()):
            continue
        frame = pd.read_parquet(path)
        totals = frame[frame["is_stated_total"].fillna(False).astype(bool)] if "is_stated_total" in frame else frame
        for indicator in headlines:
            if indicator not in totals:
                continue
            for structure, value in totals.groupby("structure_code")[indicator].sum(min_count=1).items():
                if not _missing(value):
                    rows.append({"year": int(year_dir.name), "structure_code": structure,
                                 "indicator": indicator, "value": float(value)})
    return pd.DataFrame(rows, columns=["year", "structure_code", "indicator", "value"])
