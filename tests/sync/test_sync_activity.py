"""Activity, end to end: the simulator's usage and analytics read by the real pipeline into a real
Neo4j, then the two activity questions answered against the planted truth."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from typing import Any

import pytest

from anthropic_sim.activity import activity_of
from anthropic_sim.planted import planted_truth
from ingest.extract.config import EngineLimits
from ingest.graph.model import LAST_ACTIVE_AT, LAST_USED_AT
from ingest.load import GraphLoader
from ingest.queries.library import get_query
from ingest.queries.runner import run_query
from ingest.sync.pipeline import run_sync
from tests.simulated import options_for, sync_with_narrower_key
from tests.sync.test_sync_cli import env_for
from tests.sync.test_sync_enterprise import ENTERPRISE

pytestmark = pytest.mark.neo4j

EPOCH = "2026-11-01T00:00:00Z"
USAGE = "/v1/organizations/usage_report/"


def _ask(neo4j: Any, query_id: str, **params: Any) -> list[dict[str, Any]]:
    result = run_query(
        neo4j.driver, neo4j.database, get_query(query_id), {"as_of": EPOCH, **params}
    )
    return result.rows


def _requests(running: Any, route: str) -> int:
    routes = running.sim.stats.snapshot()["routes"]
    return sum(r["count"] for r in routes if r["route"] == route)


def _used_today(org: Any) -> set[str]:
    activity = activity_of(org, org.epoch)
    return {k for k, days in activity.api_keys.items() if 0 in days}


def test_console_activity_answers_the_planted_truth_in_one_request_a_day(neo4j, simulator, sync):
    with simulator(size="small", seed=5) as running:
        report = sync(running, activity_until=running.sim.now())
        org = running.sim.org
        claude_code = _requests(running, f"{USAGE}claude_code")
        messages = _requests(running, f"{USAGE}messages")
    planted = planted_truth(org)
    assert report.exit_code == 0, report.extraction_failures
    # The floor: one request per day for claude_code (pages of 1000), one for 30 day buckets.
    assert (claude_code, messages) == (30, 1)
    admins = _ask(neo4j, "admins-without-recent-activity")
    assert {r["id"] for r in admins} == set(planted["admins_inactive_30d"])
    assert {r["status"] for r in admins} == {"no recorded activity"}
    assert all(r["window_days"] == 30 for r in admins)
    assert set(planted["admins_never_active"]) < {r["id"] for r in admins}
    keys = _ask(neo4j, "active-keys-unused")
    # claude_code names keys, not ids: use under a name several keys share may be another
    # key's, so such keys are listed apart rather than hidden, and the rest is exact.
    shared = {r["id"] for r in keys if r["status"] == "used only under a shared name"}
    assert {r["id"] for r in keys} - shared == set(planted["active_keys_unused_30d"]) - shared
    assert set(planted["active_keys_unused_30d"]) <= {r["id"] for r in keys}
    assert not ({r["id"] for r in keys} - shared) & set(planted["keys_used_recently"])
    # A shorter question over the same data: keys last used 1-2 days ago are unused in 1 day,
    # the key used today is not.
    today = {r["id"] for r in _ask(neo4j, "active-keys-unused", days=1)}
    assert today > {r["id"] for r in keys}
    assert not today & {k for k in planted["keys_used_recently"] if k in _used_today(org)}
    [row] = neo4j.run(
        "MATCH (a:AnthropicMessagesActivity)-[:ACTIVITY_OF]->(k:AnthropicApiKey {id: $id}) "
        f"RETURN a.{LAST_USED_AT} AS last, a.window_days AS days, a.source AS source",
        id=planted["keys_used_recently"][0],
    )
    assert row["days"] == 30 and row["source"] == "messages_activity" and row["last"]


def test_enterprise_activity_unknown_without_read_analytics_and_nothing_deleted(
    neo4j, simulator, sync
):
    with simulator(size="small", seed=5, **ENTERPRISE) as running:
        first = sync(running, scim=False, activity_until=running.sim.now())
        org = running.sim.org
        planted = planted_truth(org)
        admins = _ask(neo4j, "admins-without-recent-activity")
        assert first.exit_code == 0, first.extraction_failures
        assert {r["id"] for r in admins} == set(planted["admins_inactive_30d"])
        sources = {source for r in admins for source in r["sources"]}
        assert sources == {"analytics_activity", "compliance_activity"}
        second = sync_with_narrower_key(
            running, neo4j, ("read:members",), scim=False, activity_until=running.sim.now()
        )
    assert second.exit_code == 0, second.extraction_failures
    why = second.extraction_failures["analytics_activity"]
    assert "not permitted by the key's scopes" in why and "read:analytics" in why
    assert "analytics_activity" not in second.families_complete
    # Not read: nothing of it deleted, so the first sync's activity still answers.
    assert {r["id"] for r in _ask(neo4j, "admins-without-recent-activity")} == {
        r["id"] for r in admins
    }


def test_a_paced_analytics_read_still_running_when_activity_is_written_is_written_not_deleted(
    neo4j, simulator, sync
):
    """The Analytics API's own pacing (one request a day of the window) can leave its read
    running after every other family is written: the activity step waits for it, so the
    cleanup after it never finds the family read but unwritten (which deleted all of it)."""
    analytics = "MATCH (a:AnthropicAnalyticsActivity) RETURN count(a) AS n"
    with simulator(size="small", seed=5, **ENTERPRISE) as running:
        fast = sync(running, scim=False, activity_until=running.sim.now())
        [before] = neo4j.run(analytics)
        paced = EngineLimits(rate=15.0, burst=1)
        slow = sync(running, scim=False, activity_until=running.sim.now(), analytics=paced)
    assert fast.exit_code == slow.exit_code == 0, slow.extraction_failures
    assert before["n"] > 0
    assert "analytics_activity" in slow.families_complete
    assert neo4j.run(analytics) == [before]


def test_without_any_source_every_admin_is_activity_unknown(neo4j, simulator, sync):
    with simulator(size="small", seed=5, **ENTERPRISE, key_scopes=["read:members"]) as running:
        report = sync(running, scim=False, activity_until=running.sim.now())
        org = running.sim.org
    assert "analytics_activity" not in report.families_complete
    rows = _ask(neo4j, "admins-without-recent-activity")
    wanted = {u.id for u in org.users.values() if u.role in ("owner", "primary_owner")}
    assert wanted and wanted <= {r["id"] for r in rows}
    assert {r["status"] for r in rows} == {"activity unknown"}


def test_the_questions_spell_the_declared_property_names() -> None:
    for query_id, name in (
        ("admins-without-recent-activity", LAST_ACTIVE_AT),
        ("active-keys-unused", LAST_USED_AT),
    ):
        assert f"a.{name}" in get_query(query_id).cypher, query_id


def test_the_demo_reads_activity_up_to_its_simulated_clock(neo4j) -> None:
    env = {**os.environ, **env_for(neo4j), "PYTHONPATH": os.getcwd()}
    demo = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "demo", "--size", "small", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert demo.returncode == 0, demo.stderr
    [row] = neo4j.run(
        f"MATCH (a:AnthropicClaudeCodeActivity) WHERE a.{LAST_ACTIVE_AT} IS NOT NULL "
        "RETURN count(a) AS n"
    )
    assert row["n"] > 0


def test_activity_written_a_few_subjects_at_a_time_is_the_whole_activity(neo4j, simulator):
    """Each source is mapped and written in units (`access_chunk` subjects): the units
    together are every subject, and none is cleaned up by the units after it."""
    activity = (
        "MATCH (a)-[:ACTIVITY_OF]->(s) WHERE a.source IS NOT NULL "
        "RETURN a.source AS source, count(DISTINCT a) AS nodes, count(s) AS joined, "
        "sum(a.days_active) AS days ORDER BY source"
    )
    loader = GraphLoader(neo4j.driver, neo4j.database)
    with simulator(size="small", seed=5) as running:
        until = running.sim.now()
        options = options_for(running, activity_until=until)
        in_units = run_sync(loader, dataclasses.replace(options, access_chunk=7))
        by_units = neo4j.run(activity)
        at_once = run_sync(loader, options_for(running, activity_until=until))
    assert in_units.exit_code == at_once.exit_code == 0, in_units.extraction_failures
    assert all(row["nodes"] > 7 for row in by_units)  # several units per source
    assert {row["source"] for row in by_units} >= {"claude_code_activity", "messages_activity"}
    # A sync writing each source at once finds the same activity: nothing missing, nothing extra.
    assert neo4j.run(activity) == by_units
