"""Every knob of the simulator, in one place (documented in docs/simulator.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Size = Literal["small", "medium", "large", "xl"]
ScimGate = Literal["open", "plan", "revoked_token", "no_directory"]
Product = Literal["console", "enterprise"]
Provisioning = Literal["manual", "jit", "scim"]
# The scopes of the Enterprise Admin key generated for the org (reference 1.2): member and
# group reads and writes, and analytics. Group scopes need a key created for all linked orgs,
# so this key is.
FULL_KEY_SCOPES = (
    "read:members",
    "write:members",
    "read:rbac_groups",
    "write:rbac_groups",
    "read:analytics",
    "read:compliance_activities",
)


@dataclass
class FaultSpec:
    """Seeded fault injection for the routes whose path matches `route` (a regex)."""

    route: str = ".*"
    error_rate: float = 0.0  # share of requests answered with one of `error_statuses`
    error_statuses: tuple[int, ...] = (500, 503, 529)
    slow_rate: float = 0.0  # share of requests delayed by `slow_seconds`
    slow_seconds: float = 0.5
    drop_rate: float = 0.0  # share of requests whose connection is closed without an answer
    truncate_rate: float = 0.0  # share of answers cut short (body shorter than Content-Length)
    churn_rate: float = 0.0  # share of list pages after which records are added and removed
    churn_pages: int | None = None  # churn only after the first this many list pages (None: all)
    malformed_rate: float = 0.0  # share of successful answers replaced by a well-formed JSON
    # object of the wrong shape (no `data` / `Resources`): a page a client must not trust
    echo_credentials: bool = False  # error answers quote the credential the request presented


@dataclass
class SimConfig:
    seed: int = 1
    size: Size = "small"
    product: Product = "console"
    tier: Literal["enterprise", "standard"] = "enterprise"
    host: str = "127.0.0.1"  # never beyond loopback unless told
    wall_clock: bool = False  # False: the clock stands at the org's epoch (deterministic)

    # Rate limiting: a token bucket per credential and engine.
    admin_rate: float = 20.0  # requests per second
    admin_burst: int = 40
    scim_rate: float = 20.0
    scim_burst: int = 40
    rate_limit_enabled: bool = True

    # SCIM
    scim_unavailable_status: Literal[401, 403, 404] = 403  # how a non-enterprise org answers
    # Every SCIM call on any tier, before authentication: "open" serves; "plan" answers 403 (the
    # plan gate), "revoked_token" 401 (every token, as after a revocation), "no_directory" 404
    # (nothing at the base URL, as for a wrong or deleted directory URL).
    scim_gate: ScimGate = "open"
    scim_max_results: int = 100  # advertised as filter.maxResults; also the default count
    scim_overflow: Literal["clamp", "error"] = "clamp"  # count > max: clamp, or 400 tooMany
    scim_strict_patch: bool = False  # Claude/WorkOS strict mode (scim-patch library messages)
    deprovision_delay_s: float = 0.0  # SCIM active=false -> org member removed after this delay

    # Documented uncertainties (see docs/simulator.md for the chosen readings)
    list_inherited_members: bool = False  # org admins/billing listed among workspace members
    require_anthropic_version: bool = False  # 400 when the header is missing
    archived_workspace_key_status: str = "archived"  # what archiving a workspace does to keys
    # API keys also carry the deprecated `workspace_id` (null for the Default Workspace)
    emit_deprecated_workspace_id: bool = True
    # A cursor id that never existed in the list: "error" answers 400, "seek" pages from where
    # it would sort. Ids removed at run time (stale cursors) always seek.
    unknown_cursor: Literal["error", "seek"] = "error"
    # Deleted invites are hidden from lists (statuses[] accepts accepted/expired/pending only)
    list_deleted_invites: bool = False
    # `workspace_billing` on a member update: rejected (400) or stored
    member_update_billing: Literal["reject", "allow"] = "reject"
    # Status for deleting or demoting an org admin/owner/primary owner through the API
    protected_user_status: Literal[400, 403] = 400
    workspace_limit: int = 100  # active (non-archived, non-default) workspaces; create fails over
    scim_deprovision: bool = True  # SCIM active=false removes the org member (after the delay)
    # Test switch, not Anthropic behaviour: 0 is off; N > 0 lets N authenticated Admin API
    # answers (counted from when it is set) name this org in `anthropic-organization-id`, and
    # every later one name another organization, as if the key moved mid-sync.
    foreign_org_after: int = 0
    # Enterprise groups (docs/simulator.md, "Enterprise groups and roles"): the wire name of a
    # group's role ids (the SDK's `role_ids`, the guide's `roles`, or both), of the group id on
    # member objects (the SDK's `rbac_group_id`, the guide's `group_id`, or both), and the share
    # of group answers whose role data is null ("temporarily unavailable; retry").
    rbac_group_role_field: Literal["role_ids", "roles", "both"] = "role_ids"
    rbac_member_group_field: Literal["rbac_group_id", "group_id", "both"] = "rbac_group_id"
    rbac_roles_unavailable_rate: float = 0.0

    # Claude Enterprise (product="enterprise"; docs/simulator.md "Enterprise organizations")
    # Products of further orgs linked under the same parent, generated from derived seeds.
    linked_orgs: list[Product] = field(default_factory=list)
    key_scopes: list[str] = field(default_factory=lambda: list(FULL_KEY_SCOPES))  # at creation
    provisioning: Provisioning = "manual"  # jit/scim: invites 400; scim: removals, roles 400
    idp_manages_roles: bool = False  # advanced group mappings: role updates 400
    sign_out_beta_enrolled: bool = True  # False: sign_out answers organization_not_enrolled_in_beta
    seats: int = 0  # seats of an Enterprise org; 0: never full. Invites need a free seat
    # The documented Enterprise limits: requests per organization across Admin endpoints, and
    # invite creations, each per window (the windows are knobs so tests need not wait a minute).
    org_request_limit: int = 100
    org_request_window_s: float = 60.0
    invite_limit: int = 1200
    invite_window_s: float = 3600.0
    analytics_request_limit: int = 60  # analytics/*: its own window (docs/simulator.md, A5)
    analytics_window_s: float = 60.0
    # The Compliance API turned on (claude-org-products.md §3): off, the feed answers 403 (F3).
    compliance_api_enabled: bool = True

    # Test switch, not Anthropic behaviour: "" draws the organization id from the seed; any
    # other value is the id served instead, so two simulators of one seed are two organizations
    # sharing the same people (user ids, emails), as linked organizations do. "" takes effect
    # at the next reset; another id at once.
    org_id: str = ""

    faults: list[FaultSpec] = field(default_factory=list)
    fault_seed: int = 0
    control_token: str = "sim-control-token"
