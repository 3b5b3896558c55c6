"""BloodHound OpenGraph: valid for bhopengraph, the privilege edges, properties kept."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bhopengraph import OpenGraph

from ingest.export import ExportFormat, export_graph
from ingest.export.opengraph import SKIPPED_NODE_LABELS, SKIPPED_REL_TYPES, SOURCE_KIND
from ingest.graph.model import MODEL
from tests.conftest import Neo4jServer
from tests.export import expected

pytestmark = pytest.mark.neo4j
PRIVILEGE_EDGES = {
    "HAS_ROLE",
    "MEMBER_OF",
    "ADMIN_OF",
    "SCOPED_TO",
    "CONTAINS",
    "OWNED_BY",
    "OWNS",
    "GRANTS",
    "PROVISIONED_AS",
    "TRUSTED_BY",
    "CAN_ASSUME",
}
SKIPPED = SKIPPED_NODE_LABELS | SKIPPED_REL_TYPES


@pytest.fixture(scope="module")
def exported(synced: Neo4jServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("opengraph")
    result = export_graph(synced.driver, synced.database, ExportFormat.opengraph, out)
    assert result.undeclared == []
    return result.files[0]


@pytest.fixture(scope="module")
def document(exported: Path) -> dict[str, Any]:
    return json.loads(exported.read_text(encoding="utf-8"))


def test_bhopengraph_loads_and_validates_it(synced: Neo4jServer, exported: Path) -> None:
    graph = OpenGraph()
    assert graph.import_from_file(str(exported))
    assert graph.validate_graph() == (True, [])  # also: no isolated nodes, no dangling edges
    assert graph.source_kind == SOURCE_KIND
    assert graph.get_node_count() == len(expected.nodes(synced, SKIPPED))
    assert graph.get_edge_count() == sum(expected.rels(synced, SKIPPED).values())


def test_nodes_have_kinds_and_primitive_properties(
    synced: Neo4jServer, document: dict[str, Any]
) -> None:
    nodes = {node["id"]: node for node in document["graph"]["nodes"]}
    want = expected.nodes(synced, SKIPPED)
    assert nodes.keys() == want.keys()
    for node_id, node in nodes.items():
        provider_label = node_id.split(":", 1)[0]
        assert node["kinds"][0] == provider_label
        assert sorted(node["kinds"]) == sorted([*want[node_id]["labels"], SOURCE_KIND])
        assert node["properties"] == want[node_id]["props"]
    assert not any(node_id.startswith("SyncRun:") for node_id in nodes)


def test_edges_are_the_privilege_edges_and_resource(
    synced: Neo4jServer, document: dict[str, Any]
) -> None:
    edges: Counter[str] = Counter()
    for edge in document["graph"]["edges"]:
        assert edge["start"]["match_by"] == edge["end"]["match_by"] == "id"
        edges[
            expected.line(
                edge["start"]["value"],
                edge["end"]["value"],
                edge["kind"],
                edge.get("properties", {}),
            )
        ] += 1
    assert edges == expected.rels(synced, SKIPPED)
    kinds = {edge["kind"] for edge in document["graph"]["edges"]}
    declared = {rel.type for rel in MODEL.rels}
    assert kinds == (declared - SKIPPED_REL_TYPES - {"SURFACES_AS"})  # a Console org: no rbac
    assert PRIVILEGE_EDGES | {"RESOURCE"} == kinds


def test_an_admin_reaches_a_key_of_the_workspace(synced: Neo4jServer, exported: Path) -> None:
    [row] = synced.run(
        "MATCH (u:AnthropicUser)-[:ADMIN_OF]->(w:AnthropicWorkspace)-[:CONTAINS]->"
        "(k:AnthropicApiKey) RETURN u.tenant_id + ':' + u.id AS u, w.tenant_id + ':' + w.id AS w, "
        "k.tenant_id + ':' + k.id AS k ORDER BY u, w, k LIMIT 1"
    )
    graph = OpenGraph()
    graph.import_from_file(str(exported))
    user, workspace, key = (
        f"AnthropicUser:{row['u']}",
        f"AnthropicWorkspace:{row['w']}",
        f"AnthropicApiKey:{row['k']}",
    )
    assert [user, workspace, key] in graph.find_paths(user, key, max_depth=3)
