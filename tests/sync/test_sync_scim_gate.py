"""What SCIM answers decides what the sync says and does, in four states.

not configured, and 403 (not on the organization's plan): SCIM is skipped, remediation is
disabled, exit 0. 401 (token wrong or revoked) and 404 at the base (URL wrong): a failure to
fix; the Admin side loads, the SCIM graph stays as the last good sync left it, exit 1.
Each state on both products: a Console org with SCIM served stands for one linked under an
Enterprise parent (docs/simulator.md, reading 20); on Enterprise, SCIM groups surface as groups.
"""

from __future__ import annotations

import json

import pytest

from tests.simulated import reconfigure
from tests.sync.enterprise_oracle import assert_org_graph_matches
from tests.sync.test_sync_cli import env_for, invoke
from tests.sync.test_sync_enterprise import ENTERPRISE

pytestmark = pytest.mark.neo4j

ORG = (
    "MATCH (o:AnthropicOrganization {id: $id}) RETURN o.scim_status AS status, "
    "o.scim_unavailable_reason AS reason, o.lifecycle_remediation_enabled AS remediation, "
    "o.product AS product, o.lifecycle_actions AS actions"
)
# Every SCIM node and every relationship touching one, with when it was last written.
SCIM_GRAPH = (
    "MATCH (s) WHERE s:ScimUser OR s:ScimGroup "
    "OPTIONAL MATCH (s)-[r]-() "
    "RETURN s.id AS id, s.lastupdated AS at, "
    "collect([type(r), elementId(r), r.lastupdated]) AS rels ORDER BY id"
)
PRODUCTS = {"console": {}, "enterprise": ENTERPRISE}
ADMIN_FAMILIES = {
    "console": {"users", "workspaces", "api_keys", "invites"},
    "enterprise": {"users", "invites", "rbac_groups", "rbac_group_members", "rbac_roles"},
}
both_products = pytest.mark.parametrize("product", list(PRODUCTS))


def organization_row(neo4j, org_id: str, product: str) -> dict:
    """The organization node, whose lifecycle actions offer SCIM deactivation only when SCIM
    was read (`available`)."""
    [row] = neo4j.run(ORG, id=org_id)
    assert row["product"] == product
    assert ("scim_deactivate" in row["actions"]) == (row["status"] == "available")
    return row


@both_products
def test_scim_read_joins_users_and_groups_and_enables_remediation(neo4j, simulator, sync, product):
    with simulator(size="small", **PRODUCTS[product]) as running:
        report = sync(running)
        org = running.sim.org
    assert report.scim_status == "available" and int(report.exit_code) == 0
    assert_org_graph_matches(neo4j, org)  # SCIM users joined to members by email; on
    # Enterprise SCIM groups also SURFACES_AS their groups (enterprise_oracle.py)
    joined = neo4j.run("MATCH (:ScimUser)-[r:PROVISIONED_AS]->() RETURN count(r) AS n")
    assert joined[0]["n"] > 0
    surfaces = neo4j.run("MATCH (:ScimGroup)-[r:SURFACES_AS]->() RETURN count(r) AS n")
    assert (surfaces[0]["n"] > 0) == (product == "enterprise")
    row = organization_row(neo4j, org.id, product)
    assert row["status"] == "available" and row["remediation"] is True


@both_products
@pytest.mark.parametrize("knobs", [{"tier": "standard"}, {"scim_gate": "plan"}])
def test_403_not_on_the_plan_syncs_everything_but_scim_and_disables_remediation(
    neo4j, simulator, sync, knobs, product
):
    with simulator(size="small", **PRODUCTS[product], **knobs) as running:
        report = sync(running)
        org = running.sim.org
    assert report.status == "success"
    assert int(report.exit_code) == 0
    assert report.scim_status == "unavailable"
    assert "plan (HTTP 403)" in (report.scim_reason or "")
    assert_org_graph_matches(neo4j, org, with_scim=False)
    assert neo4j.run("MATCH (s:ScimUser) RETURN count(s) AS n") == [{"n": 0}]
    row = organization_row(neo4j, org.id, product)
    assert row["status"] == "unavailable"
    assert "403" in row["reason"]
    assert row["remediation"] is False


