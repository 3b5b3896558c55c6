"""One sync of one organization: extract both engines, map, load, then clean up.

Loading overlaps extraction: each family is written as soon as the families it depends on
are read and their nodes written (the rate limits make extraction the slow part, so the graph
fills while pages are still arriving). Writes go through one thread: the nodes every
relationship needs first, then the other families in the order their reads complete.

Memory follows the batch, not the organization: users, API keys, workspace members and SCIM
users and groups are streamed (a few pages wait at most, and the read waits when they do),
and what stays for the whole run is compact (`Members`, the loader's snapshots).

Nothing is deleted unless the families it belongs to were read completely in this run; a run
that fails part-way has written what it read and deletes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j.exceptions import AuthError, DriverError, Neo4jError, TransientError

from ingest.extract import (
    AdminExtractor,
    Credentials,
    DeadlineExceeded,
    ExtractConfig,
    ExtractError,
    OrganizationMismatchError,
    ScimExtractor,
    ScimRefused,
    ScimUnavailable,
)
from ingest.extract.concurrency import bounded_gather
from ingest.extract.deadline import Deadline
from ingest.extract.models import Organization
from ingest.extract.parsing import OnRecords, ParseResult, RecordIssue
from ingest.graph.schema import TRUNCATED
from ingest.load import GraphLoader, SyncContext
from ingest.load.loader import Prepared
from ingest.load.rows import batched
from ingest.mapping import admin as m
from ingest.mapping.members import Members
from ingest.mapping.organization import (
    OrganizationFacts,
    infer_main_domains,
    map_organization,
    map_sync_run,
)
from ingest.mapping.rows import GraphRows, text
from ingest.mapping.scim import map_scim_groups, map_scim_users
from ingest.sync.families import SOURCES, complete_families, reads_of
from ingest.sync.outcome import FamilyWritten, SyncOutcome
from ingest.sync.progress import SyncProgress

Progress = SyncProgress

# Records of a streamed family read ahead of its writing, at most (Reads.stream): 50 pages
# of SCIM users, 5 pages of API keys.
STREAM_RECORDS = 5_000

# (user, workspace) pairs mapped and written at a time: up to three relationships each.
ACCESS_CHUNK = 10_000

# Failures that stop the whole run rather than one family.
FATAL = (DeadlineExceeded, OrganizationMismatchError)
# Write failures that are Neo4j's, not a family's (every family would fail alike): the
# connection or credentials lost, or a transient error the driver already retried.
STOPS_THE_RUN = (DriverError, AuthError, TransientError)


class Skipped(Exception):
    """A family that is not read in this run, for a reason that is not a failure."""


@dataclass
class SyncOptions:
    credentials: Credentials
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    main_domains: list[str] = field(default_factory=list)


class Reads:
    """Every family's extraction as a task; `records(family)` waits for it.

    A family that failed or was skipped yields no records and is not read completely, so
    nothing of it is cleaned up; nor is one whose listing never settled (`unsettled`), though
    it yields what was read of it."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress or SyncProgress()
        self.results: dict[str, ParseResult[Any]] = {}
        self.failed: dict[str, ExtractError] = {}
        self.skipped: dict[str, str] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._streams: dict[str, tuple[asyncio.Queue[tuple[list[Any], int] | None], _Room]] = {}

    def start(self, family: str, read: Callable[[], Awaitable[ParseResult[Any]]]) -> None:
        async def run() -> None:
            try:
                self.results[family] = await read()
            except Skipped as why:
                self.skipped[family] = str(why)
            except FATAL:
                raise
            except ExtractError as exc:
                self.failed[family] = exc
            result, problem = self.results.get(family), self.failed.get(family)
            self.progress.read_ended(
                family,
                result.count() if result is not None else None,
                str(problem) if problem is not None else self.incomplete().get(family),
            )

        self._tasks[family] = asyncio.create_task(run(), name=f"read {family}")

    def stream(
        self,
        family: str,
        read: Callable[[OnRecords], Awaitable[ParseResult[Any]]],
        weight: Callable[[Any], int] | None = None,
    ) -> None:
        """A family read page by page and handed over as it is read: `parts(family)` yields
        the pages' records. When records of STREAM_RECORDS weight wait (one each, unless
        `weight` says otherwise), the read waits."""
        queue: asyncio.Queue[tuple[list[Any], int] | None] = asyncio.Queue()
        room = _Room(STREAM_RECORDS)
        self._streams[family] = (queue, room)

        async def hand_over(records: list[Any]) -> None:
            size = len(records) if weight is None else sum(map(weight, records))
            await room.enter(size)
            queue.put_nowait((records, size))
            self.progress.read(family, len(records))

        async def read_and_end() -> ParseResult[Any]:
            try:
                return await read(hand_over)
            finally:
                queue.put_nowait(None)

        self.start(family, read_and_end)

    async def parts(self, family: str) -> AsyncIterator[list[Any]]:
        """The records of a streamed family until its read ends: each time, every page that
        arrived since the last time (at least one), so a consumer that waits for the writer
        takes in one go what the read handed over meanwhile."""
        if family not in self._streams:
            return
        queue, room = self._streams[family]
        while (page := await queue.get()) is not None:
            records, size = list(page[0]), page[1]
            ended = False
            while not queue.empty() and not ended:
                if (page := queue.get_nowait()) is None:
                    ended = True
                else:
                    records.extend(page[0])
                    size += page[1]
            await room.leave(size)
            yield records
            if ended:
                return

    def skip(self, family: str, why: str) -> None:
        self.skipped[family] = why

    async def records(self, family: str) -> list[Any]:
        if family in self._tasks:
            await self._tasks[family]
        result = self.results.get(family)
        return result.records if result is not None else []

    async def take(self, family: str) -> list[Any]:
        """The records, for their last reader: they are dropped here (the count is kept),
        so a large organization's families do not all stay in memory until the end."""
        records = await self.records(family)
        result = self.results.get(family)
        if result is not None and result.streamed is None:
            result.records, result.streamed = [], len(records)
        return records

    async def settle(self) -> None:
        await asyncio.gather(*self._tasks.values())

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()

    def read_completely(self) -> set[str]:
        return {f for f, result in self.results.items() if result.unsettled is None}

    def unsettled(self) -> dict[str, str]:
        """The families read, but not completely: why, in one line each."""
        return {f: str(r.unsettled) for f, r in self.results.items() if r.unsettled is not None}

    def incomplete(self) -> dict[str, str]:
        return {**self.skipped, **self.unsettled()}

    def issues(self) -> list[RecordIssue]:
        return [issue for result in self.results.values() for issue in result.issues]

    def counts(self) -> dict[str, int]:
        return {family: result.count() for family, result in self.results.items()}


