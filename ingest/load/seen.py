"""A small Bloom filter over the keys one sync has written that its snapshot did not have.

"Maybe seen" sends a row down the MERGE path, which is always correct; only "certainly not
seen" rows are CREATEd. A false positive therefore costs a MERGE, never a lost or doubled
relationship, and 4 Mbit per type holds a large organization's pairs at a fraction of a set's
memory (a set of 130,000 hashes is ~10 MB; this is 0.5 MB).
"""

from __future__ import annotations

_BITS = 1 << 22
_MASK = _BITS - 1


class SeenFilter:
    def __init__(self) -> None:
        self._bits = bytearray(_BITS // 8)

    def check_and_add(self, h: int) -> bool:
        """Whether the item hashed to `h` may have been added before; adds it either way."""
        seen = True
        for index in (h & _MASK, (h >> 21) & _MASK, (h >> 42) & _MASK):
            byte, bit = index >> 3, 1 << (index & 7)
            if not self._bits[byte] & bit:
                seen = False
                self._bits[byte] |= bit
        return seen