def test_a_run_that_cannot_read_scim_deletes_no_scim_node(neo4j, simulator, sync):
    with simulator(size="small", tier="enterprise") as running:
        sync(running)
        before = neo4j.run("MATCH (s:ScimUser) RETURN count(s) AS n")[0]["n"]
        assert before > 0
        reconfigure(running, tier="standard")  # the SCIM endpoint now answers 403
        report = sync(running)
    assert report.scim_status == "unavailable"
    assert "scim_users" not in report.families_complete
    assert neo4j.run("MATCH (s:ScimUser) RETURN count(s) AS n")[0]["n"] == before
    assert neo4j.run("MATCH (:ScimUser)-[r:PROVISIONED_AS]->() RETURN count(r) AS n")[0]["n"] > 0


@both_products
def test_without_scim_configured_the_org_says_so(neo4j, simulator, sync, product):
    with simulator(size="small", **PRODUCTS[product]) as running:
        report = sync(running, scim=False)
        row = organization_row(neo4j, running.sim.org.id, product)
    assert report.scim_status == "not_configured"
    assert report.status == "success" and int(report.exit_code) == 0
    assert row["status"] == "not_configured" and row["remediation"] is False


@both_products
@pytest.mark.parametrize(
    ("gate", "scim_status", "fix"),
    [("revoked_token", "credential_rejected", "TOKEN"), ("no_directory", "not_found", "URL")],
)
def test_a_refused_token_or_url_keeps_every_scim_node_and_relationship_and_exits_1(
    neo4j, simulator, sync, gate, scim_status, fix, product
):
    with simulator(size="small", **PRODUCTS[product]) as running:
        good = sync(running)
        before = neo4j.run(SCIM_GRAPH)
        reconfigure(running, scim_gate=gate)
        report = sync(running)
        org = running.sim.org
    assert good.scim_status == "available"
    kept = {rel[0] for row in before for rel in row["rels"]}
    assert {"PROVISIONED_AS", "MEMBER_OF"} <= kept
    assert ("SURFACES_AS" in kept) == (product == "enterprise")
    assert neo4j.run(SCIM_GRAPH) == before  # untouched: not rewritten, not deleted
    assert report.scim_status == scim_status
    assert report.status == "partial" and int(report.exit_code) == 1
    assert f"ANTHROPIC_SCIM_{fix}" in (report.scim_reason or "")
    assert "scim_users" not in report.families_complete
    assert ADMIN_FAMILIES[product] <= set(report.families_complete)
    assert_org_graph_matches(neo4j, org, with_scim=False)  # the Admin side loaded
    row = organization_row(neo4j, org.id, product)
    assert row["status"] == scim_status
    assert f"ANTHROPIC_SCIM_{fix}" in row["reason"]
    assert row["remediation"] is False  # no lever with a refused token; the status says why


def test_sync_and_doctor_say_in_one_line_what_to_fix(neo4j, simulator):
    with simulator(size="small") as running:
        env = {**env_for(neo4j, running), "COLUMNS": "80"}
        assert invoke("sync", env=env).exit_code == 0
        wrong_url = {**env, "ANTHROPIC_SCIM_URL": running.scim_url + "/not-a-directory"}
        reconfigure(running, scim_gate="revoked_token")
        revoked = invoke("sync", env=env)
        revoked_json = invoke("sync", "--json", env=env)
        doctor_revoked = invoke("doctor", env=env)
        reconfigure(running, scim_gate="open")
        url = invoke("sync", env=wrong_url)
        doctor_url = invoke("doctor", env=wrong_url)
        reconfigure(running, scim_gate="plan")
        doctor_plan = invoke("doctor", env=env)
    assert revoked.exit_code == 1, revoked.output
    # The progress log also says which families were not read; the summary says it once.
    [line] = [x for x in revoked.output.splitlines() if x.startswith("error:")]
    assert line.startswith("error: SCIM was not read") and "ANTHROPIC_SCIM_TOKEN" in line
    assert "remediation is disabled" not in revoked.output
    assert running.scim_token not in revoked.output
    summary = json.loads(revoked_json.stdout)
    assert revoked_json.exit_code == 1
    assert summary["scim"]["status"] == "credential_rejected"
    assert summary["status"] == "partial"
    assert url.exit_code == 1, url.output
    [line] = [x for x in url.output.splitlines() if x.startswith("error:")]
    assert "the SCIM URL is wrong" in line and "ANTHROPIC_SCIM_URL" in line
    assert doctor_revoked.exit_code == 1
    assert "ANTHROPIC_SCIM_TOKEN" in doctor_revoked.output
    assert doctor_url.exit_code == 1
    assert "ANTHROPIC_SCIM_URL" in doctor_url.output
    assert doctor_plan.exit_code == 0, doctor_plan.output
    assert "plan" in doctor_plan.output
