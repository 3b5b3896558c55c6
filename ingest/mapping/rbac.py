"""Claude Enterprise groups, roles and permissions -> graph rows. Pure functions.

"Who can do X" is one path: `(u)-[:MEMBER_OF]->(g)-[:HAS_ROLE]->(r)-[:GRANTS]->(p {action: X})`
(blanket grants expanded by the question, docs/graph-model.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ingest.extract.models import RbacGroup, RbacGroupMember, RbacRole, RbacRolePermission
from ingest.extract.parsing import RecordIssue
from ingest.graph.model import MODEL, RBAC_GROUP, RBAC_PERMISSION, RBAC_ROLE
from ingest.mapping.admin import RESOURCE
from ingest.mapping.fill import RecordFill
from ingest.mapping.rows import GraphRows
from ingest.mapping.scim import scim_node_id

GROUP_HAS_ROLE = MODEL.rel("HAS_ROLE", "rbac_group", "rbac_role")
ROLE_GRANTS = MODEL.rel("GRANTS", "rbac_role", "rbac_role_permission")
USER_IN_GROUP = MODEL.rel("MEMBER_OF", "user", "rbac_group")
SURFACES_AS = MODEL.rel("SURFACES_AS", "scim_group", "rbac_group")

GROUP_FILL = RecordFill(RBAC_GROUP)
ROLE_FILL = RecordFill(RBAC_ROLE)
PERMISSION_FILL = RecordFill(RBAC_PERMISSION)

BLANKET_ACTIONS = frozenset({"capability_access_all", "capability_access_all_ga"})


def is_privileged_permission(permission: RbacRolePermission) -> bool:
    """Manages members or roles: an organization `permission_*` action that is not a
    read-only `permission_view_*` (permission_manage_members, ...).

    The one definition the questions read (the permission node's `privileged`): a member who
    holds one through a group's role is an effective organization admin, like the roles of
    `PRIVILEGED_ORGANIZATION_ROLES`. Why these: the reference (claude-org-products.md §2.7)
    lists `permission_*` as the organization actions beside features, and says no blanket
    grant includes them, so they are the administrative ones; §2.2 gives membership_admin
    ("manages members") as a role of its own. The reference names no full list of
    `permission_*` actions, so every one that is not a view counts (a new one is privileged
    until known otherwise)."""
    action = permission.action
    return action.startswith("permission_") and not action.startswith("permission_view_")


def map_rbac_roles(org_id: str, roles: Iterable[RbacRole]) -> GraphRows:
    rows = GraphRows()
    for role in roles:
        rows.node(RBAC_ROLE, ROLE_FILL(role, id=role.id, name=role.display_name or role.name))
        rows.rel(RESOURCE["rbac_role"], org_id, role.id)
    return rows


def map_rbac_role_permissions(org_id: str, permissions: Iterable[RbacRolePermission]) -> GraphRows:
    rows = GraphRows()
    for permission in permissions:
        node_id = permission.key
        rows.node(
            RBAC_PERMISSION,
            PERMISSION_FILL(
                permission,
                id=node_id,
                blanket=permission.action in BLANKET_ACTIONS,
                privileged=is_privileged_permission(permission),
            ),
        )
        rows.rel(RESOURCE["rbac_role_permission"], org_id, node_id)
        rows.rel(ROLE_GRANTS, permission.rbac_role_id, node_id)
    return rows


def map_rbac_groups(org_id: str, groups: Iterable[RbacGroup]) -> GraphRows:
    """Group nodes and their role grants (none for a group whose role data was unavailable)."""
    rows = GraphRows()
    for group in groups:
        rows.node(RBAC_GROUP, GROUP_FILL(group, id=group.id))
        rows.rel(RESOURCE["rbac_group"], org_id, group.id)
        for role_id in group.role_ids or ():
            rows.rel(GROUP_HAS_ROLE, group.id, role_id)
    return rows


def map_rbac_group_members(members: Iterable[RbacGroupMember]) -> GraphRows:
    rows = GraphRows()
    for member in members:
        rows.rel(USER_IN_GROUP, member.user_id, member.rbac_group_id)
    return rows


def map_scim_rbac_groups(
    org_id: str, scim_groups: Iterable[tuple[str, str | None]], groups: Iterable[RbacGroup]
) -> tuple[GraphRows, list[RecordIssue]]:
    """SURFACES_AS from each SCIM group (id, display name) to the one `scim` group of the same
    name. Names are not unique: a name that several `scim` groups share joins nothing and is
    reported, as is a SCIM group that surfaces as no group."""
    scim_sourced = [g for g in groups if g.source_type == "scim" and g.name is not None]
    count = Counter(g.name for g in scim_sourced)
    by_name = {g.name: g.id for g in scim_sourced}
    rows, issues = GraphRows(), []
    for scim_id, name in scim_groups:
        if name is not None and count[name] == 1:
            rows.rel(SURFACES_AS, scim_node_id(org_id, scim_id), by_name[name])
            continue
        problem = (
            f"{count[name]} SCIM-sourced groups are named {name!r}: not joined"
            if name is not None and count[name] > 1
            else "surfaces as no SCIM-sourced group of the same name: not joined"
        )
        issues.append(RecordIssue("scim_rbac_groups", scim_id, problem))
    return rows, issues
