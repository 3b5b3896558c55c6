"""THE declaration of the Anthropic identity graph: every label, key, property and relationship.

Labels, ids, relationship types and directions follow cartography's Anthropic module on purpose,
so queries written for cartography keep working. Adding a node or relationship type is a change
in this file only; constraints, indexes, loader statements, cleanup and docs/graph-model.md are
all derived from it (regenerate with `python -m ingest.graph.docs`).

A property read straight from the typed record names its `source` (an attribute path on the
node's `record`, checked on import) and ingest/mapping/fill.py copies it; any other property is
derived by the mappers the node or relationship names in `mapped_by`.

Timestamps from the API are stored as RFC 3339 strings. The loader adds `tenant_id`, `firstseen`,
`lastupdated` and `sync_id` to every node, so they are not declared per type.
"""

from __future__ import annotations

from ingest.extract.models import (
    ApiKey,
    FederationIssuer,
    FederationRule,
    Invite,
    RbacGroup,
    RbacRole,
    RbacRolePermission,
    ScimGroup,
    ScimUser,
    ServiceAccount,
    User,
    Workspace,
)
from ingest.graph.changes import CHANGE_LABEL
from ingest.graph.schema import PER_ORG, GraphModel, Indexed, NodeType, Prop, RelType

FAMILIES: tuple[str, ...] = (
    "organization",
    "users",
    "roles",
    "role_grants",
    "workspaces",
    "workspace_members",
    "invites",
    "api_keys",
    "service_accounts",
    "service_account_members",
    "federation_issuers",
    "federation_rules",
    "federation_rule_workspaces",
    "scim_users",
    "scim_groups",
    "rbac_roles",
    "rbac_role_permissions",
    "rbac_groups",
    "rbac_group_members",
    "scim_rbac_groups",
    "claude_code_activity",
    "messages_activity",
    "analytics_activity",
    "compliance_activity",
    "sync_runs",
    "remediation_actions",
    "change_history",
)
# Sync runs, remediation actions and change records are audit trails: never deleted by cleanup
# (the sync removes sync runs and change records past IDGRAPH_HISTORY_RETENTION_DAYS).
NEVER_CLEANED: frozenset[str] = frozenset({"sync_runs", "remediation_actions", "change_history"})


def text(
    name: str,
    description: str,
    *,
    indexed: Indexed = False,
    source: str | None = None,
    tracked: bool = False,
) -> Prop:
    return Prop(name, "string", description, indexed=indexed, source=source, tracked=tracked)


def timestamp(
    name: str,
    description: str,
    *,
    source: str | None = None,
    millis: bool = False,
    tracked: bool = False,
) -> Prop:
    return Prop(name, "datetime_string", description, source=source, millis=millis, tracked=tracked)


def flag(
    name: str,
    description: str,
    *,
    indexed: Indexed = False,
    source: str | None = None,
    tracked: bool = False,
) -> Prop:
    return Prop(name, "bool", description, indexed=indexed, source=source, tracked=tracked)


def text_list(name: str, description: str) -> Prop:
    return Prop(name, "string_list", description)


def integer(name: str, description: str, *, source: str | None = None) -> Prop:
    return Prop(name, "int", description, source=source)


def number(name: str, description: str) -> Prop:
    return Prop(name, "float", description)


# Where the Compliance Activity Feed's cursor is stored (ingest/extract/compliance.py).
COMPLIANCE_CURSOR = "compliance_activity_cursor"
_SCIM_STATUSES = (
    "available | not_configured | unavailable (403: not on the organization's plan) | "
    "credential_rejected (401: the SCIM token is wrong or revoked; the SCIM graph is kept) | "
    "not_found (404 at the base: the SCIM URL is wrong; the SCIM graph is kept) | "
    "error (SCIM failed otherwise)"
)

ORGANIZATION = NodeType(
    name="organization",
    label="AnthropicOrganization",
    extra_labels=("Tenant",),
    family="organization",
    description="The Anthropic organization: the tenant every other node belongs to.",
    mapped_by=("map_organization",),
    properties=(
        text("name", "Organization name."),
        text("scim_status", f"Whether SCIM could be read: {_SCIM_STATUSES}.", indexed=True),
        text(
            "scim_unavailable_reason", "Why SCIM was not read, when scim_status is not available."
        ),
        flag(
            "lifecycle_remediation_enabled",
            "Whether lifecycle remediation is enabled: only when SCIM was read (available); "
            "scim_status says why not (the plan, or a token or URL to fix).",
        ),
        text_list("main_domains", "Main email domains of the organization's members."),
        text("product", "console | enterprise: the organization's product, by its admin key."),
        text_list(
            "key_scopes",
            "The Enterprise key's scopes as a 403 listed them; when no probe was refused, the "
            "probed scopes and '(at least)'. Empty for Console keys (they have no scopes).",
        ),
        Prop(
            "families_read",
            "string_list",
            "The extraction families the last sync had read completely when it last wrote this "
            "organization.",
            volatile=True,
        ),
        text_list(
            "families_not_permitted",
            "The product's families the key's scopes do not let it read (skipped, not cleaned).",
        ),
        text_list(
            "lifecycle_actions",
            "The lifecycle actions the product, key scopes and SCIM status allow "
            "(ingest/lifecycle_actions.py).",
        ),
        text(
            COMPLIANCE_CURSOR,
            "Id of the newest Compliance Activity Feed event read, stored once the activity it "
            "brought is written: the next sync reads only events after it (before_id).",
        ),
        Prop(
            "last_sync_id",
            "string",
            "Id of the last sync run that wrote this organization.",
            volatile=True,
        ),
        Prop(
            "last_synced_at", "datetime_string", "When the last sync run finished.", volatile=True
        ),
    ),
)

