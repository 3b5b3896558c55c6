"""Rows for the loader, grouped by declared node and relationship type."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ingest.graph.schema import NodeType, RelType


@dataclass
class GraphRows:
    """What one family maps to: node rows per node type, relationship rows per rel type.

    Insertion order is load order: nodes first, then relationships (whose endpoints must exist).
    """

    nodes: dict[NodeType, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[RelType, list[dict[str, Any]]] = field(default_factory=dict)

    def node(self, node_type: NodeType, row: dict[str, Any]) -> None:
        for twin, name in node_type.millis_pairs:
            row[twin] = epoch_millis(row.get(name))
        self.nodes.setdefault(node_type, []).append(row)

    def rel(self, rel_type: RelType, start: str, end: str, **props: Any) -> None:
        self.rels.setdefault(rel_type, []).append({"start": start, "end": end, **props})

    def merge(self, other: GraphRows) -> None:
        for node_type, rows in other.nodes.items():
            self.nodes.setdefault(node_type, []).extend(rows)
        for rel_type, rows in other.rels.items():
            self.rels.setdefault(rel_type, []).extend(rows)

    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    def rel_count(self) -> int:
        return sum(len(rows) for rows in self.rels.values())

    def iter_nodes(self) -> Iterator[tuple[NodeType, list[dict[str, Any]]]]:
        return iter(self.nodes.items())

    def iter_rels(self) -> Iterator[tuple[RelType, list[dict[str, Any]]]]:
        return iter(self.rels.items())


def timestamp(value: datetime | None) -> str | None:
    """RFC 3339 with microseconds and Z, the API's own spelling."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def epoch_millis(value: str | None) -> int | None:
    """An RFC 3339 timestamp as milliseconds since the epoch (UTC when it names no offset);
    None for None or a string that is not a timestamp."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def text(value: object) -> str | None:
    """Enum members and strings as plain strings (unknown enum values arrive as str)."""
    if value is None:
        return None
    return str(getattr(value, "value", value))
