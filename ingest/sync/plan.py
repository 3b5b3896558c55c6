"""THE read plan: every extraction family of a sync, one row each.

A row says how the family is read (the extractor call), which reads it needs first (their
records are handed to the call), whether it streams page by page to its writer (and what a
record weighs while it waits), and what gates it. The orchestrator (ingest/sync/extraction.py)
walks the table and states none of this itself. The scopes an Enterprise key needs for a
family are its row's `scopes`, and nothing else states them: a family the key's scopes do not
permit is skipped (deleting nothing) with the scope it needs, and the scope probes, the doctor's
matrix and the organization node's `families_not_permitted` all read them from here. Which
extractions each graph family is built from, and so what gets cleaned up, is declared next
door in ingest/sync/families.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ingest.extract import AdminExtractor, ScimExtractor, ScimUnavailable
from ingest.extract.capabilities import (
    PRODUCT_NAMES,
    READ_ANALYTICS,
    READ_COMPLIANCE_ACTIVITIES,
    READ_MEMBERS,
    READ_RBAC_GROUPS,
    Capabilities,
    Product,
    missing_scopes,
)
from ingest.extract.compliance import ComplianceFeed
from ingest.extract.credentials import OAUTH_TOKEN_ENV
from ingest.extract.parsing import OnRecords, ParseResult

Engine = Literal["admin", "scim"]
CONSOLE = Capabilities("console")


@dataclass(frozen=True)
class Engines:
    """The extractors of one sync; `scim` is None when SCIM is not configured, and then the
    SCIM rows are not part of the sync at all (the organization's SCIM status says so)."""

    admin: AdminExtractor
    scim: ScimExtractor | None = None
    capabilities: Capabilities = CONSOLE
    # The Compliance feed's stored cursor and days, and what its read found.
    feed: ComplianceFeed = field(default_factory=ComplianceFeed)

    def configured(self, engine: Engine) -> bool:
        return engine == "admin" or self.scim is not None

    @property
    def scim_engine(self) -> ScimExtractor:
        if self.scim is None:
            raise RuntimeError("a SCIM row was read without SCIM configured")
        return self.scim


# A read: the extractors, the records of its parents by family, and where its pages go when it
# streams (None otherwise). Returns the family's records, or when streamed its count and issues.
ReadCall = Callable[
    [Engines, Mapping[str, list[Any]], OnRecords | None], Awaitable[ParseResult[Any]]
]


@dataclass(frozen=True)
class Gate:
    """What a family needs besides its parents' records. When `closed` (asked once the parents
    are read, with the extractors and the reads failed so far) the family is skipped: not read,
    not a failure, and nothing built from it is cleaned up."""

    needs: str
    closed: Callable[[Engines, Mapping[str, BaseException]], bool]
    skipped_because: str


@dataclass(frozen=True)
class Read:
    family: str
    call: ReadCall
    parents: tuple[str, ...] = ()
    streams: bool = False
    # What one record weighs in its channel (back-pressure), when not 1.
    weight: Callable[[Any], int] | None = None
    gate: Gate | None = None
    engine: Engine = "admin"
    # The one organization product that offers the family; None: both. On the other product
    # the family is not read, not a failure, and counts as read with nothing in it.
    product: Product | None = None
    # The scopes an Enterprise key needs to read the family (a Console key has none to lack).
    scopes: tuple[str, ...] = ()
    # A 403 answer means "not permitted" (skipped, deleting nothing), not a failure: for a
    # family whose permission no probe can tell beforehand (the feed on Console).
    refusal_is_not_permitted: bool = False

    def offered_by(self, product: Product) -> bool:
        return self.product is None or self.product == product

    def not_offered(self, engines: Engines) -> str | None:
        """Why the organization's product does not offer this family, if it does not."""
        product = engines.capabilities.product
        if self.offered_by(product):
            return None
        return f"not offered by {PRODUCT_NAMES[product]} organizations"

    def missing_scopes(self, capabilities: Capabilities) -> tuple[str, ...]:
        """The scopes the family needs that the key lacks (empty: the key may read it)."""
        return missing_scopes(capabilities, *self.scopes)


class ReadPlan:
    """The rows in the order they start (which is the order they queue for the rate limits).
    A parent must come before its child, so the plan is acyclic by construction."""

    def __init__(self, rows: Iterable[Read]) -> None:
        self.rows = tuple(rows)
        seen: set[str] = set()
        for row in self.rows:
            if row.family in seen:
                raise ValueError(f"the read plan lists {row.family!r} twice")
            missing = [parent for parent in row.parents if parent not in seen]
            if missing:
                raise ValueError(f"{row.family!r} needs {missing} read first: list them above it")
            if row.weight is not None and not row.streams:
                raise ValueError(f"{row.family!r} has a weight but does not stream")
            seen.add(row.family)

    def __iter__(self) -> Iterator[Read]:
        return iter(self.rows)

    def families(self) -> tuple[str, ...]:
        return tuple(row.family for row in self.rows)

    def with_rows(self, *rows: Read) -> ReadPlan:
        return ReadPlan((*self.rows, *rows))

    def admin_families(self) -> tuple[str, ...]:
        """The Admin API families, whichever product offers them."""
        return tuple(row.family for row in self.rows if row.engine == "admin")

    def scopes(self) -> dict[str, tuple[str, ...]]:
        """family -> the scopes an Enterprise key needs to read it, for the families that need
        any."""
        return {row.family: row.scopes for row in self.rows if row.scopes}

    def access(self, capabilities: Capabilities, family: str) -> tuple[str, ...] | None:
        """None when the organization's product does not offer the Admin API `family`; else
        the scopes the key lacks for it (empty: readable)."""
        row = next(row for row in self.rows if row.family == family)
        if row.engine != "admin" or not row.offered_by(capabilities.product):
            return None
        return row.missing_scopes(capabilities)

    def not_permitted(self, capabilities: Capabilities) -> list[str]:
        """The product's families the key's scopes do not let it read."""
        return [f for f in self.admin_families() if self.access(capabilities, f)]


OAUTH_TOKEN = Gate(
    needs=f"an OAuth token with org:admin ({OAUTH_TOKEN_ENV})",
    closed=lambda engines, _: not engines.admin.can_read_service_accounts,
    skipped_because=f"not read: needs an org:admin OAuth token ({OAUTH_TOKEN_ENV})",
)
SCIM_ON_PLAN = Gate(
    needs="SCIM on the organization's plan (the probe was not refused with 403)",
    closed=lambda _, failed: isinstance(failed.get("scim_probe"), ScimUnavailable),
    skipped_because="SCIM is not available on this organization's plan",
)


async def _probe(engines: Engines) -> ParseResult[Any]:
    await engines.scim_engine.probe()
    return ParseResult("scim_probe")


def _scim_group_weight(group: Any) -> int:
    return 1 + len(group.member_ids)


# Users first: every write after theirs needs them. The per-workspace and per-account listings
# queue behind the page-by-page listings and take the tokens those leave while they wait.
PLAN = ReadPlan(
    [
        Read(
            "users",
            lambda e, _, pages: e.admin.users(pages),
            streams=True,
            scopes=(READ_MEMBERS,),
        ),
        Read("workspaces", lambda e, _, __: e.admin.workspaces(), product="console"),
        Read(
            "api_keys",
            lambda e, _, pages: e.admin.api_keys(pages),
            streams=True,
            product="console",
        ),
        Read("invites", lambda e, _, __: e.admin.invites(), scopes=(READ_MEMBERS,)),
        Read(
            "workspace_members",
            lambda e, parents, pages: e.admin.workspace_members(parents["workspaces"], pages),
            parents=("workspaces",),
            streams=True,
            product="console",
        ),
        Read(
            "service_accounts",
            lambda e, _, __: e.admin.service_accounts(),
            gate=OAUTH_TOKEN,
            product="console",
        ),
        Read(
            "service_account_memberships",
            lambda e, parents, _: e.admin.service_account_memberships(parents["service_accounts"]),
            parents=("service_accounts",),
            gate=OAUTH_TOKEN,
            product="console",
        ),
        Read(
            "federation_issuers",
            lambda e, _, __: e.admin.federation_issuers(),
            gate=OAUTH_TOKEN,
            product="console",
        ),
        Read(
            "federation_rules",
            lambda e, _, __: e.admin.federation_rules(),
            gate=OAUTH_TOKEN,
            product="console",
        ),
        Read(
            "federation_rule_workspaces",
            lambda e, parents, _: e.admin.federation_rule_workspaces(parents["federation_rules"]),
            parents=("federation_rules",),
            gate=OAUTH_TOKEN,
            product="console",
        ),
        # §1.2 of the product reference: custom roles are read with read:members.
        Read(
            "rbac_roles",
            lambda e, _, __: e.admin.rbac_roles(),
            product="enterprise",
            scopes=(READ_MEMBERS,),
        ),
        Read(
            "rbac_role_permissions",
            lambda e, parents, _: e.admin.rbac_role_permissions(parents["rbac_roles"]),
            parents=("rbac_roles",),
            product="enterprise",
            scopes=(READ_MEMBERS,),
        ),
        Read(
            "rbac_groups",
            lambda e, _, __: e.admin.rbac_groups(),
            product="enterprise",
            scopes=(READ_RBAC_GROUPS,),
        ),
        Read(
            "rbac_group_members",
            lambda e, parents, _: e.admin.rbac_group_members(parents["rbac_groups"]),
            parents=("rbac_groups",),
            product="enterprise",
            scopes=(READ_RBAC_GROUPS,),
        ),
        Read(
            "claude_code_activity",
            lambda e, _, __: e.admin.claude_code_activity(),
            product="console",
        ),
        Read(
            "messages_activity",
            lambda e, _, __: e.admin.messages_activity(),
            product="console",
        ),
        Read(
            "analytics_activity",
            lambda e, _, __: e.admin.analytics_activity(),
            product="enterprise",
            scopes=(READ_ANALYTICS,),
        ),
        # On Console the Admin key reads the feed only if the Compliance API was enabled before
        # it was created (§1.1): no scope to probe, so its 403 says it.
        Read(
            "compliance_activity",
            lambda e, _, __: e.admin.compliance_activity(e.feed),
            scopes=(READ_COMPLIANCE_ACTIVITIES,),
            refusal_is_not_permitted=True,
        ),
        Read("scim_probe", lambda e, _, __: _probe(e), engine="scim"),
        Read(
            "scim_users",
            lambda e, _, pages: e.scim_engine.users(pages),
            parents=("scim_probe",),
            streams=True,
            gate=SCIM_ON_PLAN,
            engine="scim",
        ),
        Read(
            "scim_groups",
            lambda e, _, pages: e.scim_engine.groups(pages),
            parents=("scim_probe",),
            streams=True,
            weight=_scim_group_weight,
            gate=SCIM_ON_PLAN,
            engine="scim",
        ),
    ]
)
