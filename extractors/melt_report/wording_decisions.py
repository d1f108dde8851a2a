"""A reviewer's decision on a key figure no wording covers: its printed clause is the wording.

`mlw review accept ID --as INDICATOR` (or the suggestion) on such a figure writes the clause,
its number replaced by `{INDICATOR}`, as a wording of the figure's edition and section into
`<curation>/<year>/melt_activity_report.yaml`, in the mapping file's own shape. The next run
reads the figure as that indicator; the mapping file of the package is not changed.
"""

from __future__ import annotations

from pathlib import Path

from extractors import curation
from extractors.catalogue import load_catalogue
from extractors.melt_report.key_figures import KEY_FIGURES
from extractors.melt_report.report_mapping import MAPPING_FILE


def is_key_figure(table: str | None) -> bool:
    """Whether a review item is a key figure that a wording decision settles."""
    return (table or "").startswith(KEY_FIGURES + "@")


def record_wording(clause: str, value_text: str, table: str, code: str, year: int,
                   folder: Path | None = None) -> Path:
    """Write the decision; ValueError when the code or the clause cannot make a wording."""
    if code not in load_catalogue():
        raise ValueError(f"{code!r} is not an indicator of the catalogue (extractors/catalogue/)")
    if value_text not in clause:
        raise ValueError(f"the figure {value_text!r} is not printed in its clause {clause!r}")
    entry = {"wording": clause.replace(value_text, "{" + code + "}", 1)}
    if section := table.partition("@")[2]:
        entry["section"] = section
    return curation.record_entry(MAPPING_FILE.stem, ("editions", year, "figures"), entry,
                                 lambda known: known.get("wording") == entry["wording"], year, folder)
