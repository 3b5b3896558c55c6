"""Change history around a sync: whether it records any (an organization's first sync is the
baseline), and the retention that removes old change records and sync runs, in batches."""

from __future__ import annotations

from ingest.graph import changes
from ingest.graph.model import ORGANIZATION, SYNC_RUN
from ingest.graph.schema import FIRSTSEEN, TENANT_ID, quote
from ingest.load.loader import GraphLoader

DAY_MS = 86_400_000
PRUNE_BATCH = 5_000

_SYNCED_BEFORE = (
    f"MATCH (o:{quote(ORGANIZATION.label)} {{{TENANT_ID}: $tenant_id, id: $tenant_id}})\n"
    "RETURN count(o) > 0 AS synced"
)
# Change records by when they were seen; sync runs by when they were written.
_PRUNED = (
    changes.prune(changes.CHANGE_LABEL, "at_epoch_ms"),
    changes.prune(SYNC_RUN.label, FIRSTSEEN),
)


def records_history(loader: GraphLoader, tenant_id: str) -> bool:
    """Whether a sync of the organization records change history: when history is kept and
    the organization was synced before. A first sync records no per-element "created" flood:
    the graph it writes is the baseline later changes are measured from."""
    if loader.history_days == 0:
        return False
    records = loader.read(_SYNCED_BEFORE, {"tenant_id": tenant_id})
    return bool(records[0]["synced"])


def prune_history(loader: GraphLoader, tenant_id: str, now_ms: int) -> int:
    """Deletes the organization's change records and sync runs older than the retention, a
    batch per transaction; returns how many. Nothing when history is not kept."""
    if loader.history_days == 0:
        return 0
    params = {
        "tenant_id": tenant_id,
        "cutoff": now_ms - loader.history_days * DAY_MS,
        "limit": PRUNE_BATCH,
    }
    deleted = 0
    for query in _PRUNED:
        while True:
            batch = int(loader.write(query, params)[0]["deleted"])
            deleted += batch
            if batch < PRUNE_BATCH:
                break
    return deleted
