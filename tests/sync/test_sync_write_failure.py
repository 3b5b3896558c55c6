"""A family Neo4j refuses to write fails alone: exit 1, one line, nothing of it deleted."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j

INDEX = "test_user_name_idx"


def test_a_write_error_fails_its_family_and_its_dependents_without_deleting(neo4j, simulator, sync):
    with simulator(size="small") as running:
        sync(running)
        org = running.sim.org
        gone = next(u.id for u in org.users.values() if u.role == "user")

        def mutate(**body):
            response = httpx.post(
                f"{running.base_url}/_control/mutate", json=body, headers=running.control_headers()
            )
            assert response.status_code == 200, response.text

        mutate(op="remove_user", user_id=gone)
        # An index the graph does not declare, and a value too large for it: Neo4j refuses
        # the users' write (a DatabaseError, not a transient one).
        neo4j.run(f"CREATE INDEX {INDEX} IF NOT EXISTS FOR (u:AnthropicUser) ON (u.name)")
        neo4j.run("CALL db.awaitIndexes(60)")
        try:
            mutate(op="add_user", email="long.name@example.com", name="n" * 100_000)
            result = invoke("sync", env=env_for(neo4j, running))
            as_json = invoke("sync", "--json", env=env_for(neo4j, running))
        finally:
            neo4j.run(f"DROP INDEX {INDEX} IF EXISTS")
    assert result.exit_code == 1, result.output
    [line] = [x for x in result.output.splitlines() if "could not be written" in x]
    assert line.startswith("error: users could not be written, nothing of it deleted: ")
    assert "too large to index" in line
    assert "Traceback" not in result.output
    # The member removed from the organization is still in the graph: users were not cleaned,
    # nor were the families with relationships to users.
    assert neo4j.run("MATCH (u:AnthropicUser {id: $id}) RETURN count(u) AS n", id=gone) == [
        {"n": 1}
    ]
    report = json.loads(as_json.stdout)
    assert as_json.exit_code == 1
    assert report["status"] == "partial"
    assert list(report["write_failures"]) == ["users"]
    not_cleaned = set(report["families_not_cleaned"])
    assert {"users", "role_grants", "workspace_members", "api_keys", "scim_users"} <= not_cleaned
    assert {"workspaces", "invites", "roles"} <= set(report["families_cleaned"])
