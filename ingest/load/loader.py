"""Writes declared node and relationship types into Neo4j, idempotently, in batches.

The loader knows Neo4j and the declaration machinery, nothing about the data source: what to write
comes from a GraphModel (by default the project's declaration in ingest/graph/model.py).

Writes are incremental: before the sync's first write of a type, the loader reads what the
tenant has of it (key, content hash or a relationship's declared properties, internal id;
ingest/load/snapshot.py). Rows whose content did not change are skipped, new relationships are
CREATEd, the rest MERGEd. `load_*` is `prepare_*` (Python: checks, hashes, batches) followed
by `execute` (Neo4j), so a caller can prepare the next rows while the previous ones are written.
On a cluster or Aura the snapshot reads go to any member, and the bookmarks shared by all of the
loader's transactions make that member wait until it holds the writes before them.

Deletion happens in one place only, `cleanup(family, ctx)`, and the caller must call it only after
that family's extraction completed: anything of the family that no row of this sync named is
then known to be gone from the source. A family that failed or was partly read is simply not
cleaned, so its previous state stays in the graph.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity, RoutingControl
from neo4j.api import BookmarkManager
from neo4j.exceptions import TransientError

from ingest.batching import batched
from ingest.graph import cypher
from ingest.graph.schema import TRUNCATED, GraphModel, NodeType, RelType
from ingest.load import lanes
from ingest.load.context import CleanupResult, SyncContext
from ingest.load.limits import cut_node_row, cut_rel_row
from ingest.load.rows import Hashed, check_node_rows, check_rel_rows, completed
from ingest.load.snapshot import Snapshot, Verdict, content_hash, values_hash

# Measured with bench/loader_bench.py --sweep (docs/performance.md, "## Loader").
DEFAULT_BATCH_SIZE = 5_000
# Transactions written side by side, on rows split so they never share a node
# (ingest/load/lanes.py). Measured in docs/performance.md, "Sync" (13.7k -> 21.6k rels/s).
DEFAULT_LANES = 2
CLEANUP_BATCH_ROWS = 5_000
# IDGRAPH_HISTORY_RETENTION_DAYS' default.
DEFAULT_HISTORY_DAYS = 90
# A query and its parameters, ready to run.
Statement = tuple[str, dict[str, Any]]
# Rounds of lanes of statements: a round's lanes run side by side, rounds one after another.
Prepared = list[list[list[Statement]]]

# Elements per record of a snapshot read (≈200 bytes each while in the client).
SNAPSHOT_CHUNK = 20_000
# Times a snapshot read is tried when Neo4j answers with a transient error.
SNAPSHOT_ATTEMPTS = 3


@dataclass(frozen=True)
class SnapshotMissed:
    """A snapshot read ahead that failed: `element` names the type, read again when needed."""

    element: str
    error: Exception


class GraphLoader:
    def __init__(
        self,
        driver: Driver,
        database: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        *,
        lanes: int = DEFAULT_LANES,
        model: GraphModel | None = None,
        bookmarks: BookmarkManager | None = None,
        history_days: int = DEFAULT_HISTORY_DAYS,
    ) -> None:
        """bookmarks: shared by every transaction the loader runs (default: its own manager);
        history_days: how long a sync keeps change records and sync runs (0: records none and
        removes none; ingest/load/history.py)."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        if lanes < 1:
            raise ValueError(f"lanes must be positive, got {lanes}")
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.lanes = lanes
        if history_days < 0:
            raise ValueError(f"history_days must not be negative, got {history_days}")
        self.history_days = history_days
        self.model = model if model is not None else _declared_model()
        # On a cluster a read may reach a member that has not applied our last write yet: the
        # snapshot reads (what is unchanged, what is gone) wait for the writes' bookmarks.
        self.bookmarks = bookmarks if bookmarks is not None else GraphDatabase.bookmark_manager()
        self._node_queries = {n: cypher.node_merge(n) for n in self.model.nodes}
        self._rel_queries = {r: _RelStatements(cypher.rel_merge, r) for r in self.model.rels}
        self._rel_creates = {r: _RelStatements(cypher.rel_create, r) for r in self.model.rels}
        # What the tenant had of each type when the sync in progress first wrote it.
        self._snapshots: dict[NodeType | RelType, Snapshot | None] = {}
        self._snapshots_sync: str | None = None
        # (node type, key, names) of every node whose indexed values were cut, until taken.
        self._truncated: list[tuple[NodeType, Any, tuple[str, ...]]] = []

    def ensure_schema(self) -> None:
        """Create every constraint and index of the model; harmless to run again."""
        for statement in cypher.schema_statements(self.model):
            self.write(statement.cypher, {})
        self.write("CALL db.awaitIndexes(300)", {})

    def load_nodes(
        self, node_type: NodeType, rows: Iterable[Mapping[str, Any]], ctx: SyncContext
    ) -> int:
        """MERGE nodes by key, skipping those whose content did not change since they were
        last written; returns how many were written.

        Every row is validated before anything is written. A write that fails part-way leaves
        some batches written: treat the family as incomplete (no cleanup) when this raises."""
        return self.execute(self.prepare_nodes(node_type, rows, ctx))

    def load_rels(
        self, rel_type: RelType, rows: Iterable[Mapping[str, Any]], ctx: SyncContext
    ) -> int:
        """Write relationships between existing nodes, rows {"start": key, "end": key, **props}:
        CREATE the new ones, MERGE the changed ones, skip the unchanged ones. Returns how many
        were written (rows whose endpoints do not exist write nothing)."""
        return self.execute(self.prepare_rels(rel_type, rows, ctx))

    def prepare_nodes(
        self, node_type: NodeType, rows: Iterable[Mapping[str, Any]], ctx: SyncContext
    ) -> Prepared:
        """load_nodes without the writing: the statements to `execute`, in order. Prepared
        writes must be executed in the order they were prepared (the snapshot already counts
        them as written)."""
        node = self._declared_node(node_type)
        checked = [self._fitted(node, row) for row in check_node_rows(node, rows)]
        salt = _salt(node, ctx)
        pending = [(content_hash(node.property_names, row, salt), row) for row in checked]
        snapshot = self._snapshot(node, ctx)
        if snapshot is not None:
            pending = [
                (chash, row)
                for chash, row in pending
                if snapshot.verdict(row[node.key], chash) is not Verdict.UNCHANGED
            ]
        rounds = lanes.node_rounds(
            pending, lambda item: item[1][node.key], self._lanes_for(pending)
        )
        query = self._node_queries[node]
        names = (*node.property_names, TRUNCATED)  # a flag no longer true is removed
        return self._statements(lambda _batch: (query, {}), names, rounds, ctx, stamped=True)

    def prepare_rels(
        self, rel_type: RelType, rows: Iterable[Mapping[str, Any]], ctx: SyncContext
    ) -> Prepared:
        """load_rels without the writing (see prepare_nodes)."""
        rel = self._declared_rel(rel_type)
        checked = [cut_rel_row(row) for row in check_rel_rows(rel, rows)]
        snapshot = self._snapshot(rel, ctx)
        assert snapshot is not None  # relationships always start at a tenant's node
        new: list[Hashed] = []
        merged: list[Hashed] = []
        names = rel.property_names
        for row in checked:
            chash = values_hash(tuple(map(row.get, names)))
            verdict = snapshot.verdict((row["start"], row["end"]), chash)
            if verdict is Verdict.NEW:
                new.append((chash, row))
            elif verdict is not Verdict.UNCHANGED:
                merged.append((chash, row))
        created = lanes.rel_rounds(new, _ends, self._lanes_for(new))
        changed = lanes.rel_rounds(merged, _ends, self._lanes_for(merged))
        return self._statements(
            self._rel_creates[rel], names, created, ctx, stamped=False
        ) + self._statements(self._rel_queries[rel], names, changed, ctx, stamped=False)

    def take_truncated(self) -> list[tuple[NodeType, Any, tuple[str, ...]]]:
        """(node type, key as written, property names) of the nodes whose indexed values were
        cut to fit an index since the last call."""
        taken, self._truncated = self._truncated, []
        return taken

    def _fitted(self, node: NodeType, row: Mapping[str, Any]) -> Mapping[str, Any]:
        fitted, names = cut_node_row(node, row)
        if names:
            self._truncated.append((node, fitted[node.key], names))
        return fitted

    def execute(self, prepared: Prepared) -> int:
        """Runs prepared statements, a round at a time (its lanes side by side); returns how
        many elements they wrote."""

        def run(lane: list[Statement]) -> int:
            return sum(self.write(query, params)[0]["written"] for query, params in lane)

        written = 0
        for lane_group in prepared:
            if len(lane_group) == 1:
                written += run(lane_group[0])
                continue
            with ThreadPoolExecutor(len(lane_group), thread_name_prefix="neo4j-lane") as pool:
                written += sum(pool.map(run, lane_group))
        return written

    def read_snapshots(self, families: Iterable[str], ctx: SyncContext) -> list[SnapshotMissed]:
        """Reads now the snapshots of the families' types not read yet. A snapshot is what the
        tenant held before this sync wrote any element of its type, whenever it is read; read
        while the writer waits for paced reads, it is not read (nor planned) at the cleanup.
        Call it on the thread that prepares writes, the one that reads snapshots otherwise.

        Best effort: a type whose read fails is left unread and returned, and is read again
        where it is needed (before its first write, or at its cleanup), where a failure counts."""
        missed: list[SnapshotMissed] = []
        for family in families:
            for element in (*self.model.rels_in(family), *self.model.nodes_in(family)):
                try:
                    self._snapshot(element, ctx)
                except Exception as exc:
                    name = element.label if isinstance(element, NodeType) else element.pattern
                    missed.append(SnapshotMissed(name, exc))
        return missed

    def _snapshot(self, element: NodeType | RelType, ctx: SyncContext) -> Snapshot | None:
        """Read once per sync and type, before its first write or its cleanup (None: not
        tenant-scoped)."""
        if self._snapshots_sync != ctx.sync_id:
            # A transaction on the writer returns a bookmark covering every commit so far, of
            # any process: the snapshot reads then see at least what earlier syncs wrote.
            self.write("RETURN 1 AS anchored", {})
            self._snapshots, self._snapshots_sync = {}, ctx.sync_id
        if element not in self._snapshots:
            self._snapshots[element] = self._read_snapshot_retried(element, ctx)
        return self._snapshots[element]

    def _read_snapshot_retried(
        self, element: NodeType | RelType, ctx: SyncContext
    ) -> Snapshot | None:
        """The read runs in a session of its own (to stream chunks), so the driver does not
        retry it as it does managed transactions: a read that Neo4j calls outdated (data it
        read was changed by the concurrent writes; seen in CI on a first sync) is read again."""
        for attempt in range(SNAPSHOT_ATTEMPTS):
            try:
                return self._read_snapshot(element, ctx)
            except TransientError:
                if attempt + 1 == SNAPSHOT_ATTEMPTS:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def _read_snapshot(self, element: NodeType | RelType, ctx: SyncContext) -> Snapshot | None:
        if isinstance(element, NodeType):
            if not element.tenant_scoped:
                return None
            query = cypher.node_snapshot(element)
        else:
            query = cypher.rel_snapshot(element)
        with self.driver.session(
            database=self.database,
            default_access_mode="READ",
            bookmark_manager=self.bookmarks,
            fetch_size=1,  # one chunk in the client at a time
            # A session's filter replaces the driver's, so it says OFF again: id() is deprecated
            # in favour of elementId(), whose strings would cost a large organization tens of
            # megabytes here, and a first sync reads types that do not exist yet. Neither
            # warning is the user's business.
            notifications_min_severity=NotificationMinimumSeverity.OFF,
        ) as session:
            chunks = session.run(query, {"tenant_id": ctx.tenant_id, "chunk": SNAPSHOT_CHUNK})
            if isinstance(element, NodeType):
                return Snapshot(_node_elements(chunks))
            return Snapshot(_rel_elements(chunks, bool(element.property_names)))

    def _lanes_for(self, items: list[Hashed]) -> int:
        """One lane for what fits one batch: splitting it would only add transactions."""
        return self.lanes if len(items) > self.batch_size else 1

    def _statements(
        self,
        query: Callable[[list[Hashed]], tuple[str, dict[str, Any]]],
        names: tuple[str, ...],
        rounds: list[lanes.Round[Hashed]],
        ctx: SyncContext,
        *,
        stamped: bool,
    ) -> Prepared:
        prepared: Prepared = []
        for groups in rounds:
            lane_group = [
                [
                    _statement(query(batch), completed(names, batch, stamped=stamped), ctx)
                    for batch in batched(group, self.batch_size)
                ]
                for group in groups
                if group
            ]
            if lane_group:
                prepared.append(lane_group)
        return prepared

    def cleanup(self, family: str, ctx: SyncContext) -> CleanupResult:
        """Delete the tenant's elements of `family` that no row of the current sync named.

        Call it ONLY when the family's extraction was complete; nothing else deletes. It never
        reaches another tenant: every statement matches tenant_id.
        """
        if family in self.model.never_cleaned:
            raise ValueError(f"family {family!r} is never cleaned up")
        result = CleanupResult()
        # Relationships first, so the counts say which family's relationships went.
        for rel in self.model.rels_in(family):
            result += self._delete_gone(rel, cypher.rel_delete(rel), ctx)
        for node in self.model.nodes_in(family):
            if node.tenant_scoped:
                result += self._delete_gone(node, cypher.node_delete(node), ctx)
        return result

    def _delete_gone(
        self, element: NodeType | RelType, query: str, ctx: SyncContext
    ) -> CleanupResult:
        """A type the sync never wrote is read now: all of the tenant's elements of it are gone."""
        snapshot = self._snapshot(element, ctx)
        assert snapshot is not None  # only tenant-scoped types are cleaned
        result = CleanupResult()
        for ids in batched(snapshot.take_gone(), CLEANUP_BATCH_ROWS):
            records, summary, _ = self.driver.execute_query(
                query,
                _params(ids, ctx, "ids"),
                database_=self.database,
                routing_=RoutingControl.WRITE,
                bookmark_manager_=self.bookmarks,
            )
            counters = summary.counters
            removed = tuple(str(record["removed_id"]) for record in records)
            result += CleanupResult(counters.nodes_deleted, counters.relationships_deleted, removed)
        return result

    def read(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """One read of the graph, after every write this loader made (its bookmarks)."""
        return self._run(query, params, RoutingControl.READ)

    def write(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """One write transaction, ordered after every other this loader made."""
        return self._run(query, params, RoutingControl.WRITE)

    def _run(
        self, query: str, params: dict[str, Any], routing: RoutingControl
    ) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(
            query,
            params,
            database_=self.database,
            routing_=routing,
            bookmark_manager_=self.bookmarks,
        )
        return [r.data() for r in records]

    def _declared_node(self, node_type: NodeType) -> NodeType:
        if node_type not in self._node_queries:
            raise ValueError(f"node type {node_type.name!r} is not declared in the model")
        return node_type

    def _declared_rel(self, rel_type: RelType) -> RelType:
        if rel_type not in self._rel_queries:
            raise ValueError(f"relationship {rel_type.pattern} is not declared in the model")
        return rel_type


def _node_elements(chunks: Iterable[Any]) -> Iterator[tuple[Any, int, int]]:
    """(key, content hash, internal id) of every node in the snapshot's chunks."""
    for chunk in chunks:
        yield from zip(chunk["keys"], chunk["hashes"], chunk["ids"], strict=True)


def _rel_elements(chunks: Iterable[Any], with_contents: bool) -> Iterator[tuple[Any, int, int]]:
    """((start, end), content hash, internal id) of every relationship in the snapshot's
    chunks, the hash computed from the declared properties as they are in the graph."""
    for chunk in chunks:
        ends = zip(chunk["starts"], chunk["ends"], strict=True)
        ids = chunk["ids"]
        contents = chunk["contents"] if with_contents else repeat((), len(ids))
        yield from zip(ends, map(values_hash, contents), ids, strict=True)


def _ends(item: Hashed) -> tuple[Any, Any]:
    return item[1]["start"], item[1]["end"]


def _salt(node: NodeType, ctx: SyncContext) -> str:
    """The tenant in the hash, as when nodes were keyed by id alone (and shared by tenants):
    nodes are per tenant now, and keeping it spares every graph a full rewrite on upgrade."""
    return ctx.tenant_id if node.tenant_scoped else ""


class _RelStatements:
    """A relationship type's statement for a batch: the one-start form when every row of the
    batch has the same start (ingest/graph/cypher.py says why), the per-row form otherwise."""

    def __init__(self, statement: Callable[..., str], rel: RelType) -> None:
        self.per_row = statement(rel)
        self.one_start = statement(rel, one_start=True)

    def __call__(self, batch: list[Hashed]) -> tuple[str, dict[str, Any]]:
        starts = {row["start"] for _, row in batch}
        if len(starts) == 1 and len(batch) > 1:
            return self.one_start, {"start": starts.pop()}
        return self.per_row, {}


def _statement(query: tuple[str, dict[str, Any]], rows: list[Any], ctx: SyncContext) -> Statement:
    text, extra = query
    return text, {**_params(rows, ctx), **extra}


def _params(batch: list[Any], ctx: SyncContext, key: str = "rows") -> dict[str, Any]:
    return {
        key: batch,
        "now": ctx.now_ms,
        "sync_id": ctx.sync_id,
        "tenant_id": ctx.tenant_id,
        "history": ctx.history,
        "at": ctx.at,
    }


def _declared_model() -> GraphModel:
    from ingest.graph.model import MODEL

    return MODEL
