"""Synthetic I-MILO exports (docs/imilo_export_format.md), calibrated to a report's figures.

    write_export(out_dir, figures, year, seed, encoding="utf-8") -> ExportSummary
    figures_from_report(ReportFigures) / figures_from_facts(facts) / ExportFigures.from_mapping
    write_national_export(out_dir, year, seed, ...) -> ExportSummary   (about 1.1 M youths)

The rules that recompute the report's indicators from an export are in recompute.md beside this
file; `python -m sample_inputs.imilo OUT_DIR --year 2023 --seed 1 [--from-report PATH | --sample]
[--national] [--encoding cp1252]` writes one.
"""

from sample_inputs.imilo.export_figures import (
           ExportFigures,
           figures_from_facts,
           figures_from_report,
)
from sample_inputs.imilo.generate import ExportSummary, write_export
from sample_inputs.imilo.national import write_national_export

__all__ = ["ExportFigures", "ExportSummary", "figures_from_facts", "figures_from_report",
           "write_export", "write_national_export"]
