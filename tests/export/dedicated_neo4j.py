"""A second, throwaway Neo4j server (own home, own ports) from scripts/neo4j-local, for tests
that must stop a server: the one the other tests use is never touched."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "scripts" / "neo4j-local"
PASSWORD = "idgraph-import-test"
PREFERRED_PORTS = (38687, 38474)


class DedicatedServer:
    def __init__(self, home: Path) -> None:
        bolt, http = _free_ports()
        self.uri = f"bolt://127.0.0.1:{bolt}"
        local_dir = Path(os.environ.get("NEO4J_LOCAL_DIR", ROOT / ".neo4j-local"))
        self.env = {
            **os.environ,
            "NEO4J_HOME_DIR": str(home),
            "NEO4J_BOLT_PORT": str(bolt),
            "NEO4J_HTTP_PORT": str(http),
            "NEO4J_PASSWORD": PASSWORD,
            "NEO4J_DIST_DIR": os.environ.get("NEO4J_DIST_DIR", str(local_dir / "dist")),
            "NEO4J_HEAP": "512m",
            "NEO4J_PAGECACHE": "128m",
        }

    def launcher(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(
            [str(LAUNCHER), *args],
            env=self.env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise AssertionError(f"neo4j-local {args[:4]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout + done.stderr

    def driver(self) -> Driver:
        return GraphDatabase.driver(self.uri, auth=("neo4j", PASSWORD))


@contextmanager
def dedicated_server(home: Path) -> Iterator[DedicatedServer]:
    """A server home that is not running yet; whatever gets started is stopped afterwards."""
    _require_launcher()
    server = DedicatedServer(home)
    try:
        yield server
    finally:
        server.launcher("stop")


def _require_launcher() -> None:
    missing = [tool for tool in ("java", "bash") if shutil.which(tool) is None]
    if missing:
        why = f"the import test needs {', '.join(missing)} to run scripts/neo4j-local"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(why, pytrace=False)
        pytest.skip(why)


def _free_ports() -> tuple[int, int]:
    if all(_is_free(port) for port in PREFERRED_PORTS):
        return PREFERRED_PORTS
    return _any_free_port(), _any_free_port()


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _any_free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
