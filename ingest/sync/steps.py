"""The mapping steps of a sync: the records of each graph family's reads, mapped and written.

The nodes every relationship needs are written first (users, the organization, workspaces,
service accounts, roles); then everything else side by side, each family as soon as its reads
are in, so writing keeps up with the slowest listings. A family built from one read by one
mapper `(org_id, records) -> rows` needs no code here: it is written as its declaration says.
The methods that do write families say which (`@writes`), and that is what tells the two apart.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ingest.batching import batched
from ingest.extract import ScimRefused, ScimUnavailable
from ingest.extract.activity import ActivityWindow
from ingest.extract.capabilities import Capabilities
from ingest.extract.compliance import COMPLIANCE_ACTIVITY, ComplianceFeed
from ingest.extract.concurrency import bounded_gather
from ingest.extract.models import Organization
from ingest.extract.parsing import RecordIssue
from ingest.graph.model import ACTIVITY_NODES
from ingest.mapping import admin as admin_rows
from ingest.mapping import federation, rbac
from ingest.mapping.activity import Subjects, map_activity
from ingest.mapping.members import Members
from ingest.mapping.organization import OrganizationFacts, infer_main_domains, map_organization
from ingest.mapping.rows import GraphRows, text
from ingest.mapping.scim import map_scim_groups, map_scim_users
from ingest.sync.extraction import Extraction
from ingest.sync.families import MappingStep, sources_of
from ingest.sync.progress import SyncProgress
from ingest.sync.writer import Writer

# (user, workspace) pairs mapped and written at a time: up to three relationships each.
ACCESS_CHUNK = 10_000

Method = TypeVar("Method", bound=Callable[..., Any])


def writes(*families: str) -> Callable[[Method], Method]:
    """Marks a `GraphSteps` method as the code that writes `families`: they are then not
    written from their declaration (see `written_by_code`)."""

    def mark(method: Method) -> Method:
        method.writes = families  # type: ignore[attr-defined]
        return method

    return mark


@functools.cache
def written_by_code(steps_class: type) -> frozenset[str]:
    """The graph families some method of `steps_class` says it writes (`@writes`); every other
    mapping step is written from its declaration alone."""
    return frozenset(
        family
        for name in dir(steps_class)
        for family in getattr(getattr(steps_class, name), "writes", ())
    )


class UndeclaredRead(LookupError):
    """A mapping step asked for a read its declaration (ingest/sync/families.py) does not list."""


class DeclaredReads:
    """The reads a mapping step declared, and nothing else: the records of an undeclared
    extraction (or the members, which are the `users` read) are refused, so what a graph
    family is built from, and so what gates its cleanup, cannot drift from its declaration."""

    def __init__(
        self,
        extraction: Extraction,
        members: Members,
        steps: Sequence[MappingStep],
        *families: str,
    ) -> None:
        self._extraction = extraction
        self._members = members
        self._declared = frozenset.intersection(*(sources_of(steps)[f] for f in families))
        self._families = families

    def _check(self, extraction: str) -> str:
        if extraction not in self._declared:
            raise UndeclaredRead(
                f"{' and '.join(self._families)} would consume {extraction!r}, which "
                "ingest/sync/families.py does not declare it is built from"
            )
        return extraction

    async def records(self, extraction: str, *, last_reader: bool = False) -> list[Any]:
        return await self._extraction.records(self._check(extraction), last_reader=last_reader)

    def batches(self, extraction: str) -> AsyncIterator[list[Any]]:
        return self._extraction.batches(self._check(extraction))

    def members(self) -> Members:
        self._check("users")
        return self._members


def scim_status(extraction: Extraction, configured: bool) -> tuple[str, str | None]:
    """The organization's SCIM status and why, from the reads so far."""
    if not configured:
        return "not_configured", "ANTHROPIC_SCIM_URL and ANTHROPIC_SCIM_TOKEN are not set"
    probe = extraction.failed.get("scim_probe")
    if isinstance(probe, ScimUnavailable):
        return "unavailable", str(probe)
    if isinstance(probe, ScimRefused):
        return probe.scim_status, str(probe)
    failures = {str(e) for f, e in extraction.failed.items() if f.startswith("scim")}
    if failures:
        return "error", "; ".join(sorted(failures))
    return "available", None


