"""Organizations without SCIM sync fully, record why, and keep earlier SCIM nodes."""

from __future__ import annotations

import pytest

from tests.simulated import reconfigure
from tests.sync.oracle import assert_graph_matches

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize("status", [403, 401, 404])
def test_standard_tier_syncs_everything_but_scim_and_records_why(neo4j, simulator, sync, status):
    with simulator(size="small", tier="standard", scim_unavailable_status=status) as running:
        report = sync(running)
        org = running.sim.org
    assert report.status == "success"
    assert int(report.exit_code) == 0
    assert report.scim_status == "unavailable"
    assert str(status) in (report.scim_reason or "")
    assert_graph_matches(neo4j, org, with_scim=False)
    assert neo4j.run("MATCH (s:ScimUser) RETURN count(s) AS n") == [{"n": 0}]
    [row] = neo4j.run(
        "MATCH (o:AnthropicOrganization {id: $id}) RETURN o.scim_status AS status, "
        "o.scim_unavailable_reason AS reason, o.lifecycle_remediation_enabled AS remediation",
        id=org.id,
    )
    assert row["status"] == "unavailable"
    assert str(status) in row["reason"]
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
    assert report.scim_status == "not_configured"
    assert report.status == "success"
