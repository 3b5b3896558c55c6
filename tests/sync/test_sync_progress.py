"""A sync shows its progress: log lines (text or JSON) without a terminal, rich with one."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import pytest
from rich.console import Console

from ingest.extract.transport import EngineStats
from ingest.sync.outcome import FamilyWritten
from ingest.sync.progress import RichProgress, SyncProgress
from tests.sync.test_sync_cli import env_for


def demo(neo4j, *args: str) -> tuple[dict, str]:
    """`idgraph demo --json` in a child whose stderr is a pipe, not a terminal."""
    env = {**os.environ, **env_for(neo4j), "IDGRAPH_PROGRESS_INTERVAL": "0.2"}
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "demo", "--json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def totals(report: dict) -> dict:
    return {
        "nodes_written": report["written"]["nodes"],
        "rels_written": report["written"]["relationships"],
        "api_calls": report["api_calls"],
        "retries": report["retries"],
    }


@pytest.mark.neo4j
def test_without_a_terminal_progress_is_logged_per_family(neo4j) -> None:
    report, stderr = demo(neo4j)
    lines = stderr.splitlines()
    assert any(" INFO progress users: records " in line for line in lines)
    assert any(re.search(r" INFO requests admin: api calls \d+", line) for line in lines)
    for family, records in report["records"].items():
        assert any(f"read_finished {family}: records {records}" in line for line in lines)
        assert any(f"family_finished {family}: records {records}," in line for line in lines)
    finished = next(line for line in lines if " sync_finished " in line)
    assert f"nodes written {report['written']['nodes']}," in finished
    assert f"api calls {report['api_calls']}," in finished


@pytest.mark.neo4j
def test_json_log_lines_carry_the_same_counts(neo4j) -> None:
    report, stderr = demo(neo4j, "--log-format", "json")
    lines = [json.loads(line) for line in stderr.splitlines()]  # every line is one JSON object
    assert all({"ts", "level", "event"} <= line.keys() for line in lines)
    by_event: dict[str, list[dict]] = {}
    for line in lines:
        by_event.setdefault(line["event"], []).append(line)
    assert {"progress", "requests", "read_finished", "family_finished"} <= by_event.keys()
    read = {line["family"]: line["counts"]["records"] for line in by_event["read_finished"]}
    assert read == report["records"]
    finished = {line["family"]: line["counts"] for line in by_event["family_finished"]}
    assert {f: c["records"] for f, c in finished.items() if f in read} == report["records"]
    [sync] = by_event["sync_finished"]
    assert {k: sync["counts"][k] for k in totals(report)} == totals(report)
    assert sync["status"] == report["status"]


def test_on_a_terminal_each_family_gets_a_line_brought_up_to_date() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    progress = SyncProgress()
    admin = EngineStats("admin", api_calls=7, throttled_seconds=1.5)
    with RichProgress(progress, console) as drawn:
        progress.watch(admin, None)
        progress("loading users")
        progress.read("users", 100)
        progress.read("api_keys", 40)
        drawn.refresh()
        first = screen.getvalue()
        progress.read("users", 20)
        progress.wrote("users", FamilyWritten("users", nodes=120, rels=3))
        progress.read_ended("users", 120, None)
        drawn.refresh()
    assert "loading users" in first
    assert "admin 7 requests, throttled 1.5 s" in first
    assert "read 100, wrote 0 nodes" in first
    assert "read 40, wrote 0 nodes" in first
    later = screen.getvalue()[len(first) :]
    assert "read 120 (all), wrote 120 nodes, 3 relationships" in later


@pytest.mark.neo4j
def test_json_logs_stay_json_lines_when_a_sync_is_partial_or_fails(neo4j, simulator) -> None:
    def sync(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "ingest.cli", "sync", "--log-format", "json"]
        child_env = {**os.environ, **env, "PYTHONPATH": os.getcwd()}
        return subprocess.run(
            [*command, "--wait-neo4j", "0"], env=child_env, capture_output=True, text=True
        )

    with simulator(size="small", scim_gate="revoked_token") as running:
        partial = sync(env_for(neo4j, running))
    unreachable = sync({**env_for(neo4j, running), "NEO4J_URI": "bolt://127.0.0.1:9"})

    assert partial.returncode == 1, partial.stderr
    said = [json.loads(line) for line in partial.stderr.splitlines()]  # every line is JSON
    assert any(
        line["level"] == "error" and "ANTHROPIC_SCIM_TOKEN" in line["message"] for line in said
    )
    assert unreachable.returncode == 3, unreachable.stderr
    [failed] = [json.loads(line) for line in unreachable.stderr.splitlines()]
    assert failed["event"] == "failed" and failed["exit_code"] == 3
    assert "Neo4j" in failed["message"]
