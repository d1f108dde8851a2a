"""Which part of the load job a run needs: the inputs that changed, and what they reach.

Adding an export folder (a new year) used to run the whole load job: a step per document and
per export folder already landed, the nine seeds, every staging model and dimension and their
~85 dbt tests (each a Dagster asset check), although only the I-MILO rows and what is built
from them can change. The load now materialises the assets of the inputs that are new or changed
since the last successful load, and everything downstream of them in the load job (Dagster's
asset graph, dbt's lineage included): the rest is as that load left it.

It runs whole when nothing can be compared: no earlier load recorded, the code changed
(extractors, dbt project, gate, orchestration), an input was removed (its rows are dropped),
the I-MILO reference or the pseudonymisation key changed (every export is checked against the
one and hashed with the other again); and with `--force`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from dagster import AssetKey, AssetSelection, JobDefinition

from orchestration.assets.documents import document_asset_key
from orchestration.assets.exports import export_asset_key
from orchestration.fast_path import KEY_INPUT, REFERENCE_INPUT, export_input
from orchestration.settings import Settings

# The step under which audit.build_inputs keeps each input's hash at the last successful load.
LOAD_INPUTS_STEP = "load inputs"


def changed_inputs(previous: str | None, current: str) -> set[str] | None:
    """Inputs new or changed between two load states (build_inputs.load_state); None when the
    load must run whole."""
    if previous is None:
        return None
    try:
        before, now = json.loads(previous), json.loads(current)
    except ValueError:
        return None
    if before.get("code") != now["code"]:
        return None
    old, new = before.get("inputs", {}), now["inputs"]
    if set(old) - set(new):
        return None  # a removed input: its rows go, with everything built from them
    changed = {name for name, content in new.items() if old.get(name) != content}
    if any(name.startswith(REFERENCE_INPUT) or name == KEY_INPUT for name in changed):
        return None  # every export is checked against the reference, hashed with the key
    return changed


def input_asset_keys(settings: Settings) -> dict[str, AssetKey]:
    """The asset that ingests each input, by the input's name in the load state."""
    documents = {str(path): document_asset_key(path) for path in settings.document_paths()}
    exports = {export_input(folder): export_asset_key(folder)
               for folder in settings.imilo_export_folders()}
    return {**documents, **exports}


def assets_reached(job: JobDefinition, inputs: Iterable[AssetKey]) -> list[AssetKey]:
    """`inputs` and every asset of `job` downstream of them. An asset computed together with
    others (a multi-asset that cannot run in part) brings them too, and what they reach."""
    graph = job.asset_layer.asset_graph
    in_job = set(job.asset_layer.selected_asset_keys)
    selected: set[AssetKey] = set()
    frontier = set(inputs) & in_job
    while frontier - selected:
        reached = AssetSelection.assets(*frontier).downstream().resolve(graph) & in_job
        selected |= reached
        frontier = selected | {sibling for key in selected
                               for sibling in _computed_with(job, key) if sibling in in_job}
    return sorted(selected, key=lambda key: key.to_user_string())


def _computed_with(job: JobDefinition, key: AssetKey) -> set[AssetKey]:
    assets = job.asset_layer.asset_graph.get(key).assets_def
    return set() if assets.can_subset else set(assets.keys)


def load_selection(settings: Settings, job: JobDefinition, previous: str | None,
                   current: str) -> list[AssetKey] | None:
    """The assets a load must materialise; None for all of them."""
    changed = changed_inputs(previous, current)
    if changed is None:
        return None
    keys = input_asset_keys(settings)
    return assets_reached(job, (keys[name] for name in changed if name in keys)) or None


def describe(selection: list[AssetKey] | None, settings: Settings) -> str | None:
    """One line for the run's progress when only part of the load ran."""
    if selection is None:
        return None
    inputs = [key.path[-1] for key in input_asset_keys(settings).values() if key in selection]
    return (f"load: only what changed since the last load ({', '.join(inputs) or 'no input'}) "
            f"and what it reaches: {len(selection)} assets")