USER = NodeType(
    name="user",
    label="AnthropicUser",
    extra_labels=("UserAccount",),
    family="users",
    description="A member of the organization (Admin API user).",
    record=User,
    mapped_by=("map_users",),
    properties=(
        text("email", "Email address as the API returns it.", source="email"),
        text("email_lower", "Lower-cased email, for joins with SCIM and invites.", indexed=True),
        text("name", "Display name.", source="name"),
        text(
            "role",
            "Organization role (user, developer, billing, admin, owner...).",
            source="role",
            indexed=PER_ORG,
            tracked=True,
        ),
        timestamp("added_at", "When the user joined the organization.", source="added_at"),
        text("email_domain", "Domain part of the email, lower-cased.", indexed=True),
    ),
)

ROLE = NodeType(
    name="role",
    label="AnthropicRole",
    extra_labels=("PermissionRole",),
    family="roles",
    description=(
        "An organization role or a workspace role. Id: '<org id>/organization/<role>' or "
        "'<workspace id>/<workspace role>'."
    ),
    mapped_by=("map_roles",),
    properties=(
        text(
            "name", "Role name as the API spells it (admin, workspace_admin...).", indexed=PER_ORG
        ),
        text("scope", "organization | workspace.", indexed=PER_ORG),
        flag(
            "privileged",
            "Whether the role can manage members, keys or billing: Console admin; Enterprise "
            "primary_owner, owner and membership_admin (managed gets its rights only through "
            "groups); workspace_admin.",
            indexed=PER_ORG,
        ),
        text(
            "workspace_id",
            "Workspace of a workspace role; null for organization roles.",
            indexed=PER_ORG,
        ),
    ),
)

WORKSPACE = NodeType(
    name="workspace",
    label="AnthropicWorkspace",
    extra_labels=("UserGroup",),
    family="workspaces",
    description="A workspace, including the Default Workspace and archived workspaces.",
    record=Workspace,
    mapped_by=("map_workspaces",),
    properties=(
        text("name", "Workspace name.", source="name"),
        timestamp("created_at", "When the workspace was created.", source="created_at"),
        timestamp(
            "archived_at",
            "When the workspace was archived; null when active.",
            source="archived_at",
        ),
        flag("is_default", "Whether this is the Default Workspace.", source="is_default"),
        flag("is_archived", "Whether the workspace is archived.", indexed=PER_ORG, tracked=True),
        text("display_color", "Console colour, e.g. #6C5BB9.", source="display_color"),
        text(
            "compartment_id", "Encryption compartment (CMEK key policies).", source="compartment_id"
        ),
        text("external_key_id", "Customer-managed encryption key id.", source="external_key_id"),
        text(
            "workspace_geo",
            "Data residency: where workspace data is stored.",
            source="data_residency.workspace_geo",
        ),
        text(
            "default_inference_geo",
            "Data residency: default inference geography.",
            source="data_residency.default_inference_geo",
        ),
        text_list(
            "allowed_inference_geos",
            "Data residency: allowed inference geographies (['unrestricted'] when unrestricted).",
        ),
        text_list("tags", "Workspace tags as 'key=value' strings."),
    ),
)

INVITE = NodeType(
    name="invite",
    label="AnthropicInvite",
    family="invites",
    description="An invitation to join the organization.",
    record=Invite,
    mapped_by=("map_invites",),
    properties=(
        text("email", "Invited email address.", source="email"),
        text("email_lower", "Lower-cased invited email.", indexed=True),
        text("role", "Organization role the invite grants.", source="role"),
        text(
            "status",
            "accepted | deleted | expired | pending.",
            source="status",
            indexed=PER_ORG,
            tracked=True,
        ),
        timestamp("invited_at", "When the invite was sent.", source="invited_at"),
        timestamp("expires_at", "When the invite expires.", source="expires_at", millis=True),
        timestamp(
            "accepted_at", "When the invite was accepted; null otherwise.", source="accepted_at"
        ),
    ),
)

