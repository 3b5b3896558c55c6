"""What the graph of a simulated Claude Enterprise organization must hold, from the simulator's
own state (shares nothing with the pipeline's mappers, like tests/sync/oracle.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from anthropic_sim.state import Org
from tests.sync.oracle import assert_graph_matches

# Relationship or node queries by name -> what the graph must answer (a set of tuples).
Expected = dict[str, set[tuple[Any, ...]]]

QUERIES = {
    "users": "MATCH (u:AnthropicUser {tenant_id: $t}) RETURN u.id, u.role",
    "org_roles": (
        "MATCH (u:AnthropicUser {tenant_id: $t})-[:HAS_ROLE]->(r:AnthropicRole "
        "{scope: 'organization'}) RETURN u.id, r.name, r.privileged"
    ),
    "groups": (
        "MATCH (:AnthropicOrganization {id: $t})-[:RESOURCE]->(g:AnthropicRbacGroup:UserGroup) "
        "RETURN g.id, g.name, g.source_type"
    ),
    "group_members": (
        "MATCH (u:AnthropicUser {tenant_id: $t})-[:MEMBER_OF]->(g:AnthropicRbacGroup) "
        "RETURN g.id, u.id"
    ),
    "group_roles": (
        "MATCH (g:AnthropicRbacGroup {tenant_id: $t})-[:HAS_ROLE]->(r:AnthropicRbacRole) "
        "RETURN g.id, r.id"
    ),
    "roles": (
        "MATCH (:AnthropicOrganization {id: $t})-[:RESOURCE]->"
        "(r:AnthropicRbacRole:PermissionRole) RETURN r.id, r.display_name, r.source_type"
    ),
    "permissions": (
        "MATCH (r:AnthropicRbacRole {tenant_id: $t})-[:GRANTS]->(p:AnthropicRbacRolePermission) "
        "RETURN r.id, p.action, p.resource_type, p.resource_organization_id, "
        "p.resource_connector_id, p.resource_tool_name, p.resource_scope, p.blanket, p.privileged"
    ),
    "scim_users": "MATCH (s:ScimUser {tenant_id: $t}) RETURN s.id",
    "scim_groups": "MATCH (s:ScimGroup {tenant_id: $t}) RETURN s.id",
    "provisioned": (
        "MATCH (s:ScimUser {tenant_id: $t})-[:PROVISIONED_AS]->(u:AnthropicUser) RETURN s.id, u.id"
    ),
    "scim_group_members": (
        "MATCH (s:ScimUser {tenant_id: $t})-[:MEMBER_OF]->(g:ScimGroup) RETURN s.id, g.id"
    ),
    "surfaces_as": (
        "MATCH (s:ScimGroup {tenant_id: $t})-[:SURFACES_AS]->(g:AnthropicRbacGroup) "
        "RETURN s.id, g.id"
    ),
}

ENTERPRISE_PRIVILEGED = {"primary_owner", "owner", "membership_admin"}
SCIM_QUERIES = ("scim_users", "scim_groups", "provisioned", "scim_group_members", "surfaces_as")


def expected_enterprise_graph(org: Org) -> Expected:
    rbac = org.rbac

    def scim(sid: str) -> str:
        return f"{org.id}/{sid}"

    by_email = {u.email.lower(): u.id for u in org.users.values()}
    provisioned = set()
    for sid, resource in org.scim_users.items():
        emails = resource.get("emails") or []
        email = next((e["value"] for e in emails if e.get("primary")), None) or (
            emails[0]["value"] if emails else resource.get("userName")
        )
        if (uid := by_email.get(str(email).lower())) is not None:
            provisioned.add((scim(sid), uid))
    scim_named = Counter(g.name for g in rbac.groups.values() if g.source_type == "scim")
    surfaces = {
        (scim(sid), g.id)
        for sid, resource in org.scim_groups.items()
        for g in rbac.groups.values()
        if g.source_type == "scim" and g.name == resource["displayName"] and scim_named[g.name] == 1
    }

    def permission(role_id: str, p: Any) -> tuple[Any, ...]:
        r = p.resource
        return (
            role_id,
            p.action,
            r.get("type"),
            r.get("organization_id"),
            r.get("connector_id"),
            r.get("tool_name"),
            r.get("scope"),
            p.action in ("capability_access_all", "capability_access_all_ga"),
            p.action == "permission_manage_members",
        )

    return {
        "users": {(u.id, u.role) for u in org.users.values()},
        "org_roles": {(u.id, u.role, u.role in ENTERPRISE_PRIVILEGED) for u in org.users.values()},
        "groups": {(g.id, g.name, g.source_type) for g in rbac.groups.values()},
        "group_members": {
            (g.id, uid) for g in rbac.groups.values() for uid in g.members if uid in org.users
        },
        "group_roles": {(g.id, rid) for g in rbac.groups.values() for rid in g.role_ids},
        "roles": {(r.id, r.display_name, r.source) for r in rbac.roles.values()},
        "permissions": {permission(r.id, p) for r in rbac.roles.values() for p in r.permissions},
        "scim_users": {scim(s) for s in org.scim_users},
        "scim_groups": {scim(g) for g in org.scim_groups},
        "provisioned": provisioned,
        "scim_group_members": {
            (scim(m["value"]), scim(gid))
            for gid, group in org.scim_groups.items()
            for m in group.get("members", [])
            if m.get("type", "User") == "User" and m["value"] in org.scim_users
        },
        "surfaces_as": surfaces,
    }


def actual_enterprise_graph(neo4j: Any, org_id: str) -> Expected:
    graph: Expected = {}
    for name, query in QUERIES.items():
        rows = neo4j.run(query, t=org_id)
        graph[name] = {
            next(iter(row.values())) if len(row) == 1 else tuple(row.values()) for row in rows
        }
    return graph


def assert_enterprise_graph_equals(neo4j: Any, org: Org, *, with_scim: bool = True) -> None:
    """The organization's graph equals the simulated org; `with_scim=False` leaves the SCIM
    side unchecked (an organization synced without SCIM, or whose SCIM was not read)."""
    expected = expected_enterprise_graph(org)
    actual = actual_enterprise_graph(neo4j, org.id)
    for name, want in expected.items():
        if with_scim or name not in SCIM_QUERIES:
            assert actual[name] == want, name


def assert_org_graph_matches(neo4j: Any, org: Org, *, with_scim: bool = True) -> None:
    """The oracle of the organization's product."""
    if org.product == "enterprise":
        assert_enterprise_graph_equals(neo4j, org, with_scim=with_scim)
    else:
        assert_graph_matches(neo4j, org, with_scim=with_scim)