@dataclass
class GraphSteps:
    """Writes every graph family of `steps` from `extraction` through `writer`."""

    writer: Writer
    extraction: Extraction
    org: Organization
    sync_id: str
    started_at: str
    steps: Sequence[MappingStep]
    scim_configured: bool
    capabilities: Capabilities
    main_domains: list[str] = field(default_factory=list)
    progress: SyncProgress = field(default_factory=SyncProgress)
    access_chunk: int = ACCESS_CHUNK
    members: Members = field(default_factory=Members)
    # The facts the organization node was last written with.
    organization_written: OrganizationFacts | None = None
    # The SCIM groups written (id, display name): streamed, so kept for the join to groups.
    scim_group_names: list[tuple[str, str | None]] = field(default_factory=list)
    # Found while mapping (joins that could not be made), for the outcome.
    issues: list[RecordIssue] = field(default_factory=list)
    # The days of activity the extractor asked for, and what activity is joined to (the keys
    # stream, so what the joins need of them is kept as they are written).
    activity_window: ActivityWindow | None = None
    subjects: Subjects = field(default_factory=Subjects)
    # The Compliance feed's state; its cursor is stored only once its activity is written.
    feed: ComplianceFeed = field(default_factory=ComplianceFeed)
    feed_written: bool = False
    # Set once the Enterprise groups are written (or will not be): SCIM groups join them.
    rbac_groups_written: asyncio.Event = field(default_factory=asyncio.Event)

    def reads(self, *families: str) -> DeclaredReads:
        return DeclaredReads(self.extraction, self.members, self.steps, *families)

    async def _write(self, family: str, rows: GraphRows) -> None:
        """A write by the code here: of a family some method says it writes (`@writes`), since
        one it forgot would be written from its declaration as well."""
        if family not in written_by_code(type(self)):
            raise ValueError(
                f"{family}: ingest/sync/steps.py writes it, but no method there says so "
                "with @writes"
            )
        await self.writer.write(family, rows)

    @writes("organization")
    async def write_organization(self) -> tuple[str, str | None]:
        """The organization node with its SCIM status and the families read as the reads say
        now: written before any edge from it (with the probe's answer), and again only if its
        facts changed since (the reads finished, or a SCIM listing failed after the probe)."""
        status = scim_status(self.extraction, self.scim_configured)
        members = self.reads("organization").members()
        facts = OrganizationFacts(
            org_id=self.org.id,
            name=self.org.name,
            scim_status=status[0],
            scim_unavailable_reason=status[1],
            main_domains=self.main_domains or infer_main_domains(members.domains),
            sync_id=self.sync_id,
            synced_at=self.started_at,
            capabilities=self.capabilities,
            families_read=sorted(self.extraction.read_completely() - {"scim_probe"}),
            compliance_cursor=await self._feed_cursor(),
        )
        if facts != self.organization_written:
            await self._write("organization", map_organization(facts))
            self.organization_written = facts
        return status

    async def _feed_cursor(self) -> str | None:
        """The newest feed event read once the activity it brought is written (flushed, and
        without a failure); until then the cursor stored before, unless the API refused it."""
        if self.feed_written:
            await self.writer.flush()
            if COMPLIANCE_ACTIVITY not in self.writer.failures:
                return self.feed.cursor
        return None if self.feed.restarted else self.feed.stored_cursor

    @writes("users", "workspaces", "service_accounts", "roles")
    async def write_nodes_first(self) -> None:
        """Users, then the organization and the users' edges from it, workspaces, service
        accounts and roles: the nodes every relationship written later starts or ends at."""
        org_id = self.org.id
        self.progress("loading users")
        users = self.reads("users")
        async for page in users.batches("users"):
            users.members().add(page)
            await self._write("users", admin_rows.map_users(page))
        await self.extraction.records("scim_probe")
        await self.write_organization()
        for user_ids in batched(users.members().ids(), self.access_chunk):
            await self._write("users", admin_rows.map_user_resources(org_id, user_ids))

        self.progress("loading workspaces")
        workspaces = await self.reads("workspaces").records("workspaces")
        await self._write("workspaces", admin_rows.map_workspaces(org_id, workspaces))
        accounts = await self.reads("service_accounts").records("service_accounts")
        rows = admin_rows.map_service_accounts(org_id, accounts)
        await self._write("service_accounts", rows)

        roles = self.reads("roles")
        invites = await roles.records("invites")
        seen_roles = (
            roles.members().organization_roles()
            | {r for invite in invites if (r := text(invite.role)) is not None}
            | {
                r
                for account in await roles.records("service_accounts")
                if (r := text(account.organization_role)) is not None
            }
        )
        rows = admin_rows.map_roles(org_id, await roles.records("workspaces"), seen_roles)
        await self._write("roles", rows)

    async def write_the_rest(self) -> None:
        """Every other family side by side; each maps its next unit while another's is
        written, then waits for its turn at the writer holding that one unit, never more."""
        access = self.reads("role_grants", "workspace_members")
        inherited = admin_rows.InheritedAccess(
            access.members().roles, await access.records("workspaces")
        )
        jobs = [
            self._role_grants,
            self._api_keys_then_activity,
            lambda: self._workspace_members(inherited),
            self._service_account_members,
            self._rbac,
            self._federation,
            *[lambda step=step: self._as_declared(step) for step in self.declared_steps()],
            # Read now, while the writer waits for paced reads, not at the cleanup.
            self.writer.read_snapshots_ahead,
        ]
        if self.scim_configured:
            jobs.append(self._scim)
        await bounded_gather(jobs, limit=len(jobs))

    def declared_steps(self) -> list[MappingStep]:
        """The steps written from their declaration alone: one read, one mapper."""
        coded = written_by_code(type(self))
        plain = [step for step in self.steps if step.family not in coded]
        for step in plain:
            if len(step.mappers) != 1 or len(step.reads) != 1:
                raise ValueError(
                    f"{step.family}: a family without code in ingest/sync/steps.py is one "
                    "mapper (org_id, records) -> rows over one read"
                )
        return plain

    async def _as_declared(self, step: MappingStep) -> None:
        (mapper,), (read,) = step.mappers, step.reads
        self.progress(f"loading {step.family}")
        async for records in self.reads(step.family).batches(read):
            await self.writer.write(step.family, mapper(self.org.id, records))

    @writes("role_grants")
    async def _role_grants(self) -> None:
        """Organization roles; what they grant in workspaces is one edge per role (roles)."""
        self.progress("loading role grants")
        grants = self.reads("role_grants")
        for chunk in batched(grants.members().roles.items(), self.access_chunk):
            rows = admin_rows.map_user_role_grants(self.org.id, chunk)
            await self._write("role_grants", rows)

    async def _api_keys_then_activity(self) -> None:
        """Activity is joined to members, keys and service accounts: it is written once the
        keys are (the others are written first), beside the families still being read."""
        await self._api_keys()
        await self._activity()

    @writes("api_keys")
    async def _api_keys(self) -> None:
        self.progress("loading API keys")
        keys = self.reads("api_keys")
        in_workspaces = await keys.records("workspaces")
        # Not a read: without an OAuth token the service accounts are never listed, so the
        # owners of keys become stubs.
        accounts_listed = "service_accounts" not in self.extraction.skipped
        stubs: set[str] = set()
        async for batch in keys.batches("api_keys"):
            rows = admin_rows.map_api_keys(
                self.org.id,
                batch,
                in_workspaces,
                service_accounts_read=accounts_listed,
                stubs=stubs,
            )
            self.subjects.add_keys(batch)
            await self._write("api_keys", rows)

    @writes("workspace_members")
    async def _workspace_members(self, inherited: admin_rows.InheritedAccess) -> None:
        self.progress("loading workspace members")
        async for listed in self.reads("workspace_members").batches("workspace_members"):
            await self._write_access(admin_rows.explicit_access(listed, inherited).items())

    @writes("service_account_members")
    async def _service_account_members(self) -> None:
        members = self.reads("service_account_members")
        rows = admin_rows.map_service_account_members(
            self.org.id,
            await members.records("service_accounts"),
            await members.records("service_account_memberships", last_reader=True),
        )
        await self._write("service_account_members", rows)

    @writes("federation_issuers", "federation_rules", "federation_rule_workspaces")
    async def _federation(self) -> None:
        """Issuers, then rules (trusting the issuers, assuming the service accounts), then the
        rules' workspaces: each relationship after the nodes at both its ends."""
        org_id = self.org.id
        issuers = await self.reads("federation_issuers").records("federation_issuers")
        rows = federation.map_federation_issuers(org_id, issuers)
        await self._write("federation_issuers", rows)
        rules = self.reads("federation_rules")
        rows = federation.map_federation_rules(
            org_id,
            await rules.records("federation_issuers", last_reader=True),
            await rules.records("federation_rules"),  # also the parent of the workspaces' read
        )
        await self._write("federation_rules", rows)
        enabled = await self.reads("federation_rule_workspaces").records(
            "federation_rule_workspaces", last_reader=True
        )
        rows = federation.map_federation_rule_workspaces(org_id, enabled)
        await self._write("federation_rule_workspaces", rows)

    @writes("scim_users", "scim_groups")
    async def _scim(self) -> None:
        self.progress("loading SCIM users and groups")
        scim_users = self.reads("scim_users")
        emails = scim_users.members().emails
        async for page in scim_users.batches("scim_users"):
            await self._write("scim_users", map_scim_users(self.org.id, page, emails))
        # Group memberships start at SCIM user nodes: after the last page of users.
        async for groups in self.reads("scim_groups").batches("scim_groups"):
            self.scim_group_names += [(g.id, g.display_name) for g in groups]
            await self._write("scim_groups", map_scim_groups(self.org.id, groups))
        await self.rbac_groups_written.wait()
        await self._scim_rbac_groups()

    @writes("rbac_roles", "rbac_role_permissions", "rbac_groups", "rbac_group_members")
    async def _rbac(self) -> None:
        """Enterprise roles, their permissions, groups (granting roles), then group members:
        each relationship after the nodes at both its ends."""
        org_id = self.org.id
        try:
            roles = await self.reads("rbac_roles").records("rbac_roles")
            if roles:
                self.progress("loading Enterprise roles and groups")
            await self._write("rbac_roles", rbac.map_rbac_roles(org_id, roles))
            permissions = await self.reads("rbac_role_permissions").records(
                "rbac_role_permissions", last_reader=True
            )
            rows = rbac.map_rbac_role_permissions(org_id, permissions)
            await self._write("rbac_role_permissions", rows)
            groups = await self.reads("rbac_groups").records("rbac_groups")
            await self._write("rbac_groups", rbac.map_rbac_groups(org_id, groups))
        finally:
            self.rbac_groups_written.set()
        members = self.reads("rbac_group_members")
        async for batch in members.batches("rbac_group_members"):
            await self._write("rbac_group_members", rbac.map_rbac_group_members(batch))

    @writes("scim_rbac_groups")
    async def _scim_rbac_groups(self) -> None:
        """SCIM groups joined to the groups they surface as, once both are written (beside
        the group members, which take a request per group)."""
        joins = self.reads("scim_rbac_groups")
        groups = await joins.records("rbac_groups")
        if not groups:
            return
        rows, issues = rbac.map_scim_rbac_groups(self.org.id, self.scim_group_names, groups)
        self.issues.extend(issues)
        await self._write("scim_rbac_groups", rows)

    @writes(*(node.family for node in ACTIVITY_NODES))
    async def _activity(self) -> None:
        """Each source read completely, joined to the members, keys and service accounts
        written by then. A source not read writes nothing: its subjects' activity is unknown."""
        window = self.activity_window
        if window is None:
            return
        for node_type in ACTIVITY_NODES:
            reads = self.reads(node_type.family)
            # Judged once its read has ended: a paced read still running is read completely
            # by the cleanup, which would then delete every element this step did not write.
            found = await reads.records(node_type.family, last_reader=True)
            extraction = self.extraction
            if node_type.family not in extraction.read_completely() - set(extraction.not_offered):
                continue
            self.progress(f"loading {node_type.family}")
            members = reads.members()
            self.subjects.user_ids = set(members.ids())
            self.subjects.emails = members.emails
            # In units, like workspace access: one source covers over 100,000 subjects at
            # 50,000 members, and their rows at once were the sync's peak memory.
            units, issues = map_activity(
                self.org.id, node_type, window, found, self.subjects, chunk=self.access_chunk
            )
            self.issues.extend(issues)
            for rows in units:
                await self._write(node_type.family, rows)
            if node_type.family == COMPLIANCE_ACTIVITY:
                self.feed_written = True
                if self.feed.restarted:
                    self.issues.append(RecordIssue(COMPLIANCE_ACTIVITY, None, self.feed.restarted))

    @writes("workspace_members", "role_grants")
    async def _write_access(self, access: Iterable[tuple[admin_rows.Pair, str]]) -> None:
        """Workspace access in chunks, so only a chunk or two of rows exist at a time."""
        for chunk in batched(access, self.access_chunk):
            memberships, grants = admin_rows.map_access(dict(chunk))
            await self._write("workspace_members", memberships)
            await self._write("role_grants", grants)
