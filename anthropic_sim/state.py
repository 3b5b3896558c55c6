"""The simulated organization's state: plain records, shared by the Admin and SCIM engines.

Every collection is a dict kept in creation order; ids are generated so that
sorting by id is creation order too, which is what ID-cursor pagination walks.
Admin records are rendered to their documented JSON by the Admin API module;
SCIM resources are stored as the SCIM JSON itself (minus `meta.location`,
which depends on the base URL) because PATCH and filters operate on that shape.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from anthropic_sim.config import Product
from anthropic_sim.ids import IdFactory
from anthropic_sim.ledger import Ledger
from anthropic_sim.rbac_state import RbacState
from anthropic_sim.stats import Stats

Tier = Literal["enterprise", "standard"]

ORG_ROLES = (
    "admin",
    "billing",
    "claude_code_user",
    "developer",
    "managed",
    "membership_admin",
    "owner",
    "primary_owner",
    "user",
)
ASSIGNABLE_ORG_ROLES = ("user", "developer", "billing", "claude_code_user", "managed")
# Claude Enterprise (reference claude-org-products.md 2.2): exactly one primary_owner; only
# user and managed can be set through the API; the others are protected.
ENTERPRISE_ROLES = ("user", "managed", "owner", "membership_admin", "primary_owner")
ENTERPRISE_ASSIGNABLE_ROLES = ("user", "managed")
ENTERPRISE_PROTECTED_ROLES = ("owner", "membership_admin", "primary_owner")
# `roles[]` filter values per product. Console's documented five, plus owner and primary_owner,
# which this simulator's Console orgs do hold (reading in docs/simulator.md).
ROLE_FILTER_VALUES: dict[str, tuple[str, ...]] = {
    "console": (
        "user",
        "developer",
        "billing",
        "admin",
        "claude_code_user",
        "owner",
        "primary_owner",
    ),
    "enterprise": ENTERPRISE_ROLES,
}
WORKSPACE_ROLES = (
    "workspace_admin",
    "workspace_billing",
    "workspace_developer",
    "workspace_restricted_developer",
    "workspace_user",
)
API_KEY_STATUSES = ("active", "inactive", "archived", "expired")
INVITE_STATUSES = ("accepted", "deleted", "expired", "pending")
# The organization `config.foreign_org_after` answers for once it flips.
FOREIGN_ORG_ID = "0f0e1900-0000-4000-8000-00000000f0e1"


@dataclass
class User:
    id: str  # user_...
    email: str
    name: str
    role: str  # one of ORG_ROLES
    added_at: datetime
    signed_out_at: datetime | None = None  # the last sign-out everywhere; never rendered


@dataclass
class Invite:
    id: str  # invite_...
    email: str
    role: str
    status: str  # one of INVITE_STATUSES
    invited_at: datetime
    expires_at: datetime  # invited_at + 21 days
    accepted_at: datetime | None = None
    rbac_group_ids: list[str] = field(default_factory=list)


@dataclass
class Workspace:
    id: str  # wrkspc_...
    name: str
    created_at: datetime
    archived_at: datetime | None = None
    display_color: str = "#6C5BB9"
    is_default: bool = False
    data_residency: dict[str, Any] = field(
        default_factory=lambda: {
            "workspace_geo": "us",
            "allowed_inference_geos": "unrestricted",
            "default_inference_geo": "global",
        }
    )
    compartment_id: str = ""
    external_key_id: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class WorkspaceMember:
    """An explicit membership of a user (inherited access is never stored)."""

    workspace_id: str
    user_id: str
    workspace_role: str  # one of WORKSPACE_ROLES


@dataclass
class ApiKey:
    id: str  # apikey_...
    name: str
    created_at: datetime
    workspace_id: str | None  # the real wrkspc_ id (Default Workspace too); None = org-scoped
    status: str  # one of API_KEY_STATUSES
    # {"id": ..., "type": "user" | "service_account"} or None (legacy / WIF / system keys)
    created_by: dict[str, str] | None
    expires_at: datetime | None = None
    partial_key_hint: str | None = None
    # {"type": "user_actor", "user_id"} | {"type": "service_account_actor", "service_account_id"}
    principal: dict[str, str] | None = None


@dataclass
class ServiceAccount:
    id: str  # svac_...
    name: str  # slug, unique
    organization_role: str  # "admin" | "developer"
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    archived_at: datetime | None = None
    created_by_actor_id: str | None = None
    updated_by_actor_id: str | None = None
    archived_by_actor_id: str | None = None


@dataclass
class ServiceAccountMembership:
    service_account_id: str
    workspace_id: str
    workspace_role: str  # never workspace_billing
    created_by_actor_id: str | None = None


@dataclass
class FederationIssuer:
    """An external OIDC issuer the organization trusts (reference claude-org-products.md 4.3)."""

    id: str  # fdis_...
    name: str  # slug, unique
    issuer_url: str  # must equal the JWT `iss` exactly
    # {"type": "discovery", "discovery_base"?} | {"type": "explicit_url", "url"}
    # | {"type": "inline", "keys": [...]}
    jwks: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    check_jti: bool = True
    max_jwt_lifetime_seconds: int = 3600
    archived_at: datetime | None = None
    jwks_polling_disabled_at: datetime | None = None
    # {"consecutive_failures", "last_fetched_at", "next_poll_at"} or None (inline keys)
    poll_status: dict[str, Any] | None = None
    created_by_actor_id: str | None = None
    updated_by_actor_id: str | None = None
    archived_by_actor_id: str | None = None


@dataclass
class FederationRule:
    """Which tokens of an issuer may be exchanged for an OAuth token acting as a service
    account, with which scope, for how long, in which workspaces."""

    id: str  # fdrl_...
    name: str
    issuer_id: str
    # {"subject_prefix", "audience", "claims": {str: str}, "condition"}: each may be None
    match: dict[str, Any]
    service_account_id: str
    oauth_scope: str  # space-separated
    created_at: datetime
    updated_at: datetime
    token_lifetime_seconds: int = 3600
    applies_to_all_workspaces: bool = False
    description: str | None = None
    archived_at: datetime | None = None
    created_by_actor_id: str | None = None
    updated_by_actor_id: str | None = None
    archived_by_actor_id: str | None = None


@dataclass
class FederationRuleWorkspace:
    """A workspace a rule is explicitly enabled for."""

    federation_rule_id: str
    workspace_id: str
    created_at: datetime
    created_by_actor_id: str | None = None


@dataclass
class Org:
    id: str  # a UUID
    name: str
    tier: Tier
    epoch: datetime  # the simulator's "now" at generation; all generated times are before it
    admin_key: str  # sk-ant-admin01-...
    oauth_token: str  # org:admin OAuth bearer (service-account endpoints accept only this)
    scim_token: str  # the SCIM bearer token
    inference_key: str  # an sk-ant-api03-... key of this org, never valid on admin routes
    users: dict[str, User] = field(default_factory=dict)
    invites: dict[str, Invite] = field(default_factory=dict)
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    members: dict[tuple[str, str], WorkspaceMember] = field(default_factory=dict)  # (ws, user)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)
    service_accounts: dict[str, ServiceAccount] = field(default_factory=dict)
    sa_memberships: dict[tuple[str, str], ServiceAccountMembership] = field(
        default_factory=dict
    )  # (service account, workspace)
    federation_issuers: dict[str, FederationIssuer] = field(default_factory=dict)
    federation_rules: dict[str, FederationRule] = field(default_factory=dict)
    federation_rule_workspaces: dict[tuple[str, str], FederationRuleWorkspace] = field(
        default_factory=dict
    )  # (rule, workspace)
    scim_users: dict[str, dict[str, Any]] = field(default_factory=dict)  # SCIM id -> resource
    scim_groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    rbac: RbacState = field(default_factory=RbacState)  # Enterprise groups and roles
    # Compliance Activity Feed events appended through the control API (compliance_feed.py).
    appended_activities: list[dict[str, Any]] = field(default_factory=list)
    # Users who have left the organization; keys they created still name them.
    departed_users: dict[str, User] = field(default_factory=dict)
    # Named sets of ids of the risky situations the generator planted (see generator).
    planted: dict[str, list[str]] = field(default_factory=dict)
    # The generator's own record of each case it planted, as it planted it (see ledger).
    ledger: Ledger = field(default_factory=Ledger)
    # The organization's own email domains (everything else is an external domain).
    main_domains: list[str] = field(default_factory=list)
    # The id factory's counter after generation; ids made at run time continue from it.
    id_counter: int = 0
    # The seed the organization was generated from.
    seed: int = 0
    product: Product = "console"

    def default_workspace(self) -> Workspace:
        return next(w for w in self.workspaces.values() if w.is_default)

    def user_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        return next((u for u in self.users.values() if u.email.lower() == wanted), None)


@dataclass(frozen=True)
class AdminKey:
    """An Admin API credential as the parent organization knows it."""

    secret: str
    home_org: str  # the organization it was created in
    scopes: tuple[str, ...] | None  # None: a Console Admin key, which has no scopes
    all_linked: bool = False  # created for all linked organizations of the parent

    def reaches(self, org_id: str, linked: dict[str, Simulator]) -> bool:
        if org_id == self.home_org:
            return True
        target = linked.get(org_id)
        return self.all_linked and target is not None and target.org.product == "enterprise"


@dataclass
class Parent:
    """The company: its linked organizations (the first is the one the server was started
    for) and every Admin key of any of them."""

    orgs: dict[str, Simulator] = field(default_factory=dict)
    keys: dict[str, AdminKey] = field(default_factory=dict)


@dataclass
class Simulator:
    """One running simulated organization: its state, its knobs, and a lock for writers."""

    org: Org
    config: Any  # anthropic_sim.config.SimConfig
    lock: threading.RLock = field(default_factory=threading.RLock)
    # Ids made at run time (API creates, churn, control mutations), monotonic after the org's.
    ids: IdFactory | None = None
    # request-id values; a separate stream so requests never perturb entity ids.
    request_ids: IdFactory | None = None
    stats: Stats = field(default_factory=Stats)
    # Ids removed at run time: a pagination cursor naming one is stale, not unknown.
    tombstones: set[str] = field(default_factory=set)
    faults: Any = None  # anthropic_sim.faults.FaultInjector (set by create_simulator)
    rate_limiter: Any = None  # anthropic_sim.ratelimit.RateLimiter (set by create_simulator)
    # anthropic_sim.scim.resources.GroupsIndexCache: users' derived `groups`, kept between pages.
    scim_groups_index: Any = None
    # Authenticated Admin API answers since `config.foreign_org_after` was last set.
    org_header_answers: int = 0
    parent: Parent | None = None  # set by anthropic_sim.linked.link_orgs

    def linked(self) -> Parent:
        assert self.parent is not None
        return self.parent

    def __post_init__(self) -> None:
        if self.ids is None:
            self.ids = IdFactory(random.Random(f"runtime-{self.org.seed}"), self.org.id_counter)
        if self.request_ids is None:
            self.request_ids = IdFactory(random.Random(f"requests-{self.org.seed}"))

    def reset(self, config: Any, org: Org) -> None:
        """Swap `org` (freshly generated from `config`) and `config` in, in place: the running
        server keeps serving this object, so everything derived from the old org starts over."""
        with self.lock:
            self.org = org
            self.config = config
            self.ids = IdFactory(random.Random(f"runtime-{org.seed}"), org.id_counter)
            self.request_ids = IdFactory(random.Random(f"requests-{org.seed}"))
            self.tombstones = set()
            self.org_header_answers = 0
            self.scim_groups_index = None
            self.stats.reset()
            self.faults.configure(config.faults, config.fault_seed)
            self.rate_limiter.reset()

    def new_ids(self) -> IdFactory:
        assert self.ids is not None
        return self.ids

    def new_request_id(self) -> str:
        assert self.request_ids is not None
        return self.request_ids.request()

    def organization_header(self) -> str:
        """The `anthropic-organization-id` of the next authenticated Admin API answer."""
        with self.lock:
            self.org_header_answers += 1
            after = getattr(self.config, "foreign_org_after", 0)
            if after and self.org_header_answers > after:
                return FOREIGN_ORG_ID
            return self.org.id

    def now(self) -> datetime:
        """The simulator's clock: the org's epoch (deterministic), or wall time if configured."""
        if getattr(self.config, "wall_clock", False):
            return datetime.now(UTC)
        return self.org.epoch

    def deprovision_by_email(self, email: str) -> User | None:
        """What Claude does when the IdP deactivates a SCIM user: remove the org member."""
        from anthropic_sim.mutations import remove_user  # mutations builds on this module

        with self.lock:
            user = self.org.user_by_email(email)
            if user is None or user.role == "primary_owner":
                return None
            return remove_user(self, user.id)
