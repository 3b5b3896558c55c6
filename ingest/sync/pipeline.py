"""One sync of one organization: extract both engines, map, load, then clean up.

Loading overlaps extraction: every read of the plan (ingest/sync/plan.py) starts at once, and
each graph family is written as soon as the reads it is built from are in and the nodes it
needs are written (the rate limits make extraction the slow part, so the graph fills while
pages are still arriving). Memory follows the batch, not the organization: the large families
stream through bounded channels, and what stays for the whole run is compact (`Members`, the
loader's snapshots). Nothing is deleted unless the families it belongs to were read completely
in this run; a run that fails part-way has written what it read and deletes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ingest.extract import (
    AdminExtractor,
    Credentials,
    ExtractConfig,
    ScimExtractor,
    ScimRefused,
    ScimUnavailable,
)
from ingest.extract.capabilities import capabilities_of
from ingest.extract.deadline import Deadline
from ingest.extract.models import Organization
from ingest.load import GraphLoader, SyncContext
from ingest.load.history import prune_history, records_history
from ingest.mapping.organization import map_sync_run
from ingest.sync.extraction import STREAM_CAPACITY, Extraction
from ingest.sync.families import STEPS, MappingStep, complete_families, sources_of
from ingest.sync.feed_state import stored_feed
from ingest.sync.outcome import SyncOutcome
from ingest.sync.plan import PLAN, Engines, ReadPlan
from ingest.sync.progress import SyncProgress
from ingest.sync.steps import ACCESS_CHUNK, GraphSteps
from ingest.sync.writer import Writer


@dataclass
class SyncOptions:
    credentials: Credentials
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    main_domains: list[str] = field(default_factory=list)
    # Records of a streamed family waiting for the writer, at most (by weight).
    stream_capacity: int = STREAM_CAPACITY
    # (user, workspace) pairs, or activity subjects, mapped and written at a time.
    access_chunk: int = ACCESS_CHUNK
    # What is read, and which graph families are built from it: the declarations.
    plan: ReadPlan = PLAN
    steps: Sequence[MappingStep] = STEPS


def run_sync(
    loader: GraphLoader, options: SyncOptions, progress: SyncProgress | None = None
) -> SyncOutcome:
    """Extract and load. A failure that stops the whole run (the organization unreadable,
    bad credentials, the deadline) propagates, with nothing deleted; a family that cannot
    be read is in the outcome, whose status is then `partial`."""
    with _fewer_collections():
        return asyncio.run(_sync(loader, options, progress or SyncProgress()))


async def _sync(loader: GraphLoader, options: SyncOptions, progress: SyncProgress) -> SyncOutcome:
    started, started_clock = datetime.now(UTC), time.monotonic()
    async with _engines(options) as engines:
        org = await engines.admin.organization()
        engines = dataclasses.replace(
            engines, feed=await asyncio.to_thread(stored_feed, loader, org.id)
        )
        outcome = _new_outcome(org, started)
        history = await asyncio.to_thread(records_history, loader, org.id)
        ctx = SyncContext(org.id, outcome.sync_id, int(started.timestamp() * 1000), history)
        progress.watch(engines.admin.stats, engines.scim.stats if engines.scim else None)
        extraction = Extraction(options.plan, engines, progress, capacity=options.stream_capacity)
        async with Writer(loader, ctx, progress) as writer:
            extraction.start()
            try:
                await writer.ensure_schema()
                steps = GraphSteps(
                    writer,
                    extraction,
                    org,
                    outcome.sync_id,
                    outcome.started_at,
                    options.steps,
                    scim_configured=engines.scim is not None,
                    capabilities=engines.capabilities,
                    main_domains=options.main_domains,
                    progress=progress,
                    access_chunk=options.access_chunk,
                    activity_window=engines.admin.activity_window,
                    feed=engines.feed,
                )
                await steps.write_nodes_first()
                await steps.write_the_rest()
                await extraction.finished()
                outcome.scim_status, outcome.scim_reason = await steps.write_organization()
                await _clean_up(writer, extraction, outcome, options, progress)
            except BaseException:
                extraction.cancel()
                raise
            _tell_reads(outcome, extraction)
            _tell_writes(outcome, writer)
            outcome.issues += steps.issues + await writer.truncation_issues()
            outcome.absorb_stats(engines.admin.stats, engines.scim.stats if engines.scim else None)
            outcome.finish(time.monotonic() - started_clock)
            await writer.write_sync_run(map_sync_run(outcome.sync_run_facts()))
        await asyncio.to_thread(prune_history, loader, org.id, ctx.now_ms)
    progress.finished(outcome)
    return outcome


@contextlib.asynccontextmanager
async def _engines(options: SyncOptions) -> AsyncIterator[Engines]:
    """Both extractors under one deadline, SCIM only when it is configured, and what the
    organization's product offers (asked before anything is read)."""
    creds, config = options.credentials, options.extract
    deadline = Deadline(config.deadline)
    async with AdminExtractor(creds, config, deadline=deadline) as admin:
        capabilities = await capabilities_of(admin, options.plan.scopes())
        if creds.scim is None:
            yield Engines(admin, capabilities=capabilities)
            return
        async with ScimExtractor(creds.scim, config, deadline=deadline) as scim:
            yield Engines(admin, scim, capabilities)


def _new_outcome(org: Organization, started: datetime) -> SyncOutcome:
    return SyncOutcome(
        sync_id=new_sync_id(started),
        org_id=org.id,
        org_name=org.name,
        started_at=_iso(started),
        scim_status="unknown",
        scim_reason=None,
    )


async def _clean_up(
    writer: Writer,
    extraction: Extraction,
    outcome: SyncOutcome,
    options: SyncOptions,
    progress: SyncProgress,
) -> None:
    await writer.flush()  # a family whose last rows failed is not cleaned up
    cleanable = complete_families(
        extraction.read_completely(), writer.failures, options.steps, writer.model
    )
    for family in cleanable:
        progress(f"cleaning up {family}")
        result = await writer.clean_up(family)
        outcome.nodes_deleted += result.nodes_deleted
        outcome.rels_deleted += result.rels_deleted
        if family == "users":
            outcome.removed_member_ids = sorted(result.removed_ids)
    outcome.families_complete = cleanable
    outcome.families_incomplete = [f for f in sources_of(options.steps) if f not in cleanable]


def _tell_reads(outcome: SyncOutcome, extraction: Extraction) -> None:
    outcome.issues = extraction.issues()
    outcome.record_counts = {f: n for f, n in extraction.counts().items() if f != "scim_probe"}
    failed = {f: e for f, e in extraction.failed.items() if not isinstance(e, ScimUnavailable)}
    outcome.extraction_failed = sorted(failed)
    outcome.read_incompletely = dict(extraction.unsettled)
    # A refused token or URL is told once, as the SCIM status and its reason.
    refused = (
        failed.get("scim_probe") if isinstance(failed.get("scim_probe"), ScimRefused) else None
    )
    outcome.extraction_failures = {
        **{f: str(e) for f, e in failed.items() if e is not refused},
        **{f: f"skipped: {why}" for f, why in extraction.skipped.items()},
    }


def _tell_writes(outcome: SyncOutcome, writer: Writer) -> None:
    outcome.families = dict(writer.families)
    outcome.nodes_written = writer.nodes_written
    outcome.rels_written = writer.rels_written
    outcome.write_failures = writer.failures


def new_sync_id(now: datetime) -> str:
    return f"sync-{now:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:8]}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
