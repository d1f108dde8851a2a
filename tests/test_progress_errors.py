"""`mlw run` prints a run's errors in one line each, without Dagster's stack traces, and not at
all for a gate that failed (the year's line says so). Real Dagster runs of small assets."""

from __future__ import annotations

import io

import pytest
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    DagsterInstance,
    asset,
    asset_check,
    materialize,
)

from orchestration.progress import GATE_CHECK, RUN_CONFIG, Progress
from orchestration.settings import Settings


@asset
def broken_asset() -> None:
    raise ValueError("the export folder /data/x is not readable\nsecond line of detail")


@asset
def gated_mart() -> int:
    return 1


@asset_check(asset=gated_mart, name=GATE_CHECK, blocking=True)
def failing_gate() -> AssetCheckResult:
    return AssetCheckResult(passed=False, severity=AssetCheckSeverity.ERROR)


@asset(deps=[gated_mart])
def published_mart() -> None:
    """Downstream of the gate: not run when it fails."""


@pytest.fixture
def instance(tmp_path):
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with DagsterInstance.local_temp(tempdir=str(tmp_path)) as dagster_instance:
        yield dagster_instance


def _printed(tmp_path, instance, assets, checks=()) -> tuple[str, str]:
    result = materialize([*assets, *checks], instance=instance, raise_on_error=False, run_config=RUN_CONFIG)
    stream = io.StringIO()
    progress = Progress(Settings(warehouse_path=tmp_path / "warehouse.duckdb", input_paths=()), instance, stream)
    progress._warnings(result.run_id)
    return stream.getvalue(), result.run_id


def test_an_error_is_one_line_with_its_message_and_no_stack_trace(tmp_path, instance, capsys):
    printed, _ = _printed(tmp_path, instance, [broken_asset])
    errors = [line for line in printed.splitlines() if line.startswith("  error: ")]
    assert any(line.startswith("  error: broken_asset: ") and "the export folder /data/x is not readable"
               in line for line in errors), printed
    assert "Stack Trace" not in printed + capsys.readouterr().err and "second line" not in printed


def test_a_failed_gate_is_not_printed_as_an_error(tmp_path, instance, capsys):
    printed, _ = _printed(tmp_path, instance, [gated_mart, published_mart], [failing_gate])
    assert "error:" not in printed, printed
    assert "Stack Trace" not in capsys.readouterr().err
