"""Admin API records → graph rows. Pure functions: no I/O, no clock, no Neo4j."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ingest.extract.models import (
    ApiKey,
    Invite,
    ServiceAccount,
    ServiceAccountMembership,
    User,
    Workspace,
    WorkspaceMember,
)
from ingest.graph.model import API_KEY, INVITE, MODEL, ROLE, SERVICE_ACCOUNT, USER, WORKSPACE
from ingest.mapping.fill import RecordFill
from ingest.mapping.roles import (
    ORGANIZATION_ROLES,
    WORKSPACE_ROLES,
    inherited_workspace_role,
    inheriting_roles,
    is_privileged,
    organization_role_id,
    workspace_role_id,
)
from ingest.mapping.rows import GraphRows, text

HAS_ROLE_USER = MODEL.rel("HAS_ROLE", "user", "role")
HAS_ROLE_SA = MODEL.rel("HAS_ROLE", "service_account", "role")
MEMBER_OF_USER = MODEL.rel("MEMBER_OF", "user", "workspace")
ADMIN_OF_USER = MODEL.rel("ADMIN_OF", "user", "workspace")
MEMBER_OF_SA = MODEL.rel("MEMBER_OF", "service_account", "workspace")
ADMIN_OF_SA = MODEL.rel("ADMIN_OF", "service_account", "workspace")
SCOPED_TO = MODEL.rel("SCOPED_TO", "role", "workspace")
GRANTS_WORKSPACE_ROLE = MODEL.rel("GRANTS_WORKSPACE_ROLE", "role", "role")
CONTAINS = MODEL.rel("CONTAINS", "workspace", "api_key")
ACTS_AS = {end: MODEL.rel("ACTS_AS", "api_key", end) for end in ("user", "service_account")}
CREATED_BY = {end: MODEL.rel("CREATED_BY", "api_key", end) for end in ("user", "service_account")}
OWNED_BY = MODEL.rel("OWNED_BY", "api_key", "user")
OWNS = MODEL.rel("OWNS", "user", "api_key")
GRANTS = MODEL.rel("GRANTS", "invite", "role")


RESOURCE = {rel.end.name: rel for rel in MODEL.rels if rel.type == "RESOURCE"}

USER_FILL = RecordFill(USER)
WORKSPACE_FILL = RecordFill(WORKSPACE)
API_KEY_FILL = RecordFill(API_KEY)
SERVICE_ACCOUNT_FILL = RecordFill(SERVICE_ACCOUNT)
INVITE_FILL = RecordFill(INVITE)


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rpartition("@")[2].strip().lower() or None


def lower(value: str | None) -> str | None:
    return value.strip().lower() if value else None


# ---- users and their organization roles ------------------------------------------------


def map_users(users: Iterable[User]) -> GraphRows:
    """User nodes (family users); their RESOURCE edges come from `map_user_resources`, once
    the organization node is written."""
    rows = GraphRows()
    for user in users:
        email = user.email
        rows.node(
            USER,
            USER_FILL(user, id=user.id, email_lower=lower(email), email_domain=email_domain(email)),
        )
    return rows


def map_user_resources(org_id: str, user_ids: Iterable[str]) -> GraphRows:
    rows = GraphRows()
    for user_id in user_ids:
        rows.rel(RESOURCE["user"], org_id, user_id)
    return rows


def map_user_role_grants(org_id: str, roles: Iterable[tuple[str, str | None]]) -> GraphRows:
    """Each user's organization role (family role_grants); `roles`: (user id, role)."""
    rows = GraphRows()
    for user_id, role in roles:
        if role is not None:
            role_id = organization_role_id(org_id, role)
            rows.rel(HAS_ROLE_USER, user_id, role_id, source="organization")
    return rows


# ---- roles -------------------------------------------------------------------------------


