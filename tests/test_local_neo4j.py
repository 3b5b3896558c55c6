"""`idgraph neo4j` and `idgraph demo` without Docker: the packaged launcher starts a real local
server (one start for the whole module, on free ports, with its own home and the cached jars),
and without Java and Maven the demo says what to install."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from neo4j import GraphDatabase
from typer.testing import CliRunner

from ingest.cli import app
from ingest.local_neo4j.launcher import SCRIPT, answers, missing_tools
from tests.export.dedicated_neo4j import _any_free_port

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "idgraph-autostart-test"


def invoke(*args: str, env: dict[str, str | None]) -> Result:
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def cached_dist() -> str:
    """The jars CI and scripts/neo4j-local already fetched: never fetched again here."""
    local_dir = os.environ.get("NEO4J_LOCAL_DIR", str(ROOT / ".neo4j-local"))
    return os.environ.get("NEO4J_DIST_DIR", str(Path(local_dir) / "dist"))


def test_the_launcher_keeps_its_data_per_user_and_the_repository_its_own(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    packaged = subprocess.run(
        ["bash", str(SCRIPT), "home"],
        env={**env, "XDG_CACHE_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert packaged.stdout.strip() == str(tmp_path / "idgraph" / "home")
    repository = subprocess.run(
        [str(ROOT / "scripts" / "neo4j-local"), "home"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert repository.stdout.strip() == str(ROOT / ".neo4j-local" / "home")


def test_demo_without_java_or_maven_names_what_to_install(tmp_path: Path) -> None:
    port = _any_free_port()
    env = {
        "PATH": str(tmp_path),  # no java, no mvn
        "JAVA_HOME": None,
        "NEO4J_URI": f"bolt://127.0.0.1:{port}",
        "NEO4J_HOME_DIR": str(tmp_path / "home"),
    }
    result = invoke("demo", env=env)
    assert result.exit_code == 3
    said = " ".join(result.output.split())
    assert "Java 17+" in said and "Maven (mvn)" in said
    assert "install Docker and run `docker compose up`" in said
    assert not (tmp_path / "home").exists()


@pytest.fixture(scope="module")
def local_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str | None]]:
    missing = missing_tools()
    if missing:
        why = f"starting a local Neo4j needs {', '.join(missing)}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    bolt, http = _any_free_port(), _any_free_port()
    env: dict[str, str | None] = {
        "NEO4J_URI": f"bolt://127.0.0.1:{bolt}",
        "NEO4J_BROWSER_URL": f"http://127.0.0.1:{http}/browser/",
        "NEO4J_USERNAME": "neo4j",
        "NEO4J_PASSWORD": PASSWORD,
        "NEO4J_DATABASE": "neo4j",
        "NEO4J_BOLT_PORT": None,  # the ports come from the two URLs above
        "NEO4J_HTTP_PORT": None,
        "NEO4J_HOME_DIR": str(tmp_path_factory.mktemp("neo4j-home")),
        "NEO4J_DIST_DIR": cached_dist(),
        "NEO4J_HEAP": "512m",
        "NEO4J_PAGECACHE": "128m",
        "IDGRAPH_ADMIN_RATE": "2000",
        "IDGRAPH_ADMIN_BURST": "2000",
        "IDGRAPH_SCIM_RATE": "2000",
        "IDGRAPH_SCIM_BURST": "2000",
    }
    yield env
    invoke("neo4j", "stop", env=env)


@pytest.fixture(scope="module")
def demo_result(local_env: dict[str, str | None]) -> Result:
    return invoke("demo", env=local_env)


@pytest.mark.java
def test_demo_starts_a_local_neo4j_where_nothing_answered_and_syncs_into_it(
    local_env: dict[str, str | None], demo_result: Result
) -> None:
    assert demo_result.exit_code == 0, demo_result.output
    said = " ".join(demo_result.output.split())
    assert f"Started a local Neo4j at {local_env['NEO4J_URI']}" in said
    assert f"data in {local_env['NEO4J_HOME_DIR']}" in said
    assert "stop it with `idgraph neo4j stop`" in said
    assert PASSWORD not in demo_result.output
    uri = str(local_env["NEO4J_URI"])
    with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query("MATCH (u:AnthropicUser) RETURN count(u) AS n")
    assert records[0]["n"] > 0
    http = str(local_env["NEO4J_BROWSER_URL"]).split(":")[2].split("/")[0]
    assert answers("127.0.0.1", int(http)), "Browser is not on NEO4J_BROWSER_URL's port"


@pytest.mark.java
def test_neo4j_status_and_start_see_the_running_server(
    local_env: dict[str, str | None], demo_result: Result
) -> None:
    assert invoke("neo4j", "status", env=local_env).exit_code == 0
    again = invoke("neo4j", "start", env=local_env)
    assert again.exit_code == 0


@pytest.mark.java
def test_neo4j_stop_stops_it(local_env: dict[str, str | None], demo_result: Result) -> None:
    assert invoke("neo4j", "stop", env=local_env).exit_code == 0
    assert invoke("neo4j", "status", env=local_env).exit_code == 3
    port = int(str(local_env["NEO4J_URI"]).rsplit(":", 1)[1])
    assert not answers("127.0.0.1", port)