API_KEY = NodeType(
    name="api_key",
    label="AnthropicApiKey",
    extra_labels=("APIKey",),
    family="api_keys",
    description="A standard API key (the secret is never read).",
    record=ApiKey,
    mapped_by=("map_api_keys",),
    properties=(
        text("name", "Key name.", source="name"),
        text(
            "status",
            "active | inactive | archived | expired.",
            source="status",
            indexed=PER_ORG,
            tracked=True,
        ),
        timestamp("created_at", "When the key was created.", source="created_at", millis=True),
        timestamp(
            "expires_at",
            "When the key expires; null when it never expires.",
            source="expires_at",
            millis=True,
            tracked=True,
        ),
        text(
            "partial_key_hint",
            "Redacted hint of the key, e.g. sk-ant-api03-R2D...igAA.",
            source="partial_key_hint",
        ),
        text("scope_type", "workspace | organization.", indexed=PER_ORG),
        text("workspace_id", "Workspace the key is scoped to (the real id, even for Default)."),
        text(
            "created_by_id",
            "Id of the user or service account that created the key.",
            source="created_by.id",
        ),
        text(
            "created_by_type",
            "user | service_account.",
            source="created_by.type",
            indexed=PER_ORG,
        ),
        text(
            "principal_type",
            "Type of the principal the key acts as, when bound to one.",
            source="principal.kind",
            indexed=PER_ORG,
        ),
        text(
            "principal_id",
            "Id of the user or service account the key acts as.",
            source="principal.id",
        ),
    ),
)

SERVICE_ACCOUNT = NodeType(
    name="service_account",
    label="AnthropicServiceAccount",
    extra_labels=("ServiceAccount",),
    family="service_accounts",
    description="A non-human identity of the organization.",
    record=ServiceAccount,
    mapped_by=("map_service_accounts", "map_api_keys"),
    properties=(
        text("name", "Slug name, unique in the organization.", source="name"),
        text("description", "Free-text description.", source="description"),
        text("organization_role", "admin | developer.", source="organization_role", tracked=True),
        timestamp("created_at", "When the service account was created.", source="created_at"),
        timestamp("updated_at", "When it was last updated.", source="updated_at"),
        timestamp(
            "archived_at",
            "When it was archived; null when active.",
            source="archived_at",
            tracked=True,
        ),
        flag(
            "is_stub",
            "Created only from API key ownership because the service-account endpoints "
            "(OAuth only) were not read.",
        ),
    ),
)

FEDERATION_ISSUER = NodeType(
    name="federation_issuer",
    label="AnthropicFederationIssuer",
    family="federation_issuers",
    description=(
        "An external OIDC identity provider the organization trusts (workload identity "
        "federation): its tokens can be exchanged, through a rule, for an OAuth token acting as "
        "a service account. Archived issuers reject every exchange."
    ),
    record=FederationIssuer,
    mapped_by=("map_federation_issuers",),
    properties=(
        text("name", "Slug name, unique in the organization.", source="name"),
        text("issuer_url", "The JWT `iss` the issuer's tokens carry.", source="issuer_url"),
        text(
            "jwks_type",
            "discovery | explicit_url | inline (a new value is kept as sent).",
            source="jwks.type",
        ),
        text("jwks_url", "The JWKS endpoint of an explicit_url issuer.", source="jwks.url"),
        text(
            "jwks_discovery_base",
            "Where discovery starts, when not at the issuer URL.",
            source="jwks.discovery_base",
        ),
        flag("check_jti", "Whether a token's jti may be used only once.", source="check_jti"),
        integer(
            "max_jwt_lifetime_seconds",
            "Longest iat-to-exp spread accepted from this issuer.",
            source="max_jwt_lifetime_seconds",
        ),
        timestamp(
            "jwks_polling_disabled_at",
            "When polling its JWKS stopped after repeated failures.",
            source="jwks_polling_disabled_at",
        ),
        integer(
            "poll_consecutive_failures",
            "JWKS fetch failures since the last success.",
            source="poll_status.consecutive_failures",
        ),
        timestamp("created_at", "When the issuer was created.", source="created_at"),
        timestamp("updated_at", "When it was last updated.", source="updated_at"),
        timestamp("archived_at", "When it was archived; null when active.", source="archived_at"),
        text(
            "created_by_actor_id", "Who created it (user_ or svac_).", source="created_by_actor_id"
        ),
        text(
            "archived_by_actor_id",
            "Who archived it (user_ or svac_).",
            source="archived_by_actor_id",
        ),
    ),
)