class _Room:
    """Room for `size` records waiting; a page larger than that enters an empty room."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.used = 0
        self._changed = asyncio.Condition()

    async def enter(self, count: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: not self.used or self.used + count <= self.size)
            self.used += count

    async def leave(self, count: int) -> None:
        async with self._changed:
            self.used -= count
            self._changed.notify_all()


class Turns:
    """Families take turns at the writer, one unit (a chunk, the pages that arrived) per turn.

    A family maps its next unit while another's is written, so Neo4j does not wait for the
    mapping; it then waits for its turn holding that one unit, never more: rows queued for
    the one writer thread would only be memory."""

    def __init__(self, writer: Writer) -> None:
        self._writer = writer
        self._lock = asyncio.Lock()

    async def write(self, *units: tuple[str, GraphRows]) -> None:
        """Writes (family, rows) units in one turn, in order."""
        async with self._lock:
            for family, rows in units:
                await self._writer.write(family, rows)


class Writer:
    """Writes rows through one thread, so writes never race for the same nodes, while a
    second thread prepares the next unit (checks, hashes, compares with the snapshot, shapes
    the batches): Neo4j need not wait for Python. One unit runs and one waits prepared, at
    most; units run in the order they were written."""

    def __init__(
        self,
        loader: GraphLoader,
        ctx: SyncContext,
        report: SyncOutcome,
        progress: Progress | None = None,
    ) -> None:
        self.loader = loader
        self.progress = progress or SyncProgress()
        self.ctx = ctx
        self.report = report
        self._prepare = ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-prepare")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-writer")
        self._running: asyncio.Future[None] | None = None
        # family -> why it could not be written (one line)
        self.failed: dict[str, str] = {}

    async def write(self, family: str, rows: GraphRows) -> None:
        """Returns once the rows are prepared and their turn to run has come. A failure to
        prepare or write them fails the family (`failed`: its later rows are dropped, and it
        is not cleaned up); only losing Neo4j itself is raised, by a later write, flush or call."""
        if family in self.failed:
            return
        loop = asyncio.get_running_loop()
        with self._failing(family):
            prepared = await loop.run_in_executor(self._prepare, self._prepared, rows)
        if family in self.failed:
            return
        await self.flush()
        self._running = loop.run_in_executor(self._pool, self._execute, family, prepared)
        done = self.report.families.setdefault(family, FamilyWritten(family=family))
        done.nodes += rows.node_count()
        done.rels += rows.rel_count()
        self.progress.wrote(family, done)

    async def flush(self) -> None:
        """Waits until everything written so far is in Neo4j."""
        running, self._running = self._running, None
        if running is not None:
            await running

    async def call(self, fn: Callable[[], Any]) -> Any:
        await self.flush()
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn)

    def _prepared(self, rows: GraphRows) -> tuple[list[Prepared], list[Prepared]]:
        nodes = [self.loader.prepare_nodes(t, r, self.ctx) for t, r in rows.iter_nodes()]
        rels = [self.loader.prepare_rels(t, r, self.ctx) for t, r in rows.iter_rels()]
        return nodes, rels

    def _execute(self, family: str, prepared: tuple[list[Prepared], list[Prepared]]) -> None:
        if family in self.failed:
            return  # prepared before the family failed
        nodes, rels = prepared
        with self._failing(family):
            for statements in nodes:
                self.report.nodes_written += self.loader.execute(statements)
            for statements in rels:
                self.report.rels_written += self.loader.execute(statements)

    @contextlib.contextmanager
    def _failing(self, family: str) -> Iterator[None]:
        """An error inside fails `family` (noted once, in one line), unless it is Neo4j's own
        and so stops the run."""
        try:
            yield
        except STOPS_THE_RUN:
            raise
        except Exception as exc:
            self.failed.setdefault(family, one_line(exc))

    async def close(self) -> None:
        """After a failure too: waits for the write in progress, whose own failure (if any)
        is secondary to the one already on its way."""
        with contextlib.suppress(Exception):
            await self.flush()
        self._prepare.shutdown(wait=True)
        self._pool.shutdown(wait=True)


def new_sync_id(now: datetime) -> str:
    return f"sync-{now:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:8]}"


def run_sync(
    loader: GraphLoader, options: SyncOptions, progress: Progress | None = None
) -> SyncOutcome:
    """Extract and load. A failure that stops the whole run (the organization unreadable,
    bad credentials, the deadline) propagates, with nothing deleted; a family that cannot
    be read is in the report, whose status is then `partial`."""
    with _fewer_collections():
        return asyncio.run(_sync(loader, options, progress or SyncProgress()))


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """A sync holds hundreds of thousands of records, rows and snapshot entries at once, and
    at the default thresholds the cyclic collector rescanned them thousands of times: ~3 s of
    a 16 s hourly sync's CPU (measured on the large organization). Collect ~70x less often."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


