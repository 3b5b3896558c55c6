"""Applying plans to a simulated organization over loopback HTTP, with a real Neo4j."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from anthropic_sim.server import RunningSimulator
from ingest.cli import app
from ingest.load import GraphLoader
from ingest.queries.library import get_query
from ingest.remediate.apply import ALREADY, APPLIED, DRY_RUN, SKIPPED, ApplyReport, apply_items
from ingest.remediate.audit import AuditTrail, entries
from ingest.remediate.client import RemediationClient
from ingest.remediate.plan import FORMAT, make_plan
from ingest.remediate.undo import undo_item
from tests.simulated import mutate, options_for, reconfigure

pytestmark = pytest.mark.neo4j
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def apply(
    running: RunningSimulator, items: list[dict[str, Any]], *, execute: bool, trail=None
) -> ApplyReport:
    options = options_for(running)

    async def go() -> ApplyReport:
        async with RemediationClient(options.credentials, options.extract) as client:
            return await apply_items(
                items,
                client,
                organization_id=items[0]["organization_id"],
                execute=execute,
                trail=trail,
                ran_by="tester with the console admin key",
            )

    return asyncio.run(go())


def stats(running: RunningSimulator) -> dict[str, Any]:
    answer = httpx.get(f"{running.base_url}/_control/stats", headers=running.control_headers())
    return answer.json()


def writes(running: RunningSimulator) -> int:
    return sum(r["count"] for r in stats(running)["routes"] if r["method"] in WRITES)


def outcomes(report: ApplyReport) -> list[str]:
    return [o.outcome for o in report.outcomes]


def test_dry_run_apply_twice_changed_target_undo_and_the_next_sync(
    neo4j, simulator, sync, tmp_path: Path
):
    with simulator(size="small", tier="enterprise") as running:
        sync(running)
        plan = make_plan(
            neo4j.driver,
            neo4j.database,
            get_query("active-keys-unused"),
            kind="deactivate_key",
            running=[running.admin_key],
        )
        items = plan.items[:3]
        assert len(items) == 3
        keys = [i["target"]["id"] for i in items]

        before = writes(running)
        dry = apply(running, items, execute=False)
        assert outcomes(dry) == [DRY_RUN] * 3
        assert writes(running) == before  # the simulator's request log: no write at all

        # Changed between plan and apply, through the control API.
        mutate(running, op="revoke_key", key_id=keys[2], status="archived")
        log = tmp_path / "log.jsonl"
        trail = AuditTrail(log, GraphLoader(neo4j.driver, neo4j.database))
        first = apply(running, items, execute=True, trail=trail)
        assert outcomes(first) == [APPLIED, APPLIED, SKIPPED]
        assert first.outcomes[2].reason == (
            "changed since planning: status was 'active' when planned, is 'archived' now"
        )
        assert writes(running) == before + 2
        second = apply(running, items, execute=True, trail=trail)
        assert outcomes(second) == [ALREADY, ALREADY, SKIPPED]
        assert writes(running) == before + 2  # nothing sent the second time

        lines = list(entries(log))
        assert [e["outcome"] for e in lines] == outcomes(first) + outcomes(second)
        assert running.admin_key not in log.read_text()
        assert lines[0]["ran_by"] == "tester with the console admin key"
        assert lines[0]["request"] == {
            "method": "POST",
            "path": f"/v1/organizations/api_keys/{keys[0]}",
            "body": {"status": "inactive"},
        }
        audited = neo4j.run(
            "MATCH (a:RemediationAction)-[:ACTED_ON]->(k:AnthropicApiKey) "
            "RETURN a.outcome AS outcome, k.id AS key ORDER BY a.ran_at, a.id"
        )
        assert {(r["outcome"], r["key"]) for r in audited} == {
            (APPLIED, keys[0]),
            (APPLIED, keys[1]),
            (SKIPPED, keys[2]),
            (ALREADY, keys[0]),
            (ALREADY, keys[1]),
        }

        undo = undo_item(lines[0])
        assert undo["action"] == "reactivate_key" and undo["undo_of"] == lines[0]["entry"]
        assert outcomes(apply(running, [undo], execute=True, trail=trail)) == [APPLIED]
        sync(running)
    status = {
        r["id"]: r["status"]
        for r in neo4j.run(
            "MATCH (k:AnthropicApiKey) WHERE k.id IN $ids RETURN k.id AS id, k.status AS status",
            ids=keys,
        )
    }
    assert status == {keys[0]: "active", keys[1]: "inactive", keys[2]: "archived"}
    # The audit trail outlives the sync (never cleaned up).
    [undone] = neo4j.run(
        "MATCH (a:RemediationAction) WHERE a.undo_of IS NOT NULL "
        "RETURN a.undo_of AS of, count{ (:RemediationAction) } AS n"
    )
    assert undone == {"of": lines[0]["entry"], "n": 7}


def test_scim_refused_by_plan_tier_or_rejected_token_while_key_actions_apply(
    neo4j, simulator, sync
):
    scim_question = get_query("scim-users-without-account")
    with simulator(size="small", tier="standard") as running:
        sync(running)
        refused = make_plan(neo4j.driver, neo4j.database, scim_question, kind="scim_deactivate")
        assert refused.items == []
        [why] = refused.refused
        assert why["reason"].startswith("SCIM is not available on this plan")
        keys = make_plan(
            neo4j.driver, neo4j.database, get_query("active-keys-unused"), kind="deactivate_key"
        )
        assert outcomes(apply(running, keys.items[:1], execute=True)) == [APPLIED]

    with simulator(size="small", tier="enterprise") as running:
        reconfigure(running, scim_gate="revoked_token")
        sync(running)
        rejected = make_plan(neo4j.driver, neo4j.database, scim_question, kind="scim_deactivate")
        [why] = [r for r in rejected.refused if r["organization_id"] == running.sim.org.id]
        assert "the SCIM token was rejected" in why["reason"] and "fix the token" in why["reason"]
        assert "plan" not in why["reason"]


def test_max_actions_refuses_an_oversized_plan(tmp_path: Path) -> None:
    item = {"id": "x", "organization_id": "org", "action": "deactivate_key"}
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format": FORMAT, "items": [item] * 11}))
    result = CliRunner().invoke(app, ["remediate", "apply", str(plan), "--execute", "--yes"])
    assert result.exit_code == 2
    assert "the plan holds 11 actions, more than --max-actions 10" in result.output
    allowed = CliRunner().invoke(app, ["remediate", "apply", str(plan), "--max-actions", "5"])
    assert allowed.exit_code == 2 and "more than --max-actions 5" in allowed.output
