"""`idgraph export` from the outside: files written, exit codes, no secret in the output."""

from __future__ import annotations

import socket
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner, Result

from ingest.cli import app
from tests.conftest import Neo4jServer
from tests.export import expected

pytestmark = pytest.mark.neo4j


def env_for(server: Neo4jServer, **extra: str) -> dict[str, str]:
    return {
        "NEO4J_URI": server.uri,
        "NEO4J_USERNAME": server.auth[0],
        "NEO4J_PASSWORD": server.auth[1],
        "NEO4J_DATABASE": server.database,
        **extra,
    }


def invoke(*args: str, env: dict[str, str]) -> Result:
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["graphml", "csv", "opengraph"])
def test_export_writes_the_format(synced: Neo4jServer, tmp_path: Path, fmt: str) -> None:
    result = invoke("export", "--format", fmt, "--out", str(tmp_path / fmt), env=env_for(synced))
    assert result.exit_code == 0, result.output
    nodes, rels = expected.total_counts(synced)
    assert f"{fmt}:" in result.output
    written = sorted(p.name for p in (tmp_path / fmt).iterdir())
    assert written
    if fmt == "graphml":
        assert written == ["graph.graphml"]
        graph = nx.read_graphml(tmp_path / fmt / "graph.graphml")
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, rels)
        assert f"{nodes} nodes, {rels} relationships" in result.output
    if fmt == "csv":
        assert "neo4j-admin-import.txt" in written
        assert "empty-lists.cypher" in written
    if fmt == "opengraph":
        assert written == ["opengraph.json"]


def test_an_unreachable_neo4j_is_exit_3(synced: Neo4jServer, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = env_for(synced, NEO4J_URI=f"bolt://127.0.0.1:{port}")
    result = invoke("export", "-f", "csv", "-o", str(tmp_path), "--wait-neo4j", "0", env=env)
    assert result.exit_code == 3
    assert f"127.0.0.1:{port}" in result.output
    assert synced.auth[1] not in result.output


def test_an_unknown_format_is_a_usage_error(synced: Neo4jServer, tmp_path: Path) -> None:
    result = invoke("export", "--format", "xlsx", "--out", str(tmp_path), env=env_for(synced))
    assert result.exit_code == 2
