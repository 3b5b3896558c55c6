"""The graph equals the simulated organization, and stays equal to it across syncs."""

from __future__ import annotations

import pytest

from ingest.graph.fingerprint import fingerprint
from tests.sync.oracle import assert_graph_matches

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize("page_size", [1, 7, 1000])
def test_graph_equals_the_simulated_org_at_every_page_size(neo4j, simulator, sync, page_size):
    with simulator(size="small", seed=3) as running:
        report = sync(running, admin_page_size=page_size, scim_page_size=max(page_size, 2))
        org = running.sim.org
    assert report.status == "success", report.extraction_failures
    assert report.scim_status == "available"
    assert_graph_matches(neo4j, org)


def test_medium_org_is_complete_and_properties_are_right(neo4j, simulator, sync):
    with simulator(size="medium", seed=5) as running:
        report = sync(running)
        org = running.sim.org
    assert report.status == "success", report.extraction_failures
    assert_graph_matches(neo4j, org)
    user = next(iter(org.users.values()))
    [row] = neo4j.run(
        "MATCH (o:AnthropicOrganization)-[:RESOURCE]->(u:AnthropicUser {id: $id})"
        "-[:HAS_ROLE {source: 'organization'}]->(r:AnthropicRole {scope: 'organization'}) "
        "RETURN u.email AS email, u.email_lower AS lower, u.name AS name, u.role AS role, "
        "r.name AS role_node, o.id AS org",
        id=user.id,
    )
    assert row == {
        "email": user.email,
        "lower": user.email.lower(),
        "name": user.name,
        "role": user.role,
        "role_node": user.role,
        "org": org.id,
    }
    [orgrow] = neo4j.run(
        "MATCH (o:AnthropicOrganization:Tenant {id: $id}) RETURN o.name AS name, "
        "o.scim_status AS scim, o.lifecycle_remediation_enabled AS remediation",
        id=org.id,
    )
    assert orgrow == {"name": org.name, "scim": "available", "remediation": True}


def test_two_syncs_of_an_unchanged_org_leave_identical_graphs(neo4j, simulator, sync):
    with simulator(size="small", seed=7) as running:
        sync(running)
        first = fingerprint(neo4j.driver, neo4j.database, exclude_labels=("SyncRun",))
        sync(running)
        second = fingerprint(neo4j.driver, neo4j.database, exclude_labels=("SyncRun",))
    assert first == second


def test_after_the_org_changes_the_next_sync_holds_exactly_the_new_state(neo4j, simulator, sync):
    with simulator(size="small", seed=11) as running:
        sync(running)
        org = running.sim.org
        control = running.control_headers()
        import httpx

        def mutate(**body):
            response = httpx.post(f"{running.base_url}/_control/mutate", json=body, headers=control)
            assert response.status_code == 200, response.text

        plain = [u for u in org.users.values() if u.role in ("user", "developer")]
        mutate(op="remove_user", user_id=plain[0].id)
        mutate(op="change_role", user_id=plain[1].id, role="billing")
        active_key = next(k for k in org.api_keys.values() if k.status == "active")
        mutate(op="revoke_key", key_id=active_key.id, status="inactive")
        workspace = next(
            w for w in org.workspaces.values() if w.archived_at is None and not w.is_default
        )
        mutate(op="archive_workspace", workspace_id=workspace.id)
        scim_user = next(r for r in org.scim_users.values() if r.get("active") is True)
        mutate(op="deactivate_scim_user", scim_id=scim_user["id"])

        report = sync(running)
        assert report.status == "success"
        assert report.nodes_deleted >= 1
        assert_graph_matches(neo4j, org)


def _tenant_snapshot(neo4j, tenant_id):
    nodes = neo4j.run(
        "MATCH (n {tenant_id: $t}) RETURN n.id AS id, labels(n) AS labels, "
        "n.sync_id AS sync ORDER BY id",
        t=tenant_id,
    )
    rels = neo4j.run(
        "MATCH (a {tenant_id: $t})-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, "
        "r.sync_id AS sync ORDER BY a, type, b",
        t=tenant_id,
    )
    return nodes, rels


def test_two_organizations_in_one_database_stay_isolated(neo4j, simulator, sync):
    with simulator(size="small", seed=21) as a, simulator(size="small", seed=22) as b:
        sync(a)
        sync(b)
        org_a, org_b = a.sim.org, b.sim.org
        assert org_a.id != org_b.id
        before_b = _tenant_snapshot(neo4j, org_b.id)
        # Organization A changes and is synced again, completely: cleanup runs for A only.
        plain = next(u for u in org_a.users.values() if u.role == "user")
        del org_a.users[plain.id]
        report = sync(a)
        assert report.nodes_deleted >= 1
        assert_graph_matches(neo4j, org_a)
        assert_graph_matches(neo4j, org_b)
    assert _tenant_snapshot(neo4j, org_b.id) == before_b
