"""What one sync of one tenant passes to every loader call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class SyncContext:
    """tenant_id: the organization whose data is being written (every write and every cleanup
    is bound to it); sync_id: unique per sync run, stamped on every element written;
    now_ms: the sync's clock in epoch milliseconds, for firstseen/lastupdated;
    history: whether the writes and cleanups record change history (ingest/graph/changes.py):
    false on an organization's first sync, the baseline."""

    tenant_id: str
    sync_id: str
    now_ms: int
    history: bool = False

    def __post_init__(self) -> None:
        for name in ("tenant_id", "sync_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"SyncContext.{name} must be a non-empty string, got {value!r}")
        if not isinstance(self.now_ms, int) or isinstance(self.now_ms, bool):
            raise ValueError(f"SyncContext.now_ms must be an int (epoch ms), got {self.now_ms!r}")

    @property
    def at(self) -> str:
        """The sync's clock as an RFC 3339 string (UTC, milliseconds)."""
        moment = datetime.fromtimestamp(self.now_ms / 1000, UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class CleanupResult:
    nodes_deleted: int = 0
    rels_deleted: int = 0
    removed_ids: tuple[str, ...] = ()  # keys of the deleted nodes

    def __add__(self, other: CleanupResult) -> CleanupResult:
        return CleanupResult(
            self.nodes_deleted + other.nodes_deleted,
            self.rels_deleted + other.rels_deleted,
            self.removed_ids + other.removed_ids,
        )
