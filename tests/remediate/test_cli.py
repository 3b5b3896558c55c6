"""`idgraph remediate plan`, `apply` (dry run, then --execute --yes) and `undo` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli import app
from tests.remediate.test_apply import writes
from tests.sync.test_sync_cli import env_for

pytestmark = pytest.mark.neo4j


def test_plan_dry_run_execute_and_undo_from_the_command_line(
    neo4j, simulator, sync, tmp_path: Path
):
    plan, log = tmp_path / "plan.json", tmp_path / "log.jsonl"
    with simulator(size="small", tier="enterprise") as running:
        sync(running)
        env = env_for(neo4j, running)
        runner = CliRunner()

        def idgraph(*args: str) -> str:
            result = runner.invoke(app, ["remediate", *args], env=env)
            assert result.exit_code == 0, result.output
            assert running.admin_key not in result.output
            return result.output

        idgraph("plan", "--from", "active-keys-unused", "--out", str(plan))
        items = json.loads(plan.read_text())["items"]
        plan.write_text(json.dumps({**json.loads(plan.read_text()), "items": items[:2]}))
        before = writes(running)
        dry = idgraph("apply", str(plan), "--log", str(log))
        assert dry.count("would send: POST /v1/organizations/api_keys/") == 2
        assert "dry run, nothing sent: 2 dry_run" in dry
        assert writes(running) == before and not log.exists()

        done = idgraph("apply", str(plan), "--execute", "--yes", "--log", str(log))
        assert "executed: 2 applied" in done and writes(running) == before + 2
        entry = json.loads(log.read_text().splitlines()[0])["entry"]
        undone = idgraph("undo", entry, "--execute", "--yes", "--log", str(log))
        assert "executed: 1 applied" in undone
    assert neo4j.run("MATCH (a:RemediationAction) RETURN count(a) AS n") == [{"n": 3}]
