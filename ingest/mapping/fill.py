"""The generic part of mapping: copy every property a node type declares a `source` for.

Values are converted as the graph stores them: datetimes to RFC 3339 strings (`timestamp`),
enum members to their value (`text`); a None anywhere along a path gives None. The mapper adds
the key and the derived properties.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from ingest.graph.schema import NodeType
from ingest.graph.sources import holds_enum, source_arms
from ingest.mapping.rows import text, timestamp

Reader = Callable[[Any], Any]


class RecordFill:
    """`fill(record, id=..., derived=...)`: a node type's row from one of its records."""

    def __init__(self, node_type: NodeType) -> None:
        record = node_type.record
        sourced = [(p.name, p.type, p.source) for p in node_type.properties if p.source]
        if record is None:
            if sourced:
                raise ValueError(f"node type {node_type.name!r} declares sources but no record")
            self._readers: tuple[tuple[str, Reader], ...] = ()
            return
        self._readers = tuple(
            (name, _reader(source, _conversion(prop_type, source_arms(record, source))))
            for name, prop_type, source in sourced
        )

    def __call__(self, record: Any, /, **derived: Any) -> dict[str, Any]:
        row = {name: read(record) for name, read in self._readers}
        row.update(derived)
        return row


def _conversion(prop_type: str, arms: tuple[Any, ...]) -> Callable[[Any], Any] | None:
    if prop_type == "datetime_string":
        return timestamp
    if holds_enum(arms):
        return text
    return None


def _reader(path: str, convert: Callable[[Any], Any] | None) -> Reader:
    steps = path.split(".")
    if len(steps) == 1:
        get = attrgetter(path)
        if convert is None:
            return get
        return lambda record: convert(get(record))

    def read(record: Any) -> Any:
        value = record
        for step in steps:
            value = getattr(value, step)
            if value is None:
                return None
        return value if convert is None else convert(value)

    return read
