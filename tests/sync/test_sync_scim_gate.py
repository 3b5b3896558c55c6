"""What SCIM answers decides what the sync says and does, in four states.

not configured, and 403 (not on the organization's plan): SCIM is skipped, remediation is
disabled, exit 0. 401 (token wrong or revoked) and 404 at the base (URL wrong): a failure to
fix; the Admin side loads, the SCIM graph stays as the last good sync left it, exit 1.
"""

from __future__ import annotations

import json

import pytest

from tests.simulated import reconfigure
from tests.sync.oracle import assert_graph_matches
from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j

ORG = (
    "MATCH (o:AnthropicOrganization {id: $id}) RETURN o.scim_status AS status, "
    "o.scim_unavailable_reason AS reason, o.lifecycle_remediation_enabled AS remediation"
)
# Every SCIM node and every relationship touching one, with when it was last written.
SCIM_GRAPH = (
    "MATCH (s) WHERE s:ScimUser OR s:ScimGroup "
    "OPTIONAL MATCH (s)-[r]-() "
    "RETURN s.id AS id, s.lastupdated AS at, "
    "collect([type(r), elementId(r), r.lastupdated]) AS rels ORDER BY id"
)


@pytest.mark.parametrize("knobs", [{"tier": "standard"}, {"scim_gate": "plan"}])
def test_403_not_on_the_plan_syncs_everything_but_scim_and_disables_remediation(
    neo4j, simulator, sync, knobs
):
    with simulator(size="small", **knobs) as running:
        report = sync(running)
        org = running.sim.org
    assert report.status == "success"
    assert int(report.exit_code) == 0
    assert report.scim_status == "unavailable"
    assert "plan (HTTP 403)" in (report.scim_reason or "")
    assert_graph_matches(neo4j, org, with_scim=False)
    assert neo4j.run("MATCH (s:ScimUser) RETURN count(s) AS n") == [{"n": 0}]
    [row] = neo4j.run(ORG, id=org.id)
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


def test_without_scim_configured_the_org_says_so(neo4j, simulator, sync):
    with simulator(size="small") as running:
        report = sync(running, scim=False)
        [row] = neo4j.run(ORG, id=running.sim.org.id)
    assert report.scim_status == "not_configured"
    assert report.status == "success" and int(report.exit_code) == 0
    assert row["status"] == "not_configured" and row["remediation"] is False


@pytest.mark.parametrize(
    ("gate", "scim_status", "fix"),
    [("revoked_token", "credential_rejected", "TOKEN"), ("no_directory", "not_found", "URL")],
)
def test_a_refused_token_or_url_keeps_every_scim_node_and_relationship_and_exits_1(
    neo4j, simulator, sync, gate, scim_status, fix
):
    with simulator(size="small") as running:
        good = sync(running)
        before = neo4j.run(SCIM_GRAPH)
        reconfigure(running, scim_gate=gate)
        report = sync(running)
        org = running.sim.org
    assert good.scim_status == "available"
    assert sum(len(row["rels"]) for row in before) > 0
    assert neo4j.run(SCIM_GRAPH) == before  # untouched: not rewritten, not deleted
    assert report.scim_status == scim_status
    assert report.status == "partial" and int(report.exit_code) == 1
    assert f"ANTHROPIC_SCIM_{fix}" in (report.scim_reason or "")
    assert "scim_users" not in report.families_complete
    assert {"users", "workspaces", "api_keys", "invites"} <= set(report.families_complete)
    assert_graph_matches(neo4j, org, with_scim=False)  # the Admin side loaded
    [row] = neo4j.run(ORG, id=org.id)
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
