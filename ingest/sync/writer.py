"""The one way a sync writes to the graph."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from neo4j.exceptions import AuthError, DriverError, Neo4jError, TransientError

from ingest.extract.parsing import RecordIssue
from ingest.graph.schema import TRUNCATED, GraphModel
from ingest.load import GraphLoader, SyncContext
from ingest.load.context import CleanupResult
from ingest.load.loader import Prepared
from ingest.mapping.rows import GraphRows
from ingest.sync.outcome import FamilyWritten
from ingest.sync.progress import SyncProgress

# Write failures that are Neo4j's, not a family's (every family would fail alike): the
# connection or credentials lost, or a transient error the driver already retried.
STOPS_THE_RUN = (DriverError, AuthError, TransientError)

Statements = tuple[list[Prepared], list[Prepared]]
log = logging.getLogger(__name__)


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


@dataclass
class Written:
    """What one unit put in Neo4j, counted by the thread that wrote it and handed back."""

    nodes: int = 0
    rels: int = 0
    failure: str | None = None


class Writer:
    """Every write of a sync goes through here, in turns: one unit (a family's rows) at a time,
    in the order they are written, so writes never race for the same nodes.

    A unit is prepared (checks, hashes, comparison with the snapshot, batches) on one thread
    while the unit before it runs on another: Neo4j need not wait for Python, and at most one
    unit runs and one waits prepared. A family whose rows cannot be prepared or written fails
    (`failures`: its later rows are dropped, and it is not cleaned up); only losing Neo4j itself
    is raised. `ctx` stamps every write (tenant, sync id, the sync's clock); the SyncRun node
    is stamped when it is written, by `clock`."""

    def __init__(
        self,
        loader: GraphLoader,
        ctx: SyncContext,
        progress: SyncProgress | None = None,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        self._loader = loader
        self._ctx = ctx
        self._progress = progress or SyncProgress()
        self._clock = clock
        self._prepare = ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-prepare")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-writer")
        self._turn = asyncio.Lock()
        self._running: tuple[str, asyncio.Future[Written]] | None = None
        self._failures: dict[str, str] = {}  # family -> why it could not be written
        self.families: dict[str, FamilyWritten] = {}
        self.nodes_written = 0
        self.rels_written = 0

    async def __aenter__(self) -> Writer:
        self._loader.take_truncated()  # left by an earlier run that stopped
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """After a failure too: waits for the write in progress, whose own failure (if any) is
        secondary to the one already on its way."""
        with contextlib.suppress(Exception):
            await self.flush()
        self._prepare.shutdown(wait=True)
        self._pool.shutdown(wait=True)

    @property
    def model(self) -> GraphModel:
        """The graph declaration the writes are checked against."""
        return self._loader.model

    @property
    def failures(self) -> dict[str, str]:
        return dict(self._failures)

    async def write(self, family: str, rows: GraphRows) -> None:
        """Returns once the rows are prepared and their turn to run has come."""
        async with self._turn:
            if await self._start(family, rows, self._ctx):
                done = self.families.setdefault(family, FamilyWritten(family=family))
                done.nodes += rows.node_count()
                done.rels += rows.rel_count()
                self._progress.wrote(family, done)

    async def write_sync_run(self, rows: GraphRows) -> None:
        """The sync's own record, last, once everything it counts is written."""
        async with self._turn:
            await self._start("sync_runs", rows, replace(self._ctx, now_ms=self._clock()))
        await self.flush()

    async def read_snapshots_ahead(self) -> None:
        """The snapshots the cleanup will need, read now on the thread that prepares writes
        (they are read there otherwise): the cleanup at the end then only deletes."""
        model = self._loader.model
        families = [f for f in model.families if f not in model.never_cleaned]
        missed = await asyncio.get_running_loop().run_in_executor(
            self._prepare, self._loader.read_snapshots, families, self._ctx
        )
        for snapshot in missed:
            log.info(
                "snapshot of %s not read ahead (%s): read again when needed",
                snapshot.element,
                one_line(snapshot.error),
            )

    async def ensure_schema(self) -> None:
        await self._call(self._loader.ensure_schema)

    async def clean_up(self, family: str) -> CleanupResult:
        result: CleanupResult = await self._call(lambda: self._loader.cleanup(family, self._ctx))
        return result

    async def truncation_issues(self) -> list[RecordIssue]:
        """The values cut to fit a Neo4j index since the last time, as record issues."""
        await self.flush()
        return [
            RecordIssue(
                node.family,
                key if len(key) <= 80 else key[:80] + "…",
                f"{', '.join(names)} too large for a Neo4j index: cut, and named in {TRUNCATED}",
            )
            for node, key, names in self._loader.take_truncated()
        ]

    async def flush(self) -> None:
        """Waits until everything written so far is in Neo4j."""
        running, self._running = self._running, None
        if running is None:
            return
        family, future = running
        written = await future
        self.nodes_written += written.nodes
        self.rels_written += written.rels
        if written.failure is not None:
            self._failures.setdefault(family, written.failure)

    async def _start(self, family: str, rows: GraphRows, ctx: SyncContext) -> bool:
        """Prepares the rows and starts writing them; False if the family has failed."""
        if family in self._failures:
            return False
        loop = asyncio.get_running_loop()
        try:
            statements = await loop.run_in_executor(self._prepare, self._statements, rows, ctx)
        except Exception as exc:
            self._failures.setdefault(family, _failure(exc))
            return False
        await self.flush()
        if family in self._failures:
            return False  # prepared while its previous unit failed
        future = loop.run_in_executor(self._pool, self._execute, statements)
        self._running = (family, future)
        return True

    async def _call(self, fn: Callable[[], Any]) -> Any:
        async with self._turn:
            await self.flush()
            return await asyncio.get_running_loop().run_in_executor(self._pool, fn)

    def _statements(self, rows: GraphRows, ctx: SyncContext) -> Statements:
        nodes = [self._loader.prepare_nodes(t, r, ctx) for t, r in rows.iter_nodes()]
        rels = [self._loader.prepare_rels(t, r, ctx) for t, r in rows.iter_rels()]
        return nodes, rels

    def _execute(self, statements: Statements) -> Written:
        written = Written()
        nodes, rels = statements
        try:
            for prepared in nodes:
                written.nodes += self._loader.execute(prepared)
            for prepared in rels:
                written.rels += self._loader.execute(prepared)
        except Exception as exc:
            written.failure = _failure(exc)
        return written


def _failure(exc: Exception) -> str:
    """Why a family could not be written, in one line; Neo4j's own failures stop the run."""
    if isinstance(exc, STOPS_THE_RUN):
        raise exc
    return one_line(exc)


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An error as one line of at most `limit` characters (Neo4j's own messages span lines)."""
    if isinstance(exc, Neo4jError):
        text = f"{exc.code}: {exc.message}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
