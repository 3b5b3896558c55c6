"""Shared fixtures. Graph tests run against a real Neo4j server, never a mock.

Where the server comes from, in order:
1. an explicit NEO4J_URI (with NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE), e.g. the one
   `scripts/neo4j-local start` runs; the tests ERASE that database, so they refuse one holding
   data they did not write (see tests/scratch_database.py);
2. otherwise a testcontainers Neo4j container of the pinned image, where Docker runs;
3. otherwise the graph tests fail (under CI=true) or skip (elsewhere), saying how to get one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase

from anthropic_sim.config import SimConfig
from anthropic_sim.server import RunningSimulator, running_simulator
from ingest.load import GraphLoader
from ingest.sync.outcome import SyncOutcome
from ingest.sync.pipeline import run_sync
from tests.scratch_database import NotOurs, claim, erase
from tests.simulated import options_for

NEO4J_IMAGE = "neo4j:5.26.30-community"
HOW_TO_GET_NEO4J = (
    "No Neo4j server for the graph tests. Either start one and point NEO4J_URI at it "
    "(`scripts/neo4j-local start` then NEO4J_URI=bolt://127.0.0.1:7687 "
    "NEO4J_PASSWORD=idgraph-local), or run where Docker works so testcontainers can start "
    f"{NEO4J_IMAGE}."
)


class Neo4jServer:
    def __init__(self, driver: Driver, database: str, uri: str, auth: tuple[str, str]) -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self.auth = auth

    def run(self, query: str, **params: object) -> list[dict]:
        records, _, _ = self.driver.execute_query(query, params, database_=self.database)
        return [r.data() for r in records]

    def wipe(self) -> None:
        erase(self.driver, self.database)


def _from_environment() -> Iterator[Neo4jServer] | None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    database = os.environ.get("NEO4J_DATABASE", "neo4j")

    def gen() -> Iterator[Neo4jServer]:
        driver = GraphDatabase.driver(uri, auth=auth)
        try:
            driver.verify_connectivity()
        except Exception as exc:
            driver.close()
            pytest.fail(f"NEO4J_URI={uri} is set but Neo4j does not answer: {exc}", pytrace=False)
        try:
            claim(driver, database, uri)
        except NotOurs as refused:
            driver.close()
            pytest.fail(str(refused), pytrace=False)
        yield Neo4jServer(driver, database, uri, auth)
        driver.close()

    return gen()


def _from_testcontainers() -> Iterator[Neo4jServer] | None:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env().ping()
    except Exception:
        return None
    from testcontainers.neo4j import Neo4jContainer

    def gen() -> Iterator[Neo4jServer]:
        with Neo4jContainer(NEO4J_IMAGE) as container:
            uri = container.get_connection_url()
            auth = ("neo4j", container.password)
            driver = GraphDatabase.driver(uri, auth=auth)
            driver.verify_connectivity()
            yield Neo4jServer(driver, "neo4j", uri, auth)
            driver.close()

    return gen()


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    source = _from_environment() or _from_testcontainers()
    if source is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(HOW_TO_GET_NEO4J, pytrace=False)
        pytest.skip(HOW_TO_GET_NEO4J)
    yield from source


@pytest.fixture
def neo4j(neo4j_server: Neo4jServer) -> Neo4jServer:
    """A real Neo4j server with an empty database (constraints and indexes are kept)."""
    neo4j_server.wipe()
    return neo4j_server


# ---- a simulated organization and the real pipeline --------------------------------------

FAST = {"admin_rate": 2000.0, "admin_burst": 2000, "scim_rate": 2000.0, "scim_burst": 2000}


@pytest.fixture
def simulator() -> Callable[..., AbstractContextManager[RunningSimulator]]:
    """`with simulator(size="small", tier="enterprise", **knobs) as running: ...`"""

    def start(**knobs: Any) -> AbstractContextManager[RunningSimulator]:
        return running_simulator(SimConfig(**{**FAST, **knobs}))

    return start


@pytest.fixture
def sync(neo4j) -> Iterator[Callable[..., SyncOutcome]]:
    """`sync(running, **options)` runs the real pipeline into the test database."""
    loader = GraphLoader(neo4j.driver, neo4j.database)

    def run(running: RunningSimulator, **kwargs: Any) -> SyncOutcome:
        return run_sync(loader, options_for(running, **kwargs))

    yield run
