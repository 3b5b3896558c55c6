"""BloodHound OpenGraph JSON, streamed element by element; each node and edge is built and
validated with the `bhopengraph` library before it is written.

What is exported, for pathfinding:
- every identity and resource node, with kinds = its provider label prefixed `Anthropic` (so
  `ScimUser` is `AnthropicScimUser`) and SOURCE_KIND, and id "<provider label>:<id>" (ids are
  only unique per label in the graph); cartography's semantic labels (`UserAccount`, `APIKey`)
  are left out: unprefixed, they would merge with other sources' nodes in BloodHound;
- the declared relationships, kinds prefixed the same way (`HAS_ROLE` is `AnthropicHasRole`),
  matched by id, each with `traversable` from the declaration: containment and authorship
  (CONTAINS, CREATED_BY, OWNED_BY, OWNS) are false, because holding a workspace or having
  made a key gives no control of it (federation's TRUSTED_BY and CAN_ASSUME are true: a
  trusted issuer's tokens act as the service account); path-finding must walk only
  `traversable` edges;
- RESOURCE (organization -> everything it owns) is kept: nothing points into the organization,
  so it adds no false path between principals, and it attaches every node to its tenant (no
  isolated nodes; the same role as AZContains or GitHound's GH_Contains).
- SyncRun nodes and SYNCED are left out: they are the audit trail of the syncs, not identities
  or resources, and no privilege flows through them; so are the activity nodes and
  ACTIVITY_OF (observations about identities, no path), and the remediation actions and
  ACTED_ON (the audit trail of `idgraph remediate`).
Properties are the declared ones, without nulls: strings, numbers, booleans, lists of strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from bhopengraph import Edge, Node, Properties

from ingest.export.columns import ExportError, element_id
from ingest.export.source import GraphReader
from ingest.graph.model import ACTIVITY_NODES, CHANGE, REMEDIATION_ACTION
from ingest.graph.schema import GraphModel, NodeType, RelType

SOURCE_KIND = "Anthropic"
# Audit trails (sync runs, change records, remediation actions) and activity are not identities
# or edges of control: an attack-path tool gets neither.
SKIPPED_NODE_LABELS: frozenset[str] = frozenset(
    {"SyncRun", CHANGE.label, REMEDIATION_ACTION.label, *(n.label for n in ACTIVITY_NODES)}
)
SKIPPED_REL_TYPES: frozenset[str] = frozenset({"SYNCED", "ACTIVITY_OF", "ACTED_ON"})


def exported_nodes(model: GraphModel) -> tuple[NodeType, ...]:
    return tuple(n for n in model.nodes if n.label not in SKIPPED_NODE_LABELS)


def exported_rels(model: GraphModel) -> tuple[RelType, ...]:
    kept = set(exported_nodes(model))
    return tuple(
        r
        for r in model.rels
        if r.type not in SKIPPED_REL_TYPES and r.start in kept and r.end in kept
    )


def kind(name: str) -> str:
    """A BloodHound kind that cannot collide with another source's: `Anthropic` + CamelCase."""
    if name.startswith(SOURCE_KIND):
        return name
    if name.isupper():
        name = "".join(part.capitalize() for part in name.split("_"))
    return SOURCE_KIND + name


def node_kinds(provider_label: str) -> list[str]:
    """The provider kind first (BloodHound draws the icon of the first kind)."""
    return [kind(provider_label), SOURCE_KIND]


def write_opengraph(reader: GraphReader, model: GraphModel, path: Path) -> tuple[int, int]:
    """Writes {"metadata": ..., "graph": {"nodes": [...], "edges": [...]}}; returns counts."""
    with path.open("w", encoding="utf-8") as stream:
        metadata = json.dumps({"source_kind": SOURCE_KIND})
        stream.write(f'{{"metadata": {metadata}, "graph": {{\n"nodes": [\n')
        nodes = _write_items(stream, _nodes(reader, model))
        stream.write('],\n"edges": [\n')
        edges = _write_items(stream, _edges(reader, model))
        stream.write("]}}\n")
    return nodes, edges


def _write_items(stream: TextIO, items: Iterator[dict[str, Any]]) -> int:
    count = 0
    for item in items:
        if count:
            stream.write(",\n")
        stream.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        count += 1
    if count:
        stream.write("\n")
    return count


def _nodes(reader: GraphReader, model: GraphModel) -> Iterator[dict[str, Any]]:
    for node_type in exported_nodes(model):
        for row in reader.nodes(node_type):
            node = Node(
                element_id(node_type.label, row.key, row.tenant),
                node_kinds(node_type.label),
                _properties(row.values),
            )
            yield _checked(node.validate(), node.id, node.to_dict())


def _edges(reader: GraphReader, model: GraphModel) -> Iterator[dict[str, Any]]:
    for rel in exported_rels(model):
        for row in reader.rels(rel):
            edge = Edge(
                element_id(rel.start.label, row.start, row.start_tenant),
                element_id(rel.end.label, row.end, row.end_tenant),
                kind(rel.type),
                _properties({**row.values, "traversable": rel.traversable}),
            )
            yield _checked(edge.validate(), edge.get_unique_id(), edge.to_dict())


def _properties(values: dict[str, Any]) -> Properties:
    return Properties(**{k: v for k, v in values.items() if v is not None})


def _checked(validation: tuple[bool, list[str]], what: str, item: dict[str, Any]) -> dict[str, Any]:
    valid, errors = validation
    if not valid:
        raise ExportError(f"OpenGraph {what}: {'; '.join(errors)}")
    return item
