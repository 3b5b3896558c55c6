"""The pipeline through a routing URI (`neo4j://`, what a cluster or Aura is reached by): the
local server answers the routing request itself, naming its own address."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from neo4j import GraphDatabase

from tests.sync.oracle import assert_graph_matches
from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j


def routing_uri(uri: str) -> str:
    url = urlsplit(uri)
    return f"neo4j://{url.hostname}:{url.port or 7687}"


def test_a_sync_through_a_routing_uri_loads_the_org_and_a_resync_writes_nothing(
    neo4j, simulator
) -> None:
    uri = routing_uri(neo4j.uri)
    with GraphDatabase.driver(uri, auth=neo4j.auth) as driver:
        _, summary, _ = driver.execute_query("RETURN 1", database_=neo4j.database)
    # The routing table must lead back to this server, never to another one on this machine.
    assert summary.server.address.port == urlsplit(uri).port

    with simulator(size="small", seed=8) as running:
        env = env_for(neo4j, running, NEO4J_URI=uri)
        first = invoke("sync", "--json", env=env)
        assert first.exit_code == 0, first.output
        assert_graph_matches(neo4j, running.sim.org)
        again = invoke("sync", "--json", env=env)
    assert again.exit_code == 0, again.output
    written = json.loads(again.stdout)["written"]
    assert json.loads(first.stdout)["written"]["nodes"] > 100
    # Only the organization (its last-sync fields; the sync-run node is written after the
    # outcome is counted): the snapshots were read.
    assert written == {"nodes": 1, "relationships": 0}