async def _sync(loader: GraphLoader, options: SyncOptions, progress: Progress) -> SyncOutcome:
    started, started_clock = datetime.now(UTC), time.monotonic()
    deadline = Deadline(options.extract.deadline)
    creds = options.credentials
    async with AdminExtractor(creds, options.extract, deadline=deadline) as admin:
        org = await admin.organization()
        async with _scim_extractor(creds, options.extract, deadline) as scim:
            progress.watch(admin.stats, scim.stats if scim else None)
            reads = Reads(progress)
            _start_reads(reads, admin, scim)
            try:
                report = await _load(loader, org, reads, scim, options, started, progress)
            except BaseException:
                reads.cancel()
                raise
            report.absorb_stats(admin.stats, scim.stats if scim else None)
    report.finish(time.monotonic() - started_clock)
    await asyncio.to_thread(_write_sync_run, loader, report)
    progress.finished(report)
    return report


@contextlib.asynccontextmanager
async def _scim_extractor(
    creds: Credentials, config: ExtractConfig, deadline: Deadline
) -> AsyncIterator[ScimExtractor | None]:
    if creds.scim is None:
        yield None
        return
    async with ScimExtractor(creds.scim, config, deadline=deadline) as scim:
        yield scim


def _start_reads(reads: Reads, admin: AdminExtractor, scim: ScimExtractor | None) -> None:
    """Everything at once. The many per-workspace and per-account listings queue behind the
    page-by-page listings for the rate limit (users first: every write after theirs needs
    them), and take the tokens those leave while they wait for their answers."""
    reads.stream("users", admin.users)
    reads.start("workspaces", admin.workspaces)
    reads.stream("api_keys", admin.api_keys)
    reads.start("invites", admin.invites)

    async def members(hand_over: OnRecords) -> ParseResult[Any]:
        await reads.records("workspaces")
        if "workspaces" not in reads.results:
            raise ExtractError("workspaces could not be listed, so neither could their members")
        return await admin.workspace_members(reads.results["workspaces"].records, hand_over)

    reads.stream("workspace_members", members)

    if admin.can_read_service_accounts:
        reads.start("service_accounts", admin.service_accounts)

        async def sa_members() -> ParseResult[Any]:
            await reads.records("service_accounts")
            if "service_accounts" not in reads.results:
                raise ExtractError("service accounts could not be listed")
            return await admin.service_account_memberships(
                reads.results["service_accounts"].records
            )

        reads.start("service_account_memberships", sa_members)
    else:
        why = "no OAuth token (ANTHROPIC_OAUTH_TOKEN) configured"
        reads.skip("service_accounts", why)
        reads.skip("service_account_memberships", why)

    if scim is not None:
        reads.start("scim_probe", lambda: _probe(scim))
        reads.stream(
            "scim_users", lambda hand_over: _after_probe(reads, lambda: scim.users(hand_over))
        )
        reads.stream(
            "scim_groups",
            lambda hand_over: _after_probe(reads, lambda: scim.groups(hand_over)),
            weight=lambda group: 1 + len(group.member_ids),
        )