FEDERATION_RULE = NodeType(
    name="federation_rule",
    label="AnthropicFederationRule",
    family="federation_rules",
    description=(
        "A workload identity federation rule: a token of its issuer that meets every match "
        "condition is exchanged for an OAuth token acting as the target service account, with "
        "the rule's scope and lifetime, in the rule's workspaces."
    ),
    record=FederationRule,
    mapped_by=("map_federation_rules",),
    properties=(
        text("name", "Slug name.", source="name"),
        text("description", "Free-text description.", source="description"),
        text("issuer_id", "The issuer whose tokens it accepts (fdis_).", source="issuer_id"),
        text("issuer_name", "The issuer's name when read.", source="issuer_name"),
        text(
            "subject_prefix",
            "Match: the JWT `sub`, exactly, or as a prefix when it ends with *.",
            source="match.subject_prefix",
        ),
        text("audience", "Match: the JWT `aud`.", source="match.audience"),
        text_list("claims", "Match: each required top-level claim as 'name=value'."),
        text("condition", "Match: a CEL expression over the claims.", source="match.condition"),
        text("target_type", "service_account (a new value is kept as sent).", source="target.type"),
        text(
            "service_account_id",
            "The service account minted tokens act as.",
            source="target.service_account_id",
        ),
        text("oauth_scope", "Space-separated scopes of minted tokens.", source="oauth_scope"),
        text_list("oauth_scopes", "The scopes one by one (org:admin, workspace:developer...)."),
        integer(
            "token_lifetime_seconds",
            "Lifetime of minted tokens (capped by twice the JWT's remaining life).",
            source="token_lifetime_seconds",
        ),
        flag(
            "applies_to_all_workspaces",
            "Enabled for every workspace, present and future.",
            source="applies_to_all_workspaces",
        ),
        Prop(
            "workspace_ids",
            "string_list",
            "Workspaces it is enabled for, as the rule lists them.",
            source="workspace_ids",
        ),
        text(
            "legacy_workspace_id",
            "An older rule's single workspace binding (not among workspace_ids or SCOPED_TO).",
            source="workspace_id",
        ),
        flag(
            "usable",
            "Whether a token can be exchanged through it now: neither the rule nor its issuer "
            "is archived (only usable rules have CAN_ASSUME).",
        ),
        timestamp("created_at", "When the rule was created.", source="created_at"),
        timestamp("updated_at", "When it was last updated.", source="updated_at"),
        timestamp("archived_at", "When it was archived; null when active.", source="archived_at"),
        text(
            "created_by_actor_id", "Who created it (user_ or svac_).", source="created_by_actor_id"
        ),
        text(
            "archived_by_actor_id",
            "Who archived it (user_ or svac_).",
            source="archived_by_actor_id",
        ),
    ),
)

SCIM_USER = NodeType(
    name="scim_user",
    label="ScimUser",
    extra_labels=("UserAccount",),
    family="scim_users",
    description="A user provisioned through SCIM. Id: '<org id>/<scim id>'.",
    record=ScimUser,
    mapped_by=("map_scim_users",),
    properties=(
        text("scim_id", "SCIM resource id.", source="id"),
        text("user_name", "SCIM userName.", source="user_name"),
        text("email", "Primary email.", source="primary_email"),
        text("email_lower", "Lower-cased primary email.", indexed=True),
        flag("active", "SCIM active flag.", source="active", indexed=PER_ORG, tracked=True),
        text("external_id", "Identity provider's id (externalId).", source="external_id"),
        text("display_name", "SCIM displayName.", source="display_name"),
    ),
)

SCIM_GROUP = NodeType(
    name="scim_group",
    label="ScimGroup",
    extra_labels=("UserGroup",),
    family="scim_groups",
    description="A group provisioned through SCIM. Id: '<org id>/<scim id>'.",
    record=ScimGroup,
    mapped_by=("map_scim_groups",),
    properties=(
        text("scim_id", "SCIM resource id.", source="id"),
        text("display_name", "SCIM displayName.", source="display_name"),
        text("external_id", "Identity provider's id (externalId).", source="external_id"),
    ),
)

RBAC_GROUP = NodeType(
    name="rbac_group",
    label="AnthropicRbacGroup",
    extra_labels=("UserGroup",),
    family="rbac_groups",
    description=(
        "A Claude Enterprise group (rbac_groups): members get its roles. Names are not unique; "
        "SCIM groups surface here with source_type scim."
    ),
    record=RbacGroup,
    mapped_by=("map_rbac_groups",),
    properties=(
        text("name", "Group name (not unique).", source="name"),
        text("source_type", "direct | scim (a new value is kept as sent).", source="source_type"),
        timestamp("created_at", "When the group was created.", source="created_at"),
        timestamp("updated_at", "When the group was last updated.", source="updated_at"),
    ),
)

RBAC_ROLE = NodeType(
    name="rbac_role",
    label="AnthropicRbacRole",
    extra_labels=("PermissionRole",),
    family="rbac_roles",
    description="A role of a Claude Enterprise organization's catalog (rbac_roles), built-in or "
    "custom, granted to groups.",
    record=RbacRole,
    mapped_by=("map_rbac_roles",),
    properties=(
        text("name", "Display name (the older `name` when no display_name is sent)."),
        text("display_name", "Display name as the API sends it.", source="display_name"),
        text(
            "source_type",
            "built_in | custom (a new value is kept as sent).",
            source="source.type",
        ),
        timestamp("created_at", "When the role was created.", source="created_at"),
        timestamp("updated_at", "When the role was last updated.", source="updated_at"),
    ),
)

