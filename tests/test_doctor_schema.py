"""`idgraph doctor` on a graph an older version wrote: its single-id or tenant-first key
constraints are found, named, and the next sync's schema setup does what doctor says (drops
them)."""

from __future__ import annotations

import pytest

from ingest.graph.cypher import constraint_name, superseded_constraint_names
from ingest.graph.model import MODEL
from ingest.load import GraphLoader
from tests.sync.test_sync_cli import env_for
from tests.test_doctor_capabilities import doctor

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize(
    ("version", "key"), [(0, "n.id"), (1, "(n.tenant_id, n.id)")], ids=["single-id", "tenant-first"]
)
def test_doctor_reports_the_old_key_constraints_the_next_sync_drops(
    neo4j, simulator, monkeypatch, version, key
):
    loader = GraphLoader(neo4j.driver, neo4j.database)
    loader.ensure_schema()
    user = next(node for node in MODEL.nodes if node.name == "user")
    old = superseded_constraint_names(user)[version]
    neo4j.run(f"DROP CONSTRAINT `{constraint_name(user)}` IF EXISTS")
    neo4j.run(f"CREATE CONSTRAINT `{old}` FOR (n:`{user.label}`) REQUIRE {key} IS UNIQUE")
    with simulator(size="small") as running:
        env = env_for(neo4j, running)
        before = doctor(monkeypatch, env)["neo4j"]
        loader.ensure_schema()  # what the next sync does first
        after = doctor(monkeypatch, env)["neo4j"]
    assert before.status == "warn"
    assert old in before.detail and "the next sync drops them" in before.detail
    assert after.status == "ok" and after.detail.endswith("schema present")
    names = {row["name"] for row in neo4j.run("SHOW CONSTRAINTS YIELD name")}
    assert old not in names and constraint_name(user) in names
