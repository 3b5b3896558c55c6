"""What a tenant already has of one node or relationship type, read before the sync's first
write of that type: so that rows whose content did not change are not written again, new
relationships are CREATEd without an existence check, and what the sync never saw can be
deleted by internal id once its family was read completely.

Memory stays small for a large organization: per element one dict entry of two ints (the
key's hash, and the content hash packed with the internal id).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from enum import Enum
from hashlib import blake2b
from typing import Any

from ingest.load.seen import SeenFilter

_U64 = (1 << 64) - 1


class Verdict(Enum):
    NEW = "new"  # not in the graph: CREATE (relationships) or MERGE (nodes)
    CHANGED = "changed"  # in the graph with other content: MERGE and SET
    UNCHANGED = "unchanged"  # in the graph as it is: nothing to write
    AGAIN = "again"  # a key this sync already wrote (or a filter false positive): MERGE


def content_hash(names: Iterable[str], row: Mapping[str, Any], salt: str = "") -> int:
    """A stable 64-bit hash of the declared properties' values (None when absent)."""
    text = repr((salt, *(row.get(name) for name in names)))
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


class Snapshot:
    def __init__(self, records: Iterable[tuple[Hashable, int, int]]) -> None:
        """records: (key, content hash, internal id) of every element in the graph (hash 0
        for elements written before hashes were: they are rewritten once)."""
        self._entries = {
            hash(key): ((stored & _U64) << 64) | internal_id for key, stored, internal_id in records
        }
        self._seen = SeenFilter()

    def verdict(self, key: Hashable, chash: int) -> Verdict:
        """Classifies one row; every key given counts as seen (never gone)."""
        key_hash = hash(key)
        again = self._seen.check_and_add(key_hash)
        entry = self._entries.pop(key_hash, None)
        if again:
            return Verdict.AGAIN
        if entry is None:
            return Verdict.NEW
        return Verdict.UNCHANGED if entry >> 64 == chash & _U64 else Verdict.CHANGED

    def take_gone(self) -> list[int]:
        """Internal ids of the elements no row named in this sync, forgotten here: the caller
        deletes them, and a later row with one of their keys is then new."""
        gone = [entry & _U64 for entry in self._entries.values()]
        self._entries.clear()
        return gone
