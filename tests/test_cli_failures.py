"""Every failure of every command is one line on stderr (or a JSON object on stdout with
--json) and the documented exit code: never a traceback."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from ingest.settings import load_settings
from tests.sync.test_sync_cli import CANARY_ADMIN, env_for, invoke

pytestmark = pytest.mark.neo4j

NEO4J_COMMANDS = (
    ["sync"],
    ["report", "--wait-neo4j", "0"],
    ["query", "run", "effective-org-admins"],
    ["export", "-f", "csv", "--wait-neo4j", "0"],
)


def one_line(result) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "uri", ["garbage", "localhost:7687", "http://localhost:7474", "bolt://h:x"]
)
@pytest.mark.parametrize("command", NEO4J_COMMANDS, ids=lambda c: c[0])
def test_a_malformed_neo4j_uri_names_the_variable_and_the_schemes(
    neo4j, simulator, tmp_path: Path, uri: str, command: list[str]
) -> None:
    with simulator(size="small") as running:
        env = env_for(neo4j, running, NEO4J_URI=uri)
        args = [*command, "--out", str(tmp_path)] if command[0] == "export" else command
        result = invoke(*args, env=env)
    assert result.exit_code == 2
    line = one_line(result)
    assert "NEO4J_URI" in line and "bolt://" in line and "neo4j+s://" in line


def test_a_database_that_does_not_exist_is_named(neo4j) -> None:
    result = invoke("report", env=env_for(neo4j, NEO4J_DATABASE="nosuchdb"))
    assert result.exit_code == 2
    line = one_line(result)
    assert "NEO4J_DATABASE" in line and "'nosuchdb' does not exist" in line
    assert "Start it" not in line


def test_neo4j_refusing_or_absent_is_exit_3(neo4j) -> None:
    refused = invoke("report", env=env_for(neo4j, NEO4J_PASSWORD="not-the-password"))
    absent = invoke(
        "report",
        "--wait-neo4j",
        "0",
        env=env_for(neo4j, NEO4J_URI=f"bolt://127.0.0.1:{_free_port()}"),
    )
    assert (refused.exit_code, absent.exit_code) == (3, 3)
    assert "NEO4J_PASSWORD" in one_line(refused)
    assert "Start it with" in one_line(absent)


def test_with_json_a_failure_is_a_json_object_on_stdout(neo4j, simulator) -> None:
    with simulator(size="small") as running:
        result = invoke("sync", "--json", env=env_for(neo4j, running, NEO4J_URI="garbage"))
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["status"] == "error" and document["exit_code"] == 2
    assert "NEO4J_URI" in document["message"]


def test_a_rejected_admin_key_is_a_credentials_problem(neo4j, simulator) -> None:
    with simulator(size="small") as running:
        env = env_for(neo4j, running, ANTHROPIC_ADMIN_KEY=CANARY_ADMIN)
        text = invoke("sync", env=env)
        as_json = invoke("sync", "--json", env=env)
    assert (text.exit_code, as_json.exit_code) == (2, 2)
    assert "ANTHROPIC_ADMIN_KEY" in one_line(text)
    assert json.loads(as_json.stdout)["exit_code"] == 2
    assert CANARY_ADMIN[:24] not in text.output + as_json.output
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_report_out_that_cannot_be_written(neo4j, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    for out in (tmp_path, blocker / "report.md"):
        result = invoke("report", "--out", str(out), env=env_for(neo4j))
        assert result.exit_code == 2
        assert f"--out {out}" in one_line(result)


def test_demo_size_is_one_of_the_sizes(neo4j) -> None:
    result = invoke("demo", "--size", "huge", env=env_for(neo4j))
    assert result.exit_code == 2
    assert "small, medium, large, xl" in one_line(result)
    as_json = invoke("demo", "--size", "huge", "--json", env=env_for(neo4j))
    assert json.loads(as_json.stdout)["exit_code"] == 2


@pytest.mark.parametrize(
    ("value", "domains"),
    [
        ("example.com", ["example.com"]),
        (" a.com, b.org ,", ["a.com", "b.org"]),
        ('["x.io"]', ["x.io"]),
    ],
)
def test_main_domains_as_a_comma_list_or_json(monkeypatch, value: str, domains: list[str]) -> None:
    monkeypatch.setenv("IDGRAPH_MAIN_DOMAINS", value)
    assert load_settings().main_domains == domains


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("IDGRAPH_MAIN_DOMAINS", "[not json"),
        ("IDGRAPH_ADMIN_RATE", "fast"),
        ("ANTHROPIC_BASE_URL", "http://api.example.com"),
        ("ANTHROPIC_SCIM_URL", "http://10.0.0.1/scim/v2"),
    ],
)
def test_settings_errors_name_the_variable(neo4j, variable: str, value: str) -> None:
    result = invoke("sync", env=env_for(neo4j, **{variable: value}))
    assert result.exit_code == 2
    assert variable in one_line(result)


@pytest.mark.parametrize("host", ["127.0.0.1:8700", "localhost", "[::1]:8700"])
def test_plain_http_to_this_machine_is_allowed(monkeypatch, host: str) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://{host}")
    monkeypatch.setenv("ANTHROPIC_SCIM_URL", f"http://{host}/scim/v2")
    assert load_settings().base_url == f"http://{host}"


def test_a_parameter_name_that_looks_like_markup_is_shown_as_typed(neo4j) -> None:
    result = invoke("query", "run", "stale-keys", "--param", "[/]=1", env=env_for(neo4j))
    assert result.exit_code == 2
    assert "[/]" in one_line(result)
