"""One sync's extraction: every row of the read plan as a task, all started at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Mapping
from typing import Any

from ingest.extract import ApiError, DeadlineExceeded, ExtractError, OrganizationMismatchError
from ingest.extract.parsing import ParseResult, RecordIssue
from ingest.sync.channel import Channel
from ingest.sync.plan import Engines, Read, ReadPlan
from ingest.sync.progress import SyncProgress

# Read failures that stop the whole sync rather than one family.
STOPS_THE_SYNC = (DeadlineExceeded, OrganizationMismatchError)

# Records of a streamed family read ahead of their writing, at most: 50 pages of SCIM users,
# 5 pages of API keys.
STREAM_CAPACITY = 5_000


class Extraction:
    """The reads of a plan in progress; `records` and `batches` wait for them.

    A family that failed or was skipped yields no records and is not read completely, so
    nothing built from it is cleaned up (but one the organization's product does not offer,
    `not_offered`, has nothing to read: it counts as read, empty, and is no failure); nor is
    one whose listing never held still (`unsettled`), though it yields what was read of it. A
    streamed family's pages go through a `Channel` of `capacity` weight to `batches`; with
    `streaming` off (tests that want every record at hand) every family is read whole and
    `batches` yields it in one go."""

    def __init__(
        self,
        plan: ReadPlan,
        engines: Engines,
        progress: SyncProgress | None = None,
        *,
        capacity: int = STREAM_CAPACITY,
        streaming: bool = True,
    ) -> None:
        self._engines = engines
        self._progress = progress or SyncProgress()
        self._rows = [row for row in plan if engines.configured(row.engine)]
        self._channels: dict[str, Channel[Any]] = {
            row.family: Channel(capacity, row.weight)
            for row in self._rows
            if row.streams and streaming
        }
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._records: dict[str, list[Any]] = {}
        self._counts: dict[str, int] = {}
        self._issues: list[RecordIssue] = []
        self.unsettled: dict[str, str] = {}  # read, but not completely: why, in one line
        self.failed: dict[str, ExtractError] = {}
        self.skipped: dict[str, str] = {}  # not read, and why
        # Not read because the organization's product has no such family, and why: nothing
        # exists to read, so it counts as read completely, with no records (not a failure).
        self.not_offered: dict[str, str] = {}

    def start(self) -> None:
        for row in self._rows:
            self._tasks[row.family] = asyncio.create_task(self._read(row), name=row.family)

    async def records(self, family: str, *, last_reader: bool = False) -> list[Any]:
        """The family's records once it is read (none if it streamed, failed or was skipped).
        The last reader says so, and they are let go: a large organization's families do not
        all stay in memory until the end."""
        if family in self._tasks:
            await self._tasks[family]
        if last_reader:
            return self._records.pop(family, [])
        return self._records.get(family, [])

    async def batches(self, family: str) -> AsyncIterator[list[Any]]:
        """The records of a family as they are read: every page that arrived since the last
        batch, until its read ends."""
        channel = self._channels.get(family)
        if channel is not None:
            async for batch in channel.batches():
                yield batch
        elif records := await self.records(family, last_reader=True):
            yield records

    async def finished(self) -> None:
        await asyncio.gather(*self._tasks.values())

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()

    def read_completely(self) -> set[str]:
        return (set(self._counts) | set(self.not_offered)) - set(self.unsettled)

    def incomplete(self) -> dict[str, str]:
        return {**self.skipped, **self.unsettled}

    def issues(self) -> list[RecordIssue]:
        return list(self._issues)

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    async def _read(self, row: Read) -> None:
        family, channel = row.family, self._channels.get(row.family)
        try:
            parents = {parent: await self.records(parent) for parent in row.parents}
            if (why := row.not_offered(self._engines)) is not None:
                self.not_offered[family] = why
            elif missing := row.missing_scopes(self._engines.capabilities):
                self.skipped[family] = f"not permitted by the key's scopes (needs {missing[0]})"
            elif row.gate is not None and row.gate.closed(self._engines, self.failed):
                self.skipped[family] = row.gate.skipped_because
            elif skipped := [self.skipped[p] for p in row.parents if p in self.skipped]:
                self.skipped[family] = skipped[0]
            elif failed := [self.failed[p] for p in row.parents if p in self.failed]:
                self.failed[family] = failed[0]
            else:
                self._keep(family, await self._call(row, parents, channel))
        except STOPS_THE_SYNC:
            raise
        except ExtractError as exc:
            if row.refusal_is_not_permitted and isinstance(exc, ApiError) and exc.status == 403:
                self.skipped[family] = f"not permitted (403: {exc.message})"
            else:
                self.failed[family] = exc
        finally:
            if channel is not None:
                await channel.close(self.failed.get(family))
        if family in self.not_offered:
            return  # nothing to tell: the family does not exist on this product
        problem = self.failed.get(family)
        self._progress.read_ended(
            family,
            self._counts.get(family),
            str(problem) if problem is not None else self.incomplete().get(family),
        )

    def _call(
        self, row: Read, parents: Mapping[str, list[Any]], channel: Channel[Any] | None
    ) -> Awaitable[ParseResult[Any]]:
        if channel is None:
            return row.call(self._engines, parents, None)

        async def hand_over(records: list[Any]) -> None:
            await channel.put(records)
            self._progress.read(row.family, len(records))

        return row.call(self._engines, parents, hand_over)

    def _keep(self, family: str, result: ParseResult[Any]) -> None:
        self._records[family] = result.records
        self._counts[family] = result.count()
        self._issues.extend(result.issues)
        if result.unsettled is not None:
            self.unsettled[family] = str(result.unsettled)