async def _probe(scim: ScimExtractor) -> ParseResult[Any]:
    await scim.probe()
    return ParseResult("scim_probe")


async def _after_probe(
    reads: Reads, read: Callable[[], Awaitable[ParseResult[Any]]]
) -> ParseResult[Any]:
    await reads.records("scim_probe")
    probe = reads.failed.get("scim_probe")
    if isinstance(probe, ScimUnavailable):
        raise Skipped(str(probe))
    if probe is not None:
        raise probe
    return await read()


def scim_status(reads: Reads, configured: bool) -> tuple[str, str | None]:
    if not configured:
        return "not_configured", "ANTHROPIC_SCIM_URL and ANTHROPIC_SCIM_TOKEN are not set"
    probe = reads.failed.get("scim_probe")
    if isinstance(probe, ScimUnavailable):
        return "unavailable", str(probe)
    if isinstance(probe, ScimRefused):
        return probe.scim_status, str(probe)
    failures = {str(e) for f, e in reads.failed.items() if f.startswith("scim")}
    if failures:
        return "error", "; ".join(sorted(failures))
    return "available", None


async def _load(
    loader: GraphLoader,
    org: Organization,
    reads: Reads,
    scim: ScimExtractor | None,
    options: SyncOptions,
    started: datetime,
    progress: Progress,
) -> SyncOutcome:
    sync_id = new_sync_id(started)
    ctx = SyncContext(tenant_id=org.id, sync_id=sync_id, now_ms=int(started.timestamp() * 1000))
    report = SyncOutcome(
        sync_id=sync_id,
        org_id=org.id,
        org_name=org.name,
        started_at=_iso(started),
        scim_status="unknown",
        scim_reason=None,
    )
    writer = Writer(loader, ctx, report, progress)
    loader.take_truncated()  # left by an earlier run that stopped
    try:
        await writer.call(loader.ensure_schema)
        members = await _write_families(writer, org, reads, scim is not None, options, progress)
        await reads.settle()
        report.scim_status, report.scim_reason = scim_status(reads, scim is not None)
        await writer.write("organization", _organization_rows(org, members, report, options))
        await _clean_up(writer, reads, report, progress)
        await writer.flush()
    finally:
        await writer.close()
    report.issues = reads.issues() + _truncation_issues(loader)
    report.record_counts = {f: n for f, n in reads.counts().items() if f != "scim_probe"}

    failed = {f: e for f, e in reads.failed.items() if not isinstance(e, ScimUnavailable)}
    report.extraction_failed = sorted(failed)
    report.read_incompletely = reads.unsettled()
    # A refused token or URL is told once, as the SCIM status and its reason.
    refused = (
        failed.get("scim_probe") if isinstance(failed.get("scim_probe"), ScimRefused) else None
    )
    report.extraction_failures = {
        **{f: str(e) for f, e in failed.items() if e is not refused},
        **{f: f"skipped: {why}" for f, why in reads.skipped.items()},
    }
    return report


