"""Fixtures for the export tests: one small simulated organization, synced once per module
(a sync is the slow part), plus hand-made values that stress every format's escaping."""

from __future__ import annotations

import pytest

from anthropic_sim.config import SimConfig
from anthropic_sim.server import running_simulator
from ingest.load import GraphLoader
from ingest.sync.pipeline import run_sync
from tests.conftest import FAST, Neo4jServer
from tests.simulated import options_for

SEED = 7
TRICKY_TEXT = 'Zoë "Q" O\'Brien, Jr.; 🚀\nsecond line\r\nthird\\back\ttab <&> ]]>'
TRICKY_LIST = ["team=platform", "owner=ü/ß", 'quote="x"', "comma=a,b", "", "🚀", "a;b", "us=\x1f"]
SECOND_ORG = "00000000-0000-4000-8000-000000000002"
TRICKY_REL_TEXT = 'member "quoted",\nnext'


@pytest.fixture(scope="module")
def synced(neo4j_server: Neo4jServer) -> Neo4jServer:
    """The test database holding a synced small organization, a second organization sharing
    its people (same seed, another org id: the same user ids in two organizations), plus
    TRICKY values: a user name,
    workspace tags (one list full of awkward strings, one empty), an empty string and a
    relationship property."""
    neo4j_server.wipe()
    loader = GraphLoader(neo4j_server.driver, neo4j_server.database)
    with running_simulator(SimConfig(**{**FAST, "size": "small", "seed": SEED})) as running:
        report = run_sync(loader, options_for(running))
    assert report.status == "success", report.to_json()
    config = SimConfig(**{**FAST, "size": "small", "seed": SEED, "org_id": SECOND_ORG})
    with running_simulator(config) as running:
        second = run_sync(loader, options_for(running))
    assert second.status == "success", second.to_json()
    _add_tricky_values(neo4j_server)
    return neo4j_server


def _add_tricky_values(server: Neo4jServer) -> None:
    server.run(
        "MATCH (u:AnthropicUser) WITH u ORDER BY u.id LIMIT 1 SET u.name = $text",
        text=TRICKY_TEXT,
    )
    server.run(
        "MATCH (w:AnthropicWorkspace) WITH w ORDER BY w.id LIMIT 2 "
        "WITH collect(w) AS ws CALL (ws) { WITH ws[0] AS w SET w.tags = $tags } "
        "CALL (ws) { WITH ws[1] AS w SET w.tags = [] }",
        tags=TRICKY_LIST,
    )
    server.run("MATCH (o:AnthropicOrganization) SET o.scim_unavailable_reason = ''")
    # A change record, as a re-sync writes one: no relationship, so an export that kept it
    # would hold an isolated node.
    server.run(
        "MATCH (o:AnthropicOrganization) WITH o ORDER BY o.id LIMIT 1 "
        "CREATE (:AnthropicChange {tenant_id: o.id, id: 'change-1', kind: 'changed', "
        "element_label: 'AnthropicUser', element_id: 'user-1', property: 'role', "
        "old: 'admin', new: 'user', at: '2026-12-01T00:00:00Z', at_epoch_ms: 1764547200000})"
    )
    server.run(
        "MATCH (:AnthropicUser)-[r:MEMBER_OF]->(:AnthropicWorkspace) "
        "WITH r LIMIT 1 SET r.workspace_role = $text",
        text=TRICKY_REL_TEXT,
    )
