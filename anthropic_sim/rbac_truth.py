"""The truth about Enterprise groups and roles, measured from the state (part of the planted
truth), so tests can hold a synced graph to the simulated organization."""

from __future__ import annotations

from collections import Counter

from anthropic_sim.state import Org

MANAGES_MEMBERS = "permission_manage_members"


def group_member_managers(org: Org) -> set[str]:
    """Current members who can manage members through one of their groups' roles."""
    rbac = org.rbac
    return {
        uid
        for g in rbac.groups.values()
        if MANAGES_MEMBERS in rbac.role_actions(g)
        for uid in g.members
        if uid in org.users
    }


def scim_groups_managing_members(org: Org) -> set[str]:
    """SCIM groups that surface as the one scim-sourced group of their name whose roles
    manage members."""
    rbac = org.rbac
    by_name = Counter(g.name for g in rbac.groups.values() if g.source_type == "scim")
    managing = {
        g.name
        for g in rbac.groups.values()
        if g.source_type == "scim" and MANAGES_MEMBERS in rbac.role_actions(g)
    }
    return {
        gid
        for gid, resource in org.scim_groups.items()
        if (name := resource.get("displayName")) in managing and by_name[name] == 1
    }


def privileged_through_two_routes(org: Org, admin_roles: tuple[str, ...]) -> set[str]:
    """Current members who manage members through a role in `admin_roles` and a group, or
    through a SCIM group and a group made by hand."""
    rbac = org.rbac
    through: dict[str, set[str]] = {"scim": set(), "direct": set()}
    for group in rbac.groups.values():
        if MANAGES_MEMBERS in rbac.role_actions(group):
            kind = "scim" if group.source_type == "scim" else "direct"
            through[kind] |= {uid for uid in group.members if uid in org.users}
    by_role = {u.id for u in org.users.values() if u.role in admin_roles}
    return (by_role & (through["scim"] | through["direct"])) | (through["scim"] & through["direct"])


def rbac_truth(org: Org) -> dict[str, list[str]]:
    rbac = org.rbac
    groups = list(rbac.groups.values())
    names = Counter(g.name for g in groups)
    current = [(g, uid) for g in groups for uid in g.members if uid in org.users]
    return {
        "rbac_groups": [g.id for g in groups],
        "scim_rbac_groups": [g.id for g in groups if g.source_type == "scim"],
        "duplicate_rbac_group_names": [g.id for g in groups if names[g.name] > 1],
        "custom_rbac_roles": [r.id for r in rbac.roles.values() if r.source == "custom"],
        # "<group id>/<user id>": current members only
        "rbac_group_members": [f"{g.id}/{uid}" for g, uid in current],
        # "<group id>/<role id>"
        "rbac_group_roles": [f"{g.id}/{rid}" for g in groups for rid in g.role_ids],
        "rbac_memberships_of_departed_users": [
            f"{g.id}/{uid}" for g in groups for uid in g.members if uid not in org.users
        ],
        # members who can manage members through a group's role
        "rbac_member_managers": sorted(group_member_managers(org)),
    }
