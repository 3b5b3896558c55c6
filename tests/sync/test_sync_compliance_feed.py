"""The Compliance Activity Feed, end to end: the simulator's feed read by the real pipeline into a
real Neo4j, incrementally from the cursor stored on the organization node."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from anthropic_sim.activity import admin_ids
from anthropic_sim.compliance_feed import append_activities, generated_events
from ingest.extract.compliance import COMPLIANCE_TYPES
from ingest.graph.model import COMPLIANCE_CURSOR, LAST_ACTIVE_AT
from tests.simulated import reconfigure, sync_with_narrower_key
from tests.sync.test_sync_activity import _ask
from tests.sync.test_sync_enterprise import ENTERPRISE

pytestmark = pytest.mark.neo4j

FAMILY = "compliance_activity"
WINDOW = 30


def _feed_reads(running: Any) -> list[dict[str, Any]]:
    return list(running.sim.stats.snapshot()["compliance_feed_reads"])


def _cursor(neo4j: Any, org_id: str) -> str | None:
    [row] = neo4j.run(
        f"MATCH (o:AnthropicOrganization {{id: $id}}) RETURN o.{COMPLIANCE_CURSOR} AS c", id=org_id
    )
    return row["c"]


def _feed_nodes(neo4j: Any) -> dict[str, dict[str, Any]]:
    rows = neo4j.run(
        "MATCH (a:AnthropicComplianceActivity)-[:ACTIVITY_OF]->(u:AnthropicUser) "
        f"RETURN u.id AS user, a.{LAST_ACTIVE_AT} AS last, a.days_active AS days, "
        "a.active_days AS active, a.source AS source, keys(a) AS props"
    )
    return {row.pop("user"): row for row in rows}


def _expected_last_active(running: Any) -> dict[str, str | None]:
    """Each member's newest day of the window with a login or role change in the feed."""
    org, now = running.sim.org, running.sim.now()
    first = (now - timedelta(days=WINDOW - 1)).date().isoformat()
    out: dict[str, str | None] = dict.fromkeys(org.users)
    for event in sorted(generated_events(org, now), key=lambda e: e["created_at"]):
        user, day = event["actor"].get("user_id"), event["created_at"][:10]
        if event["type"] in COMPLIANCE_TYPES and user in out and day >= first:
            out[user] = _midnight(day)
    return out


def _midnight(day: str) -> str:
    return f"{day}T00:00:00.000000Z"


def test_second_sync_reads_only_new_events_and_a_stale_cursor_restarts(neo4j, simulator, sync):
    with simulator(size="small", seed=5) as running:
        first = sync(running, scim=False, activity_until=running.sim.now())
        assert first.exit_code == 0, first.extraction_failures
        assert FAMILY in first.families_complete
        # The window, stepping back from now: no cursor parameter on the first page.
        assert [r["cursor"] for r in _feed_reads(running)] == [None]
        org = running.sim.org
        stored = _cursor(neo4j, org.id)
        assert stored and stored.startswith("activity_")
        nodes = _feed_nodes(neo4j)
        assert set(nodes) == set(org.users)
        assert {k: v["last"] for k, v in nodes.items()} == _expected_last_active(running)
        assert {n["source"] for n in nodes.values()} == {FAMILY}
        assert not {"ip_address", "user_agent"} & {p for n in nodes.values() for p in n["props"]}

        # The admin who never acted logs in; another member changes a role; a group is made.
        never, other = admin_ids(org)[0], admin_ids(org)[-1]
        listed = {r["id"] for r in _ask(neo4j, "admins-without-recent-activity")}
        assert never in listed
        with running.sim.lock:
            added = append_activities(
                running.sim,
                [
                    {"type": "sso_login_succeeded", "user_id": never},
                    {"type": "claude_user_role_updated", "user_id": other},
                    {"type": "group_created", "user_id": other},
                ],
            )
        running.sim.stats.reset()
        second = sync(running, scim=False, activity_until=running.sim.now())
        assert second.exit_code == 0, second.extraction_failures
        assert FAMILY in second.families_complete
        # Only what is newer than the stored cursor, in one page: the login and the role change.
        assert _feed_reads(running) == [{"cursor": "before_id", "events": 2}]
        newest = max(added[0]["id"], added[1]["id"])  # same moment: the feed orders by id
        assert _cursor(neo4j, org.id) == newest
        after = _feed_nodes(neo4j)
        today = _midnight(running.sim.now().date().isoformat())
        assert after[never]["last"] == today and after[never]["days"] == 1
        unchanged = {u for u in org.users if u not in (never, other)}
        assert {u: after[u] for u in unchanged} == {u: nodes[u] for u in unchanged}
        assert never not in {r["id"] for r in _ask(neo4j, "admins-without-recent-activity")}

        # A cursor the API does not know: the read starts over from the window, same graph.
        neo4j.run(
            f"MATCH (o:AnthropicOrganization {{id: $id}}) SET o.{COMPLIANCE_CURSOR} = $c",
            id=org.id,
            c="activity_01M00000000000000000000000",
        )
        running.sim.stats.reset()
        third = sync(running, scim=False, activity_until=running.sim.now())
        assert third.exit_code == 0, third.extraction_failures
        assert FAMILY in third.families_complete
        assert [r["cursor"] for r in _feed_reads(running)] == [None]
        assert _cursor(neo4j, org.id) == newest
        assert _feed_nodes(neo4j) == after
        assert any(i.family == FAMILY and "cursor" in i.problem for i in third.issues)


