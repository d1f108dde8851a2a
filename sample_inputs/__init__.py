"""Synthetic Mission Locale activity reports, so the pipeline runs without the real corpus.

`python -m sample_inputs OUT_DIR [--seed N]` writes the ML MNO sample editions (2022 as a
PDF, 2023 as a text layer); `generate_figures` gives the figures they print, the expected
answer of any extraction: the commune tables (`tables`, `totals`) and every breakdown table
kind of the mapping files (`breakdown_tables`, `breakdowns`, `breakdown_totals`).
"""

from __future__ import annotations

from pathlib import Path

from sample_inputs.breakdown_mappings import breakdown_specs
from sample_inputs.breakdowns import BreakdownSpec, BreakdownTable
from sample_inputs.report_figures import (
    DEFAULT_SEED,
    CommuneTableSpec,
    ReportFigures,
    generate_figures,
    table_specs,
    territory,
)
from sample_inputs.render import render_pdf, render_text, write_edition

# (year, format) of each sample edition: one of each format, so both readers are exercised,
# and one file per edition, so the pipeline never sees the same edition twice.
SAMPLE_EDITIONS: tuple[tuple[int, str], ...] = ((2022, "pdf"), (2023, "txt"))


def sample_filename(year: int, fmt: str) -> str:
    return f"sample_ml_mno_rapport_{year}.{fmt}"


def write_samples(out_dir: str | Path, seed: int = DEFAULT_SEED,
                  editions: tuple[tuple[int, str], ...] = SAMPLE_EDITIONS) -> list[Path]:
    """Write the sample editions into `out_dir` (created if needed); return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_edition(generate_figures(year, seed), out_dir / sample_filename(year, fmt))
            for year, fmt in editions]


__all__ = [
    "DEFAULT_SEED", "SAMPLE_EDITIONS", "BreakdownSpec", "BreakdownTable", "CommuneTableSpec",
    "ReportFigures", "breakdown_specs", "generate_figures", "render_pdf", "render_text",
    "sample_filename", "table_specs", "territory", "write_edition", "write_samples",
]
