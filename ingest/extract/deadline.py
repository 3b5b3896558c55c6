"""An overall deadline for a run, on the event loop's monotonic clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from ingest.extract.errors import DeadlineExceeded


class Deadline:
    """A point in monotonic time after which nothing more is attempted."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        """Seconds left (never negative), or None when there is no deadline."""
        return None if self._end is None else max(0.0, self._end - time.monotonic())

    def check(self, doing: str) -> None:
        if self.remaining() == 0.0:
            raise self.exceeded(doing)

    def exceeded(self, doing: str) -> DeadlineExceeded:
        return DeadlineExceeded(f"the {self.seconds:g}s deadline passed while {doing}")

    async def sleep(self, seconds: float, doing: str) -> None:
        """Sleep, or raise DeadlineExceeded at once if the sleep would cross the deadline."""
        left = self.remaining()
        if left is not None and seconds >= left:
            raise self.exceeded(doing)
        await asyncio.sleep(seconds)

    @asynccontextmanager
    async def bound(self, doing: str) -> AsyncIterator[None]:
        """Cancel the enclosed work when the deadline passes, raising DeadlineExceeded."""
        left = self.remaining()
        if left is None:
            yield
            return
        if left == 0.0:
            raise self.exceeded(doing)
        try:
            async with asyncio.timeout(left):
                yield
        except TimeoutError as exc:
            raise self.exceeded(doing) from exc
