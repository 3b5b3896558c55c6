"""A Claude Enterprise organization synced end to end equals the simulated organization."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import SecretStr

from anthropic_sim import linked
from anthropic_sim.auth import CONSOLE_ONLY
from anthropic_sim.state import FOREIGN_ORG_ID
from ingest.extract import OrganizationMismatchError
from ingest.load import GraphLoader
from ingest.sync.pipeline import run_sync
from tests.simulated import options_for, reconfigure
from tests.sync.enterprise_oracle import assert_enterprise_graph_equals, expected_enterprise_graph

pytestmark = pytest.mark.neo4j

# The documented 100 requests/min per organization would make a test wait minutes.
ENTERPRISE = {"product": "enterprise", "org_request_limit": 100_000}
CONSOLE_ONLY_FAMILIES = {
    "workspaces",
    "api_keys",
    "workspace_members",
    "service_accounts",
    "service_account_memberships",
}


@pytest.mark.parametrize(
    ("role_field", "group_field"),
    [("role_ids", "rbac_group_id"), ("roles", "group_id")],
    ids=["schema-spelling", "guide-spelling"],
)
def test_enterprise_org_with_scim_equals_the_simulated_org(
    neo4j, simulator, sync, role_field, group_field
):
    knobs = {"rbac_group_role_field": role_field, "rbac_member_group_field": group_field}
    with simulator(size="small", seed=3, **ENTERPRISE, **knobs) as running:
        report = sync(running, admin_page_size=2)
        org = running.sim.org
    assert report.status == "success", report.extraction_failures
    assert report.exit_code == 0
    assert report.scim_status == "available"
    expected = expected_enterprise_graph(org)
    assert expected["surfaces_as"] and expected["group_members"] and expected["permissions"]
    assert any(role for _, role, privileged in expected["org_roles"] if privileged)
    assert_enterprise_graph_equals(neo4j, org)
    [row] = neo4j.run("MATCH (o:AnthropicOrganization {id: $id}) RETURN o.name AS name", id=org.id)
    assert row == {"name": None}  # Enterprise has no `me`: the name is not given


def test_enterprise_sync_reads_no_console_only_endpoint_and_exits_0(neo4j, simulator, sync):
    with simulator(size="small", seed=4, **ENTERPRISE) as running:
        report = sync(running)
        routes = {route for (_, _, route, _) in running.sim.stats.requests}
    assert report.exit_code == 0, report.extraction_failures
    read = {route.split("/")[3] for route in routes if route.startswith("/v1/organizations/")}
    assert read & CONSOLE_ONLY == {"me"}  # the one product probe
    assert {"users", "invites", "rbac_groups", "rbac_roles"} <= read
    assert report.extraction_failures == {}  # "not offered" is not a failure
    assert not CONSOLE_ONLY_FAMILIES & set(report.record_counts)


def test_a_console_org_reads_no_enterprise_family(neo4j, simulator, sync):
    with simulator(size="small", seed=4) as running:
        report = sync(running)
        routes = {route for (_, _, route, _) in running.sim.stats.requests}
    assert report.exit_code == 0, report.extraction_failures
    assert not any("rbac" in route for route in routes)
    assert report.extraction_failures == {}
    assert not any(family.startswith("rbac") for family in report.record_counts)


def test_changes_to_an_enterprise_org_are_in_the_next_sync(neo4j, simulator, sync):
    with simulator(size="small", seed=5, **ENTERPRISE) as running:
        sync(running)
        org = running.sim.org
        direct = next(
            g for g in org.rbac.groups.values() if g.source_type == "direct" and g.members
        )
        departed = next(iter(direct.members))
        del direct.members[departed]
        demoted = next(u for u in org.users.values() if u.role == "membership_admin")
        demoted.role = "user"
        report = sync(running)
        assert report.exit_code == 0, report.extraction_failures
        assert_enterprise_graph_equals(neo4j, org)


def test_group_role_data_that_stays_unavailable_deletes_nothing_of_the_groups(
    neo4j, simulator, sync
):
    with simulator(size="small", seed=6, **ENTERPRISE) as running:
        sync(running)
        grants = neo4j.run("MATCH (:AnthropicRbacGroup)-[h:HAS_ROLE]->() RETURN count(h) AS n")
        reconfigure(running, rbac_roles_unavailable_rate=1.0)
        report = sync(running)
        group_reads = sum(
            n
            for (_, _, route, _), n in running.sim.stats.requests.items()
            if route == "/v1/organizations/rbac_groups"
        )
    assert report.exit_code == 1
    assert "temporarily unavailable" in report.read_incompletely["rbac_groups"]
    # one page per walk (the first sync, then 3 bounded tries), and each sync's scope probe
    assert group_reads == 1 + 3 + 2
    assert neo4j.run("MATCH (:AnthropicRbacGroup)-[h:HAS_ROLE]->() RETURN count(h) AS n") == grants
    assert grants[0]["n"] > 0


def test_an_enterprise_org_whose_answers_turn_foreign_stops_before_any_delete(
    neo4j, simulator, sync
):
    with simulator(size="small", seed=8, **ENTERPRISE) as running:
        sync(running)
        org = running.sim.org
        leaver = next(u.id for u in org.users.values() if u.role == "user")
        del org.users[leaver]
        # the product and scope probes are ours; the organization's header is foreign
        reconfigure(running, foreign_org_after=3)
        with pytest.raises(OrganizationMismatchError, match=FOREIGN_ORG_ID):
            sync(running)
    assert neo4j.run("MATCH (u:AnthropicUser {id: $id}) RETURN count(u) AS n", id=leaver) == [
        {"n": 1}
    ]
    assert neo4j.run("MATCH (n {tenant_id: $t}) RETURN count(n) AS n", t=FOREIGN_ORG_ID) == [
        {"n": 0}
    ]


def test_a_key_without_group_scopes_skips_the_groups_deletes_nothing_and_exits_0(
    neo4j, simulator, sync
):
    with simulator(size="small", seed=9, **ENTERPRISE) as running:
        first = sync(running)
        groups = neo4j.run("MATCH (g:AnthropicRbacGroup) RETURN count(g) AS n")
        members = neo4j.run("MATCH (:AnthropicUser)-[m:MEMBER_OF]->() RETURN count(m) AS n")
        key = linked.new_enterprise_key(running.sim, ("read:members",), all_linked=False)
        options = options_for(running)
        options.credentials = dataclasses.replace(
            options.credentials, admin_key=SecretStr(key.secret)
        )
        org = running.sim.org
        leaver = next(u.id for u in org.users.values() if u.role == "user")
        del org.users[leaver]
        second = run_sync(GraphLoader(neo4j.driver, neo4j.database), options)
    assert first.exit_code == 0 and groups[0]["n"] > 0 and members[0]["n"] > 0
    assert second.exit_code == 0, second.extraction_failures
    why = second.extraction_failures["rbac_groups"]
    assert "not permitted by the key's scopes" in why and "read:rbac_groups" in why
    assert "rbac_groups" not in second.families_complete
    # The groups and their memberships stay as the last permitted read left them; the rest syncs.
    assert neo4j.run("MATCH (g:AnthropicRbacGroup) RETURN count(g) AS n") == groups
    assert neo4j.run("MATCH (u:AnthropicUser {id: $id}) RETURN count(u) AS n", id=leaver) == [
        {"n": 0}
    ]
    [row] = neo4j.run(
        "MATCH (o:AnthropicOrganization {id: $id}) "
        "RETURN o.families_not_permitted AS not_permitted",
        id=org.id,
    )
    assert {"rbac_groups", "rbac_group_members"} <= set(row["not_permitted"])
