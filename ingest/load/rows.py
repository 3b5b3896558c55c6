"""Turning caller rows into statement parameters: batching, validation, completion.

Every declared property is present in every row sent (missing ones as None) so that writing it
removes a property that disappeared from the source. Undeclared names are refused, naming the
type, because a typo would otherwise silently never reach the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from ingest.graph.schema import CONTENT_HASH, NodeType, RelType
from ingest.load.snapshot import content_hash

Row = dict[str, Any]


class UndeclaredPropertyError(ValueError):
    """A row carries a property the declaration does not know."""


class MissingKeyError(ValueError):
    """A row lacks its key (node id, or relationship start/end)."""


def batched(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    if size < 1:
        raise ValueError(f"batch size must be positive, got {size}")
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def check_node_rows(node: NodeType, rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The rows, every one checked (undeclared names, missing key) before any is written."""
    allowed = frozenset((node.key, *node.property_names))
    checked = []
    for row in rows:
        if not allowed.issuperset(row.keys()):
            raise _undeclared(f"node type {node.name!r} ({node.label})", row, allowed, node.key)
        if row.get(node.key) is None:
            raise MissingKeyError(f"node type {node.name!r}: row without {node.key!r}: {row!r}")
        checked.append(row)
    return checked


def check_rel_rows(rel: RelType, rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    allowed = frozenset(("start", "end", *rel.property_names))
    checked = []
    for row in rows:
        if not allowed.issuperset(row.keys()):
            raise _undeclared(f"relationship {rel.pattern}", row, allowed, "start/end")
        if "start" not in row or "end" not in row:
            raise MissingKeyError(f"relationship {rel.pattern}: row without start or end: {row!r}")
        checked.append(row)
    return checked


def completed(names: Iterable[str], rows: Iterable[Mapping[str, Any]], salt: str = "") -> list[Row]:
    """Checked rows with every declared property present (None when absent) and the content
    hash the next sync compares with, as sent."""
    names = tuple(names)
    template = dict.fromkeys(names)
    shaped = []
    for row in rows:
        full = template.copy()
        full.update(row)
        full[CONTENT_HASH] = content_hash(names, row, salt)
        shaped.append(full)
    return shaped


def _undeclared(
    owner: str, row: Mapping[str, Any], allowed: frozenset[str], key: str
) -> UndeclaredPropertyError:
    unknown = sorted(set(row.keys()) - allowed, key=str)
    declared = sorted(allowed)
    return UndeclaredPropertyError(
        f"{owner}: undeclared properties {unknown}; declared: {declared} "
        f"(keys: {key}; declare new properties in the graph model)"
    )
