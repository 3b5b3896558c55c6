"""An async token bucket: `rate` requests per second on average, `burst` at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    """Paces requests of one engine. Waiters are served in arrival order.

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
        self._lock = asyncio.Lock()

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

    async def acquire(self) -> float:
        """Take one token, waiting as long as needed; returns the seconds waited."""
        waited = 0.0
        async with self._lock:
            while (delay := self.wait_time()) > 0:
                await asyncio.sleep(delay)
                waited += delay
            self._tokens -= 1.0
        return waited

    def hold_until(self, until: float) -> None:
        """Empty the bucket and refill nothing before monotonic time `until`."""
        self._refill(self._clock())
        self._tokens = 0.0
        self._held_until = max(self._held_until, until)