def test_without_permission_the_feed_is_not_read_and_nothing_is_deleted(neo4j, simulator, sync):
    with simulator(size="small", seed=5, **ENTERPRISE) as running:
        first = sync(running, scim=False, activity_until=running.sim.now())
        assert FAMILY in first.families_complete, first.extraction_failures
        org_id = running.sim.org.id
        nodes, cursor = _feed_nodes(neo4j), _cursor(neo4j, org_id)
        second = sync_with_narrower_key(
            running, neo4j, ("read:members",), scim=False, activity_until=running.sim.now()
        )
    assert second.exit_code == 0, second.extraction_failures
    why = second.extraction_failures[FAMILY]
    assert "not permitted by the key's scopes" in why and "read:compliance_activities" in why
    assert FAMILY not in second.families_complete
    assert _feed_nodes(neo4j) == nodes and _cursor(neo4j, org_id) == cursor


def test_a_console_key_refused_the_feed_is_not_permitted_and_deletes_nothing(
    neo4j, simulator, sync
):
    with simulator(size="small", seed=5) as running:
        first = sync(running, scim=False, activity_until=running.sim.now())
        assert FAMILY in first.families_complete, first.extraction_failures
        nodes, cursor = _feed_nodes(neo4j), _cursor(neo4j, running.sim.org.id)
        reconfigure(running, compliance_api_enabled=False)
        second = sync(running, scim=False, activity_until=running.sim.now())
    assert second.exit_code == 0, second.extraction_failures
    assert second.extraction_failures[FAMILY].startswith("skipped: not permitted (403")
    assert FAMILY not in second.families_complete
    assert _feed_nodes(neo4j) == nodes and _cursor(neo4j, running.sim.org.id) == cursor


def test_a_stored_cursor_with_no_member_active_in_the_window_syncs(neo4j, simulator, sync):
    """The cursor stays stored when every day the graph held leaves the window: the next sync
    reads the feed from it, with no member's days to add (it once failed before reading)."""
    with simulator(size="small", seed=5) as running:
        now = running.sim.now()
        first = sync(running, scim=False, activity_until=now)
        assert _cursor(neo4j, running.sim.org.id)
        long_ago = now - timedelta(days=3 * WINDOW)
        emptied = sync(running, scim=False, activity_until=long_ago)
        assert {n["days"] for n in _feed_nodes(neo4j).values()} == {0}
        again = sync(running, scim=False, activity_until=long_ago)
    assert first.exit_code == emptied.exit_code == again.exit_code == 0, again.extraction_failures
    assert FAMILY in again.families_complete
