"""Fixtures for the question library: one synced MEDIUM organization per module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from anthropic_sim.config import SimConfig
from anthropic_sim.planted import planted_truth
from anthropic_sim.server import running_simulator
from anthropic_sim.state import Org
from ingest.load import GraphLoader
from ingest.queries.library import get_query
from ingest.queries.runner import QueryResult, run_query
from ingest.sync.outcome import SyncOutcome
from ingest.sync.pipeline import run_sync
from tests.simulated import options_for

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer

FAST = {"admin_rate": 2000.0, "admin_burst": 2000, "scim_rate": 2000.0, "scim_burst": 2000}

# The simulator's clock stands at its epoch; questions that depend on "now" are asked then.
EPOCH = "2026-11-01T00:00:00Z"
MEDIUM_SEED = 5
DELETE_RELATIONSHIPS = "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS"


@dataclass
class SyncedOrg:
    server: Neo4jServer
    org: Org
    planted: dict[str, list[str]]
    report: SyncOutcome

    def ask(self, query_id: str, **params: Any) -> QueryResult:
        return ask(self.server, query_id, **params)


def ask(server: Neo4jServer, query_id: str, **params: Any) -> QueryResult:
    query = get_query(query_id)
    if "as_of" in query.params:
        params.setdefault("as_of", EPOCH)
    return run_query(server.driver, server.database, query, params)


def sync_simulated(server: Neo4jServer, **knobs: Any) -> SyncedOrg:
    """Wipe the database, then sync a fresh simulated organization into it."""
    # Relationships first: after bench/queries_bench.py the organization node alone holds
    # ~60,000 of them, more than one DETACH DELETE fits in the transaction memory pool.
    with server.driver.session(database=server.database) as session:
        session.run(DELETE_RELATIONSHIPS).consume()
    server.wipe()
    with running_simulator(SimConfig(**{**FAST, **knobs})) as running:
        report = run_sync(GraphLoader(server.driver, server.database), options_for(running))
        org = running.sim.org
        return SyncedOrg(server=server, org=org, planted=planted_truth(org), report=report)


@pytest.fixture(scope="module")
def medium(neo4j_server: Neo4jServer) -> Iterator[SyncedOrg]:
    """The MEDIUM organization, synced once for the whole module."""
    yield sync_simulated(neo4j_server, size="medium", seed=MEDIUM_SEED)