RBAC_PERMISSION = NodeType(
    name="rbac_role_permission",
    label="AnthropicRbacRolePermission",
    family="rbac_role_permissions",
    description=(
        "One permission row of a role: an action on a resource. Id: "
        "'<role id>:<action>:<resource type>/<organization id>/<connector id>/<tool>/<scope>'. "
        'Permissions are nodes (cartography\'s choice) so that "who can do X" is one path, '
        "`(u:AnthropicUser)-[:MEMBER_OF]->(:AnthropicRbacGroup)-[:HAS_ROLE]->(:AnthropicRbacRole)"
        "-[:GRANTS]->(p {action: X})`, indexed on `action`, instead of a scan of list properties; "
        "a blanket grant is one node with `blanket` true, so a question about a feature also "
        "matches the actions capability_access_all and (for a GA feature) "
        "capability_access_all_ga, which never include model access or permission_*."
    ),
    record=RbacRolePermission,
    mapped_by=("map_rbac_role_permissions",),
    properties=(
        text(
            "action",
            "The action (a feature such as chat, permission_*, use, grant...).",
            source="action",
            indexed=True,
        ),
        text(
            "resource_type",
            "organization | connector_tool | connector_scope | connector | all_connectors.",
            source="resource.type",
        ),
        text(
            "resource_organization_id",
            "Organization of an organization resource.",
            source="resource.organization_id",
        ),
        text(
            "resource_connector_id",
            "Connector (mcpsrv_...) of a connector resource.",
            source="resource.connector_id",
        ),
        text(
            "resource_tool_name", "Tool of a connector_tool resource.", source="resource.tool_name"
        ),
        text("resource_scope", "Scope of a connector_scope resource.", source="resource.scope"),
        flag(
            "blanket",
            "A blanket grant (capability_access_all: every feature; capability_access_all_ga: "
            "every generally available feature), sent as one row: expand it when asking.",
        ),
        flag(
            "privileged",
            "Manages members or roles: an organization permission_* action other than a "
            "read-only permission_view_*; its holders count among the effective organization "
            "admins.",
            indexed=PER_ORG,
        ),
    ),
)

# Activity: no API has a "last active" field (claude-org-products.md §4.6), so each documented
# source is its own family of nodes, one per subject it speaks for (ingest/mapping/activity.py).
# The questions read these two names: they are spelled here only.
LAST_ACTIVE_AT = "last_active_at"
LAST_USED_AT = "last_used_at"
ACTIVE_DAYS = "active_days"
ACTIVITY_LABEL = "AnthropicActivity"
_ACTIVITY_PROPERTIES = (
    text("source", "The read it comes from: the family name (e.g. claude_code_activity)."),
    text("subject_kind", "user | api_key | service_account."),
    text("subject_id", "Id of the user, key or service account.", indexed=True),
    timestamp(
        LAST_ACTIVE_AT,
        "A user's newest active UTC day in the window (its start); null: none found (inactive "
        "for this source), or the subject is not a user.",
        millis=True,
    ),
    timestamp(
        LAST_USED_AT,
        "A key's or service account's newest day of use in the window; null: none found, or "
        "the subject is a user.",
        millis=True,
    ),
    integer("days_active", "Days of the window with activity."),
    integer("window_days", "Whole UTC days read (IDGRAPH_ACTIVITY_DAYS)."),
    timestamp("window_start", "Start of the window's first day."),
    timestamp("window_end", "End of the window's last day (exclusive)."),
    text(
        "matched_by",
        "How the source named the subject: id | email (lower-cased, to a member) | key_name "
        "(to the organization's keys of that name); null when nothing was found.",
    ),
    flag(
        "name_shared",
        "The key was matched by a name other keys of the organization share: the use may be "
        "another key's (claude_code names keys, never ids).",
    ),
)
_NOT_FOUND = (
    "A node exists for every subject the source covers, found active or not: its absence "
    "means the source was not read (activity unknown), a null last_*_at that it was read and "
    "showed nothing in the window (inactive)."
)


def _activity(name: str, label: str, description: str, extra: tuple[Prop, ...] = ()) -> NodeType:
    return NodeType(
        name=name,
        label=label,
        extra_labels=(ACTIVITY_LABEL,),
        family=name,
        description=f"{description} {_NOT_FOUND} Id: '<org id>/{name}/<subject id>'.",
        mapped_by=("map_activity",),
        properties=_ACTIVITY_PROPERTIES + extra,
    )


CLAUDE_CODE_ACTIVITY = _activity(
    "claude_code_activity",
    "AnthropicClaudeCodeActivity",
    "Console usage_report/claude_code: covers every member (joined by lower-cased email) and "
    "every key (joined by NAME; a name several keys share marks each of them, name_shared).",
)
MESSAGES_ACTIVITY = _activity(
    "messages_activity",
    "AnthropicMessagesActivity",
    "Console usage_report/messages grouped by api_key_id, account_id and service_account_id: "
    "covers every key and every service account a key names; a member only where an OAuth "
    "call (account_id) was found.",
)
ANALYTICS_ACTIVITY = _activity(
    "analytics_activity",
    "AnthropicAnalyticsActivity",
    "Enterprise analytics/users (read:analytics; about a day of lag): covers every member.",
)
COMPLIANCE_ACTIVITY = _activity(
    "compliance_activity",
    "AnthropicComplianceActivity",
    "Compliance Activity Feed (read:compliance_activities on Enterprise; a Console Admin key "
    "created after the Compliance API was enabled): a member's successful logins and the role "
    "changes they made, read incrementally from the organization's stored cursor; covers every "
    "member.",
    (
        text_list(
            ACTIVE_DAYS,
            "The window's UTC days (YYYY-MM-DD) with activity: kept so the next sync adds only "
            "the newer events to them.",
        ),
    ),
)
ACTIVITY_NODES = (CLAUDE_CODE_ACTIVITY, MESSAGES_ACTIVITY, ANALYTICS_ACTIVITY, COMPLIANCE_ACTIVITY)

