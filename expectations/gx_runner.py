"""Great Expectations plumbing: run a list of expectations over an in-memory pandas frame.

The context is ephemeral (nothing is written into the repository) and built once per
process; each named frame gets its own dataframe asset so that results say which frame
they were computed on. GX's SQL datasources are deliberately not used (broken on DuckDB):
callers read the warehouse into pandas first.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass, field
from functools import cache
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402  (analytics must be off before the import)
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

DATASOURCE = "frames"
BATCH_DEFINITION = "whole_frame"
MAX_EXAMPLES = 5

# GX contexts are not thread-safe; a gate run is short, so runs are simply serialised.
_LOCK = threading.Lock()


@dataclass
class FrameCheck:
    """Expectations to run on one named frame.

    `id_columns` identify an offending row in the report (e.g. structure_code, indicator);
    with `rows_are_unexpected`, a failed table-level expectation (e.g. "no row") lists the
    frame's rows themselves as the examples. A check that is not `blocking` is a warning: its
    failures are recorded with their evidence but do not stop the year.
    """

    frame_name: str
    frame: pd.DataFrame
    expectations: list[gx.expectations.Expectation]
    id_columns: list[str] = field(default_factory=list)
    rows_are_unexpected: bool = False
    blocking: bool = True


@cache
def _context() -> Any:
    """The process-wide ephemeral context, silent (no progress bars)."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas(name=DATASOURCE)
    return context


def _batch_definition(frame_name: str) -> Any:
    """The whole-dataframe batch definition of the asset named after the frame (created once)."""
    datasource = _context().data_sources.get(DATASOURCE)
    try:
        asset = datasource.get_asset(frame_name)
    except LookupError:
        asset = datasource.add_dataframe_asset(name=frame_name)
        return asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    return asset.get_batch_definition(BATCH_DEFINITION)


def run_frame_check(check: FrameCheck) -> list[dict]:
    """Validate one frame; one short JSON-serialisable record per expectation."""
    suite = gx.ExpectationSuite(name=f"{check.frame_name}_suite", expectations=list(check.expectations))
    result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
    present_ids = [c for c in check.id_columns if c in check.frame.columns]
    if present_ids and len(check.frame):
        result_format["unexpected_index_column_names"] = present_ids
    with _LOCK:
        batch = _batch_definition(check.frame_name).get_batch(batch_parameters={"dataframe": check.frame})
        validation = batch.validate(suite, result_format=result_format)
    return [_record(check, r) for r in validation.results]


def _record(check: FrameCheck, result: Any) -> dict:
    config = result.expectation_config
    details = result.result or {}
    kwargs = {k: v for k, v in config.kwargs.items() if k in ("column", "column_A", "column_B", "column_list")}
    record: dict[str, Any] = {
        "name": (config.meta or {}).get("name", config.type),
        "success": bool(result.success),
        "blocking": check.blocking,
        "frame": check.frame_name,
        "expectation": config.type,
        **_plain(kwargs),
        "description": config.description,
    }
    for key in ("observed_value", "unexpected_count", "partial_missing_list"):
        if details.get(key) is not None:
            record[key] = _plain(details[key])
    if details.get("unexpected_count"):
        examples = details.get("partial_unexpected_index_list") or details.get("partial_unexpected_list") or []
        record["unexpected_examples"] = _plain(examples[:MAX_EXAMPLES])
    if not result.success and check.rows_are_unexpected and len(check.frame):
        record["unexpected_examples"] = _plain(check.frame.head(MAX_EXAMPLES).to_dict(orient="records"))
    exception = result.exception_info or {}
    if exception.get("raised_exception"):
        record["error"] = str(exception.get("exception_message"))[:300]
    return record


def _plain(value: Any) -> Any:
    """numpy / pandas scalars and NaN turned into plain JSON values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _plain(value.tolist())
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value
