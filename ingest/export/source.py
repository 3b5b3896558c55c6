"""Streaming reads of the declared graph from Neo4j: one READ transaction, records fetched in
batches of `fetch_size`, one query at a time (never the whole graph in memory)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from neo4j import READ_ACCESS, Driver, Transaction

from ingest.export.columns import Column, node_columns, rel_columns, typed_value
from ingest.graph.schema import KEY, TENANT_ID, NodeType, RelType, quote

FETCH_SIZE = 1_000  # records per fetch
REL_CHUNK = 100  # relationships per record at most (so the driver buffers <= 100 x fetch_size)


@dataclass(frozen=True)
class NodeRow:
    labels: list[str]
    values: dict[str, Any]  # declared column -> typed value (None when absent)

    @property
    def key(self) -> str:
        return self.values[KEY]

    @property
    def tenant(self) -> str | None:
        return self.values.get(TENANT_ID)


@dataclass(frozen=True)
class RelRow:
    start: str
    end: str
    values: dict[str, Any]
    # The endpoints' organizations (None for a type that is not tenant-scoped).
    start_tenant: str | None = None
    end_tenant: str | None = None


@dataclass
class GraphReader:
    """Reads one type at a time. Consume each iterator before starting the next: the driver
    buffers an unfinished result in memory when the transaction runs another query."""

    tx: Transaction
    # "<owner>.<property>" of properties found in the graph but not declared (not exported).
    undeclared: set[str] = field(default_factory=set)

    def nodes(self, node: NodeType) -> Iterator[NodeRow]:
        columns = node_columns(node)
        query = (
            f"MATCH (n:{quote(node.label)}) RETURN labels(n) AS labels, properties(n) AS props "
            f"ORDER BY n.{quote(KEY)}, n.{TENANT_ID}"
        )
        for record in self.tx.run(query):
            values = self._values(record["props"], columns, node.label)
            yield NodeRow(sorted(record["labels"]), values)

    def rels(self, rel: RelType) -> Iterator[RelRow]:
        # One record per start node and REL_CHUNK relationships: a record per relationship
        # costs the driver about three times as much.
        columns = rel_columns(rel)
        query = (
            f"MATCH (a:{quote(rel.start.label)}) CALL (a) {{ "
            f"MATCH (a)-[r:{quote(rel.type)}]->(b:{quote(rel.end.label)}) "
            f"WITH collect([b.{quote(KEY)}, b.{TENANT_ID}, properties(r)]) AS ends "
            "UNWIND range(0, size(ends) - 1, $chunk) AS i RETURN ends[i..i + $chunk] AS ends } "
            f"RETURN a.{quote(KEY)} AS start, a.{TENANT_ID} AS tenant, ends"
        )
        for record in self.tx.run(query, chunk=REL_CHUNK):
            start, tenant = record["start"], record["tenant"]
            for end, end_tenant, props in record["ends"]:
                values = self._values(props, columns, rel.pattern)
                yield RelRow(start, end, values, tenant, end_tenant)

    def _values(self, props: dict[str, Any], columns: tuple[Column, ...], owner: str) -> dict:
        values = {c.name: typed_value(props.get(c.name), c, owner) for c in columns}
        if len(props) > sum(v is not None for v in values.values()):
            self.undeclared.update(f"{owner}.{name}" for name in props.keys() - values.keys())
        return values


@contextmanager
def read_graph(
    driver: Driver, database: str, fetch_size: int = FETCH_SIZE
) -> Iterator[GraphReader]:
    """A reader over one read transaction, so every type is read from the same transaction."""
    with (
        driver.session(
            database=database, default_access_mode=READ_ACCESS, fetch_size=fetch_size
        ) as session,
        session.begin_transaction() as tx,
    ):
        yield GraphReader(tx)