class UndeclaredRead(LookupError):
    """A mapping step asked for a read its declaration (ingest/sync/families.py) does not list."""


class StepReads:
    """The reads a mapping step declared, and nothing else: the records of an undeclared
    extraction (or the members, which are the `users` read) are refused, so what a graph
    family is built from, and so what gates its cleanup, cannot drift from its declaration."""

    def __init__(self, reads: Reads, members: Members, *families: str) -> None:
        self._reads = reads
        self._members = members
        self._declared = reads_of(*families)
        self._families = families

    def _check(self, extraction: str) -> str:
        if extraction not in self._declared:
            raise UndeclaredRead(
                f"{' and '.join(self._families)} would consume {extraction!r}, which "
                "ingest/sync/families.py does not declare it is built from"
            )
        return extraction

    async def records(self, extraction: str) -> list[Any]:
        return await self._reads.records(self._check(extraction))

    async def take(self, extraction: str) -> list[Any]:
        return await self._reads.take(self._check(extraction))

    def parts(self, extraction: str) -> AsyncIterator[list[Any]]:
        return self._reads.parts(self._check(extraction))

    def members(self) -> Members:
        self._check("users")
        return self._members


async def _write_families(
    writer: Writer,
    org: Organization,
    reads: Reads,
    scim_configured: bool,
    options: SyncOptions,
    progress: Progress,
) -> Members:
    """The nodes every relationship needs first (users, organization, workspaces, service
    accounts, roles); then everything else side by side, each family as soon as its reads
    are in, so writing keeps up with the slowest listings. Each step sees only the reads its
    family declares (`StepReads`). Returns what it kept of the members."""
    org_id = org.id
    kept = Members()

    def step(*families: str) -> StepReads:
        return StepReads(reads, kept, *families)

    progress("loading users")
    users = step("users")
    async for page in users.parts("users"):
        users.members().add(page)
        await writer.write("users", m.map_users(page))
    await reads.records("scim_probe")
    report = writer.report
    report.scim_status, report.scim_reason = scim_status(reads, scim_configured)
    # The organization node once the members' domains are known, before any edge from it;
    # written again at the end, when a later SCIM failure may have changed its status.
    members = step("organization").members()
    await writer.write("organization", _organization_rows(org, members, report, options))
    for user_ids in batched(users.members().ids(), ACCESS_CHUNK):
        await writer.write("users", m.map_user_resources(org_id, user_ids))

    progress("loading workspaces")
    workspaces = step("workspaces")
    await writer.write(
        "workspaces", m.map_workspaces(org_id, await workspaces.records("workspaces"))
    )

    accounts = step("service_accounts")
    rows = m.map_service_accounts(org_id, await accounts.records("service_accounts"))
    await writer.write("service_accounts", rows)

    roles = step("roles")
    seen_roles = (
        roles.members().organization_roles()
        | {r for invite in await roles.records("invites") if (r := text(invite.role)) is not None}
        | {
            r
            for sa in await roles.records("service_accounts")
            if (r := text(sa.organization_role)) is not None
        }
    )
    await writer.write("roles", m.map_roles(org_id, await roles.records("workspaces"), seen_roles))
    turn = Turns(writer)
    access = step("role_grants", "workspace_members")
    inherited = m.InheritedAccess(access.members().roles, await access.records("workspaces"))
    # Not a read: without an OAuth token the service accounts are never listed, so the owners
    # of keys become stubs.
    accounts_listed = "service_accounts" not in reads.skipped

    async def roles_and_inherited_access() -> None:
        progress("loading roles and inherited access")
        grants = step("role_grants")
        for chunk in batched(grants.members().roles.items(), ACCESS_CHUNK):
            await turn.write(("role_grants", m.map_user_role_grants(org_id, chunk)))
        await _write_access(turn, inherited.items())
        invites = step("invites")
        await turn.write(("invites", m.map_invites(org_id, await invites.take("invites"))))

    async def api_keys() -> None:
        progress("loading API keys")
        keys_step = step("api_keys")
        in_workspaces = await keys_step.records("workspaces")
        stubs: set[str] = set()
        async for keys in keys_step.parts("api_keys"):
            rows = m.map_api_keys(
                org_id, keys, in_workspaces, service_accounts_read=accounts_listed, stubs=stubs
            )
            await turn.write(("api_keys", rows))

    async def scim() -> None:
        progress("loading SCIM users and groups")
        scim_users = step("scim_users")
        emails = scim_users.members().emails
        async for page in scim_users.parts("scim_users"):
            await turn.write(("scim_users", map_scim_users(org_id, page, emails)))
        # Group memberships start at SCIM user nodes: after the last page of users.
        async for groups in step("scim_groups").parts("scim_groups"):
            await turn.write(("scim_groups", map_scim_groups(org_id, groups)))

    async def workspace_members() -> None:
        progress("loading workspace members")
        async for listed in access.parts("workspace_members"):
            await _write_access(turn, m.explicit_access(listed, inherited).items())

    async def service_account_members() -> None:
        sa_members = step("service_account_members")
        rows = m.map_service_account_members(
            org_id,
            await sa_members.records("service_accounts"),
            await sa_members.take("service_account_memberships"),
        )
        await turn.write(("service_account_members", rows))

    rest = [roles_and_inherited_access, api_keys, workspace_members, service_account_members]
    if scim_configured:
        rest.append(scim)
    await bounded_gather(rest, limit=len(rest))
    return members