SYNC_RUN = NodeType(
    name="sync_run",
    label="SyncRun",
    family="sync_runs",
    description="One sync of one organization: what was read, what failed, what was written.",
    mapped_by=("map_sync_run",),
    properties=(
        timestamp("started_at", "When the sync started."),
        timestamp("finished_at", "When the sync finished."),
        text("status", "success | partial | failed."),
        text_list("families_complete", "Families read completely (and therefore cleaned up)."),
        text_list("families_failed", "Families not read completely (left untouched)."),
        text("record_counts", "JSON object: records read per family."),
        text_list("capabilities", "What the credentials could read."),
        integer("api_calls", "HTTP calls made."),
        integer("retries", "Retried calls."),
        number("throttled_seconds", "Seconds spent waiting on rate limits."),
        number("duration_seconds", "Wall-clock duration."),
        text("scim_status", f"{_SCIM_STATUSES}."),
        integer("nodes_written", "Nodes written."),
        integer("rels_written", "Relationships written."),
        integer("nodes_deleted", "Nodes deleted by cleanup."),
        integer("rels_deleted", "Relationships deleted by cleanup."),
        text_list("removed_member_ids", "Ids of the members (AnthropicUser) cleanup deleted."),
    ),
)

REMEDIATION_ACTION = NodeType(
    name="remediation_action",
    label="RemediationAction",
    family="remediation_actions",
    description=(
        "One action `idgraph remediate apply` or `undo` took on a target (docs/remediation.md); "
        "the same as its line in the local JSON-lines log."
    ),
    mapped_by=("map_remediation_action",),
    properties=(
        text("action", "The action's kind (ingest/remediate/actions.py)."),
        text("outcome", "applied | already_in_effect | skipped | failed."),
        text("reason", "Why it was skipped or failed, or what was already in effect."),
        timestamp("ran_at", "When it ran."),
        text("ran_by", "Who ran it: the local user and the kind of credential (never the secret)."),
        text("plan_item_id", "The plan item's stable id."),
        text("request", "The request sent: method and path."),
        text("request_id", "The API's request id of the write."),
        integer("http_status", "The status the write answered."),
        text("target_id", "The target's id (kept when a later sync deletes the target)."),
        text("target_label", "The target's graph label."),
        text("undo_of", "The log entry this action undid, when it is an undo."),
    ),
)

CHANGE = NodeType(
    name="change",
    label=CHANGE_LABEL,
    family="change_history",
    description=(
        "One change a sync saw on an element: created, removed, or a tracked property's old and "
        "new value (the properties marked tracked, on the types and relationships with change "
        "history). "
        "Written by the loader in the transaction that makes the change; an organization's "
        "first sync is the baseline and records none. Joined to its SyncRun by sync_id; kept "
        "IDGRAPH_HISTORY_RETENTION_DAYS."
    ),
    mapped_by=("ingest/graph/changes.py",),
    properties=(
        timestamp("at", "When the sync that saw the change started."),
        Prop("at_epoch_ms", "int", "The same, in epoch milliseconds.", indexed=True),
        text("kind", "created | removed | changed.", indexed=PER_ORG),
        text(
            "element_label",
            "Label of the node, or type of the relationship, that changed.",
            indexed=PER_ORG,
        ),
        text(
            "element_id",
            "The node's id; for a relationship '<start id> -> <end id>'.",
            indexed=True,
        ),
        text("property", "The tracked property that changed (kind changed).", indexed=PER_ORG),
        text(
            "old",
            "Its value before, as text; for a removed element its tracked properties "
            "('name=value, ...').",
        ),
        text(
            "new",
            "Its value after, as text; for a created relationship its tracked properties.",
            indexed=PER_ORG,
        ),
        text("start_label", "A relationship's start label."),
        text("start_id", "A relationship's start node id."),
        text("end_label", "A relationship's end label."),
        text("end_id", "A relationship's end node id."),
    ),
)

NODES: tuple[NodeType, ...] = (
    ORGANIZATION,
    USER,
    ROLE,
    WORKSPACE,
    INVITE,
    API_KEY,
    SERVICE_ACCOUNT,
    FEDERATION_ISSUER,
    FEDERATION_RULE,
    SCIM_USER,
    SCIM_GROUP,
    RBAC_GROUP,
    RBAC_ROLE,
    RBAC_PERMISSION,
    *ACTIVITY_NODES,
    SYNC_RUN,
    REMEDIATION_ACTION,
    CHANGE,
)

