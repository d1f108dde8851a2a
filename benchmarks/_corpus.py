"""A corpus of synthetic activity-report PDFs for the benchmarks, and small shared helpers."""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sample_inputs import generate_figures, render_pdf, sample_filename

# Editions the sample generator can print; a corpus cycles through them, then through seeds.
YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024)


def editions(count: int, first_seed: int = 1) -> list[tuple[int, int]]:
    """`count` distinct (year, seed) pairs: 2019..2024 with seed 1, then with seed 2, ..."""
    return [(YEARS[i % len(YEARS)], first_seed + i // len(YEARS)) for i in range(count)]


def describe(pairs: list[tuple[int, int]]) -> str:
    years = sorted({year for year, _ in pairs})
    seeds = sorted({seed for _, seed in pairs})
    span = lambda values: str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}"
    return f"edition years {span(years)}, seed{'s' if len(seeds) > 1 else ''} {span(seeds)}"


def render_corpus(out_dir: Path, count: int) -> list[Path]:
    """Render `count` sample PDFs into `out_dir`; one file per (year, seed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for year, seed in editions(count):
        name = sample_filename(year, "pdf").replace(".pdf", f"_seed{seed}.pdf")
        paths.append(render_pdf(generate_figures(year, seed), out_dir / name))
    return paths


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine_line() -> str:
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 0
    return (f"{datetime.now():%Y-%m-%d %H:%M}  {platform.system()} {platform.machine()}  "
            f"{cpus} CPU(s) available  Python {platform.python_version()}")


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table, first column left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(row) for row in rows)])


@contextlib.contextmanager
def output_to(log_path: Path | None) -> Iterator[None]:
    """Send this process's stdout/stderr (and its children's: dbt) to `log_path`; None: leave them."""
    if log_path is None:
        yield
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def error_lines(log_path: Path, count: int = 20) -> list[str]:
    """The last error lines of a captured Dagster/dbt output (the last lines if none says
    "error"), without stack frames, each cut to 300 characters."""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    errors = [line for line in lines if "error" in line.lower() and "Stack Trace" not in line
              and not line.lstrip().startswith(("File ", "raise ", "^"))]
    return [line[:300] for line in (errors or lines)[-count:]]
