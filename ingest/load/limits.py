"""Values a Neo4j index can hold: an indexed property or key too large for it is cut, and flagged.

A RANGE index entry (and so a uniqueness constraint's) is limited to about 8 kB; one larger value
fails its whole batch, and every later sync with it. Which properties are indexed comes from the
declaration (`NodeType.indexed_names`); their values are cut to MAX_INDEXED_BYTES of UTF-8 with
a hash of the full value appended, so two long values that share a beginning stay two keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ingest.graph.schema import TRUNCATED, NodeType

# Half of Neo4j 5's limit: room for the rest of a composite entry and for encoding overhead.
MAX_INDEXED_BYTES = 4_000
_HASH_CHARS = 16
_CUT_MARK = "…sha256:"
# A string of at most this many characters fits whatever they are (4 UTF-8 bytes at most each).
_ALWAYS_FITS = MAX_INDEXED_BYTES // 4


def fits(value: Any) -> bool:
    if not isinstance(value, str) or len(value) <= _ALWAYS_FITS:
        return True
    return len(value.encode()) <= MAX_INDEXED_BYTES


def _maybe_long(value: Any) -> bool:
    return isinstance(value, str) and len(value) > _ALWAYS_FITS


def cut(value: str) -> str:
    """`value` when it fits an index; otherwise its longest prefix that leaves room for the mark
    and hash within MAX_INDEXED_BYTES (never splitting a character), then the mark and hash."""
    if fits(value):
        return value
    raw = value.encode()
    suffix = _CUT_MARK + hashlib.sha256(raw).hexdigest()[:_HASH_CHARS]
    room = MAX_INDEXED_BYTES - len(suffix.encode())
    return raw[:room].decode(errors="ignore") + suffix


def cut_node_row(
    node: NodeType, row: Mapping[str, Any]
) -> tuple[Mapping[str, Any], tuple[str, ...]]:
    """The row with its too-large indexed values cut and the TRUNCATED flag listing them, and
    those names; the row itself (and no names) when everything fits."""
    for name in node.indexed_names:  # the common case, once per row: allocates nothing
        if _maybe_long(row.get(name)):
            break
    else:
        return row, ()
    names = tuple(name for name in node.indexed_names if not fits(row.get(name)))
    if not names:
        return row, names
    shaped = dict(row)
    for name in names:
        shaped[name] = cut(shaped[name])
    shaped[TRUNCATED] = list(names)
    return shaped, names


def cut_rel_row(row: Mapping[str, Any]) -> Mapping[str, Any]:
    """A relationship row naming its ends by the keys their nodes were written with."""
    if fits(row["start"]) and fits(row["end"]):
        return row
    return {**row, "start": cut(row["start"]), "end": cut(row["end"])}