_SOURCE = text("source", "Where the grant comes from: organization | workspace.")
_WORKSPACE_ROLE = text("workspace_role", "Workspace role of the membership.", tracked=True)
_INHERITED = flag(
    "inherited",
    "Always false: kept for queries written against earlier versions. Access an organization "
    "role grants in every workspace is GRANTS_WORKSPACE_ROLE from that role, not a copy here.",
    tracked=True,
)


def _resource(end: NodeType) -> RelType:
    return RelType(
        type="RESOURCE",
        start=ORGANIZATION,
        end=end,
        family=end.family,
        description=f"The organization owns this {end.name.replace('_', ' ')}.",
    )


RELS: tuple[RelType, ...] = (
    # A change record belongs to its organization by tenant_id: an edge each would cost writes.
    *(_resource(node) for node in NODES if node not in (ORGANIZATION, CHANGE)),
    RelType(
        type="HAS_ROLE",
        start=USER,
        end=ROLE,
        family="role_grants",
        properties=(_SOURCE,),
        mapped_by=("map_user_role_grants", "map_access"),
        tracked=True,
        description="The user holds an organization role or a workspace role.",
    ),
    RelType(
        type="MEMBER_OF",
        start=USER,
        end=WORKSPACE,
        family="workspace_members",
        properties=(_WORKSPACE_ROLE, _INHERITED),
        mapped_by=("map_access",),
        tracked=True,
        description="The user is a member of the workspace.",
    ),
    RelType(
        type="ADMIN_OF",
        start=USER,
        end=WORKSPACE,
        family="workspace_members",
        properties=(_INHERITED,),
        mapped_by=("map_access",),
        tracked=True,
        description="The user administers the workspace (workspace_admin).",
    ),
    RelType(
        type="SCOPED_TO",
        start=ROLE,
        end=WORKSPACE,
        family="roles",
        description="A workspace role applies to this workspace.",
    ),
    RelType(
        type="GRANTS_WORKSPACE_ROLE",
        start=ROLE,
        end=ROLE,
        family="roles",
        mapped_by=("map_roles",),
        description=(
            "A member (user) holding this organization role holds that workspace role too, in "
            "every workspace that is not archived (admin, owner and primary_owner: "
            "workspace_admin; billing: workspace_billing). The API does not list this access. "
            "It is written once per role and workspace, not copied per person, so a path reads "
            "user -[HAS_ROLE]-> organization role -[GRANTS_WORKSPACE_ROLE]-> workspace role "
            "-[SCOPED_TO]-> workspace. It ends at the workspace role rather than at the "
            "workspace (with the role as a property) so inherited and direct access share "
            "their last hop and one pattern finds both. A membership the API lists for a pair "
            "this already covers is not written: the inherited role is what the member can "
            "do, and it cannot be removed in the workspace."
        ),
    ),
    RelType(
        type="CONTAINS",
        start=WORKSPACE,
        end=API_KEY,
        family="api_keys",
        source="scope.workspace_id",
        traversable=False,
        description=(
            "The API key is scoped to the workspace. Access to a workspace never reveals a "
            "key's secret, so this is context, not control."
        ),
    ),
    *(
        RelType(
            type="ACTS_AS",
            start=API_KEY,
            end=end,
            family="api_keys",
            source="principal",
            description=(
                f"The key acts as this {end.name.replace('_', ' ')} (its `principal`): whoever "
                "holds the key has the principal's rights. Absent when the API sends no "
                "principal (legacy workspace keys)."
            ),
        )
        for end in (USER, SERVICE_ACCOUNT)
    ),
    *(
        RelType(
            type="CREATED_BY",
            start=API_KEY,
            end=end,
            family="api_keys",
            source="created_by",
            traversable=False,
            description=(
                f"This {end.name.replace('_', ' ')} minted the key (its `created_by`); it may "
                "differ from whom the key acts as (a person can make a service account's key). "
                "Absent when the API sends no creator (legacy, federation-minted and system "
                "keys) and once the creator is gone."
            ),
        )
        for end in (USER, SERVICE_ACCOUNT)
    ),
    RelType(
        type="OWNED_BY",
        start=API_KEY,
        end=USER,
        family="api_keys",
        source="created_by",
        traversable=False,
        description=(
            "Cartography's ontology edge (`APIKey` OWNED_BY `UserAccount`), kept so queries "
            "written for cartography's Anthropic module run here: like cartography it comes "
            "from `created_by` and only to a user, so it is the same fact as CREATED_BY to a "
            "user. It is not who the key acts as: our questions use ACTS_AS. The former "
            "OWNED_BY to a service account (ours only) is retired for CREATED_BY."
        ),
    ),
    RelType(
        type="OWNS",
        start=USER,
        end=API_KEY,
        family="api_keys",
        source="created_by",
        traversable=False,
        description=(
            "Deprecated in cartography (reverse of OWNED_BY, from `created_by`), kept for "
            "compatibility with its queries."
        ),
    ),
    RelType(
        type="MEMBER_OF",
        start=SERVICE_ACCOUNT,
        end=WORKSPACE,
        family="service_account_members",
        properties=(
            _WORKSPACE_ROLE,
            flag("implicit", "The implicit Default Workspace membership every account has."),
        ),
        mapped_by=("map_service_account_members",),
        tracked=True,
        description="The service account is a member of the workspace.",
    ),
    RelType(
        type="ADMIN_OF",
        start=SERVICE_ACCOUNT,
        end=WORKSPACE,
        family="service_account_members",
        tracked=True,
        description="The service account administers the workspace.",
    ),
    RelType(
        type="HAS_ROLE",
        start=SERVICE_ACCOUNT,
        end=ROLE,
        family="service_account_members",
        properties=(_SOURCE,),
        mapped_by=("map_service_account_members",),
        tracked=True,
        description="The service account holds an organization role or a workspace role.",
    ),
    RelType(
        type="TRUSTED_BY",
        start=FEDERATION_ISSUER,
        end=FEDERATION_RULE,
        family="federation_rules",
        description="The rule accepts this issuer's tokens.",
    ),
    RelType(
        type="CAN_ASSUME",
        start=FEDERATION_RULE,
        end=SERVICE_ACCOUNT,
        family="federation_rules",
        properties=(
            text(
                "oauth_scope",
                "Space-separated scopes of the minted token (one by one: the rule's oauth_scopes).",
            ),
            integer("token_lifetime_seconds", "Lifetime of the minted token."),
            flag("applies_to_all_workspaces", "In every workspace, else in its SCOPED_TO ones."),
        ),
        mapped_by=("map_federation_rules",),
        description=(
            "A token exchanged through the rule acts as this service account. Only usable rules "
            "(neither the rule nor its issuer archived) have it."
        ),
    ),
    RelType(
        type="SCOPED_TO",
        start=FEDERATION_RULE,
        end=WORKSPACE,
        family="federation_rule_workspaces",
        properties=(
            timestamp("created_at", "When the workspace was enabled for the rule."),
            text("created_by_actor_id", "Who enabled it (user_ or svac_)."),
        ),
        mapped_by=("map_federation_rule_workspaces",),
        description="The rule is enabled for this workspace (explicitly listed).",
    ),
    RelType(
        type="GRANTS",
        start=INVITE,
        end=ROLE,
        family="invites",
        description="Accepting the invite grants this organization role.",
    ),
    RelType(
        type="PROVISIONED_AS",
        start=SCIM_USER,
        end=USER,
        family="scim_users",
        properties=(text("match", "How the SCIM user was matched: exact | case_insensitive."),),
        mapped_by=("map_scim_users",),
        description="The SCIM user is provisioned as this organization member (matched by email).",
    ),
    RelType(
        type="MEMBER_OF",
        start=SCIM_USER,
        end=SCIM_GROUP,
        family="scim_groups",
        tracked=True,
        description="The SCIM user is a member of the SCIM group.",
    ),
    RelType(
        type="MEMBER_OF",
        start=USER,
        end=RBAC_GROUP,
        family="rbac_group_members",
        tracked=True,
        description="The member belongs to the Enterprise group (and so holds its roles).",
    ),
    RelType(
        type="HAS_ROLE",
        start=RBAC_GROUP,
        end=RBAC_ROLE,
        family="rbac_groups",
        description="The group grants this role to its members.",
    ),
    RelType(
        type="GRANTS",
        start=RBAC_ROLE,
        end=RBAC_PERMISSION,
        family="rbac_role_permissions",
        description="The role grants this permission.",
    ),
    RelType(
        type="SURFACES_AS",
        start=SCIM_GROUP,
        end=RBAC_GROUP,
        family="scim_rbac_groups",
        mapped_by=("map_scim_rbac_groups",),
        description=(
            "The SCIM group surfaces in the organization as this group (source_type scim, the "
            "same display name, joined only when exactly one such group has it)."
        ),
    ),
    *(
        RelType(
            type="ACTIVITY_OF",
            start=activity,
            end=subject,
            family=activity.family,
            traversable=False,
            description=f"The {activity.family.replace('_', ' ')} of this "
            f"{subject.name.replace('_', ' ')}.",
        )
        for activity, subjects in (
            (CLAUDE_CODE_ACTIVITY, (USER, API_KEY)),
            (MESSAGES_ACTIVITY, (USER, API_KEY, SERVICE_ACCOUNT)),
            (ANALYTICS_ACTIVITY, (USER,)),
            (COMPLIANCE_ACTIVITY, (USER,)),
        )
        for subject in subjects
    ),
    *(
        RelType(
            type="ACTED_ON",
            start=REMEDIATION_ACTION,
            end=target,
            family="remediation_actions",
            mapped_by=("map_remediation_action",),
            traversable=False,
            description="The remediation action was taken on this "
            f"{target.name.replace('_', ' ')}.",
        )
        for target in (USER, API_KEY, INVITE, SCIM_USER, SERVICE_ACCOUNT, FEDERATION_RULE)
    ),
    RelType(
        type="SYNCED",
        start=SYNC_RUN,
        end=ORGANIZATION,
        family="sync_runs",
        traversable=False,
        description="The sync run read this organization.",
    ),
)

MODEL = GraphModel(nodes=NODES, rels=RELS, families=FAMILIES, never_cleaned=NEVER_CLEANED)
