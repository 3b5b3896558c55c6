"""No secret leaves the process, on any path: the Admin key, the OAuth token, the SCIM token and
the Neo4j password appear in no stdout, stderr, log line (every logger at DEBUG), graph property,
report or export, while the simulated organization throws 429 storms, 5xx answers, dropped
connections and error bodies that quote the credential back, at `sync`, `sync --json`,
`doctor`, `report` and `export`."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import Result

from anthropic_sim.config import FaultSpec
from tests.secret_scan import assert_no_secret, graph_text
from tests.simulated import reconfigure
from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j


def echo(route: str) -> FaultSpec:
    """Every answer of `route` is an error quoting the credential the request presented."""
    return FaultSpec(route=route, error_rate=1.0, error_statuses=(400,), echo_credentials=True)


# Transient trouble everywhere (a 429 storm, 5xx answers, dropped connections), and the family
# listings of each credential failing with the credential in the error body.
STORM = [
    FaultSpec(error_rate=0.3, error_statuses=(429,)),
    FaultSpec(error_rate=0.15, drop_rate=0.1),
    echo("^/v1/organizations/invites$"),  # Admin key
    echo("^/v1/organizations/service_accounts$"),  # OAuth token
    echo("^/scim/v2/Groups$"),  # SCIM token
]
# Doctor's checks of the OAuth token and of SCIM meet quoted credentials; then the first call
# of every sync and check does, so they stop on it.
CHECKS = [echo("^/v1/organizations/service_accounts$"), echo("^/scim/v2/ServiceProviderConfig$")]
FIRST_CALL = [echo("^/v1/organizations/me$")]


def debug_everywhere(caplog: pytest.LogCaptureFixture) -> None:
    """Every logger at DEBUG, httpx and httpcore included. Each logger gets its own level:
    the CLI sets `ingest` to INFO on every run, which would hide its modules' DEBUG lines."""
    for name in ("httpx", "httpcore", "neo4j"):
        logging.getLogger(name)
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)


def streams(result: Result) -> str:
    return result.stdout + result.stderr


def test_no_secret_on_any_path(neo4j, simulator, caplog, tmp_path: Path) -> None:
    debug_everywhere(caplog)
    seen: list[str] = []
    with simulator(size="12", faults=STORM) as running:
        env = env_for(neo4j, running)
        secrets = [running.admin_key, running.oauth_token, running.scim_token, neo4j.auth[1]]
        for args in (["sync"], ["sync", "--json"]):
            result = invoke(*args, env=env)
            assert result.exit_code == 1, streams(result)  # the echoing families failed
            seen.append(streams(result))
        failures = json.loads(result.stdout)["extraction_failures"]
        storm = running.sim.stats.snapshot()["faults"]
        for faults, args, code in (
            (CHECKS, ["doctor"], 1),
            (FIRST_CALL, ["doctor"], 1),
            (FIRST_CALL, ["sync"], 4),
            (FIRST_CALL, ["sync", "--json"], 4),
        ):
            reconfigure(running, faults=faults)
            result = invoke(*args, env={**env, "COLUMNS": "400"})
            assert result.exit_code == code, streams(result)
            seen.append(streams(result))
    assert storm.keys() >= {"error_429", "drop", "error_400"}, storm
    assert any(kind.startswith("error_5") for kind in storm), storm
    # The quoted credentials did reach the outputs, redacted.
    for family in ("invites", "service_accounts", "scim_groups"):
        assert "credential presented: " in failures[family], failures
    assert all(text.count("credential presented: ") for text in seen[2:]), seen[2:]

    for fmt in ("md", "json", "html"):
        result = invoke(
            "report", "--format", fmt, "--out", str(tmp_path / f"report.{fmt}"), env=env
        )
        assert result.exit_code == 0, streams(result)
        seen.append(streams(result))
    for fmt in ("csv", "graphml", "opengraph"):
        result = invoke("export", "--format", fmt, "--out", str(tmp_path / fmt), env=env)
        assert result.exit_code == 0, streams(result)
        seen.append(streams(result))
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) >= 6
    seen += [p.read_text(errors="replace") for p in files]
    seen += [caplog.text, graph_text(neo4j)]
    assert_no_secret(secrets, seen)
