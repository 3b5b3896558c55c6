"""CSV for neo4j-admin: the files import into an EMPTY database as the very same graph."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.export import ExportFormat, ExportResult, export_graph
from ingest.export.neo4j_csv import post_import_statements
from ingest.graph.fingerprint import fingerprint
from tests.conftest import Neo4jServer
from tests.export.dedicated_neo4j import dedicated_server

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def exported(synced: Neo4jServer, tmp_path_factory: pytest.TempPathFactory) -> ExportResult:
    out = tmp_path_factory.mktemp("csv")
    result = export_graph(synced.driver, synced.database, ExportFormat.csv, out)
    assert result.undeclared == []
    return result


def test_neo4j_admin_import_gives_the_same_fingerprint(
    synced: Neo4jServer, exported: ExportResult, tmp_path: Path
) -> None:
    assert exported.csv is not None
    source = fingerprint(synced.driver, synced.database)
    with dedicated_server(tmp_path / "import-home") as target:
        arguments = [*exported.csv.import_arguments("neo4j"), "--overwrite-destination=true"]
        log = target.launcher("admin", *arguments)
        assert "IMPORT DONE" in log, log
        target.launcher("start")
        with target.driver() as driver:
            for statement in post_import_statements(exported.csv.empty_lists):
                driver.execute_query(statement, database_="neo4j")
            imported = fingerprint(driver, "neo4j")
    assert (imported.nodes, imported.rels) == (source.nodes, source.rels)
    assert imported == source


def test_a_tag_holding_the_unit_separator_moves_the_delimiter(exported: ExportResult) -> None:
    assert exported.csv is not None
    assert exported.csv.array_delimiter == "\x1e"  # TRICKY_LIST holds \x1f (and ;)
    assert "--array-delimiter=U+001E" in exported.csv.import_arguments()


def test_one_file_per_node_type_and_per_relationship_type(exported: ExportResult) -> None:
    assert exported.csv is not None
    names = {path.name for path in (*exported.csv.nodes, *exported.csv.rels)}
    assert "nodes_AnthropicUser.csv" in names
    assert "rels_AnthropicUser_HAS_ROLE_AnthropicRole.csv" in names
    assert "rels_AnthropicApiKey_ACTS_AS_AnthropicServiceAccount.csv" in names
    assert all(path.exists() for path in exported.files)


def test_headers_use_id_spaces_and_typed_columns(exported: ExportResult) -> None:
    assert exported.csv is not None
    headers = {path.name: _header(path) for path in (*exported.csv.nodes, *exported.csv.rels)}
    users = headers["nodes_AnthropicUser.csv"]
    assert users[:3] == [":ID(AnthropicUser)", ":LABEL", "id:string"]
    assert {"email:string", "tenant_id:string", "firstseen:long", "sync_id:string"} <= set(users)
    org = headers["nodes_AnthropicOrganization.csv"]
    assert {"lifecycle_remediation_enabled:boolean", "main_domains:string[]"} <= set(org)
    assert "throttled_seconds:double" in headers["nodes_SyncRun.csv"]
    grants = headers["rels_AnthropicUser_HAS_ROLE_AnthropicRole.csv"]
    assert grants[:3] == [":START_ID(AnthropicUser)", ":END_ID(AnthropicRole)", ":TYPE"]
    assert {"source:string", "firstseen:long", "lastupdated:long"} <= set(grants)
    assert "sync_id:string" not in grants


def test_bi_tools_can_join_relationships_to_nodes(exported: ExportResult) -> None:
    out = exported.files[0].parent
    users = {row[":ID(AnthropicUser)"] for row in _rows(out / "nodes_AnthropicUser.csv")}
    grants = list(_rows(out / "rels_AnthropicUser_HAS_ROLE_AnthropicRole.csv"))
    assert grants
    assert {row[":START_ID(AnthropicUser)"] for row in grants} <= users


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return next(csv.reader(stream))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))
