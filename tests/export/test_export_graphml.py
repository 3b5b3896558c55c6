"""GraphML: networkx reads back exactly the graph Cypher reads."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from ingest.export import ExportFormat, export_graph
from tests.conftest import Neo4jServer
from tests.export import expected
from tests.export.conftest import TRICKY_LIST, TRICKY_REL_TEXT, TRICKY_TEXT

pytestmark = pytest.mark.neo4j
NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def exported(synced: Neo4jServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("graphml")
    result = export_graph(synced.driver, synced.database, ExportFormat.graphml, out)
    assert result.files == [out / "graph.graphml"]
    assert result.undeclared == []
    return result.files[0]


def test_networkx_reads_the_same_counts(synced: Neo4jServer, exported: Path) -> None:
    graph = nx.read_graphml(exported)
    assert graph.is_directed()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == expected.total_counts(synced)


def test_nodes_keep_labels_and_properties(synced: Neo4jServer, exported: Path) -> None:
    graph = nx.read_graphml(exported)
    read_back = {node: _decoded(attrs) for node, attrs in graph.nodes(data=True)}
    assert read_back == {
        node_id: {"labels": node["labels"], "props": node["props"]}
        for node_id, node in expected.nodes(synced).items()
    }


def test_relationships_keep_type_and_properties(synced: Neo4jServer, exported: Path) -> None:
    graph = nx.read_graphml(exported)
    read_back: Counter[str] = Counter()
    for source, target, attrs in graph.edges(data=True):
        props = dict(attrs)
        read_back[expected.line(source, target, props.pop("label"), props)] += 1
    assert read_back == expected.rels(synced)


def test_tricky_values_survive(exported: Path) -> None:
    graph = nx.read_graphml(exported)
    names = {attrs.get("name") for _, attrs in graph.nodes(data=True)}
    tags = [attrs.get("tags") for _, attrs in graph.nodes(data=True)]
    roles = {attrs.get("workspace_role") for *_, attrs in graph.edges(data=True)}
    assert TRICKY_TEXT in names  # quotes, <&>, ]]>, emoji, \n, \r\n, \t and a backslash
    assert json.dumps(TRICKY_LIST, ensure_ascii=False) in tags
    assert "[]" in tags
    assert TRICKY_REL_TEXT in roles


def test_keys_are_declared_with_types_from_the_declaration(exported: Path) -> None:
    keys = {
        (key.get("for"), key.get("attr.name")): key.get("attr.type")
        for key in ET.parse(exported).getroot().iter(f"{NS}key")
    }
    assert keys[("node", "labels")] == "string"
    assert keys[("node", "id")] == "string"
    assert keys[("node", "main_domains")] == "string"  # string_list, JSON-encoded
    assert keys[("node", "lifecycle_remediation_enabled")] == "boolean"
    assert keys[("node", "firstseen")] == "long"
    assert keys[("node", "throttled_seconds")] == "double"
    assert keys[("edge", "label")] == "string"
    assert keys[("edge", "inherited")] == "boolean"


def test_element_ids_are_unique_across_labels(exported: Path) -> None:
    root = ET.parse(exported).getroot()
    ids = [node.get("id") for node in root.iter(f"{NS}node")]
    assert ids and len(ids) == len(set(ids))
    assert all(":" in node_id for node_id in ids)


def _decoded(attrs: dict[str, Any]) -> dict[str, Any]:
    props = dict(attrs)
    labels = sorted(props.pop("labels").split(":")[1:])
    for name in expected.STRING_LISTS & props.keys():
        props[name] = json.loads(props[name])
    return {"labels": labels, "props": props}
