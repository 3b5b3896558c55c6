"""The mapper of a family that derives nothing: each record becomes one node, every property
copied from the record as its declaration says (`source=`), and the node's organization edge."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ingest.graph.schema import NodeType, RelType
from ingest.mapping.fill import RecordFill
from ingest.mapping.rows import GraphRows

Mapper = Callable[[str, Iterable[Any]], GraphRows]


def as_declared(node_type: NodeType, resource: RelType | None = None) -> Mapper:
    """`(org_id, records) -> rows` for `node_type`; `resource` is the relationship from the
    organization to the node, when the model declares one."""
    fill = RecordFill(node_type)
    key = node_type.key

    def map_as_declared(org_id: str, records: Iterable[Any]) -> GraphRows:
        rows = GraphRows()
        for record in records:
            node_id = getattr(record, key)
            rows.node(node_type, fill(record, **{key: node_id}))
            if resource is not None:
                rows.rel(resource, org_id, node_id)
        return rows

    return map_as_declared
