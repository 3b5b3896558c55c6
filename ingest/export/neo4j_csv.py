"""CSV in the header format of `neo4j-admin database import full`, one file per node type and
one per relationship type (type, start, end), which BI tools read as joinable tables.

Node files: `:ID(<Label>)` (`<tenant_id>:<id>` for an organization's node, as the graph keys
them), `:LABEL`, then typed property columns (`id:string`, `name:string`, `active:boolean`,
`firstseen:long`, `main_domains:string[]`...). Relationship files: `:START_ID(<Start label>)`,
`:END_ID(<End label>)`, `:TYPE`, then typed columns. Each provider label is its own id space.

Strings are always quoted and absent values are empty unquoted fields, so the importer tells
null from "" apart. Lists are joined with a delimiter no element contains (ASCII's unit separator
unless the data holds one; see Arrays), and the import command names it.
The importer cannot store an empty list, so those go to EMPTY_LISTS_FILE, a Cypher script to run
after the import; IMPORT_COMMAND_FILE spells out both steps.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ingest.export.columns import (
    Column,
    ExportError,
    float_text,
    identity,
    node_columns,
    rel_columns,
)
from ingest.export.source import GraphReader, NodeRow, RelRow
from ingest.graph.schema import GraphModel, NodeType, PropType, RelType, quote

# ASCII's unit separator, made for this; then characters text practically never holds.
DELIMITERS = "\x1f\x1e\x1d\x1c" + "".join(map(chr, range(0xE000, 0xF900)))
CSV_TYPES: dict[PropType, str] = {
    "string": "string",
    "datetime_string": "string",
    "string_list": "string[]",
    "bool": "boolean",
    "int": "long",
    "float": "double",
}
IMPORT_OPTIONS: tuple[str, ...] = ("--multiline-fields=true", "--id-type=string")
IMPORT_COMMAND_FILE = "neo4j-admin-import.txt"
EMPTY_LISTS_FILE = "empty-lists.cypher"


@dataclass(frozen=True)
class CsvFiles:
    nodes: tuple[Path, ...]
    rels: tuple[Path, ...]
    empty_lists: Path  # Cypher to run after the import (see EmptyLists)
    array_delimiter: str = DELIMITERS[0]

    def import_arguments(self, database: str = "neo4j") -> list[str]:
        """Arguments of `neo4j-admin` that import these files into an empty `database`."""
        return [
            "database",
            "import",
            "full",
            database,
            *(f"--nodes={path}" for path in self.nodes),
            *(f"--relationships={path}" for path in self.rels),
            f"--array-delimiter=U+{ord(self.array_delimiter):04X}",
            *IMPORT_OPTIONS,
        ]


def node_file_name(node: NodeType) -> str:
    return f"nodes_{node.label}.csv"


def rel_file_name(rel: RelType) -> str:
    return f"rels_{rel.start.label}_{rel.type}_{rel.end.label}.csv"


def node_header(node: NodeType) -> list[str]:
    # The :ID column is the node's identity in its label (tenant and key: one API id can be
    # in several organizations), not stored; the key is property `id` like any other column.
    return [f":ID({node.label})", ":LABEL", *(_typed(c) for c in node_columns(node))]


def rel_header(rel: RelType) -> list[str]:
    return [
        f":START_ID({rel.start.label})",
        f":END_ID({rel.end.label})",
        ":TYPE",
        *(_typed(c) for c in rel_columns(rel)),
    ]


def _typed(column: Column) -> str:
    return f"{column.name}:{CSV_TYPES[column.type]}"


def write_csv(reader: GraphReader, model: GraphModel, out_dir: Path) -> tuple[CsvFiles, int, int]:
    """Writes every file into `out_dir`; returns the files and (nodes, relationships) counts."""
    arrays = Arrays(DELIMITERS[0])
    written = _write_files(reader, model, out_dir, arrays)
    if arrays.collided:  # rare: a list element holds the delimiter; write again with another
        arrays = Arrays(arrays.unused())
        written = _write_files(reader, model, out_dir, arrays)
        if arrays.collided:
            raise ExportError("list values changed during the export; export again")
    _write_import_command(out_dir, written[0])
    return written


def _write_files(
    reader: GraphReader, model: GraphModel, out_dir: Path, arrays: Arrays
) -> tuple[CsvFiles, int, int]:
    nodes = rels = 0
    node_paths, rel_paths = [], []
    fixups_path = out_dir / EMPTY_LISTS_FILE
    with fixups_path.open("w", encoding="utf-8") as fixups_stream:
        fixups = EmptyLists(fixups_stream)
        for node in model.nodes:
            path = out_dir / node_file_name(node)
            lines = _node_lines(reader, node, fixups, arrays)
            nodes += _write_file(path, node_header(node), lines)
            node_paths.append(path)
        for rel in model.rels:
            path = out_dir / rel_file_name(rel)
            rels += _write_file(path, rel_header(rel), _rel_lines(reader, rel, fixups, arrays))
            rel_paths.append(path)
    return CsvFiles(tuple(node_paths), tuple(rel_paths), fixups_path, arrays.delimiter), nodes, rels


class Arrays:
    """Joins lists with `delimiter`, noting every character of their elements: when an element
    holds the delimiter, `unused()` is a delimiter that none does, for a second pass. The importer
    has no escape inside arrays, so a delimiter the data lacks is the only exact encoding."""

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self.characters: set[str] = set()

    @property
    def collided(self) -> bool:
        return self.delimiter in self.characters

    def join(self, items: list[str]) -> str:
        for item in items:
            self.characters.update(item)
        return self.delimiter.join(items)

    def unused(self) -> str:
        for delimiter in DELIMITERS:
            if delimiter not in self.characters:
                return delimiter
        raise ExportError("every candidate array delimiter occurs in the lists of the graph")


class EmptyLists:
    """The importer drops empty arrays (it cannot store []), so every empty list becomes one
    Cypher statement that puts it back after the import: the import stays exact."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        stream.write(
            "// Empty lists the bulk importer cannot write: run after the import, e.g.\n"
            "// cypher-shell -f empty-lists.cypher (one statement a line).\n"
        )

    def node(self, node: NodeType, row: NodeRow, prop: str) -> None:
        match = f"MATCH (n:{quote(node.label)} {_identity_map(row.key, row.tenant)})"
        self.stream.write(f"{match} SET n.{quote(prop)} = [];\n")

    def rel(self, rel: RelType, row: RelRow, prop: str) -> None:
        match = (
            f"MATCH (:{quote(rel.start.label)} {_identity_map(row.start, row.start_tenant)})"
            f"-[r:{quote(rel.type)}]->"
            f"(:{quote(rel.end.label)} {_identity_map(row.end, row.end_tenant)})"
        )
        self.stream.write(f"{match} SET r.{quote(prop)} = [];\n")


