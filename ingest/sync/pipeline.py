"""One sync of one organization: extract both engines, map, load, then clean up.

Nothing is deleted unless the families it belongs to were read completely in this run; a run
that fails before loading writes nothing, and one that fails while loading deletes nothing.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ingest.extract import (
    AdminExtractor,
    AdminSnapshot,
    Credentials,
    Deadline,
    ExtractConfig,
    ExtractError,
    ScimExtractor,
)
from ingest.extract.parsing import RecordIssue
from ingest.extract.scim import ScimSnapshot
from ingest.load import GraphLoader, SyncContext
from ingest.mapping import admin as m
from ingest.mapping.organization import (
    OrganizationFacts,
    infer_main_domains,
    map_organization,
    map_sync_run,
)
from ingest.mapping.rows import GraphRows, text
from ingest.mapping.scim import map_scim_groups, map_scim_users
from ingest.sync.families import SOURCES, complete_families
from ingest.sync.report import FamilyReport, SyncReport

Progress = Callable[[str], None]


@dataclass
class SyncOptions:
    credentials: Credentials
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    main_domains: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything one run read from both engines."""

    admin: AdminSnapshot
    scim: ScimSnapshot | None  # None: SCIM is not configured

    def records(self, family: str) -> list[Any]:
        for snapshot in (self.admin, self.scim):
            if snapshot is not None and family in snapshot.results:
                return snapshot.results[family].records
        return []

    def read_completely(self) -> set[str]:
        done = set(self.admin.results)
        if self.scim is not None:
            done |= set(self.scim.results)
        return done

    def issues(self) -> list[RecordIssue]:
        found: list[RecordIssue] = []
        for snapshot in (self.admin, self.scim):
            for result in snapshot.results.values() if snapshot else ():
                found.extend(result.issues)
        return found


def new_sync_id(now: datetime) -> str:
    return f"sync-{now:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:8]}"


async def extract(options: SyncOptions, progress: Progress = lambda _: None) -> Extraction:
    """Both engines at once (each has its own rate limit) under one deadline."""
    deadline = Deadline(options.extract.deadline)
    creds = options.credentials
    async with AdminExtractor(creds, options.extract, deadline=deadline) as admin:
        progress("reading the Admin API" + (" and SCIM" if creds.scim else ""))
        if creds.scim is None:
            return Extraction(admin=await admin.extract_all(), scim=None)
        async with ScimExtractor(creds.scim, options.extract, deadline=deadline) as scim:
            admin_snapshot, scim_snapshot = await asyncio.gather(
                admin.extract_all(), _scim_or_failure(scim)
            )
            return Extraction(admin=admin_snapshot, scim=scim_snapshot)


async def _scim_or_failure(scim: ScimExtractor) -> ScimSnapshot:
    """A SCIM failure of any kind must not cost the Admin families their sync."""
    try:
        return await scim.extract_all()
    except ExtractError as exc:
        snapshot = ScimSnapshot(stats=scim.stats)
        snapshot.failed["scim_users"] = exc
        snapshot.failed["scim_groups"] = exc
        return snapshot


def scim_status(extraction: Extraction) -> tuple[str, str | None]:
    scim = extraction.scim
    if scim is None:
        return "not_configured", "ANTHROPIC_SCIM_URL and ANTHROPIC_SCIM_TOKEN are not set"
    if scim.unavailable is not None:
        return "unavailable", str(scim.unavailable)
    if scim.failed:
        return "error", "; ".join(sorted({str(e) for e in scim.failed.values()}))
    return "available", None


def map_extraction(org_id: str, x: Extraction) -> list[tuple[str, GraphRows]]:
    """Every family's rows, in load order (a relationship's endpoints load before it)."""
    users = x.records("users")
    workspaces = x.records("workspaces")
    invites = x.records("invites")
    accounts = x.records("service_accounts")
    memberships, workspace_grants = m.map_workspace_members(
        x.records("workspace_members"), users, workspaces
    )
    grants = m.map_user_role_grants(org_id, users)
    grants.merge(workspace_grants)
    seen_roles = {
        role for record in (*users, *invites) if (role := text(record.role)) is not None
    } | {role for sa in accounts if (role := text(sa.organization_role)) is not None}
    sa_read = "service_accounts" in x.admin.results
    return [
        ("users", m.map_users(org_id, users)),
        ("workspaces", m.map_workspaces(org_id, workspaces)),
        ("service_accounts", m.map_service_accounts(org_id, accounts)),
        ("roles", m.map_roles(org_id, workspaces, seen_roles)),
        ("role_grants", grants),
        ("workspace_members", memberships),
        (
            "service_account_members",
            m.map_service_account_members(
                org_id, accounts, x.records("service_account_memberships")
            ),
        ),
        (
            "api_keys",
            m.map_api_keys(
                org_id, x.records("api_keys"), workspaces, service_accounts_read=sa_read
            ),
        ),
        ("invites", m.map_invites(org_id, invites)),
        ("scim_users", map_scim_users(org_id, x.records("scim_users"), users)),
        ("scim_groups", map_scim_groups(org_id, x.records("scim_groups"))),
    ]


