"""A streamed family's pages wait for the writer in a bounded channel, and none is lost."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ingest.extract import ExtractError
from ingest.extract.parsing import ParseResult
from ingest.sync.channel import Channel
from ingest.sync.extraction import Extraction
from ingest.sync.plan import Engines, Read, ReadPlan

pytestmark = pytest.mark.asyncio


async def produce(channel: Channel[Any], pages: int, size: int, produced: list[int]) -> None:
    for number in range(pages):
        await channel.put([(number, i) for i in range(size)])
        produced.append(size)
    await channel.close()


async def test_the_producer_waits_while_the_channel_is_full() -> None:
    channel: Channel[Any] = Channel(capacity=3_000)
    produced: list[int] = []
    producer = asyncio.create_task(produce(channel, pages=40, size=1_000, produced=produced))
    taken: list[tuple[int, int]] = []
    waiting: list[int] = []
    async for batch in channel.batches():
        waiting.append(len(batch))  # what waited when the writer came back
        taken.extend(batch)
        await asyncio.sleep(0.01)  # a slow writer
    await producer
    assert sorted(taken) == [(n, i) for n in range(40) for i in range(1_000)]
    assert max(waiting) <= 3_000  # the capacity: the producer waited
    assert len(waiting) < 40  # pages that arrived meanwhile came in one batch


async def test_a_page_larger_than_the_channel_still_passes_alone() -> None:
    channel: Channel[Any] = Channel(capacity=10)
    producer = asyncio.create_task(produce(channel, pages=3, size=50, produced=[]))
    taken = [len(batch) async for batch in channel.batches()]
    await producer
    assert taken == [50, 50, 50]


async def test_records_can_weigh_more_than_one() -> None:
    """SCIM groups weigh their members: a few large groups fill the channel."""
    channel: Channel[Any] = Channel(capacity=3_000, weight=lambda _: 100)
    producer = asyncio.create_task(produce(channel, pages=40, size=10, produced=[]))
    taken = 0
    waiting: list[int] = []
    async for batch in channel.batches():
        waiting.append(100 * len(batch))
        taken += len(batch)
        await asyncio.sleep(0.01)
    await producer
    assert taken == 400
    assert max(waiting) <= 3_000


def read_pages(pages: int, size: int, fail_after: int | None = None, handed: Any = None) -> Any:
    async def read(engines: Engines, parents: Any, hand_over: Any) -> ParseResult[Any]:
        for number in range(pages):
            if number == fail_after:
                raise ExtractError("page unreadable")
            await hand_over([(number, i) for i in range(size)])
            if handed is not None:
                handed.append(number)
        return ParseResult("keys", streamed=pages * size)

    return read


async def test_a_failed_read_closes_its_channel_with_what_it_read() -> None:
    plan = ReadPlan([Read("keys", read_pages(pages=5, size=10, fail_after=3), streams=True)])
    extraction = Extraction(plan, Engines(admin=None), capacity=15)  # type: ignore[arg-type]
    extraction.start()
    taken = [record async for batch in extraction.batches("keys") for record in batch]
    await extraction.finished()
    assert len(taken) == 30
    assert "keys" in extraction.failed and "keys" not in extraction.read_completely()


async def test_a_streamed_read_waits_for_its_consumer() -> None:
    handed: list[int] = []
    plan = ReadPlan([Read("keys", read_pages(40, 100, handed=handed), streams=True)])
    extraction = Extraction(plan, Engines(admin=None), capacity=300)  # type: ignore[arg-type]
    extraction.start()
    await asyncio.sleep(0.05)  # nobody reads yet: the read stops once the channel is full
    assert len(handed) == 3
    taken = [record async for batch in extraction.batches("keys") for record in batch]
    await extraction.finished()
    assert len(taken) == 4_000 and extraction.counts() == {"keys": 4_000}
