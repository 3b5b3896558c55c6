"""Token bucket arithmetic, with small real sleeps."""

from __future__ import annotations

import asyncio
import time

import pytest

from ingest.extract import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_refill_arithmetic_on_a_fake_clock() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=10, burst=3, clock=clock)
    assert bucket.wait_time() == 0
    bucket._tokens = 0.0  # spent the burst
    assert bucket.wait_time() == pytest.approx(0.1)
    clock.now += 0.05
    assert bucket.wait_time() == pytest.approx(0.05)
    clock.now += 10  # a long quiet spell refills only up to the burst
    assert bucket.wait_time() == 0 and bucket._tokens == 3


def test_hold_until_empties_and_pauses() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=10, burst=5, clock=clock)
    bucket.hold_until(clock.now + 2.0)
    assert bucket.wait_time() == pytest.approx(2.1)
    clock.now += 2.0
    assert bucket.wait_time() == pytest.approx(0.1)  # nothing accrued during the hold
    clock.now += 0.3
    assert bucket.wait_time() == 0


@pytest.mark.asyncio
async def test_burst_then_rate_with_real_sleeps() -> None:
    bucket = TokenBucket(rate=50, burst=5)
    start = time.monotonic()
    waited = [await bucket.acquire() for _ in range(5)]
    assert sum(waited) == 0  # the burst is served at once
    for _ in range(10):  # ten more at 50/s take about 0.2 s
        await bucket.acquire()
    elapsed = time.monotonic() - start
    assert 0.17 <= elapsed < 0.6


@pytest.mark.asyncio
async def test_concurrent_acquirers_share_the_rate() -> None:
    bucket = TokenBucket(rate=40, burst=2)
    start = time.monotonic()
    waits = await asyncio.gather(*(bucket.acquire() for _ in range(10)))
    elapsed = time.monotonic() - start
    assert 0.17 <= elapsed < 0.6  # 8 tokens beyond the burst at 40/s
    assert sum(waits) > 0


def test_invalid_settings_refused() -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)
    with pytest.raises(ValueError):
        TokenBucket(rate=1, burst=0)


@pytest.mark.asyncio
async def test_a_waiter_of_higher_priority_goes_first() -> None:
    bucket = TokenBucket(rate=20, burst=1)
    await bucket.acquire()  # the burst is spent: every waiter below waits
    served: list[str] = []

    async def take(name: str, priority: int) -> None:
        await bucket.acquire(priority)
        served.append(name)

    background = [asyncio.create_task(take(f"fan-out {i}", 2)) for i in range(3)]
    await asyncio.sleep(0.01)  # they queue first, in arrival order
    await asyncio.gather(*background, take("next page", 0))
    assert served == ["next page", "fan-out 0", "fan-out 1", "fan-out 2"]
