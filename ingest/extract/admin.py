"""Read every identity family of an organization from the Anthropic Admin API.

Each family method returns all its records with their issues, or raises an
`ExtractError` (then the family counts as failed and the sync must not clean it up). Which
families a sync reads, in what order and when, is the read plan's (ingest/sync/plan.py).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from ingest.extract.activity import (
    ANALYTICS_ACTIVITY,
    ANALYTICS_ENDPOINT,
    ANALYTICS_LIMIT,
    CLAUDE_CODE_ACTIVITY,
    CLAUDE_CODE_ENDPOINT,
    CLAUDE_CODE_LIMIT,
    MESSAGES_ACTIVITY,
    MESSAGES_DAY_BUCKETS,
    MESSAGES_ENDPOINT,
    MESSAGES_GROUP_BY,
    ActivityWindow,
    DaysSeen,
    SubjectDays,
    analytics_rows,
    claude_code_rows,
    messages_rows,
    rfc3339,
)
from ingest.extract.capabilities import Product
from ingest.extract.compliance import (
    COMPLIANCE_ACTIVITY,
    COMPLIANCE_ENDPOINT,
    COMPLIANCE_LIMIT,
    COMPLIANCE_TYPES,
    ComplianceFeed,
    compliance_rows,
)
from ingest.extract.concurrency import bounded_gather
from ingest.extract.config import ExtractConfig
from ingest.extract.credentials import OAUTH_TOKEN_ENV, AdminKeyKind, Credentials
from ingest.extract.deadline import Deadline
from ingest.extract.errors import (
    ApiError,
    CredentialError,
    MalformedPageError,
    OrganizationMismatchError,
    ServiceAccountPermissionError,
)
from ingest.extract.http_errors import api_error, network_error
from ingest.extract.models import (
    ApiKey,
    FederationIssuer,
    FederationRule,
    FederationRuleWorkspace,
    Invite,
    Organization,
    RbacGroup,
    RbacGroupMember,
    RbacRole,
    RbacRolePermission,
    Record,
    ServiceAccount,
    ServiceAccountMembership,
    User,
    Workspace,
    WorkspaceMember,
)
from ingest.extract.pacing import ANALYTICS_ROUTE, analytics_limits
from ingest.extract.pagination import (
    Collected,
    CursorTrail,
    Page,
    read_first_id_page,
    read_id_cursor_page,
    read_next_page_page,
    read_page_token_page,
)
from ingest.extract.parsing import (
    HandOver,
    OnRecords,
    ParseResult,
    RecordIssue,
    TemporarilyUnavailable,
    parse_records,
)
from ingest.extract.transport import (
    CHAIN,
    FAN_OUT,
    PRIORITY,
    EngineStats,
    ResilientTransport,
    json_body,
    unbound,
)

R = TypeVar("R", bound=Record)
T = TypeVar("T")  # what a walk makes of each page
P = TypeVar("P")  # the parent record of a per-parent listing

ANTHROPIC_VERSION = "2023-06-01"
ORG_HEADER = "anthropic-organization-id"
# `error.details.error_code` of an endpoint the organization's product does not offer.
PRODUCT_NOT_SUPPORTED = "organization_type_not_supported"

USERS = "users"
INVITES = "invites"
WORKSPACES = "workspaces"
WORKSPACE_MEMBERS = "workspace_members"
API_KEYS = "api_keys"
SERVICE_ACCOUNTS = "service_accounts"
SERVICE_ACCOUNT_MEMBERSHIPS = "service_account_memberships"
FEDERATION_ISSUERS = "federation_issuers"
FEDERATION_RULES = "federation_rules"
FEDERATION_RULE_WORKSPACES = "federation_rule_workspaces"
RBAC_GROUPS = "rbac_groups"
RBAC_GROUP_MEMBERS = "rbac_group_members"
RBAC_ROLES = "rbac_roles"
RBAC_ROLE_PERMISSIONS = "rbac_role_permissions"
ADMIN_FAMILIES = (
    USERS,
    INVITES,
    WORKSPACES,
    WORKSPACE_MEMBERS,
    API_KEYS,
    SERVICE_ACCOUNTS,
    SERVICE_ACCOUNT_MEMBERSHIPS,
    FEDERATION_ISSUERS,
    FEDERATION_RULES,
    FEDERATION_RULE_WORKSPACES,
    RBAC_GROUPS,
    RBAC_GROUP_MEMBERS,
    RBAC_ROLES,
    RBAC_ROLE_PERMISSIONS,
)

_LACKS_ORG_ADMIN = (
    "the OAuth token lacks org:admin (service accounts and federation are readable only "
    "with an org:admin OAuth token): "
)


@dataclass(frozen=True)
class _Paging:
    """The two pagination families: ID cursors (most lists) and opaque page tokens
    (service accounts, OAuth-only)."""

    cursor_param: str
    read: Callable[[Any, str, str], Page]
    oauth: bool
    page_size_setting: str | None = None  # the ExtractConfig field giving `limit`, if one does


_ID_CURSOR = _Paging("after_id", read_id_cursor_page, False, "admin_page_size")
_PAGE_TOKEN = _Paging("page", read_page_token_page, True, "service_account_page_size")
# Enterprise groups and roles: opaque `page`/`next_page`, the largest page the API allows.
_NEXT_PAGE = _Paging("page", read_next_page_page, False, "admin_page_size")
# Usage reports and the Compliance feed: the limits are the endpoints' own (activity.py).
_USAGE_PAGES = _Paging("page", read_page_token_page, False)
_FEED_FORWARD = _Paging("before_id", read_first_id_page, False)  # from the stored cursor on
_FEED_BACK = _Paging("after_id", read_id_cursor_page, False)  # from now back

# Reads of the group listing while some group's role data is null ("temporarily unavailable").
RBAC_ROLE_DATA_ATTEMPTS = 3


class AdminExtractor:
    """Async reader of the Admin API. Use as `async with AdminExtractor(...) as admin:`."""

    def __init__(
        self,
        credentials: Credentials,
        config: ExtractConfig | None = None,
        *,
        deadline: Deadline | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not isinstance(credentials, Credentials):
            raise CredentialError("AdminExtractor needs a checked Credentials object")
        self.config = config or ExtractConfig()
        self._credentials = credentials
        self._secrets = credentials.secrets()
        self.deadline = deadline or Deadline(self.config.deadline)
        self.stats = EngineStats("admin")
        self._transport = ResilientTransport(
            transport or httpx.AsyncHTTPTransport(),
            engine="admin",
            limits=self.config.admin,
            deadline=self.deadline,
            stats=self.stats,
            routes={ANALYTICS_ROUTE: self.config.analytics or analytics_limits()},
        )
        self._client = httpx.AsyncClient(
            base_url=self.config.admin_base_url.rstrip("/"),
            transport=self._transport,
            timeout=self.config.request_timeout,
            headers={"anthropic-version": ANTHROPIC_VERSION, "accept": "application/json"},
            params=_addressing(self.config.organization_id),
            follow_redirects=False,
        )
        # Every answer must come from this organization: the configured one from the start,
        # else the one /organizations/me names.
        self._organization_id: str | None = self.config.organization_id
        self._product: Product | None = None
        self._me: Organization | None = None
        # Fixed once, so every source and the mapping see the same days.
        self.activity_window = ActivityWindow.ending(
            self.config.activity_days, self.config.activity_until
        )

    async def __aenter__(self) -> AdminExtractor:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def can_read_service_accounts(self) -> bool:
        return self._credentials.oauth_token is not None

    @property
    def admin_key_kind(self) -> AdminKeyKind:
        return self._credentials.admin_key_kind

    async def probe(
        self, family: str, endpoint: str, params: Mapping[str, str] | None = None
    ) -> None:
        """One page of one record of a list, read only for whether the key may: `ApiError`
        (with the API's message) when it may not."""
        await self._get(family, endpoint, {**(params or {}), "limit": 1}, oauth=False)

    # ---- families -------------------------------------------------------------------

    async def product(self) -> Product:
        """The organization's product, asked once: `me` answers on Console (and is kept as the
        organization), and 400 `organization_type_not_supported` on Enterprise."""
        if self._product is None:
            try:
                self._me = await self._read_me()
                self._product = "console"
            except ApiError as exc:
                if exc.status != 400 or exc.error_code != PRODUCT_NOT_SUPPORTED:
                    raise
                self._product = "enterprise"
        return self._product

    async def organization(self) -> Organization:
        """The organization the key reads, cross-checked with the anthropic-organization-id
        header of every later answer. Console: `GET /v1/organizations/me`. Enterprise (no `me`):
        the id from that header on one member listed, and no name (the API does not give it)."""
        if await self.product() == "console":
            assert self._me is not None
            organization = self._me
        else:
            organization = await self._organization_from_header()
        self._organization_id = organization.id
        return organization

    async def _read_me(self) -> Organization:
        endpoint = "/v1/organizations/me"
        body, response = await self._get("organization", endpoint, {}, oauth=False)
        parsed = parse_records(Organization, [body], "organization")
        if not parsed.records:
            raise MalformedPageError("organization", endpoint, "no readable organization id")
        organization = parsed.records[0]
        header = response.headers.get(ORG_HEADER)
        if header is not None and not same_organization(header, organization.id):
            raise OrganizationMismatchError(
                f"{ORG_HEADER} header {header!r} differs from /organizations/me id "
                f"{organization.id!r}; refusing to mix organizations"
            )
        wanted = self.config.organization_id
        if wanted is not None and not same_organization(wanted, organization.id):
            raise OrganizationMismatchError(
                f"/organizations/me answered for organization {organization.id!r}, not the "
                f"configured organization_id {wanted!r}; refusing to mix organizations"
            )
        return organization

    async def _organization_from_header(self) -> Organization:
        endpoint = "/v1/organizations/users"
        _, response = await self._get("organization", endpoint, {"limit": 1}, oauth=False)
        header = response.headers.get(ORG_HEADER)
        if not header:
            raise MalformedPageError(
                "organization", endpoint, f"no {ORG_HEADER} header to tell the organization"
            )
        return Organization(id=header)

    async def users(self, on_records: OnRecords | None = None) -> ParseResult[User]:
        """Every member. With `on_records`, each page's users are handed over as it is read
        and not kept (the result holds the issues and the count; see `parsing.HandOver`)."""
        return await self._walk(User, USERS, "/v1/organizations/users", on_records=on_records)

    async def invites(self) -> ParseResult[Invite]:
        """Every invite, whatever its status (no `statuses` filter means all)."""
        return await self._walk(Invite, INVITES, "/v1/organizations/invites")

    async def api_keys(self, on_records: OnRecords | None = None) -> ParseResult[ApiKey]:
        """Every API key, whatever its status (no `status` filter means all); `on_records`
        as for `users`."""
        return await self._walk(
            ApiKey, API_KEYS, "/v1/organizations/api_keys", on_records=on_records
        )

    async def workspaces(self) -> ParseResult[Workspace]:
        """Every workspace, archived and default included; `is_default` per models.py."""
        endpoint = "/v1/organizations/workspaces"
        with_default, without_default = await asyncio.gather(
            self._walk(
                Workspace,
                WORKSPACES,
                endpoint,
                {"include_archived": True, "include_default": True},
            ),
            self._walk(Workspace, WORKSPACES, endpoint, {"include_archived": True}),
        )
        only_with_default = with_default.ids() - without_default.ids()
        if len(only_with_default) > 1:
            with_default.issues.append(
                RecordIssue(
                    WORKSPACES,
                    None,
                    f"{len(only_with_default)} workspaces appear only with include_default; "
                    "all are marked default",
                )
            )
        with_default.records = [
            w.model_copy(update={"is_default": True}) if w.id in only_with_default else w
            for w in with_default.records
        ]
        return with_default

    async def workspace_members(
        self,
        workspaces: Sequence[Workspace] | None = None,
        on_records: OnRecords | None = None,
    ) -> ParseResult[WorkspaceMember]:
        """Explicit members of every workspace, listed concurrently (bounded, rate-limited);
        `on_records` as for `users`.

        An archived workspace that refuses the listing (400/404) is reported, not fatal.
        """
        if workspaces is None:
            workspaces = (await self.workspaces()).records
        return await self._each_parent(
            WORKSPACE_MEMBERS,
            workspaces,
            lambda workspace: self._members_of(workspace, on_records),
            streamed=on_records is not None,
        )

    async def service_accounts(self) -> ParseResult[ServiceAccount]:
        """Every service account, archived included (needs the org:admin OAuth token)."""
        self._require_oauth(SERVICE_ACCOUNTS)
        return await self._walk(
            ServiceAccount,
            SERVICE_ACCOUNTS,
            "/v1/organizations/service_accounts",
            {"include_archived": True},
            paging=_PAGE_TOKEN,
        )

    async def service_account_memberships(
        self, service_accounts: Sequence[ServiceAccount] | None = None
    ) -> ParseResult[ServiceAccountMembership]:
        """Workspace memberships of every live service account, the implicit Default
        Workspace membership included (archived accounts have none)."""
        self._require_oauth(SERVICE_ACCOUNT_MEMBERSHIPS)
        if service_accounts is None:
            service_accounts = (await self.service_accounts()).records
        live = [sa for sa in service_accounts if not sa.archived]
        return await self._each_parent(SERVICE_ACCOUNT_MEMBERSHIPS, live, self._memberships_of)

    async def federation_issuers(self) -> ParseResult[FederationIssuer]:
        """Every federation issuer, archived included (needs the org:admin OAuth token)."""
        self._require_oauth(FEDERATION_ISSUERS)
        return await self._walk(
            FederationIssuer,
            FEDERATION_ISSUERS,
            "/v1/organizations/federation_issuers",
            {"include_archived": True},
            paging=_PAGE_TOKEN,
        )

    async def federation_rules(self) -> ParseResult[FederationRule]:
        """Every federation rule, archived included (needs the org:admin OAuth token)."""
        self._require_oauth(FEDERATION_RULES)
        return await self._walk(
            FederationRule,
            FEDERATION_RULES,
            "/v1/organizations/federation_rules",
            {"include_archived": True},
            paging=_PAGE_TOKEN,
        )

    async def federation_rule_workspaces(
        self, rules: Sequence[FederationRule]
    ) -> ParseResult[FederationRuleWorkspace]:
        """The workspaces each rule is explicitly enabled for (one unpaginated answer per
        rule; `applies_to_all_workspaces` is on the rule itself)."""
        self._require_oauth(FEDERATION_RULE_WORKSPACES)

        return await self._each_parent(
            FEDERATION_RULE_WORKSPACES,
            rules,
            lambda rule: self._walk(
                FederationRuleWorkspace,
                FEDERATION_RULE_WORKSPACES,
                f"/v1/organizations/federation_rules/{rule.id}/workspaces",
                defaults={"federation_rule_id": rule.id},
                paging=_PAGE_TOKEN,
                priority=FAN_OUT,
            ),
        )

    async def rbac_groups(self) -> ParseResult[RbacGroup]:
        """Every group, SCIM-sourced ones included. A group whose role data came back null
        ("temporarily unavailable; retry") is read again with the whole listing, a bounded
        number of times; after that the family is not read completely."""
        for _ in range(RBAC_ROLE_DATA_ATTEMPTS):
            result = await self._walk(
                RbacGroup, RBAC_GROUPS, "/v1/organizations/rbac_groups", paging=_NEXT_PAGE
            )
            unavailable = [g for g in result.records if g.role_ids is None]
            if not unavailable:
                return result
        what = f"the role data of {len(unavailable)} group(s)"
        result.unsettled = TemporarilyUnavailable(what, RBAC_ROLE_DATA_ATTEMPTS)
        return result

    async def rbac_group_members(self, groups: Sequence[RbacGroup]) -> ParseResult[RbacGroupMember]:
        """Current members of every group, listed concurrently (bounded, rate-limited)."""
        return await self._each_parent(
            RBAC_GROUP_MEMBERS,
            groups,
            lambda group: self._walk(
                RbacGroupMember,
                RBAC_GROUP_MEMBERS,
                f"/v1/organizations/rbac_groups/{group.id}/members",
                defaults={"rbac_group_id": group.id},
                paging=_NEXT_PAGE,
                priority=FAN_OUT,
            ),
        )

    async def rbac_roles(self) -> ParseResult[RbacRole]:
        """The organization's role catalog, built-in and custom."""
        return await self._walk(
            RbacRole, RBAC_ROLES, "/v1/organizations/rbac_roles", paging=_NEXT_PAGE
        )

    async def rbac_role_permissions(
        self, roles: Sequence[RbacRole]
    ) -> ParseResult[RbacRolePermission]:
        """The permission rows of every role (blanket grants stay single rows)."""
        return await self._each_parent(
            RBAC_ROLE_PERMISSIONS,
            roles,
            lambda role: self._walk(
                RbacRolePermission,
                RBAC_ROLE_PERMISSIONS,
                f"/v1/organizations/rbac_roles/{role.id}/permissions",
                defaults={"rbac_role_id": role.id},
                paging=_NEXT_PAGE,
                priority=FAN_OUT,
            ),
        )

    # ---- activity (ingest/extract/activity.py) -------------------------------------------

    async def claude_code_activity(self) -> ParseResult[SubjectDays]:
        """Claude Code users (by email) and keys (by name) per day: one listing a day, the
        largest pages the endpoint allows."""
        seen = DaysSeen(CLAUDE_CODE_ACTIVITY)
        query = {"limit": CLAUDE_CODE_LIMIT}
        await self._each_day(seen, CLAUDE_CODE_ENDPOINT, "starting_at", query, claude_code_rows)
        return seen.result()

    async def messages_activity(self) -> ParseResult[SubjectDays]:
        """Keys, service accounts and OAuth accounts with message usage, per day bucket: the
        whole window in one listing (31 day buckets a page)."""
        window = self.activity_window
        query = {
            "starting_at": rfc3339(window.starts_at),
            "ending_at": rfc3339(window.ends_at),
            "bucket_width": "1d",
            "group_by[]": list(MESSAGES_GROUP_BY),
            "limit": MESSAGES_DAY_BUCKETS,
        }
        seen = DaysSeen(MESSAGES_ACTIVITY)
        await self._flattened(seen, MESSAGES_ENDPOINT, query, messages_rows, "", priority=CHAIN)
        return seen.result()

    async def analytics_activity(self) -> ParseResult[SubjectDays]:
        """Enterprise members' daily rows (`read:analytics`): one listing a day."""
        seen = DaysSeen(ANALYTICS_ACTIVITY)
        query = {"limit": ANALYTICS_LIMIT}
        await self._each_day(seen, ANALYTICS_ENDPOINT, "date", query, analytics_rows)
        return seen.result()

    async def compliance_activity(self, feed: ComplianceFeed) -> ParseResult[SubjectDays]:
        """Members' logins and role changes from the Compliance Activity Feed: only what is
        newer than the stored cursor, added to the stored days; the window when there is no
        cursor or the API no longer knows it (ingest/extract/compliance.py)."""
        query: dict[str, Any] = {"activity_types[]": list(COMPLIANCE_TYPES)}
        if feed.stored_cursor is not None:
            seen = DaysSeen(COMPLIANCE_ACTIVITY)
            seen.add(feed.stored_rows(self.activity_window))
            try:
                await self._feed(query, _FEED_FORWARD, feed, seen)
            except ApiError as exc:
                if exc.status != 400:
                    raise
                feed.restarted = f"the stored cursor was refused ({exc.message})"
            else:
                return seen.result()
        query["created_at.gte"] = rfc3339(self.activity_window.starts_at)
        seen = DaysSeen(COMPLIANCE_ACTIVITY)
        await self._feed(query, _FEED_BACK, feed, seen)
        return seen.result()

    async def _feed(
        self, params: dict[str, Any], paging: _Paging, feed: ComplianceFeed, seen: DaysSeen
    ) -> None:
        """Every feed page from the stored cursor forward (`_FEED_FORWARD`) or from now back
        (`_FEED_BACK`), each page's events folded into `seen` as it is read; the newest event
        id read goes to `feed.newest_id`."""
        forward = paging is _FEED_FORWARD
        events = 0

        def fold(page: Page, body: Any) -> None:
            nonlocal events
            newest = body.get("first_id")
            if isinstance(newest, str) and newest and (forward or feed.newest_id is None):
                feed.newest_id = newest
            seen.add(row for event in page.items for row in compliance_rows(event))
            events += len(page.items)

        query = {**params, "limit": COMPLIANCE_LIMIT}
        start = feed.stored_cursor if forward else None
        await self._each_page(
            COMPLIANCE_ACTIVITY, COMPLIANCE_ENDPOINT, query, paging, fold, cursor=start
        )
        feed.read_new = events

    async def _each_day(
        self,
        seen: DaysSeen,
        endpoint: str,
        day_param: str,
        params: Mapping[str, Any],
        rows: Callable[[Any, str], Iterable[Any]],
    ) -> None:
        """One listing a day of the window, newest first, concurrently (bounded, paced)."""
        days = [day.isoformat() for day in self.activity_window.each_day()]
        walks = [
            functools.partial(self._flattened, seen, endpoint, {**params, day_param: d}, rows, d)
            for d in days
        ]
        await bounded_gather(walks, self.config.member_concurrency)

    async def _flattened(
        self,
        seen: DaysSeen,
        endpoint: str,
        params: Mapping[str, Any],
        rows: Callable[[Any, str], Iterable[Any]],
        day: str,
        *,
        priority: int = FAN_OUT,
    ) -> None:
        """Walk a page-token listing, each item flattened to activity rows by `rows` and each
        page folded into `seen` as it is read."""

        def fold(page: Page, _: Any) -> None:
            seen.add(row for item in page.items for row in rows(item, day))

        await self._each_page(seen.family, endpoint, params, _USAGE_PAGES, fold, priority=priority)

    async def _each_parent(
        self,
        family: str,
        parents: Iterable[P],
        walk: Callable[[P], Awaitable[ParseResult[R]]],
        *,
        streamed: bool = False,
    ) -> ParseResult[R]:
        """`walk` of every parent's listing, concurrently (bounded, rate-limited), in one
        result. `streamed`: the walks handed their records over, and the result counts them (a
        record's key holds its parent, so none repeats across parents)."""
        parts = await bounded_gather(
            [functools.partial(walk, parent) for parent in parents],
            self.config.member_concurrency,
        )
        result: ParseResult[R] = ParseResult(family)
        for part in parts:
            result.extend(part)
        if streamed:
            result.streamed = sum(part.count() for part in parts)
        return result

    # ---- helpers --------------------------------------------------------------------

    async def _members_of(
        self, workspace: Workspace, on_records: OnRecords | None
    ) -> ParseResult[WorkspaceMember]:
        endpoint = f"/v1/organizations/workspaces/{workspace.id}/members"
        try:
            return await self._walk(
                WorkspaceMember,
                WORKSPACE_MEMBERS,
                endpoint,
                defaults={"workspace_id": workspace.id},
                priority=FAN_OUT,
                on_records=on_records,
            )
        except ApiError as exc:
            if not (workspace.archived and exc.status in (400, 404)):
                raise
            problem = f"archived workspace refused its member list (HTTP {exc.status})"
            return ParseResult(
                WORKSPACE_MEMBERS, issues=[RecordIssue(WORKSPACE_MEMBERS, workspace.id, problem)]
            )

    async def _memberships_of(self, sa: ServiceAccount) -> ParseResult[ServiceAccountMembership]:
        endpoint = f"/v1/organizations/service_accounts/{sa.id}/workspaces"

        def walk() -> Awaitable[ParseResult[ServiceAccountMembership]]:
            return self._walk(
                ServiceAccountMembership,
                SERVICE_ACCOUNT_MEMBERSHIPS,
                endpoint,
                defaults={"service_account_id": sa.id},
                paging=_PAGE_TOKEN,
                priority=FAN_OUT,
            )

        try:
            return await walk()
        except ApiError as exc:
            # A cursor goes stale when a membership is removed mid-walk (400): start over once.
            if exc.status != 400 or isinstance(exc, ServiceAccountPermissionError):
                raise
        return await walk()

    def _require_oauth(self, family: str) -> None:
        if not self.can_read_service_accounts:
            raise CredentialError(
                f"{family} need an org:admin OAuth token in {OAUTH_TOKEN_ENV}; "
                "Admin keys are rejected on the service-account and federation routes."
            )

    async def _walk(
        self,
        model: type[R],
        family: str,
        endpoint: str,
        params: Mapping[str, Any] | None = None,
        defaults: Mapping[str, Any] | None = None,
        *,
        paging: _Paging = _ID_CURSOR,
        priority: int = CHAIN,
        on_records: OnRecords | None = None,
    ) -> ParseResult[R]:
        """Walk the pages of a list (ID cursors or page tokens) while `has_more`; with
        `on_records`, hand each page's records over instead of keeping them."""
        assert paging.page_size_setting is not None
        query = {**(params or {}), "limit": getattr(self.config, paging.page_size_setting)}
        defaults = defaults or {}
        collected = Collected(model)
        hand_over = HandOver(family, on_records) if on_records is not None else None

        def fold(page: Page, _: Any) -> ParseResult[R] | None:
            if hand_over is not None:  # handed over page by page, not kept
                return parse_records(model, page.items, family, defaults)
            collected.add(page, defaults)
            return None

        await self._each_page(
            family, endpoint, query, paging, fold, priority=priority, then=hand_over
        )
        if hand_over is not None:
            return hand_over.result()
        return parse_records(model, collected.items(), family, defaults)

    async def _each_page(
        self,
        family: str,
        endpoint: str,
        query: Mapping[str, Any],
        paging: _Paging,
        fold: Callable[[Page, Any], T],
        *,
        cursor: str | None = None,
        priority: int = CHAIN,
        then: Callable[[T], Awaitable[None]] | None = None,
    ) -> None:
        """Every page of a listing from `cursor` (the first page without one) to the last:
        `fold` takes each page and its body as it is read, and `then` what `fold` made of it
        once the page is dropped, so no raw page is held while the next one, or room for what
        was made of it, is waited for. A cursor that comes back is a malformed page."""
        trail = CursorTrail(family, endpoint)
        while True:
            params = {**query} if cursor is None else {**query, paging.cursor_param: cursor}
            body, _ = await self._get(
                family, endpoint, params, oauth=paging.oauth, priority=priority
            )
            page = paging.read(body, family, endpoint)
            trail.follow(page)
            cursor = page.next_cursor
            made = fold(page, body)
            del body, _, page
            if then is not None:
                await then(made)
            del made
            if cursor is None:
                return

    async def _get(
        self,
        family: str,
        endpoint: str,
        params: Mapping[str, Any],
        *,
        oauth: bool,
        priority: int = CHAIN,
    ) -> tuple[Any, httpx.Response]:
        """One GET (retried by the transport); returns the decoded JSON body and the response."""
        self.deadline.check(f"listing {family}")
        try:
            response = unbound(
                await self._client.get(
                    endpoint,
                    params=dict(params),
                    headers=self._auth_headers(oauth),
                    extensions={PRIORITY: priority},
                )
            )
        except httpx.HTTPError as exc:
            raise network_error(exc, self._secrets, family=family, endpoint=endpoint) from None
        if response.status_code >= 400:
            if oauth and response.status_code == 403:
                raise api_error(
                    response,
                    self._secrets,
                    family=family,
                    endpoint=endpoint,
                    error_class=ServiceAccountPermissionError,
                    prefix=_LACKS_ORG_ADMIN,
                )
            raise api_error(response, self._secrets, family=family, endpoint=endpoint)
        self._check_organization(response, family, endpoint)
        try:
            return json_body(response), response
        except ValueError:
            raise MalformedPageError(family, endpoint, "body is not JSON") from None

    def _check_organization(self, response: httpx.Response, family: str, endpoint: str) -> None:
        header = response.headers.get(ORG_HEADER)
        expected = self._organization_id
        if expected is None:
            # The first answer names the organization every later one must come from (on
            # Enterprise the probes answer before the organization is known).
            self._organization_id = header
        elif header is not None and not same_organization(header, expected):
            raise OrganizationMismatchError(
                f"{family} page from {endpoint} belongs to organization {header!r}, "
                f"not {self._organization_id!r}"
            )

    def _auth_headers(self, oauth: bool) -> dict[str, str]:
        if oauth:
            token = self._credentials.oauth_token
            assert token is not None  # checked by _require_oauth
            return {"authorization": f"Bearer {token.get_secret_value()}"}
        return {"x-api-key": self._credentials.admin_key.get_secret_value()}


def same_organization(one: str, other: str) -> bool:
    """Whether two organization ids name the same org: a UUID is written bare or
    `org_`-prefixed, in either case (docs/simulator.md reading 22)."""
    return one.removeprefix("org_").lower() == other.removeprefix("org_").lower()


def _addressing(organization_id: str | None) -> dict[str, str]:
    """The query parameter naming the linked organization on every Admin request, if any."""
    return {"organization_id": organization_id} if organization_id else {}
