"""Enterprise groups and roles (`rbac_groups`, `rbac_roles`): plain records of the org's state.

A group keeps every membership it was given, in the order it was given (oldest first), even
after the member left the organization: the members list shows current members only, so a
page of stored memberships can come back short, as documented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

GroupSource = Literal["direct", "scim"]
RoleSource = Literal["built_in", "custom"]


@dataclass
class RbacPermission:
    resource: dict[str, str]  # {"type": "organization", "organization_id": ...} etc.
    action: str


@dataclass
class RbacRole:
    id: str  # rbac_role_...
    display_name: str
    source: RoleSource
    created_at: datetime
    updated_at: datetime
    permissions: list[RbacPermission] = field(default_factory=list)


@dataclass
class RbacGroupMember:
    user_id: str
    created_at: datetime


@dataclass
class RbacGroup:
    id: str  # rbac_group_...
    name: str  # not unique
    source_type: GroupSource
    created_at: datetime
    updated_at: datetime
    role_ids: list[str] = field(default_factory=list)
    # user id -> membership, in the order the memberships were made (oldest first)
    members: dict[str, RbacGroupMember] = field(default_factory=dict)


@dataclass
class RbacState:
    roles: dict[str, RbacRole] = field(default_factory=dict)
    groups: dict[str, RbacGroup] = field(default_factory=dict)

    def role_actions(self, group: RbacGroup) -> set[str]:
        """Every `organization` action a group's roles grant (blanket rows unexpanded)."""
        return {
            p.action
            for role_id in group.role_ids
            if (role := self.roles.get(role_id)) is not None
            for p in role.permissions
            if p.resource.get("type") == "organization"
        }


def permission_row(permission: RbacPermission) -> dict[str, Any]:
    return {
        "type": "rbac_role_permission",
        "resource": dict(permission.resource),
        "action": permission.action,
    }
