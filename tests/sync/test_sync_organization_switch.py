"""A sync whose answers start naming another organization mid-sync refuses to mix the two:
it stops with exit code 4, deletes nothing and writes nothing of the other organization."""

from __future__ import annotations

import json

import httpx
import pytest

from anthropic_sim.state import FOREIGN_ORG_ID
from ingest.graph.fingerprint import canonical_lines
from tests.simulated import reconfigure
from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j

ELEMENTS = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN elementId(n) AS n, elementId(r) AS r"


def graph(neo4j) -> tuple[set[tuple[str, str | None]], list[tuple[str, str]]]:
    """Which elements exist, and their content (blind to sync bookkeeping: sync ids, stamps)."""
    elements = {(row["n"], row["r"]) for row in neo4j.run(ELEMENTS)}
    return elements, sorted(canonical_lines(neo4j.driver, neo4j.database))


def test_answers_of_another_organization_mid_sync_stop_it_before_any_delete(neo4j, simulator):
    with simulator(size="12") as running:
        env = env_for(neo4j, running)
        first = invoke("sync", env=env)
        assert first.exit_code == 0, first.output
        before = graph(neo4j)
        # A member leaves: a completed sync would delete them, so a cleanup cannot hide.
        leaver = next(u.id for u in running.sim.org.users.values() if u.role == "user")
        httpx.post(
            f"{running.base_url}/_control/mutate",
            json={"op": "remove_user", "user_id": leaver},
            headers=running.control_headers(),
        ).raise_for_status()
        reconfigure(running, foreign_org_after=3)  # /organizations/me and two pages are ours
        refused = invoke("sync", "--json", env=env)
        reconfigure(running, foreign_org_after=0)
        after_refusal = graph(neo4j)
        healed = invoke("sync", env=env)

    assert refused.exit_code == 4, refused.output
    failure = json.loads(refused.stdout)
    assert failure["status"] == "error" and "\n" not in failure["message"]
    assert FOREIGN_ORG_ID in failure["message"] and "nothing was deleted" in failure["message"]
    assert after_refusal == before  # nothing deleted, no content written, no sync run recorded
    assert neo4j.run("MATCH (n {tenant_id: $t}) RETURN count(n) AS n", t=FOREIGN_ORG_ID) == [
        {"n": 0}
    ]
    # With the answers consistent again, the leaver does go: the refusal is what kept them.
    assert healed.exit_code == 0, healed.output
    assert neo4j.run("MATCH (u:AnthropicUser {id: $id}) RETURN u", id=leaver) == []
