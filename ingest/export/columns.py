"""What an export writes for each declared node and relationship type, and how values are typed.

Every format writes exactly the declared columns: the key `id`, the declared properties and the
ones the loader adds (`tenant_id` on tenant-scoped nodes, `firstseen`, `lastupdated`, `sync_id`).
Values are checked against their declared type here, once, for all formats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ingest.graph.schema import (
    KEY,
    NODE_SYSTEM_PROPS,
    REL_SYSTEM_PROPS,
    TENANT_ID,
    NodeType,
    PropType,
    RelType,
)


class ExportError(Exception):
    """The graph holds something an export cannot represent faithfully."""


@dataclass(frozen=True)
class Column:
    name: str
    type: PropType


def node_columns(node: NodeType) -> tuple[Column, ...]:
    system = [p for p in NODE_SYSTEM_PROPS if node.tenant_scoped or p.name != TENANT_ID]
    return (
        Column(KEY, "string"),
        *(Column(p.name, p.type) for p in node.properties),
        *(Column(p.name, p.type) for p in system),
    )


def rel_columns(rel: RelType) -> tuple[Column, ...]:
    return tuple(Column(p.name, p.type) for p in (*rel.properties, *REL_SYSTEM_PROPS))


def identity(key: str, tenant: str | None) -> str:
    """A node's id within its provider label: keys are unique per organization (tenant), and
    one API id can belong to several organizations (docs/graph-model.md)."""
    return key if tenant is None else f"{tenant}:{key}"


def element_id(label: str, key: str, tenant: str | None = None) -> str:
    """An id unique across labels and organizations."""
    return f"{label}:{identity(key, tenant)}"


def typed_value(value: Any, column: Column, owner: str) -> Any:
    """The value as its declared type (None stays None); anything else is an ExportError."""
    if value is None:
        return None
    kind = column.type
    if kind in ("string", "datetime_string") and isinstance(value, str):
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind == "string_list" and isinstance(value, list) and all(isinstance(i, str) for i in value):
        return value
    raise ExportError(
        f"{owner}.{column.name}: declared {kind}, found {type(value).__name__} {value!r:.80}"
    )


def float_text(value: float) -> str:
    """A float as text that Java's Double.parseDouble and Python's float() both read back."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)
