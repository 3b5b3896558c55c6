"""A record Neo4j cannot index does not poison the graph: it is cut, flagged and reported."""

from __future__ import annotations

import httpx
import pytest

from ingest.graph.schema import TRUNCATED

pytestmark = pytest.mark.neo4j

HUGE_EMAIL = "a" * 100_000 + "@example.com"


def test_a_100_kb_email_syncs_cut_and_flagged_and_the_next_sync_is_clean(neo4j, simulator, sync):
    with simulator(size="small") as running:
        response = httpx.post(
            f"{running.base_url}/_control/mutate",
            json={"op": "add_user", "email": HUGE_EMAIL, "name": "Long Address"},
            headers=running.control_headers(),
        )
        user_id = response.json()["result"]["id"]
        first = sync(running)
        [node] = neo4j.run(
            "MATCH (u:AnthropicUser {id: $id}) RETURN u.email AS email, "
            f"u.email_lower AS email_lower, u.{TRUNCATED} AS cut, u.lastupdated AS at",
            id=user_id,
        )
        second = sync(running)
        [again] = neo4j.run(
            f"MATCH (u:AnthropicUser {{id: $id}}) RETURN u.lastupdated AS at, u.{TRUNCATED} AS cut",
            id=user_id,
        )
    assert first.status == "success" and int(first.exit_code) == 0
    assert node["email"] == HUGE_EMAIL  # not indexed: kept whole
    assert node["cut"] == ["email_lower"]
    assert HUGE_EMAIL.startswith(node["email_lower"].split("…sha256:")[0])
    assert len(node["email_lower"].encode()) <= 4_000
    problems = {(i.family, i.record_id): i.problem for i in first.issues}
    assert "email_lower" in problems[("users", user_id)]
    assert any(family == "scim_users" for family, _ in problems)  # the SCIM twin too
    assert "users" in first.families_complete and "scim_users" in first.families_complete
    # The rest of the organization loaded and matched, the long one included.
    assert neo4j.run(
        "MATCH (:ScimUser)-[:PROVISIONED_AS]->(u:AnthropicUser {id: $id}) RETURN count(u) AS n",
        id=user_id,
    ) == [{"n": 1}]
    assert second.status == "success" and int(second.exit_code) == 0
    assert second.families_complete == first.families_complete
    assert again == {"at": node["at"], "cut": ["email_lower"]}  # unchanged: not rewritten
    assert neo4j.run(
        "MATCH (u:AnthropicUser) WHERE u.email_lower STARTS WITH 'aaaa' RETURN count(u) AS n"
    ) == [{"n": 1}]
