"""BloodHound OpenGraph: valid for bhopengraph, the privilege edges, properties kept."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bhopengraph import OpenGraph

from ingest.export import ExportFormat, export_graph
from ingest.export.opengraph import SKIPPED_NODE_LABELS, SKIPPED_REL_TYPES, SOURCE_KIND, kind
from ingest.graph.model import MODEL
from tests.conftest import Neo4jServer
from tests.export import expected

pytestmark = pytest.mark.neo4j
EXPORTED_TYPES = {
    "HAS_ROLE",
    "MEMBER_OF",
    "ADMIN_OF",
    "SCOPED_TO",
    "GRANTS_WORKSPACE_ROLE",
    "CONTAINS",
    "ACTS_AS",
    "CREATED_BY",
    "OWNED_BY",
    "OWNS",
    "GRANTS",
    "PROVISIONED_AS",
    "TRUSTED_BY",
    "CAN_ASSUME",
    "RESOURCE",
}
CONTEXT_TYPES = {"CONTAINS", "CREATED_BY", "OWNED_BY", "OWNS"}
SKIPPED = SKIPPED_NODE_LABELS | SKIPPED_REL_TYPES
TYPE_OF_KIND = {kind(rel.type): rel.type for rel in MODEL.rels}


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
        assert node["kinds"] == [kind(provider_label), SOURCE_KIND]
        assert all(k.startswith(SOURCE_KIND) for k in node["kinds"])
        assert provider_label in want[node_id]["labels"]
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
                TYPE_OF_KIND[edge["kind"]],
                {k: v for k, v in edge.get("properties", {}).items() if k != "traversable"},
            )
        ] += 1
        traversable = TYPE_OF_KIND[edge["kind"]] not in CONTEXT_TYPES
        assert edge["properties"]["traversable"] is traversable
    assert edges == expected.rels(synced, SKIPPED)
    kinds = {edge["kind"] for edge in document["graph"]["edges"]}
    declared = {kind(rel.type) for rel in MODEL.rels}
    skipped = {kind(t) for t in (*SKIPPED_REL_TYPES, "SURFACES_AS")}  # a Console org: no rbac
    assert kinds == declared - skipped == {kind(t) for t in EXPORTED_TYPES}


def _reachable(document: dict[str, Any], start: str) -> set[str]:
    """Every node a path-finder reaches from `start` walking only traversable edges."""
    out: dict[str, list[str]] = {}
    for edge in document["graph"]["edges"]:
        if edge["properties"]["traversable"]:
            out.setdefault(edge["start"]["value"], []).append(edge["end"]["value"])
    seen, todo = {start}, [start]
    while todo:
        for nxt in out.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_path_runs_member_workspace_key_creator(
    synced: Neo4jServer, document: dict[str, Any]
) -> None:
    rows = synced.run(
        "MATCH (u:AnthropicUser)-[:MEMBER_OF]->(w:AnthropicWorkspace)-[:CONTAINS]->"
        "(k:AnthropicApiKey)-[:CREATED_BY]->(c:AnthropicUser) WHERE c <> u "
        "RETURN u.tenant_id + ':' + u.id AS u, w.tenant_id + ':' + w.id AS w, "
        "k.tenant_id + ':' + k.id AS k, c.tenant_id + ':' + c.id AS c ORDER BY u, k LIMIT 20"
    )
    assert rows, "the synced organization has no member -> workspace -> key -> creator chain"
    names = {(r["u"], r["w"], r["k"]): f"AnthropicUser:{r['c']}" for r in rows}
    for (user, workspace, key), creator in names.items():
        reached = _reachable(document, f"AnthropicUser:{user}")
        assert f"AnthropicWorkspace:{workspace}" in reached
        assert f"AnthropicApiKey:{key}" not in reached
        assert creator not in reached


def test_an_org_admin_reaches_every_live_workspace_through_the_role_edge(
    synced: Neo4jServer, document: dict[str, Any]
) -> None:
    [row] = synced.run(
        "MATCH (u:AnthropicUser)-[:HAS_ROLE]->(:AnthropicRole {name: 'admin'}) "
        "WITH u ORDER BY u.id LIMIT 1 "
        "MATCH (w:AnthropicWorkspace {tenant_id: u.tenant_id, is_archived: false}) "
        "WHERE NOT (u)-[:MEMBER_OF]->(w) "
        "RETURN u.tenant_id + ':' + u.id AS u, collect(w.tenant_id + ':' + w.id) AS unlisted"
    )
    assert row["unlisted"], "the organization admin is listed in every workspace"
    reached = _reachable(document, f"AnthropicUser:{row['u']}")
    assert {f"AnthropicWorkspace:{w}" for w in row["unlisted"]} <= reached