def map_roles(
    org_id: str,
    workspaces: Sequence[Workspace],
    seen_organization_roles: Iterable[str] = (),
) -> GraphRows:
    """Every organization role (plus unknown ones seen on records) and the five workspace
    roles of every workspace, each workspace role SCOPED_TO its workspace (family roles).

    Organization admins and billing members hold a workspace role in every workspace that is
    not archived: that is one GRANTS_WORKSPACE_ROLE from their organization role to each such
    workspace role, not a copy per person (docs/graph-model.md)."""
    rows = GraphRows()
    for role in sorted(set(ORGANIZATION_ROLES) | set(seen_organization_roles)):
        role_id = organization_role_id(org_id, role)
        rows.node(ROLE, _role_row(role_id, role, "organization", None))
        rows.rel(RESOURCE["role"], org_id, role_id)
    for workspace in workspaces:
        for role in WORKSPACE_ROLES:
            role_id = workspace_role_id(workspace.id, role)
            rows.node(ROLE, _role_row(role_id, role, "workspace", workspace.id))
            rows.rel(RESOURCE["role"], org_id, role_id)
            rows.rel(SCOPED_TO, role_id, workspace.id)
        if workspace.archived_at is None:
            for organization_role, granted in inheriting_roles():
                rows.rel(
                    GRANTS_WORKSPACE_ROLE,
                    organization_role_id(org_id, organization_role),
                    workspace_role_id(workspace.id, granted),
                )
    return rows


def _role_row(role_id: str, name: str, scope: str, workspace_id: str | None) -> dict:
    return {
        "id": role_id,
        "name": name,
        "scope": scope,
        "privileged": is_privileged(scope, name),
        "workspace_id": workspace_id,
    }


# ---- workspaces and memberships ---------------------------------------------------------


def map_workspaces(org_id: str, workspaces: Iterable[Workspace]) -> GraphRows:
    rows = GraphRows()
    for ws in workspaces:
        residency = ws.data_residency
        allowed = residency.allowed_inference_geos if residency else None
        rows.node(
            WORKSPACE,
            WORKSPACE_FILL(
                ws,
                id=ws.id,
                is_archived=ws.archived_at is not None,
                allowed_inference_geos=[allowed] if isinstance(allowed, str) else allowed,
                tags=[f"{k}={v}" for k, v in sorted(ws.tags.items())] or None,
            ),
        )
        rows.rel(RESOURCE["workspace"], org_id, ws.id)
    return rows


Pair = tuple[str, str]  # (user, workspace)
Access = dict[Pair, str]  # (user, workspace) -> workspace role


class InheritedAccess:
    """Which (user, workspace) pairs organization roles already cover: org admins are
    workspace_admin, billing members workspace_billing in every workspace that is not
    archived. The graph holds this once, through GRANTS_WORKSPACE_ROLE (`map_roles`)."""

    def __init__(self, roles: Mapping[str, str | None], workspaces: Sequence[Workspace]) -> None:
        """roles: every member's organization role, by user id."""
        self._live = frozenset(ws.id for ws in workspaces if ws.archived_at is None)
        self._grants = {
            user_id: granted
            for user_id, role in roles.items()
            if (granted := inherited_workspace_role(role)) is not None
        }

    def __contains__(self, pair: Pair) -> bool:
        user_id, workspace_id = pair
        return user_id in self._grants and workspace_id in self._live


def explicit_access(members: Iterable[WorkspaceMember], inherited: InheritedAccess) -> Access:
    """The memberships the API lists, except where inherited access covers the same pair:
    the inherited role is what the user can actually do, it cannot be removed, and the API
    may list it itself; the graph reaches it through the organization role."""
    access: Access = {}
    for member in members:
        role = text(member.workspace_role)
        pair = (member.user_id, member.workspace_id)
        if role is not None and pair not in inherited:
            access[pair] = role
    return access


def map_access(access: Access) -> tuple[GraphRows, GraphRows]:
    """(memberships, role grants): MEMBER_OF and ADMIN_OF (family workspace_members), and
    HAS_ROLE to the workspace role (family role_grants), for explicit memberships only."""
    memberships, grants = GraphRows(), GraphRows()
    for (user_id, workspace_id), role in access.items():
        memberships.rel(MEMBER_OF_USER, user_id, workspace_id, workspace_role=role, inherited=False)
        if role == "workspace_admin":
            memberships.rel(ADMIN_OF_USER, user_id, workspace_id, inherited=False)
        grants.rel(
            HAS_ROLE_USER, user_id, workspace_role_id(workspace_id, role), source="workspace"
        )
    return memberships, grants


# ---- API keys -----------------------------------------------------------------------------


