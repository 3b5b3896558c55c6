"""What a tenant already has of one node or relationship type, read before the sync's first
write of that type: so that rows whose content did not change are not written again, new
relationships are CREATEd without an existence check, and what the sync never saw can be
deleted by internal id once its family was read completely.

Memory stays small for a large organization: per element the key's hash, the content hash
and the internal id in sorted arrays, and one byte of state.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Hashable, Iterable, Mapping, Sequence
from enum import Enum
from functools import lru_cache
from hashlib import blake2b
from typing import Any

from ingest.load.seen import SeenFilter

_UNSEEN, _SEEN, _GONE = 0, 1, 2


class Verdict(Enum):
    NEW = "new"  # not in the graph: CREATE (relationships) or MERGE (nodes)
    CHANGED = "changed"  # in the graph with other content: MERGE and SET
    UNCHANGED = "unchanged"  # in the graph as it is: nothing to write
    AGAIN = "again"  # a key this sync already wrote (or a filter false positive): MERGE


def content_hash(names: Sequence[str], row: Mapping[str, Any], salt: str = "") -> int:
    """A stable 64-bit hash of a node's declared properties' values (None when absent): it
    is stored on the node and compared by later syncs, in other processes."""
    if not names:
        return _salt_hash(salt)
    return _hash(repr((salt, *map(row.get, names))))


def values_hash(values: Sequence[Any]) -> int:
    """A relationship's declared properties' values, hashed for comparison within this
    process only (relationships store no hash; the snapshot hashes what it reads back)."""
    try:
        return hash(tuple(values))
    except TypeError:  # a list among the values
        return hash(repr(tuple(values)))


@lru_cache(maxsize=64)
def _salt_hash(salt: str) -> int:
    return _hash(repr((salt,)))


def _hash(text: str) -> int:
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


class Snapshot:
    """Sorted parallel arrays, 25 bytes per element: a dict of Python ints took about 80, and
    a large organization's snapshots are held for the whole sync."""

    def __init__(self, records: Iterable[tuple[Hashable, int, int]]) -> None:
        """records: (key, content hash, internal id) of every element in the graph (hash 0
        for elements written before hashes were: they are rewritten once)."""
        keys, hashes, ids = array("q"), array("q"), array("q")
        for key, stored, internal_id in records:
            keys.append(hash(key))
            hashes.append(stored)
            ids.append(internal_id)
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self._keys = array("q", map(keys.__getitem__, order))
        self._hashes = array("q", map(hashes.__getitem__, order))
        self._ids = array("q", map(ids.__getitem__, order))
        self._state = bytearray(len(order))  # _UNSEEN, _SEEN or _GONE per element
        self._new: SeenFilter | None = None  # keys the graph did not have, once given

    def verdict(self, key: Hashable, chash: int) -> Verdict:
        """Classifies one row; every key given counts as seen (never gone)."""
        key_hash = hash(key)
        index = bisect_left(self._keys, key_hash)
        if index < len(self._keys) and self._keys[index] == key_hash:
            state = self._state[index]
            if state == _SEEN:
                return Verdict.AGAIN
            if state == _UNSEEN:
                self._state[index] = _SEEN
                return Verdict.UNCHANGED if self._hashes[index] == chash else Verdict.CHANGED
        if self._new is None:  # a re-sync of an unchanged organization never needs one
            self._new = SeenFilter()
        return Verdict.AGAIN if self._new.check_and_add(key_hash) else Verdict.NEW

    def take_gone(self) -> list[int]:
        """Internal ids of the elements no row named in this sync, forgotten here: the caller
        deletes them, and a later row with one of their keys is then new."""
        gone = []
        for index, state in enumerate(self._state):
            if state == _UNSEEN:
                gone.append(self._ids[index])
                self._state[index] = _GONE
        return gone
