"""OpenLineage run events for every materialisation, in a local JSON Lines file.

After each Dagster run, `emit_run_lineage` writes, per materialised asset, a START and a
COMPLETE (or FAIL) event: job = the asset, run = the Dagster run, inputs = its upstream assets,
outputs = the asset itself, as datasets of the namespace `mlw://<warehouse file>`. Any
OpenLineage consumer (Marquez, OpenMetadata...) can load warehouse/lineage/openlineage.jsonl.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from dagster import AssetKey, DagsterEventType, DagsterInstance, Definitions, EventRecordsFilter
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.transport.file import FileConfig, FileTransport

from orchestration.settings import Settings

PRODUCER = "https://github.com/missions-locales-warehouse/missions-locales-warehouse"
JOB_NAMESPACE = "missions-locales-warehouse"


def lineage_file(settings: Settings):
    return settings.warehouse_dir / "lineage" / "openlineage.jsonl"


def emit_run_lineage(settings: Settings, instance: DagsterInstance, defs: Definitions,
                     run_id: str, succeeded: bool) -> int:
    """Write the events of one Dagster run; returns how many were written."""
    records = instance.get_event_records(
        EventRecordsFilter(event_type=DagsterEventType.ASSET_MATERIALIZATION), limit=10_000)
    materialised = [r.event_log_entry for r in records if r.event_log_entry.run_id == run_id]
    if not materialised:
        return 0
    path = lineage_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    client = OpenLineageClient(transport=FileTransport(FileConfig(log_file_path=str(path), append=True)))
    graph = defs.resolve_asset_graph()
    namespace = f"mlw://{settings.warehouse_path}"
    count = 0
    for entry in materialised:
        key: AssetKey = entry.dagster_event.asset_key
        name = "/".join(key.path)
        upstream = sorted("/".join(k.path) for k in graph.get(key).parent_keys) if graph.has(key) else []
        run = Run(runId=str(uuid.uuid5(uuid.UUID(run_id), name)))
        job = Job(namespace=JOB_NAMESPACE, name=name)
        inputs = [InputDataset(namespace=namespace, name=parent) for parent in upstream]
        outputs = [OutputDataset(namespace=namespace, name=name)]
        started = datetime.fromtimestamp(entry.timestamp, timezone.utc).isoformat()
        for state, when in ((RunState.START, started),
                            (RunState.COMPLETE if succeeded else RunState.FAIL, started)):
            client.emit(RunEvent(eventType=state, eventTime=when, producer=PRODUCER, run=run,
                                 job=job, inputs=inputs, outputs=outputs))
            count += 1
    return count
