"""Organization admins' and billing members' access to every workspace is inherited through
their organization role (one GRANTS_WORKSPACE_ROLE per role and live workspace), never copied
per person, and an upgraded graph loses the per-person copies earlier versions wrote."""

from __future__ import annotations

import pytest

from anthropic_sim.state import ORG_ROLES
from anthropic_sim.status import inherited_workspace_role
from tests.sync.oracle import assert_graph_matches

pytestmark = pytest.mark.neo4j

_THROUGH_THE_ROLE = (
    "MATCH (u:AnthropicUser {id: $user})-[:HAS_ROLE]->(o:AnthropicRole {scope: 'organization'})"
    "-[:GRANTS_WORKSPACE_ROLE]->(r:AnthropicRole {scope: 'workspace'})"
    "-[:SCOPED_TO]->(w:AnthropicWorkspace {id: $workspace}) "
    "RETURN o.name AS organization_role, r.name AS workspace_role"
)
_COPIES = (
    "MATCH (u:AnthropicUser {tenant_id: $t})-[m]->(x) "
    "WHERE (type(m) IN ['MEMBER_OF', 'ADMIN_OF'] AND m.inherited) "
    "   OR (type(m) = 'HAS_ROLE' AND m.source = 'organization' AND x.scope = 'workspace') "
    "RETURN count(m) AS copies"
)


def _admin_and_live_workspace(org) -> tuple[str, str]:
    admin = next(u for u in org.users.values() if u.role == "admin")
    live = next(w for w in org.workspaces.values() if w.archived_at is None)
    return admin.id, live.id


# Whether the API lists inherited members is unknown (reference: admin API, open question 8);
# when it does, the listing is covered by the role and written no more than when it does not.
@pytest.mark.parametrize("listed", [False, True])
def test_an_org_admin_reaches_every_live_workspace_through_the_role_not_a_copy(
    neo4j, simulator, sync, listed
):
    with simulator(size="small", seed=11, list_inherited_members=listed) as running:
        report = sync(running)
        org = running.sim.org
    assert report.status == "success", report.extraction_failures
    admin, workspace = _admin_and_live_workspace(org)
    assert neo4j.run(_THROUGH_THE_ROLE, user=admin, workspace=workspace) == [
        {"organization_role": "admin", "workspace_role": "workspace_admin"}
    ]
    assert neo4j.run(_COPIES, t=org.id) == [{"copies": 0}]
    live = sum(w.archived_at is None for w in org.workspaces.values())
    inheriting = [role for role in ORG_ROLES if inherited_workspace_role(role)]
    [row] = neo4j.run(
        "MATCH (:AnthropicRole {tenant_id: $t})-[g:GRANTS_WORKSPACE_ROLE]->() RETURN count(g) AS n",
        t=org.id,
    )
    assert row["n"] == len(inheriting) * live
    [covered] = neo4j.run(
        "MATCH (u:AnthropicUser {tenant_id: $t})-[:HAS_ROLE]->(:AnthropicRole)"
        "-[:GRANTS_WORKSPACE_ROLE]->(:AnthropicRole)-[:SCOPED_TO]->(w)<-[:MEMBER_OF]-(u) "
        "RETURN count(*) AS listed_and_inherited",
        t=org.id,
    )
    assert covered == {"listed_and_inherited": 0}
    if not listed:  # the oracle knows the default listing only
        assert_graph_matches(neo4j, org)


def test_a_sync_removes_the_per_person_copies_an_earlier_version_wrote(neo4j, simulator, sync):
    with simulator(size="small", seed=11) as running:
        sync(running)
        org = running.sim.org
        admin, workspace = _admin_and_live_workspace(org)
        # What earlier versions wrote for every organization admin and live workspace.
        neo4j.run(
            "MATCH (u:AnthropicUser {id: $user}), (w:AnthropicWorkspace {id: $workspace}), "
            "(r:AnthropicRole {id: $workspace + '/workspace_admin'}) "
            "CREATE (u)-[:MEMBER_OF {workspace_role: 'workspace_admin', inherited: true, "
            "sync_id: 'earlier'}]->(w), "
            "(u)-[:ADMIN_OF {inherited: true, sync_id: 'earlier'}]->(w), "
            "(u)-[:HAS_ROLE {source: 'organization', sync_id: 'earlier'}]->(r)",
            user=admin,
            workspace=workspace,
        )
        assert neo4j.run(_COPIES, t=org.id) == [{"copies": 3}]
        report = sync(running)
    assert report.status == "success", report.extraction_failures
    assert neo4j.run(_COPIES, t=org.id) == [{"copies": 0}]
    assert neo4j.run(_THROUGH_THE_ROLE, user=admin, workspace=workspace) == [
        {"organization_role": "admin", "workspace_role": "workspace_admin"}
    ]
