"""`mlw run` prints progress, not dbt: a real run of the 2023 report through the command line.

dbt's ~1,500 lines go to warehouse/logs/dbt.log, which the summary names; the console has one
line for the load and one per year, each warning once, and a second run says what it kept.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import DEMO_EXPORTS_FOLDER, SHARED_CORPUS
from sample_inputs.demo import ensure_demo_export

DBT_LINE = re.compile(r"^\d+ of \d+ (START|OK|PASS|WARN|ERROR)|Running with dbt=|Done\. PASS=|"
                      r"Registered adapter|Found \d+ models")
PROGRESS = re.compile(r"^\[\s*\d+\.\ds\] (?P<step>load|\d{4}): ")


def _mlw_run(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MLW_WAREHOUSE": str(root / "warehouse" / "warehouse.duckdb"),
           "MLW_INPUTS": str(root / "inputs"), "DAGSTER_HOME": str(root / "dagster_home"), "MLW_DEMO": "1"}
    env.pop("MLW_PSEUDONYMISATION_KEY", None)
    return subprocess.run([str(Path(sys.executable).parent / "mlw"), "run"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    from tests.conftest import MNO_2023

    if not MNO_2023.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    root = tmp_path_factory.mktemp("mlw_run_progress")
    (root / "inputs").mkdir()
    (root / "dagster_home").mkdir()
    (root / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    shutil.copy(MNO_2023, root / "inputs" / "report.txt")
    ensure_demo_export(root / "warehouse" / DEMO_EXPORTS_FOLDER, SHARED_CORPUS)  # as `make run` does
    return _mlw_run(root), _mlw_run(root)


def test_stdout_has_progress_lines_and_no_dbt_output(two_runs):
    first, _ = two_runs
    assert first.returncode == 0, first.stdout + first.stderr
    print(first.stdout)  # shown by pytest when an assertion fails
    lines = first.stdout.splitlines()
    assert not [line for line in lines + first.stderr.splitlines() if DBT_LINE.search(line)]
    steps = [match["step"] for line in lines if (match := PROGRESS.match(line))]
    published = sorted(re.findall(r"^Published (\d{4}): ", first.stdout, re.MULTILINE))
    assert published and "2023" in published
    assert steps.count("load") == 1
    assert sorted(step for step in steps if step != "load") == published  # one line per year
    year_line = next(line for line in lines if PROGRESS.match(line) and "] 2023: " in line)
    assert re.search(r"\d+ dbt models, \d+ tests; gate passed \(\d+ expectations", year_line)
    assert "published " in year_line and ".audit.html" in year_line


def test_summary_names_the_dbt_log_which_holds_dbt_output(two_runs):
    first, _ = two_runs
    named = re.search(r"^dbt's output: (.+)$", first.stdout, re.MULTILINE)
    assert named, first.stdout
    log = Path(named[1]).read_text(encoding="utf-8")
    assert "Running with dbt=" in log and re.search(r"^\d+ of \d+ START sql", log, re.MULTILINE)
    assert "(MLW_BUILD_YEAR=2023)" in log  # the header of the year's dbt command names its year


def test_each_warning_is_printed_once(two_runs):
    first, _ = two_runs
    warnings = [line for line in first.stdout.splitlines() if line.startswith("  warning: ")]
    assert any("demo pseudonymisation key" in line for line in warnings)  # MLW_DEMO=1 warns
    assert len(warnings) == len(set(warnings))
    assert "demo pseudonymisation key" not in first.stderr  # not again through Dagster's console


def test_second_run_says_what_it_kept(two_runs):
    """Nothing changed: the re-run decides from digests (orchestration/fast_path.py), without
    Dagster or dbt, and names the release it keeps."""
    first, second = two_runs
    assert second.returncode == 0, second.stdout + second.stderr
    kept = re.search(r"^2023: unchanged: release (\S+) kept", second.stdout, re.MULTILINE)
    assert kept, second.stdout
    assert Path(kept[1]).is_dir() and Path(kept[1]).name in first.stdout
    assert not [line for line in second.stdout.splitlines() if DBT_LINE.search(line)]


def test_dbt_parses_the_project_once_per_warehouse(two_runs):
    """Every dbt command of a warehouse shares one target folder and the year goes through the
    environment (orchestration/dbt_invocation.py): the year's build reuses the parse of the
    commands before it, as dbt's own debug log says (with the year in `--vars`, dbt re-parsed
    the whole project for every year)."""
    first, _ = two_runs
    target = Path(re.search(r"^dbt's output: (.+)$", first.stdout, re.MULTILINE)[1]).parent.parent / "dbt_target"
    parses = []  # (command, how dbt parsed it), in order
    for log in sorted(target.glob("dbt.log*"), reverse=True):  # dbt.log.2, dbt.log.1, dbt.log
        for line in log.read_text(encoding="utf-8").splitlines():
            if not line.startswith("{"):  # `dbt docs generate` logs text, the builds JSON
                continue
            event = json.loads(line)
            message = event["info"]["msg"]
            if "running dbt with arguments" in message:
                parses.append([event["data"]["args"]["invocation_command"], "full"])
            elif message.startswith("Partial parsing enabled, no changes found"):
                parses[-1][1] = "reused"
    annual_builds = [parse for command, parse in parses if "--select tag:annual" in command]
    assert annual_builds and all(parse == "reused" for parse in annual_builds), parses
