"""Roles are enum values on Anthropic records; the graph turns them into Role nodes.

Organization roles are per tenant (`<org id>/organization/<role>`), workspace roles per
workspace (`<workspace id>/<role>`), so one pattern answers "who holds which role where":
`(principal)-[:HAS_ROLE]->(role)-[:SCOPED_TO]->(workspace)`.
"""

from __future__ import annotations

ORGANIZATION_ROLES = (
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
WORKSPACE_ROLES = (
    "workspace_admin",
    "workspace_billing",
    "workspace_developer",
    "workspace_restricted_developer",
    "workspace_user",
)

# Roles that can manage members (and so grant themselves anything else).
PRIVILEGED_ORGANIZATION_ROLES = frozenset({"admin", "owner", "primary_owner", "membership_admin"})
PRIVILEGED_WORKSPACE_ROLES = frozenset({"workspace_admin"})

# Org admins are workspace_admin and billing members workspace_billing in every workspace.
_INHERITED = {
    "admin": "workspace_admin",
    "owner": "workspace_admin",
    "primary_owner": "workspace_admin",
    "billing": "workspace_billing",
}


def organization_role_id(org_id: str, role: str) -> str:
    return f"{org_id}/organization/{role}"


def workspace_role_id(workspace_id: str, role: str) -> str:
    return f"{workspace_id}/{role}"


def inherited_workspace_role(organization_role: str | None) -> str | None:
    """The workspace role an organization role grants in every workspace, if any."""
    return _INHERITED.get(organization_role or "")


def inheriting_roles() -> tuple[tuple[str, str], ...]:
    """(organization role, the workspace role it grants in every live workspace)."""
    return tuple(sorted(_INHERITED.items()))


def is_privileged(scope: str, role: str) -> bool:
    if scope == "organization":
        return role in PRIVILEGED_ORGANIZATION_ROLES
    return role in PRIVILEGED_WORKSPACE_ROLES
