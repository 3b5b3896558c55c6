"""The one way streamed records go from a read to their writer."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Channel(Generic[T]):
    """Pages of records from one producer to one consumer, bounded by weight.

    `put` waits while records of `capacity` weight wait (one each, unless `weight` says
    otherwise); a page heavier than that still passes, alone. `close` ends the channel, with
    the error that ended the read if any: the consumer still gets what was put before it.
    `batches` yields, each time, every page that arrived since the last time, so a consumer
    that was busy takes in one go what the producer handed over meanwhile."""

    def __init__(self, capacity: int, weight: Callable[[T], int] | None = None) -> None:
        if capacity < 1:
            raise ValueError(f"a channel needs room for at least one record, not {capacity}")
        self.capacity = capacity
        self._weight = weight
        self._pages: deque[list[T]] = deque()
        self._waiting = 0  # the weight of the records in `_pages`
        self._closed = False
        self.error: BaseException | None = None
        self._changed = asyncio.Condition()

    async def put(self, records: list[T]) -> None:
        size = len(records) if self._weight is None else sum(map(self._weight, records))
        async with self._changed:
            await self._changed.wait_for(
                lambda: not self._waiting or self._waiting + size <= self.capacity
            )
            if self._closed:
                raise RuntimeError("put on a closed channel")
            self._pages.append(records)
            self._waiting += size
            self._changed.notify_all()

    async def close(self, error: BaseException | None = None) -> None:
        async with self._changed:
            self._closed = True
            self.error = error
            self._changed.notify_all()

    async def batches(self) -> AsyncIterator[list[T]]:
        while True:
            async with self._changed:
                await self._changed.wait_for(lambda: self._pages or self._closed)
                if not self._pages:
                    return
                batch = [record for page in self._pages for record in page]
                self._pages.clear()
                self._waiting = 0
                self._changed.notify_all()
            yield batch
