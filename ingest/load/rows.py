"""Turning caller rows into statement parameters: validation and completion.

Every declared property is present in every row sent (missing ones as None) so that writing it
removes a property that disappeared from the source. Undeclared names are refused, naming the
type, because a typo would otherwise silently never reach the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ingest.graph.schema import CONTENT_HASH, NodeType, RelType

Row = dict[str, Any]
Hashed = tuple[int, Mapping[str, Any]]  # (content hash, row)


class UndeclaredPropertyError(ValueError):
    """A row carries a property the declaration does not know."""


class MissingKeyError(ValueError):
    """A row lacks its key (node id, or relationship start/end)."""


def check_node_rows(node: NodeType, rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The rows, every one checked (undeclared names, missing key) before any is written."""
    return _checked(
        rows,
        frozenset((node.key, *node.property_names)),
        f"node type {node.name!r} ({node.label})",
        node.key,
        lambda row: row.get(node.key) is not None,
    )


def check_rel_rows(rel: RelType, rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return _checked(
        rows,
        frozenset(("start", "end", *rel.property_names)),
        f"relationship {rel.pattern}",
        "start/end",
        lambda row: "start" in row and "end" in row,
    )


def completed(names: Iterable[str], items: Iterable[Hashed], *, stamped: bool) -> list[Row]:
    """Checked rows as sent: every declared property present (None when absent) and, when
    `stamped`, the content hash the next sync compares with."""
    template = dict.fromkeys(names)
    shaped: list[Row] = []
    for chash, row in items:
        if not stamped and isinstance(row, dict) and row.keys() >= template.keys():
            shaped.append(row)  # complete as it is: sent as given, never changed
            continue
        full = template.copy()
        full.update(row)
        if stamped:
            full[CONTENT_HASH] = chash
        shaped.append(full)
    return shaped


def _checked(
    rows: Iterable[Mapping[str, Any]],
    allowed: frozenset[str],
    owner: str,
    key: str,
    has_key: Callable[[Mapping[str, Any]], bool],
) -> list[Mapping[str, Any]]:
    checked = []
    for row in rows:
        if not allowed.issuperset(row.keys()):
            raise _undeclared(owner, row, allowed, key)
        if not has_key(row):
            raise MissingKeyError(f"{owner}: row without {key}: {row!r}")
        checked.append(row)
    return checked


def _undeclared(
    owner: str, row: Mapping[str, Any], allowed: frozenset[str], key: str
) -> UndeclaredPropertyError:
    unknown = sorted(set(row.keys()) - allowed, key=str)
    declared = sorted(allowed)
    return UndeclaredPropertyError(
        f"{owner}: undeclared properties {unknown}; declared: {declared} "
        f"(keys: {key}; declare new properties in the graph model)"
    )
