"""How `make test` spreads the suite over pytest-xdist workers (`-n 2 --dist loadscope`).

A unit of work is a test module, or several modules that read what one session fixture built
(one pipeline run, one dbt build): a unit runs whole on one worker, so that work is done once.
The longest units are handed out first, so that a worker never starts a long unit while the
other is about to finish; the order below is measured (`--durations`), not a correctness
matter: any order gives the same results.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from xdist.scheduler import LoadScopeScheduling

# Modules that share a session fixture -> the unit they run in.
SHARED_FIXTURE_UNITS = {
    # mno_2023_published: one full run of the 2023 report
    "test_pipeline.py": "mno_2023_published",
    "test_audit_page.py": "mno_2023_published",
    "test_release_bi.py": "mno_2023_published",
    "test_release_readers.py": "mno_2023_published",
    "test_trace_exports.py": "mno_2023_published",
    "test_column_lineage.py": "mno_2023_published",
    # export_marts_built: one dbt build of the hand-made export rows
    "test_dbt_export_marts.py": "export_marts_built",
    "test_dbt_export_reconciliation.py": "export_marts_built",
    "test_dbt_export_gate.py": "export_marts_built",
    # sample_export: the I-MILO export of the synthetic 2023 report
    "test_imilo_export_format.py": "sample_export",
    "test_imilo_export_calibration.py": "sample_export",
}

# Units that take longest (full pipeline runs, dbt builds), longest first; the others follow in
# collection order.
LONGEST_UNITS = (
    "mno_2023_published",
    "test_pipeline_reruns.py",
    "test_faults_run.py",
    "test_corpus_warehouse.py",
    "test_review_loop.py",
    "test_exports_years.py",
    "test_dbt_project.py",
    "test_run_progress.py",
    "test_fast_path.py",
    "test_exports_only_year.py",
    "export_marts_built",
    "test_dim_youth_rebuild.py",
    "test_dbt_docs.py",
    "test_fuzz_inputs.py",
)


def unit_of(nodeid: str) -> str:
    """The unit a test runs in: its module's shared-fixture unit, else its module."""
    module = nodeid.split("::", 1)[0]
    return SHARED_FIXTURE_UNITS.get(PurePosixPath(module).name, module)


def rank_of(unit: str) -> int:
    name = PurePosixPath(unit).name
    return LONGEST_UNITS.index(name) if name in LONGEST_UNITS else len(LONGEST_UNITS)


class SharedFixtureScheduling(LoadScopeScheduling):
    """xdist's loadscope, with units as above, the longest handed out first."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node) -> None:
        longest = min(self.workqueue, key=rank_of)
        self.workqueue.move_to_end(longest, last=False)
        super()._assign_work_unit(node)
