"""`idgraph sync` from the outside: exit codes, messages, and secrets that never leak."""

from __future__ import annotations

import json
import logging
import socket

import pytest
from typer.testing import CliRunner

from ingest.cli import app
from tests.secret_scan import assert_no_secret, graph_text

pytestmark = pytest.mark.neo4j

CANARY_ADMIN = "sk-ant-admin01-CANARYcanaryCANARY-do-not-leak-0123456789AA"


def env_for(neo4j, running=None, **extra):
    env = {
        "NEO4J_URI": neo4j.uri,
        "NEO4J_USERNAME": neo4j.auth[0],
        "NEO4J_PASSWORD": neo4j.auth[1],
        "NEO4J_DATABASE": neo4j.database,
        "ANTHROPIC_ADMIN_KEY": "",
        "ANTHROPIC_OAUTH_TOKEN": "",
        "ANTHROPIC_SCIM_URL": "",
        "ANTHROPIC_SCIM_TOKEN": "",
        "IDGRAPH_ORGS_FILE": "",
        "IDGRAPH_ADMIN_RATE": "2000",
        "IDGRAPH_ADMIN_BURST": "2000",
        "IDGRAPH_ANALYTICS_RATE": "2000",
        "IDGRAPH_ANALYTICS_BURST": "2000",
        "IDGRAPH_SCIM_RATE": "2000",
        "IDGRAPH_SCIM_BURST": "2000",
    }
    if running is not None:
        env.update(
            ANTHROPIC_ADMIN_KEY=running.admin_key,
            ANTHROPIC_OAUTH_TOKEN=running.oauth_token,
            ANTHROPIC_BASE_URL=running.base_url,
            ANTHROPIC_SCIM_URL=running.scim_url,
            ANTHROPIC_SCIM_TOKEN=running.scim_token,
        )
    env.update(extra)
    return env


def invoke(*args, env):
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def test_an_inference_key_is_refused_before_any_request(neo4j, simulator):
    with simulator(size="small") as running:
        result = invoke(
            "sync", env=env_for(neo4j, running, ANTHROPIC_ADMIN_KEY=running.inference_key)
        )
        requests = sum(running.sim.stats.requests.values())
    assert result.exit_code == 2
    assert "holds an inference key, refused" in result.output
    assert "Admin API key (sk-ant-admin" in result.output
    assert "Settings > Admin keys" in result.output
    assert running.inference_key not in result.output
    assert requests == 0
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_missing_credentials_name_the_variable(neo4j):
    result = invoke("sync", env=env_for(neo4j))
    assert result.exit_code == 2
    assert "ANTHROPIC_ADMIN_KEY" in result.output


def test_an_unreachable_neo4j_is_a_clear_error(neo4j, simulator):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with simulator(size="small") as running:
        env = env_for(neo4j, running, NEO4J_URI=f"bolt://127.0.0.1:{port}")
        result = invoke("sync", "--wait-neo4j", "0", env=env)
    assert result.exit_code == 3
    assert f"127.0.0.1:{port}" in result.output
    assert neo4j.auth[1] not in result.output


def test_sync_json_summary_and_exit_code(neo4j, simulator):
    with simulator(size="small", tier="standard") as running:
        result = invoke("sync", "--json", env=env_for(neo4j, running))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["status"] == "success"
    assert summary["scim"]["status"] == "unavailable"
    assert summary["scim"]["lifecycle_remediation_enabled"] is False
    assert summary["records"]["users"] == len(running.sim.org.users)


def test_secrets_appear_in_no_output_log_graph_or_error(neo4j, simulator, caplog):
    caplog.set_level(logging.DEBUG)
    with simulator(size="small") as running:
        env = env_for(neo4j, running)
        secrets = [running.admin_key, running.oauth_token, running.scim_token]
        ok = invoke("sync", env=env)
        wrong = invoke("sync", env={**env, "ANTHROPIC_ADMIN_KEY": CANARY_ADMIN})
        secrets.append(CANARY_ADMIN)
    assert ok.exit_code == 0, ok.output
    assert wrong.exit_code == 2  # the server refuses the unknown admin key: a credentials problem
    assert_no_secret(secrets, [ok.output, wrong.output, caplog.text, graph_text(neo4j)])


def test_doctor_checks_everything_and_writes_nothing(neo4j, simulator):
    with simulator(size="small", tier="standard") as running:
        ok = invoke("doctor", env={**env_for(neo4j, running), "COLUMNS": "200"})
        bad = invoke(
            "doctor",
            env={
                **env_for(neo4j, running, ANTHROPIC_ADMIN_KEY=running.inference_key),
                "COLUMNS": "200",
            },
        )
    assert ok.exit_code == 0, ok.output
    for name in ("credentials", "admin api", "service accounts", "scim", "neo4j"):
        assert name in ok.output
    assert "not available on this organization's plan" in ok.output
    assert bad.exit_code == 1
    assert "holds an inference key, refused" in bad.output
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_the_summary_names_the_read_that_kept_a_family_from_being_cleaned_up(neo4j, simulator):
    with simulator(size="small") as running:
        result = invoke("sync", env=env_for(neo4j, running, ANTHROPIC_OAUTH_TOKEN=""))
    assert result.exit_code == 0, result.output
    cells: dict[str, str] = {}  # family -> its "cleaned up" cell, wrapped lines joined
    family = ""
    for line in result.stdout.splitlines():
        if not line.startswith("│"):
            continue
        row = [cell.strip() for cell in line.strip()[1:-1].split("│")]
        family = row[0] or family
        cells[family] = f"{cells.get(family, '')} {row[-1]}".strip()
    assert cells["roles"] == "no (not read: service_accounts)"  # no OAuth token: not listed
    assert cells["users"] == "yes"
