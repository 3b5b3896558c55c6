"""THE declaration of the Anthropic identity graph: every label, key, property and relationship.

Labels, ids, relationship types and directions follow cartography's Anthropic module on purpose,
so queries written for cartography keep working. Adding a node or relationship type is a change
in this file only; constraints, indexes, loader statements, cleanup and docs/graph-model.md are
all derived from it (regenerate with `python -m ingest.graph.docs`).

Timestamps from the API are stored as RFC 3339 strings. The loader adds `tenant_id`, `firstseen`,
`lastupdated` and `sync_id` to every node, so they are not declared per type.
"""

from __future__ import annotations

from ingest.graph.schema import GraphModel, NodeType, Prop, RelType

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
    "scim_users",
    "scim_groups",
    "sync_runs",
)
# Sync runs are the audit trail of the syncs themselves: never deleted by cleanup.
NEVER_CLEANED: frozenset[str] = frozenset({"sync_runs"})


def _s(name: str, description: str, indexed: bool = False) -> Prop:
    return Prop(name, "string", description, indexed=indexed)


def _t(name: str, description: str) -> Prop:
    return Prop(name, "datetime_string", description)


def _b(name: str, description: str) -> Prop:
    return Prop(name, "bool", description)


def _l(name: str, description: str) -> Prop:
    return Prop(name, "string_list", description)


def _i(name: str, description: str) -> Prop:
    return Prop(name, "int", description)