async def _write_access(turn: Turns, access: Iterable[tuple[m.Pair, tuple[str, bool]]]) -> None:
    """Workspace access in chunks, a turn each: the inherited access of a large organization
    alone is ≈200k relationships, and only a chunk or two of rows exist at a time."""
    for chunk in batched(access, ACCESS_CHUNK):
        memberships, grants = m.map_access(dict(chunk))
        await turn.write(("workspace_members", memberships), ("role_grants", grants))


def _organization_rows(
    org: Organization, members: Members, report: SyncOutcome, options: SyncOptions
) -> GraphRows:
    return map_organization(
        OrganizationFacts(
            org_id=org.id,
            name=org.name,
            scim_status=report.scim_status,
            scim_unavailable_reason=report.scim_reason,
            main_domains=options.main_domains or infer_main_domains(members.domains),
            sync_id=report.sync_id,
            synced_at=report.started_at,
        )
    )


async def _clean_up(writer: Writer, reads: Reads, report: SyncOutcome, progress: Progress) -> None:
    cleanable = complete_families(reads.read_completely(), writer.failed)
    for family in cleanable:
        progress(f"cleaning up {family}")
        result = await writer.call(lambda f=family: writer.loader.cleanup(f, writer.ctx))
        report.nodes_deleted += result.nodes_deleted
        report.rels_deleted += result.rels_deleted
        if family == "users":
            report.removed_member_ids = sorted(result.removed_ids)
    report.families_complete = cleanable
    report.families_incomplete = [f for f in SOURCES if f not in cleanable]
    report.write_failures = dict(writer.failed)


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An error as one line of at most `limit` characters (Neo4j's own messages span lines)."""
    if isinstance(exc, Neo4jError):
        text = f"{exc.code}: {exc.message}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _truncation_issues(loader: GraphLoader) -> list[RecordIssue]:
    return [
        RecordIssue(
            node.family,
            key if len(key) <= 80 else key[:80] + "…",
            f"{', '.join(names)} too large for a Neo4j index: cut, and named in {TRUNCATED}",
        )
        for node, key, names in loader.take_truncated()
    ]


def _write_sync_run(loader: GraphLoader, report: SyncOutcome) -> None:
    ctx = SyncContext(
        tenant_id=report.org_id,
        sync_id=report.sync_id,
        now_ms=int(datetime.now(UTC).timestamp() * 1000),
    )
    rows = map_sync_run(report.sync_run_facts())
    for node_type, node_rows in rows.iter_nodes():
        loader.load_nodes(node_type, node_rows, ctx)
    for rel_type, rel_rows in rows.iter_rels():
        loader.load_rels(rel_type, rel_rows, ctx)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
