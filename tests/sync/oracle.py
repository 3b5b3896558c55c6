"""What the graph of a simulated organization must hold, computed from the simulator's own state.

This is the test oracle: it reads `anthropic_sim` records directly and shares nothing with the
pipeline's mapper, so a mapping bug cannot hide behind itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from anthropic_sim.state import ORG_ROLES, Org
from anthropic_sim.status import inherited_workspace_role, key_status


@dataclass
class ExpectedGraph:
    nodes: dict[str, set[str]]  # label -> ids
    rels: dict[str, set[tuple[str, str]]]  # "START-TYPE->END" -> (start id, end id)
    key_status: dict[str, str]
    # (user, ws) -> (effective role, inherited): inherited access wins over a listed membership
    member_roles: dict[tuple[str, str], tuple[str, bool]]


def expected_graph(org: Org, *, with_scim: bool = True) -> ExpectedGraph:
    now = org.epoch

    def scim(sid: str) -> str:
        return f"{org.id}/{sid}"

    default_ws = org.default_workspace().id
    live_ws = [w.id for w in org.workspaces.values() if w.archived_at is None]

    members: dict[tuple[str, str], tuple[str, bool]] = {}
    for (ws_id, user_id), m in org.members.items():
        if user_id in org.users:
            members[(user_id, ws_id)] = (m.workspace_role, False)
    for user in org.users.values():
        role = inherited_workspace_role(user.role)
        if role:
            for ws_id in live_ws:
                members[(user.id, ws_id)] = (role, True)

    sa_members: set[tuple[str, str]] = set()
    for sa in org.service_accounts.values():
        if sa.archived_at is None:
            sa_members.add((sa.id, default_ws))  # the implicit Default Workspace membership
    for sa_id, ws_id in org.sa_memberships:
        # Archived service accounts and archived workspaces list no memberships.
        if (
            org.service_accounts[sa_id].archived_at is None
            and org.workspaces[ws_id].archived_at is None
        ):
            sa_members.add((sa_id, ws_id))

    by_email = {u.email: u.id for u in org.users.values()}
    by_folded = {u.email.lower(): u.id for u in org.users.values()}
    provisioned: set[tuple[str, str]] = set()
    group_members: set[tuple[str, str]] = set()
    if with_scim:
        for sid, resource in org.scim_users.items():
            emails = resource.get("emails") or []
            email = next((e["value"] for e in emails if e.get("primary")), None) or (
                emails[0]["value"] if emails else resource.get("userName")
            )
            user_id = by_email.get(email) or by_folded.get(str(email).lower())
            if user_id:
                provisioned.add((scim(sid), user_id))
        for gid, group in org.scim_groups.items():
            for member in group.get("members", []):
                if member.get("type", "User") == "User" and member["value"] in org.scim_users:
                    group_members.add((scim(member["value"]), scim(gid)))

    keys = org.api_keys.values()
    created_by_user = {
        (k.id, k.created_by["id"])
        for k in keys
        if k.created_by and k.created_by["type"] == "user" and k.created_by["id"] in org.users
    }
    nodes = {
        "AnthropicUser": set(org.users),
        "AnthropicWorkspace": set(org.workspaces),
        "AnthropicApiKey": set(org.api_keys),
        # Deleted invites are not listed by the API (statuses default to the other three).
        "AnthropicInvite": {i.id for i in org.invites.values() if i.status != "deleted"},
        "AnthropicServiceAccount": set(org.service_accounts),
    }
    if with_scim:
        nodes["ScimUser"] = {scim(s) for s in org.scim_users}
        nodes["ScimGroup"] = {scim(g) for g in org.scim_groups}
    # Inherited access is one edge per organization role and live workspace, never per person.
    explicit = {pair: role for pair, (role, inherited) in members.items() if not inherited}
    rels = {
        "AnthropicUser-MEMBER_OF->AnthropicWorkspace": set(explicit),
        "AnthropicUser-ADMIN_OF->AnthropicWorkspace": {
            pair for pair, role in explicit.items() if role == "workspace_admin"
        },
        "AnthropicRole-GRANTS_WORKSPACE_ROLE->AnthropicRole": {
            (f"{org.id}/organization/{role}", f"{ws_id}/{granted}")
            for role in ORG_ROLES
            if (granted := inherited_workspace_role(role))
            for ws_id in live_ws
        },
        "AnthropicServiceAccount-MEMBER_OF->AnthropicWorkspace": sa_members,
        "AnthropicWorkspace-CONTAINS->AnthropicApiKey": {
            (k.workspace_id, k.id) for k in keys if k.workspace_id is not None
        },
        "AnthropicApiKey-ACTS_AS->AnthropicUser": {
            (k.id, k.principal["user_id"])
            for k in keys
            if k.principal and k.principal.get("user_id") in org.users
        },
        "AnthropicApiKey-ACTS_AS->AnthropicServiceAccount": {
            (k.id, k.principal["service_account_id"])
            for k in keys
            if k.principal and k.principal.get("service_account_id")
        },
        "AnthropicApiKey-CREATED_BY->AnthropicUser": created_by_user,
        "AnthropicApiKey-OWNED_BY->AnthropicUser": created_by_user,
        "AnthropicUser-OWNS->AnthropicApiKey": {(u, k) for k, u in created_by_user},
        "AnthropicApiKey-CREATED_BY->AnthropicServiceAccount": {
            (k.id, k.created_by["id"])
            for k in keys
            if k.created_by and k.created_by["type"] == "service_account"
        },
    }
    if with_scim:
        rels["ScimUser-PROVISIONED_AS->AnthropicUser"] = provisioned
        rels["ScimUser-MEMBER_OF->ScimGroup"] = group_members
    return ExpectedGraph(
        nodes=nodes,
        rels=rels,
        key_status={k.id: key_status(k, now) for k in keys},
        member_roles=members,
    )


def actual_graph(neo4j, org_id: str, expected: ExpectedGraph) -> ExpectedGraph:
    nodes = {
        label: {
            r["id"]
            for r in neo4j.run(f"MATCH (n:{label} {{tenant_id: $t}}) RETURN n.id AS id", t=org_id)
        }
        for label in expected.nodes
    }
    rels = {}
    for key in expected.rels:
        start, rest = key.split("-", 1)
        rel_type, end = rest.split("->")
        rows = neo4j.run(
            f"MATCH (a:{start} {{tenant_id: $t}})-[:{rel_type}]->(b:{end}) "
            "RETURN a.id AS a, b.id AS b",
            t=org_id,
        )
        rels[key] = {(r["a"], r["b"]) for r in rows}
    statuses = {
        r["id"]: r["status"]
        for r in neo4j.run(
            "MATCH (k:AnthropicApiKey {tenant_id: $t}) RETURN k.id AS id, k.status AS status",
            t=org_id,
        )
    }
    roles = {
        (r["u"], r["w"]): (r["role"], r["inherited"])
        for r in neo4j.run(
            "MATCH (u:AnthropicUser {tenant_id: $t})-[m:MEMBER_OF]->(w:AnthropicWorkspace) "
            "RETURN u.id AS u, w.id AS w, m.workspace_role AS role, m.inherited AS inherited "
            "UNION "
            "MATCH (u:AnthropicUser {tenant_id: $t})-[:HAS_ROLE]->(:AnthropicRole)"
            "-[:GRANTS_WORKSPACE_ROLE]->(r:AnthropicRole)-[:SCOPED_TO]->(w:AnthropicWorkspace) "
            "RETURN u.id AS u, w.id AS w, r.name AS role, true AS inherited",
            t=org_id,
        )
    }
    return ExpectedGraph(nodes=nodes, rels=rels, key_status=statuses, member_roles=roles)


def assert_graph_matches(neo4j, org: Org, *, with_scim: bool = True) -> None:
    expected = expected_graph(org, with_scim=with_scim)
    actual = actual_graph(neo4j, org.id, expected)
    for label, ids in expected.nodes.items():
        assert actual.nodes[label] == ids, (
            f"{label}: missing {sorted(ids - actual.nodes[label])[:5]}, "
            f"unexpected {sorted(actual.nodes[label] - ids)[:5]}"
        )
    for key, pairs in expected.rels.items():
        assert actual.rels[key] == pairs, (
            f"{key}: missing {sorted(pairs - actual.rels[key])[:5]}, "
            f"unexpected {sorted(actual.rels[key] - pairs)[:5]}"
        )
    assert actual.key_status == expected.key_status
    assert actual.member_roles == expected.member_roles
