"""The parts of the exports that need no server: typing, escaping, headers, kinds."""

from __future__ import annotations

import io
from typing import Any

import pytest

from ingest.export import opengraph
from ingest.export.columns import Column, ExportError, typed_value
from ingest.export.graphml import graphml_keys, xml_escape
from ingest.export.neo4j_csv import (
    DELIMITERS,
    Arrays,
    EmptyLists,
    _node_lines,
    node_header,
    rel_header,
)
from ingest.export.opengraph import exported_rels, node_kinds
from ingest.export.source import GraphReader
from ingest.graph.model import MODEL, USER, WORKSPACE
from ingest.graph.schema import GraphModel, NodeType, Prop


class FakeTx:
    """Answers every query with the same records (what `Transaction.run` iterates over)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self.records


def test_values_are_checked_against_their_declared_type() -> None:
    assert typed_value(3, Column("x", "float"), "T") == 3.0
    assert typed_value(["a"], Column("x", "string_list"), "T") == ["a"]
    assert typed_value(None, Column("x", "int"), "T") is None
    for value, kind in [(True, "int"), ("1", "int"), ([1], "string_list"), (1, "string")]:
        with pytest.raises(ExportError, match=r"T\.x: declared"):
            typed_value(value, Column("x", kind), "T")  # type: ignore[arg-type]


def test_graphml_keys_follow_the_declaration() -> None:
    keys = {(k.domain, k.name): k.type for k in graphml_keys(MODEL)}
    assert keys[("node", "tags")] == "string"
    assert keys[("node", "is_default")] == "boolean"
    assert keys[("node", "api_calls")] == "long"
    assert keys[("node", "duration_seconds")] == "double"
    assert keys[("edge", "lastupdated")] == "long"
    assert ("edge", "sync_id") not in keys


def test_a_property_declared_with_two_types_cannot_be_one_graphml_key() -> None:
    def node(label: str, kind: str) -> NodeType:
        return NodeType(
            name=label.lower(),
            label=label,
            family="f",
            description="d",
            properties=(Prop("size", kind, "d"),),  # type: ignore[arg-type]
        )

    model = GraphModel(nodes=(node("A", "string"), node("B", "int")), rels=(), families=("f",))
    with pytest.raises(ExportError, match="size"):
        graphml_keys(model)


def test_xml_escaping_keeps_carriage_returns_and_replaces_what_xml_cannot_carry() -> None:
    assert xml_escape('a<b>&"c"\r\n') == "a&lt;b&gt;&amp;&quot;c&quot;&#13;\n"
    assert xml_escape("bell\x07nul\x00") == "bell\ufffdnul\ufffd"


def test_csv_headers() -> None:
    header = node_header(WORKSPACE)
    assert header[:3] == [":ID(AnthropicWorkspace)", ":LABEL", "id:string"]
    assert "tags:string[]" in header
    assert header[-6:] == [
        "tenant_id:string",
        "firstseen:long",
        "lastupdated:long",
        "sync_id:string",
        "content_hash:long",
        "truncated_properties:string[]",
    ]
    assert rel_header(MODEL.rel("MEMBER_OF", "user", "workspace")) == [
        ":START_ID(AnthropicUser)",
        ":END_ID(AnthropicWorkspace)",
        ":TYPE",
        "workspace_role:string",
        "inherited:boolean",
        "firstseen:long",
        "lastupdated:long",
    ]


def test_csv_quotes_strings_and_leaves_nulls_empty() -> None:
    reader = GraphReader(FakeTx([_user_record({"name": 'say "hi"', "email": ""})]))
    fixups = io.StringIO()
    [line] = list(_node_lines(reader, USER, EmptyLists(fixups), Arrays(DELIMITERS[0])))
    fields = dict(zip(node_header(USER), line, strict=True))
    assert fields[":ID(AnthropicUser)"] == '"t1:u1"'  # unique across organizations
    assert fields["id:string"] == '"u1"'
    assert fields["tenant_id:string"] == '"t1"'
    assert fields[":LABEL"] == '"AnthropicUser\x1fUserAccount"'
    assert fields["name:string"] == '"say ""hi"""'
    assert fields["email:string"] == '""'  # an empty string, not null
    assert fields["role:string"] == ""  # null
    assert fields["firstseen:long"] == "5"


def test_a_list_element_holding_the_delimiter_picks_one_no_element_holds() -> None:
    arrays = Arrays(DELIMITERS[0])
    assert arrays.join(["a;b", "c"]) == "a;b\x1fc" and not arrays.collided
    arrays.join(["x\x1fy", "\x1e"])
    assert arrays.collided
    assert arrays.unused() == "\x1d"


def test_empty_lists_become_post_import_statements() -> None:
    record = {
        "labels": ["AnthropicWorkspace"],
        "props": {"id": 'w"1', "tenant_id": "t", "tags": []},
    }
    fixups = io.StringIO()
    reader = GraphReader(FakeTx([record]))
    list(_node_lines(reader, WORKSPACE, EmptyLists(fixups), Arrays(DELIMITERS[0])))
    statements = [s for s in fixups.getvalue().splitlines() if not s.startswith("//")]
    assert statements == [
        'MATCH (n:`AnthropicWorkspace` {tenant_id: "t", id: "w\\"1"}) SET n.`tags` = [];'
    ]


def test_the_reader_reports_undeclared_properties() -> None:
    reader = GraphReader(FakeTx([_user_record({"nickname": "x"})]))
    [row] = list(reader.nodes(USER))
    assert "nickname" not in row.values
    assert reader.undeclared == {"AnthropicUser.nickname"}


def test_opengraph_kinds_and_edges() -> None:
    assert node_kinds("AnthropicUser") == ["AnthropicUser", "Anthropic"]
    assert node_kinds("ScimUser") == ["AnthropicScimUser", "Anthropic"]
    assert opengraph.kind("HAS_ROLE") == "AnthropicHasRole"
    types = {(r.type, r.end.label) for r in exported_rels(MODEL)}
    assert ("SYNCED", "AnthropicOrganization") not in types
    assert ("RESOURCE", "SyncRun") not in types
    assert ("RESOURCE", "AnthropicUser") in types
    assert ("PROVISIONED_AS", "AnthropicUser") in types


def _user_record(extra: dict[str, Any]) -> dict[str, Any]:
    props = {
        "id": "u1",
        "tenant_id": "t1",
        "firstseen": 5,
        "lastupdated": 5,
        "sync_id": "s",
        **extra,
    }
    return {"labels": ["UserAccount", "AnthropicUser"], "props": props}