def _f(name: str, description: str) -> Prop:
    return Prop(name, "float", description)


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
    properties=(
        _s("name", "Organization name."),
        _s("scim_status", f"Whether SCIM could be read: {_SCIM_STATUSES}."),
        _s("scim_unavailable_reason", "Why SCIM was not read, when scim_status is not available."),
        _b(
            "lifecycle_remediation_enabled",
            "Whether lifecycle remediation is enabled: only when SCIM was read (available); "
            "scim_status says why not (the plan, or a token or URL to fix).",
        ),
        _l("main_domains", "Main email domains of the organization's members."),
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
    properties=(
        _s("email", "Email address as the API returns it."),
        _s("email_lower", "Lower-cased email, for joins with SCIM and invites.", indexed=True),
        _s("name", "Display name."),
        _s("role", "Organization role (user, developer, billing, admin, owner...)."),
        _t("added_at", "When the user joined the organization."),
        _s("email_domain", "Domain part of the email, lower-cased.", indexed=True),
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
    properties=(
        _s("name", "Role name as the API spells it (admin, workspace_admin...)."),
        _s("scope", "organization | workspace."),
        _b("privileged", "Whether the role can manage members, keys or billing."),
        _s("workspace_id", "Workspace of a workspace role; null for organization roles."),
    ),
)

WORKSPACE = NodeType(
    name="workspace",
    label="AnthropicWorkspace",
    extra_labels=("UserGroup",),
    family="workspaces",
    description="A workspace, including the Default Workspace and archived workspaces.",
    properties=(
        _s("name", "Workspace name."),
        _t("created_at", "When the workspace was created."),
        _t("archived_at", "When the workspace was archived; null when active."),
        _b("is_default", "Whether this is the Default Workspace."),
        _b("is_archived", "Whether the workspace is archived."),
        _s("display_color", "Console colour, e.g. #6C5BB9."),
        _s("compartment_id", "Encryption compartment (CMEK key policies)."),
        _s("external_key_id", "Customer-managed encryption key id."),
        _s("workspace_geo", "Data residency: where workspace data is stored."),
        _s("default_inference_geo", "Data residency: default inference geography."),
        _l(
            "allowed_inference_geos",
            "Data residency: allowed inference geographies (['unrestricted'] when unrestricted).",
        ),
        _l("tags", "Workspace tags as 'key=value' strings."),
    ),
)

INVITE = NodeType(
    name="invite",
    label="AnthropicInvite",
    family="invites",
    description="An invitation to join the organization.",
    properties=(
        _s("email", "Invited email address."),
        _s("email_lower", "Lower-cased invited email.", indexed=True),
        _s("role", "Organization role the invite grants."),
        _s("status", "accepted | deleted | expired | pending."),
        _t("invited_at", "When the invite was sent."),
        _t("expires_at", "When the invite expires."),
        _t("accepted_at", "When the invite was accepted; null otherwise."),
    ),
)

API_KEY = NodeType(
    name="api_key",
    label="AnthropicApiKey",
    extra_labels=("APIKey",),
    family="api_keys",
    description="A standard API key (the secret is never read).",
    properties=(
        _s("name", "Key name."),
        _s("status", "active | inactive | archived | expired."),
        _t("created_at", "When the key was created."),
        _t("expires_at", "When the key expires; null when it never expires."),
        _s("partial_key_hint", "Redacted hint of the key, e.g. sk-ant-api03-R2D...igAA."),
        _s("scope_type", "workspace | organization."),
        _s("workspace_id", "Workspace the key is scoped to (the real id, even for Default)."),
        _s("created_by_id", "Id of the user or service account that created the key."),
        _s("created_by_type", "user | service_account."),
        _s("principal_type", "Type of the principal the key acts as, when bound to one."),
        _s("principal_id", "Id of the user or service account the key acts as."),
    ),
)

SERVICE_ACCOUNT = NodeType(
    name="service_account",
    label="AnthropicServiceAccount",
    extra_labels=("ServiceAccount",),
    family="service_accounts",
    description="A non-human identity of the organization.",
    properties=(
        _s("name", "Slug name, unique in the organization."),
        _s("description", "Free-text description."),
        _s("organization_role", "admin | developer."),
        _t("created_at", "When the service account was created."),
        _t("updated_at", "When it was last updated."),
        _t("archived_at", "When it was archived; null when active."),
        _b(
            "is_stub",
            "Created only from API key ownership because the service-account endpoints "
            "(OAuth only) were not read.",
        ),
    ),
)

SCIM_USER = NodeType(
    name="scim_user",
    label="ScimUser",
    extra_labels=("UserAccount",),
    family="scim_users",
    description="A user provisioned through SCIM. Id: '<org id>/<scim id>'.",
    properties=(
        _s("scim_id", "SCIM resource id."),
        _s("user_name", "SCIM userName."),
        _s("email", "Primary email."),
        _s("email_lower", "Lower-cased primary email.", indexed=True),
        _b("active", "SCIM active flag."),
        _s("external_id", "Identity provider's id (externalId)."),
        _s("display_name", "SCIM displayName."),
    ),
)

SCIM_GROUP = NodeType(
    name="scim_group",
    label="ScimGroup",
    extra_labels=("UserGroup",),
    family="scim_groups",
    description="A group provisioned through SCIM. Id: '<org id>/<scim id>'.",
    properties=(
        _s("scim_id", "SCIM resource id."),
        _s("display_name", "SCIM displayName."),
        _s("external_id", "Identity provider's id (externalId)."),
    ),
)

SYNC_RUN = NodeType(
    name="sync_run",
    label="SyncRun",
    family="sync_runs",
    description="One sync of one organization: what was read, what failed, what was written.",
    properties=(
        _t("started_at", "When the sync started."),
        _t("finished_at", "When the sync finished."),
        _s("status", "success | partial | failed."),
        _l("families_complete", "Families read completely (and therefore cleaned up)."),
        _l("families_failed", "Families not read completely (left untouched)."),
        _s("record_counts", "JSON object: records read per family."),
        _l("capabilities", "What the credentials could read."),
        _i("api_calls", "HTTP calls made."),
        _i("retries", "Retried calls."),
        _f("throttled_seconds", "Seconds spent waiting on rate limits."),
        _f("duration_seconds", "Wall-clock duration."),
        _s("scim_status", f"{_SCIM_STATUSES}."),
        _i("nodes_written", "Nodes written."),
        _i("rels_written", "Relationships written."),
        _i("nodes_deleted", "Nodes deleted by cleanup."),
        _i("rels_deleted", "Relationships deleted by cleanup."),
        _l("removed_member_ids", "Ids of the members (AnthropicUser) cleanup deleted."),
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
    SCIM_USER,
    SCIM_GROUP,
    SYNC_RUN,
)

_SOURCE = _s("source", "Where the grant comes from: organization | workspace.")
_WORKSPACE_ROLE = _s("workspace_role", "Workspace role of the membership.")
_INHERITED = _b("inherited", "Derived from the organization role rather than listed explicitly.")


def _resource(end: NodeType) -> RelType:
    return RelType(
        type="RESOURCE",
        start=ORGANIZATION,
        end=end,
        family=end.family,
        description=f"The organization owns this {end.name.replace('_', ' ')}.",
    )


RELS: tuple[RelType, ...] = (
    *(_resource(node) for node in NODES if node is not ORGANIZATION),
    RelType(
        type="HAS_ROLE",
        start=USER,
        end=ROLE,
        family="role_grants",
        properties=(_SOURCE,),
        description="The user holds an organization role or a workspace role.",
    ),
    RelType(
        type="MEMBER_OF",
        start=USER,
        end=WORKSPACE,
        family="workspace_members",
        properties=(_WORKSPACE_ROLE, _INHERITED),
        description="The user is a member of the workspace.",
    ),
    RelType(
        type="ADMIN_OF",
        start=USER,
        end=WORKSPACE,
        family="workspace_members",
        properties=(_INHERITED,),
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
        type="CONTAINS",
        start=WORKSPACE,
        end=API_KEY,
        family="api_keys",
        description="The API key is scoped to the workspace.",
    ),
    RelType(
        type="OWNED_BY",
        start=API_KEY,
        end=USER,
        family="api_keys",
        description="The key was created by, or acts as, this user.",
    ),
    RelType(
        type="OWNED_BY",
        start=API_KEY,
        end=SERVICE_ACCOUNT,
        family="api_keys",
        description="The key was created by, or acts as, this service account.",
    ),
    RelType(
        type="OWNS",
        start=USER,
        end=API_KEY,
        family="api_keys",
        description="Deprecated: reverse of OWNED_BY, kept for cartography compatibility.",
    ),
    RelType(
        type="MEMBER_OF",
        start=SERVICE_ACCOUNT,
        end=WORKSPACE,
        family="service_account_members",
        properties=(
            _WORKSPACE_ROLE,
            _b("implicit", "The implicit Default Workspace membership every account has."),
        ),
        description="The service account is a member of the workspace.",
    ),
    RelType(
        type="ADMIN_OF",
        start=SERVICE_ACCOUNT,
        end=WORKSPACE,
        family="service_account_members",
        description="The service account administers the workspace.",
    ),
    RelType(
        type="HAS_ROLE",
        start=SERVICE_ACCOUNT,
        end=ROLE,
        family="service_account_members",
        properties=(_SOURCE,),
        description="The service account holds an organization role or a workspace role.",
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
        properties=(_s("match", "How the SCIM user was matched: exact | case_insensitive."),),
        description="The SCIM user is provisioned as this organization member (matched by email).",
    ),
    RelType(
        type="MEMBER_OF",
        start=SCIM_USER,
        end=SCIM_GROUP,
        family="scim_groups",
        description="The SCIM user is a member of the SCIM group.",
    ),
    RelType(
        type="SYNCED",
        start=SYNC_RUN,
        end=ORGANIZATION,
        family="sync_runs",
        description="The sync run read this organization.",
    ),
)

MODEL = GraphModel(nodes=NODES, rels=RELS, families=FAMILIES, never_cleaned=NEVER_CLEANED)
