"""GraphML, written element by element (networkx, Gephi and yEd read it).

Node ids are "<provider label>:<id>", unique across labels. Nodes carry `labels` (":A:B", the
APOC convention) and their properties; edges carry `label` (the relationship type) and theirs.
Every attribute key is declared in the header with its GraphML type, derived from the
declaration: string_list values are JSON-encoded strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ingest.export.columns import Column, ExportError, element_id, node_columns, rel_columns
from ingest.export.source import GraphReader
from ingest.graph.schema import GraphModel, NodeType, PropType, RelType

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
NODE_LABELS_KEY = "labels"
EDGE_TYPE_KEY = "label"
GRAPHML_TYPES: dict[PropType, str] = {
    "string": "string",
    "datetime_string": "string",
    "string_list": "string",
    "bool": "boolean",
    "int": "long",
    "float": "double",
}
# XML 1.0 cannot carry these characters at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_ESCAPING = re.compile('[&<>"\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


@dataclass(frozen=True)
class Key:
    id: str
    domain: str  # "node" | "edge"
    name: str
    type: str


def graphml_keys(model: GraphModel) -> tuple[Key, ...]:
    """One key per attribute name and domain; a name declared with two types is an error."""
    node_cols = [c for n in model.nodes for c in node_columns(n)]
    edge_cols = [c for r in model.rels for c in rel_columns(r)]
    return (
        Key(f"n_{NODE_LABELS_KEY}", "node", NODE_LABELS_KEY, "string"),
        *_keys("node", node_cols),
        Key(f"e_{EDGE_TYPE_KEY}", "edge", EDGE_TYPE_KEY, "string"),
        *_keys("edge", edge_cols),
    )


def _keys(domain: str, columns: Iterable[Column]) -> list[Key]:
    types: dict[str, str] = {}
    reserved = NODE_LABELS_KEY if domain == "node" else EDGE_TYPE_KEY
    for column in columns:
        graphml_type = GRAPHML_TYPES[column.type]
        if column.name == reserved or types.setdefault(column.name, graphml_type) != graphml_type:
            raise ExportError(f"GraphML {domain} attribute {column.name!r} has clashing types")
    return [Key(f"{domain[0]}_{name}", domain, name, kind) for name, kind in types.items()]


def write_graphml(reader: GraphReader, model: GraphModel, path: Path) -> tuple[int, int]:
    """Writes the whole graph to `path`; returns (nodes, relationships) written."""
    with path.open("w", encoding="utf-8") as stream:
        _write_header(stream, graphml_keys(model))
        nodes = sum(_write_nodes(stream, reader, node) for node in model.nodes)
        rels = 0
        for rel in model.rels:
            rels += _write_rels(stream, reader, rel, first_id=rels)
        stream.write("</graph>\n</graphml>\n")
    return nodes, rels


def _write_header(stream: TextIO, keys: tuple[Key, ...]) -> None:
    stream.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="{GRAPHML_NS}">\n')
    for key in keys:
        stream.write(
            f'<key id="{xml_escape(key.id)}" for="{key.domain}" '
            f'attr.name="{xml_escape(key.name)}" attr.type="{key.type}"/>\n'
        )
    stream.write('<graph id="G" edgedefault="directed">\n')


def _write_nodes(stream: TextIO, reader: GraphReader, node: NodeType) -> int:
    count = 0
    columns = node_columns(node)
    for row in reader.nodes(node):
        node_id = element_id(node.label, row.key, row.tenant)
        labels = "".join(f":{label}" for label in row.labels)
        stream.write(f'<node id="{xml_escape(node_id)}">')
        stream.write(_data(f"n_{NODE_LABELS_KEY}", xml_escape(labels)))
        stream.write("".join(_data(f"n_{c.name}", _encode(row.values[c.name], c)) for c in columns))
        stream.write("</node>\n")
        count += 1
    return count


def _write_rels(stream: TextIO, reader: GraphReader, rel: RelType, first_id: int) -> int:
    count = 0
    columns = rel_columns(rel)
    for row in reader.rels(rel):
        source = xml_escape(element_id(rel.start.label, row.start, row.start_tenant))
        target = xml_escape(element_id(rel.end.label, row.end, row.end_tenant))
        stream.write(f'<edge id="e{first_id + count}" source="{source}" target="{target}">')
        stream.write(_data(f"e_{EDGE_TYPE_KEY}", rel.type))
        stream.write("".join(_data(f"e_{c.name}", _encode(row.values[c.name], c)) for c in columns))
        stream.write("</edge>\n")
        count += 1
    return count


def _data(key: str, text: str | None) -> str:
    """A <data> element; `text` is already escaped."""
    if text is None:
        return ""
    return f'<data key="{key}">{text}</data>'


def _encode(value: Any, column: Column) -> str | None:
    """The escaped text of a value (numbers and booleans never need escaping)."""
    if value is None:
        return None
    if column.type == "bool":
        return "true" if value else "false"
    if column.type == "int":
        return str(value)
    if column.type == "float":
        return repr(value)
    if column.type == "string_list":
        return xml_escape(json.dumps(value, ensure_ascii=False))
    return xml_escape(value)


def xml_escape(text: str) -> str:
    """XML-escaped text. Carriage returns become &#13; (a parser would turn a raw one into a
    newline); characters XML cannot carry at all become U+FFFD, the one lossy step."""
    if not _NEEDS_ESCAPING.search(text):
        return text
    text = _NOT_XML.sub("\ufffd", text)
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(char, entity)
    return text.replace("\r", "&#13;")