def load(
    loader: GraphLoader,
    extraction: Extraction,
    options: SyncOptions,
    *,
    started: datetime,
    started_clock: float,
    progress: Progress = lambda _: None,
) -> SyncReport:
    org = extraction.admin.organization
    sync_id = new_sync_id(started)
    ctx = SyncContext(tenant_id=org.id, sync_id=sync_id, now_ms=int(started.timestamp() * 1000))
    status, reason = scim_status(extraction)
    users = extraction.records("users")
    report = SyncReport(
        sync_id=sync_id,
        org_id=org.id,
        org_name=org.name,
        started_at=_iso(started),
        scim_status=status,
        scim_reason=reason,
        issues=extraction.issues(),
    )
    facts = OrganizationFacts(
        org_id=org.id,
        name=org.name,
        scim_status=status,
        scim_unavailable_reason=reason,
        main_domains=options.main_domains or infer_main_domains(users),
        sync_id=sync_id,
        synced_at=_iso(started),
    )
    loader.ensure_schema()
    _write(loader, map_organization(facts), ctx, report)

    for family, rows in map_extraction(org.id, extraction):
        progress(f"loading {family}")
        _write(loader, rows, ctx, report)
        report.families[family] = FamilyReport(
            family=family, nodes=rows.node_count(), rels=rows.rel_count()
        )

    read = extraction.read_completely()
    cleanable = complete_families(read)
    for family in cleanable:
        progress(f"cleaning up {family}")
        result = loader.cleanup(family, ctx)
        report.nodes_deleted += result.nodes_deleted
        report.rels_deleted += result.rels_deleted
        if family == "users":
            report.removed_member_ids = sorted(result.removed_ids)
    report.families_complete = cleanable
    report.families_incomplete = [f for f in SOURCES if f not in cleanable]
    report.extraction_failed = _failed_families(extraction)
    report.extraction_failures = _failure_texts(extraction)
    report.record_counts = _record_counts(extraction)
    report.absorb_stats(extraction.admin.stats, extraction.scim.stats if extraction.scim else None)
    report.finish(time.monotonic() - started_clock)

    _write(loader, map_sync_run(report.sync_run_facts()), ctx, report, count=False)
    return report


def _write(
    loader: GraphLoader, rows: GraphRows, ctx: SyncContext, report: SyncReport, count: bool = True
) -> None:
    for node_type, node_rows in rows.iter_nodes():
        written = loader.load_nodes(node_type, node_rows, ctx)
        if count:
            report.nodes_written += written
    for rel_type, rel_rows in rows.iter_rels():
        written = loader.load_rels(rel_type, rel_rows, ctx)
        if count:
            report.rels_written += written


def _failed_families(x: Extraction) -> list[str]:
    failed = set(x.admin.failed)
    if x.scim is not None:
        failed |= set(x.scim.failed)
    return sorted(failed)


def _failure_texts(x: Extraction) -> dict[str, str]:
    texts = {family: str(exc) for family, exc in x.admin.failed.items()}
    texts.update({family: f"skipped: {why}" for family, why in x.admin.skipped.items()})
    if x.scim is not None:
        texts.update({family: str(exc) for family, exc in x.scim.failed.items()})
    return texts


def _record_counts(x: Extraction) -> dict[str, int]:
    counts = {family: len(r.records) for family, r in x.admin.results.items()}
    if x.scim is not None:
        counts.update({family: len(r.records) for family, r in x.scim.results.items()})
    return counts


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run_sync(
    loader: GraphLoader, options: SyncOptions, progress: Progress = lambda _: None
) -> SyncReport:
    """Extract, then load. Extraction errors that stop the whole run propagate (nothing was
    written); family failures are in the report, whose status is then `partial`."""
    started, started_clock = datetime.now(UTC), time.monotonic()
    extraction = asyncio.run(extract(options, progress))
    return load(
        loader,
        extraction,
        options,
        started=started,
        started_clock=started_clock,
        progress=progress,
    )
