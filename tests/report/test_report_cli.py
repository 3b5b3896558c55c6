"""`idgraph report` through typer's CliRunner, against the test database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anthropic_sim.server import RunningSimulator
from ingest.cli import app
from ingest.queries.library import load_library
from tests.report.conftest import BROWSER_URL
from tests.report.helpers import assert_self_contained

pytestmark = pytest.mark.neo4j


def test_cli_writes_every_format(
    neo4j_env: dict[str, str], synced: RunningSimulator, tmp_path: Path
) -> None:
    runner = CliRunner()
    ids = {query.id for query in load_library()}

    out = tmp_path / "nested" / "report.json"
    result = runner.invoke(
        app, ["report", "--format", "json", "--out", str(out), "--top", "2"], env=neo4j_env
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {f["id"] for f in doc["findings"]} == ids
    assert all(len(f["rows"]) <= 2 for f in doc["findings"])

    html = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "-f", "html", "-o", str(html)], env=neo4j_env)
    assert result.exit_code == 0, result.output
    assert_self_contained(html.read_text(encoding="utf-8"), BROWSER_URL)

    result = runner.invoke(app, ["report"], env=neo4j_env)  # Markdown on stdout by default
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Claude identity graph report")
    assert all(f"(`{query_id}`)" in result.stdout for query_id in ids)


def test_cli_refuses_an_unknown_format(neo4j_env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["report", "--format", "pdf"], env=neo4j_env)
    assert result.exit_code == 2
    assert "pdf" in result.output


def test_cli_says_when_neo4j_is_not_there(neo4j_env: dict[str, str]) -> None:
    env = {**neo4j_env, "NEO4J_URI": "bolt://127.0.0.1:9"}
    result = CliRunner().invoke(app, ["report", "--wait-neo4j", "0"], env=env)
    assert result.exit_code == 3
    assert "Neo4j" in result.output


def test_empty_graph_still_reports(neo4j_env: dict[str, str], neo4j: Any) -> None:
    result = CliRunner().invoke(app, ["report", "-f", "json"], env=neo4j_env)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["organizations"] == []
    assert {f["id"] for f in doc["findings"]} == {query.id for query in load_library()}
    assert all(f["count"] == 0 for f in doc["findings"])
