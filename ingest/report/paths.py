"""Recognising paths in query results, to draw them.

A path reaches the report as a list that alternates nodes and relationships, from the start:
`[node, rel, node, ..., node]`. The runner turns a Cypher path into exactly that (nodes as
`{"labels", "properties"}`, relationships as `{"type", ...}`); a query may also build its own
hop list with nodes as `{"kind", "name"}` dicts or "Kind:name" strings and relationships as
type strings.
"""

from __future__ import annotations

from typing import Any

from ingest.graph.model import MODEL
from ingest.report.model import PathDrawing, PathNode

PROVIDER_LABELS: frozenset[str] = frozenset(node.label for node in MODEL.nodes)
NAME_PROPERTIES: tuple[str, ...] = ("name", "email", "display_name", "user_name", "action", "id")


def path_column(columns: list[str], rows: list[dict[str, Any]]) -> str | None:
    """The first column holding a path: Cypher paths first, then hand-made hop lists."""
    for strict in (True, False):
        for column in columns:
            if any(as_path(row.get(column), strict) is not None for row in rows):
                return column
    return None


def as_path(value: Any, strict: bool = False) -> PathDrawing | None:
    """`value` as a drawing when it is a path; `strict`: only paths as the runner returns them."""
    if not isinstance(value, list) or len(value) < 3 or len(value) % 2 == 0:
        return None
    if strict and not all(isinstance(item, dict) and "labels" in item for item in value[0::2]):
        return None
    nodes = [_node(item) for item in value[0::2]]
    rels = [_rel(item) for item in value[1::2]]
    if any(node is None for node in nodes) or any(rel is None for rel in rels):
        return None
    return PathDrawing(nodes=tuple(n for n in nodes if n), rels=tuple(r for r in rels if r))


def node_kind(labels: list[str]) -> str:
    """The provider label without its "Anthropic" prefix: User, Role, ScimUser..."""
    label = next((lab for lab in labels if lab in PROVIDER_LABELS), labels[0] if labels else "")
    return label.removeprefix("Anthropic")


def node_name(properties: dict[str, Any]) -> str:
    for key in NAME_PROPERTIES:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value)
    return "?"


def _node(item: Any) -> PathNode | None:
    if isinstance(item, dict) and isinstance(item.get("labels"), list):
        properties = item.get("properties") or {}
        return PathNode(kind=node_kind(item["labels"]), name=node_name(properties))
    if isinstance(item, dict) and "name" in item and ("kind" in item or "label" in item):
        kind = str(item.get("kind") or item.get("label") or "")
        return PathNode(kind=kind.removeprefix("Anthropic"), name=str(item["name"]))
    if isinstance(item, str) and not _is_rel_type(item):
        kind, sep, name = item.partition(":")
        return PathNode(kind=kind.removeprefix("Anthropic"), name=name) if sep else None
    return None


def _rel(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("type"), str) and "labels" not in item:
        return item["type"]
    if isinstance(item, str) and _is_rel_type(item):
        return item
    return None


def _is_rel_type(text: str) -> bool:
    return bool(text) and text.replace("_", "").isalnum() and text.upper() == text
