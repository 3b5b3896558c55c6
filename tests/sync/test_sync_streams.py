"""A streamed family's pages wait for the writer in bounded room, and none is lost."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ingest.extract.parsing import ParseResult
from ingest.sync import pipeline
from ingest.sync.pipeline import Reads

pytestmark = pytest.mark.asyncio


def read_pages(pages: int, size: int, fail_after: int | None = None) -> Any:
    async def read(hand_over: Any) -> ParseResult[Any]:
        for number in range(pages):
            if number == fail_after:
                raise pipeline.ExtractError("page unreadable")
            await hand_over([(number, i) for i in range(size)])
        return ParseResult("keys", streamed=pages * size)

    return read


async def test_the_read_waits_while_the_room_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STREAM_RECORDS", 3_000)
    reads = Reads()
    waiting: list[int] = []
    reads.stream("keys", read_pages(pages=40, size=1_000))
    _, room = reads._streams["keys"]
    taken: list[tuple[int, int]] = []
    async for records in reads.parts("keys"):
        waiting.append(room.used + len(records))  # what waited when the writer came back
        await asyncio.sleep(0.01)  # a slow writer
        taken.extend(records)
    await reads.settle()
    assert sorted(taken) == [(n, i) for n in range(40) for i in range(1_000)]
    assert max(waiting) <= 3_000 + 1_000  # the room, and the page just read
    assert reads.counts() == {"keys": 40_000}


async def test_a_page_larger_than_the_room_still_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STREAM_RECORDS", 10)
    reads = Reads()
    reads.stream("keys", read_pages(pages=3, size=50))
    taken = [len(records) async for records in reads.parts("keys")]
    await reads.settle()
    assert sum(taken) == 150


async def test_a_failed_read_ends_the_stream_with_what_it_read() -> None:
    reads = Reads()
    reads.stream("keys", read_pages(pages=5, size=10, fail_after=3))
    taken = [record async for records in reads.parts("keys") for record in records]
    await reads.settle()
    assert len(taken) == 30
    assert "keys" in reads.failed and "keys" not in reads.results


async def test_records_can_weigh_more_than_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """SCIM groups weigh their members: a few large groups fill the room."""
    monkeypatch.setattr(pipeline, "STREAM_RECORDS", 3_000)
    reads = Reads()
    reads.stream("groups", read_pages(pages=40, size=10), weight=lambda _: 100)
    _, room = reads._streams["groups"]
    waiting: list[int] = []
    async for records in reads.parts("groups"):
        waiting.append(room.used + 100 * len(records))
        await asyncio.sleep(0.01)
    await reads.settle()
    assert max(waiting) <= 3_000 + 1_000  # 10 records of 100 per page