def _identity_map(key: str, tenant: str | None) -> str:
    if tenant is None:
        return f"{{id: {_cypher_string(key)}}}"
    return f"{{tenant_id: {_cypher_string(tenant)}, id: {_cypher_string(key)}}}"


def post_import_statements(path: Path) -> Iterator[str]:
    """The statements of an EMPTY_LISTS_FILE, to run on the imported database."""
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip() and not line.startswith("//"):
                yield line.rstrip().removesuffix(";")


def _cypher_string(text: str) -> str:
    # JSON string escapes (\" \\ \n \uXXXX...) are valid Cypher string literal escapes.
    return json.dumps(text)


def _write_file(path: Path, header: list[str], lines: Iterator[list[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        _write_line(stream, header)
        for line in lines:
            _write_line(stream, line)
            count += 1
    return count


def _write_line(stream: TextIO, fields: list[str]) -> None:
    stream.write(",".join(fields))
    stream.write("\n")


def _node_lines(
    reader: GraphReader, node: NodeType, fixups: EmptyLists, arrays: Arrays
) -> Iterator[list[str]]:
    columns = node_columns(node)
    for row in reader.nodes(node):
        for prop in _empty_lists(row.values, columns):
            fixups.node(node, row, prop)
        labels = _quoted(arrays.join(row.labels))
        node_id = _quoted(identity(row.key, row.tenant))
        yield [node_id, labels, *(_field(row.values, c, arrays) for c in columns)]


def _rel_lines(
    reader: GraphReader, rel: RelType, fixups: EmptyLists, arrays: Arrays
) -> Iterator[list[str]]:
    columns = rel_columns(rel)
    for row in reader.rels(rel):
        for prop in _empty_lists(row.values, columns):
            fixups.rel(rel, row, prop)
        start = identity(row.start, row.start_tenant)
        ends = [_quoted(start), _quoted(identity(row.end, row.end_tenant)), _quoted(rel.type)]
        yield [*ends, *(_field(row.values, c, arrays) for c in columns)]


def _empty_lists(values: dict[str, Any], columns: Iterable[Column]) -> list[str]:
    return [c.name for c in columns if c.type == "string_list" and values[c.name] == []]


def _field(values: dict[str, Any], column: Column, arrays: Arrays) -> str:
    value = values[column.name]
    if value is None:
        return ""
    if column.type == "bool":
        return "true" if value else "false"
    if column.type == "int":
        return str(value)
    if column.type == "float":
        return float_text(value)
    if column.type == "string_list":
        return _quoted(arrays.join(value))
    return _quoted(value)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _write_import_command(out_dir: Path, files: CsvFiles) -> None:
    relative = CsvFiles(
        tuple(Path(p.name) for p in files.nodes),
        tuple(Path(p.name) for p in files.rels),
        Path(files.empty_lists.name),
        files.array_delimiter,
    )
    arguments = relative.import_arguments()
    quoted = [shlex.quote(argument) for argument in arguments]
    command = " \\\n  ".join([" ".join(["neo4j-admin", *quoted[:4]]), *quoted[4:]])
    text = (
        "# 1. With the server stopped, from this directory, into an EMPTY database:\n"
        f"{command}\n"
        "# 2. Start the server and put back the empty lists the importer skips:\n"
        f"cypher-shell -d neo4j -f {EMPTY_LISTS_FILE}\n"
    )
    (out_dir / IMPORT_COMMAND_FILE).write_text(text, encoding="utf-8")