def map_api_keys(
    org_id: str,
    keys: Iterable[ApiKey],
    workspaces: Sequence[Workspace],
    *,
    service_accounts_read: bool,
    stubs: set[str] | None = None,
) -> GraphRows:
    """Key nodes, the workspace that contains each, whom each acts as (`principal`) and who
    made it (`created_by`).

    When the service-account endpoints were not read (no OAuth token), service accounts that
    keys name become stub nodes (`is_stub`) so the key is still a path to them. `stubs`:
    the stubs already mapped, for keys mapped a page at a time (updated here)."""
    default_ws = next((ws.id for ws in workspaces if ws.is_default), None)
    rows = GraphRows()
    stubs = set() if stubs is None else stubs
    for key in keys:
        scope_type = key.scope.type if key.scope else None
        workspace_id = key.scope_workspace_id
        if workspace_id is None and scope_type != "organization":
            workspace_id = default_ws  # legacy shape: null workspace_id = Default Workspace
        rows.node(
            API_KEY,
            API_KEY_FILL(
                key,
                id=key.id,
                scope_type=scope_type or ("workspace" if workspace_id else None),
                workspace_id=workspace_id,
            ),
        )
        rows.rel(RESOURCE["api_key"], org_id, key.id)
        if workspace_id is not None:
            rows.rel(CONTAINS, workspace_id, key.id)
        principal = key.principal
        acts_as = _actor_end(principal.kind if principal else None)
        if acts_as is not None and principal is not None and principal.id is not None:
            rows.rel(ACTS_AS[acts_as], key.id, principal.id)
            if acts_as == "service_account":
                _stub_service_account(rows, org_id, principal.id, service_accounts_read, stubs)
        creator = key.created_by
        made_by = _actor_end(creator.type if creator else None)
        if made_by is None or creator is None or creator.id is None:
            continue
        rows.rel(CREATED_BY[made_by], key.id, creator.id)
        if made_by == "user":
            rows.rel(OWNED_BY, key.id, creator.id)
            rows.rel(OWNS, creator.id, key.id)
        else:
            _stub_service_account(rows, org_id, creator.id, service_accounts_read, stubs)
    return rows


def _actor_end(kind: object) -> str | None:
    """The node type a key's principal or creator points at (None: no such actor)."""
    found = text(kind)
    return found if found in ("user", "service_account") else None


def _stub_service_account(
    rows: GraphRows, org_id: str, sa_id: str, service_accounts_read: bool, stubs: set[str]
) -> None:
    """Without the service-account endpoints, an account a key names is known only from it."""
    if service_accounts_read or sa_id in stubs:
        return
    stubs.add(sa_id)
    rows.node(SERVICE_ACCOUNT, {"id": sa_id, "is_stub": True})
    rows.rel(RESOURCE["service_account"], org_id, sa_id)


# ---- service accounts ---------------------------------------------------------------------


def map_service_accounts(org_id: str, accounts: Iterable[ServiceAccount]) -> GraphRows:
    rows = GraphRows()
    for sa in accounts:
        rows.node(SERVICE_ACCOUNT, SERVICE_ACCOUNT_FILL(sa, id=sa.id, is_stub=False))
        rows.rel(RESOURCE["service_account"], org_id, sa.id)
    return rows


def map_service_account_members(
    org_id: str,
    accounts: Iterable[ServiceAccount],
    memberships: Iterable[ServiceAccountMembership],
) -> GraphRows:
    """Each service account's organization role and workspace memberships
    (family service_account_members)."""
    rows = GraphRows()
    for sa in accounts:
        if sa.organization_role is not None:
            role_id = organization_role_id(org_id, text(sa.organization_role) or "")
            rows.rel(HAS_ROLE_SA, sa.id, role_id, source="organization")
    for m in memberships:
        role = text(m.workspace_role)
        rows.rel(
            MEMBER_OF_SA,
            m.service_account_id,
            m.workspace_id,
            workspace_role=role,
            implicit=bool(m.implicit),
        )
        if role is None:
            continue
        if role == "workspace_admin":
            rows.rel(ADMIN_OF_SA, m.service_account_id, m.workspace_id)
        rows.rel(
            HAS_ROLE_SA,
            m.service_account_id,
            workspace_role_id(m.workspace_id, role),
            source="workspace",
        )
    return rows


# ---- invites ------------------------------------------------------------------------------


def map_invites(org_id: str, invites: Iterable[Invite]) -> GraphRows:
    rows = GraphRows()
    for invite in invites:
        row = INVITE_FILL(invite, id=invite.id, email_lower=lower(invite.email))
        rows.node(INVITE, row)
        rows.rel(RESOURCE["invite"], org_id, invite.id)
        role = row["role"]
        if role is not None:
            rows.rel(GRANTS, invite.id, organization_role_id(org_id, role))
    return rows
