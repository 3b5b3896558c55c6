"""Lists of at most `size` items taken in order (itertools.batched, from Python 3.12, gives
tuples)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    if size < 1:
        raise ValueError(f"batch size must be positive, got {size}")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
