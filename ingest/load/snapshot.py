"""What a tenant already has of one node or relationship type, read before the sync's first
write of that type: so that rows whose content did not change are not written again, new
relationships are CREATEd without an existence check, and what the sync never saw can be
deleted by internal id once its family was read completely.

Memory stays small for a large organization: per element one dict entry of two ints (the
key's hash, and the content hash packed with the internal id).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from enum import Enum
from functools import lru_cache
from hashlib import blake2b
from typing import Any

from ingest.load.seen import SeenFilter

_U64 = (1 << 64) - 1
_SEEN = -1  # the entry of a key some row of this sync named


class Verdict(Enum):
    NEW = "new"  # not in the graph: CREATE (relationships) or MERGE (nodes)
    CHANGED = "changed"  # in the graph with other content: MERGE and SET
    UNCHANGED = "unchanged"  # in the graph as it is: nothing to write
    AGAIN = "again"  # a key this sync already wrote (or a filter false positive): MERGE


def content_hash(names: Sequence[str], row: Mapping[str, Any], salt: str = "") -> int:
    """A stable 64-bit hash of the declared properties' values (None when absent)."""
    if not names:  # most relationship types: computed once
        return _salt_hash(salt)
    return _hash(repr((salt, *map(row.get, names))))


@lru_cache(maxsize=64)
def _salt_hash(salt: str) -> int:
    return _hash(repr((salt,)))


def _hash(text: str) -> int:
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


class Snapshot:
    def __init__(self, records: Iterable[tuple[Hashable, int, int]]) -> None:
        """records: (key, content hash, internal id) of every element in the graph (hash 0
        for elements written before hashes were: they are rewritten once)."""
        self._entries = {
            hash(key): ((stored & _U64) << 64) | internal_id for key, stored, internal_id in records
        }
        # Keys the graph did not have, once given: an entry of the graph is marked instead.
        self._new = SeenFilter()

    def verdict(self, key: Hashable, chash: int) -> Verdict:
        """Classifies one row; every key given counts as seen (never gone)."""
        key_hash = hash(key)
        entry = self._entries.get(key_hash)
        if entry is None:
            return Verdict.AGAIN if self._new.check_and_add(key_hash) else Verdict.NEW
        if entry == _SEEN:
            return Verdict.AGAIN
        self._entries[key_hash] = _SEEN  # one shared object: the entry's memory is freed
        return Verdict.UNCHANGED if entry >> 64 == chash & _U64 else Verdict.CHANGED

    def take_gone(self) -> list[int]:
        """Internal ids of the elements no row named in this sync, forgotten here: the caller
        deletes them, and a later row with one of their keys is then new."""
        gone = [entry & _U64 for entry in self._entries.values() if entry != _SEEN]
        self._entries = {k: entry for k, entry in self._entries.items() if entry == _SEEN}
        return gone
