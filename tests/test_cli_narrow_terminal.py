"""On a narrow terminal, what people copy (question ids, the demo's Cypher) stays whole, and a
first sync into an empty database prints no driver notification."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import uuid

import pytest

from ingest.cli import DEMO_QUERIES
from ingest.graph.schema import GraphModel, NodeType, Prop
from ingest.load import GraphLoader
from ingest.load.context import SyncContext
from ingest.neo4j_connection import open_driver
from ingest.queries.library import load_library
from ingest.settings import load_settings
from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j


def test_query_list_ids_are_never_wrapped() -> None:
    result = invoke("query", "list", env={"COLUMNS": "40"})
    assert result.exit_code == 0
    first_cells = [line.split("│")[1].strip() for line in result.output.splitlines() if "│" in line]
    for query in load_library():
        assert query.id in first_cells
    assert "critical" in result.output and "attack path" in result.output  # no column squeezed


def test_the_driver_asks_the_server_for_no_notifications(neo4j, monkeypatch, caplog) -> None:
    for name, value in env_for(neo4j).items():
        monkeypatch.setenv(name, value)
    driver = open_driver(load_settings())
    try:
        _, summary, _ = driver.execute_query(
            "MATCH (n) WHERE n.a_property_key_never_written = 1 RETURN n",
            database_=neo4j.database,
        )
    finally:
        driver.close()
    assert not [status for status in summary.gql_status_objects if status.is_notification]
    assert not [r for r in caplog.records if r.name.startswith("neo4j.notifications")]


def test_demo_cypher_is_never_wrapped_and_no_notification_is_printed(neo4j) -> None:
    env = {**os.environ, **env_for(neo4j), "COLUMNS": "40", "PYTHONPATH": os.getcwd()}
    demo = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "demo", "--size", "small"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert demo.returncode == 0, demo.stderr
    lines = demo.stdout.splitlines()
    for _, query in DEMO_QUERIES:
        for line in query.splitlines():
            assert line in lines
    assert "notification" not in demo.stderr.lower()
    assert "property key" not in demo.stderr.lower()


def test_a_first_sync_reading_types_new_to_the_database_logs_no_notification(
    neo4j, monkeypatch, caplog
) -> None:
    # Property keys, labels and types persist in a database once used, so a first sync's
    # "does not exist" warnings are reproduced with a type this database has never seen.
    suffix = uuid.uuid4().hex[:12]
    node = NodeType(
        name=f"probe_{suffix}",
        label=f"Probe{suffix}",
        family=f"probe_{suffix}",
        description="A type no sync ever wrote.",
        properties=(Prop(f"never_{suffix}", "string", "A property no sync ever wrote."),),
    )
    model = GraphModel(nodes=(node,), rels=(), families=(node.family,))
    for name, value in env_for(neo4j).items():
        monkeypatch.setenv(name, value)
    driver = open_driver(load_settings())
    caplog.set_level(logging.DEBUG, logger="neo4j")
    try:
        loader = GraphLoader(driver, neo4j.database, model=model)
        ctx = SyncContext(tenant_id=f"tenant-{suffix}", sync_id=f"sync-{suffix}", now_ms=0)
        loader.prepare_nodes(node, [{"id": "x", f"never_{suffix}": "v"}], ctx)
    finally:
        driver.close()
    assert not [r for r in caplog.records if r.name.startswith("neo4j.notifications")]
