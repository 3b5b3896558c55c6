"""An async token bucket: `rate` requests per second on average, `burst` at once."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections.abc import Callable


class TokenBucket:
    """Paces requests of one engine. Waiters are served by priority (lower first), then in
    arrival order: a listing walked page after page can go first, and many listings walked
    side by side take the tokens it leaves.

    `hold_until` empties the bucket until a given monotonic time; a 429's retry-after
    uses it so that every request of the engine waits, not only the one refused.
    """

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs rate > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()
        self._held_until = 0.0
        self._waiting: list[tuple[int, int]] = []  # heap of (priority, arrival)
        self._arrivals = itertools.count()
        self._changed = asyncio.Condition()

    def _refill(self, now: float) -> None:
        start = max(self._updated, self._held_until)
        if now > start:
            self._tokens = min(float(self.burst), self._tokens + (now - start) * self.rate)
        self._updated = max(now, self._updated)

    def wait_time(self) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        now = self._clock()
        self._refill(now)
        held = max(0.0, self._held_until - now)
        if held > 0:
            return held + max(0.0, 1.0 - self._tokens) / self.rate
        return max(0.0, 1.0 - self._tokens) / self.rate

    async def acquire(self, priority: int = 0) -> float:
        """Take one token, waiting as long as needed; returns the seconds waited."""
        ticket = (priority, next(self._arrivals))
        started = self._clock()
        waited = False
        async with self._changed:
            heapq.heappush(self._waiting, ticket)
            self._changed.notify_all()  # a waiter of lower priority may be at the head
            try:
                while self._waiting[0] != ticket or (delay := self.wait_time()) > 0:
                    waited = True
                    if self._waiting[0] != ticket:
                        await self._changed.wait()
                        continue
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), delay)
            finally:
                self._waiting.remove(ticket)
                heapq.heapify(self._waiting)
                self._changed.notify_all()
            self._tokens -= 1.0
        return self._clock() - started if waited else 0.0

    def hold_until(self, until: float) -> None:
        """Empty the bucket and refill nothing before monotonic time `until`."""
        self._refill(self._clock())
        self._tokens = 0.0
        self._held_until = max(self._held_until, until)
