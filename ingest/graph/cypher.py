"""Cypher derived from a graph declaration.

Only identifiers validated by ingest.graph.schema are written into the text, always backtick-
quoted. Every value (ids, properties, tenant, sync id, timestamps) travels as a parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ingest.graph.schema import (
    CONTENT_HASH,
    FIRSTSEEN,
    LASTUPDATED,
    SYNC_ID,
    TENANT_ID,
    GraphModel,
    NodeType,
    RelType,
    quote,
)


@dataclass(frozen=True)
class SchemaStatement:
    name: str
    cypher: str


def constraint_name(node: NodeType) -> str:
    return f"{node.label}_{node.key}_unique"


def index_name(label: str, prop: str) -> str:
    return f"{label}_{prop}_idx"


def schema_statements(model: GraphModel) -> Iterator[SchemaStatement]:
    """Uniqueness constraints (Community-compatible) then range indexes, all IF NOT EXISTS."""
    for node in model.nodes:
        name = constraint_name(node)
        yield SchemaStatement(
            name,
            f"CREATE CONSTRAINT {quote(name)} IF NOT EXISTS "
            f"FOR (n:{quote(node.label)}) REQUIRE n.{quote(node.key)} IS UNIQUE",
        )
    for node in model.nodes:
        for prop in _indexed_props(node):
            name = index_name(node.label, prop)
            yield SchemaStatement(
                name,
                f"CREATE INDEX {quote(name)} IF NOT EXISTS "
                f"FOR (n:{quote(node.label)}) ON (n.{quote(prop)})",
            )


def _indexed_props(node: NodeType) -> Iterator[str]:
    if node.tenant_scoped:
        yield TENANT_ID
    yield SYNC_ID
    for prop in node.properties:
        if prop.indexed:
            yield prop.name


def node_merge(node: NodeType) -> str:
    """Parameters: $rows (maps holding the key and every declared property), $now, $sync_id,
    and $tenant_id for tenant-scoped types. `SET n += row` removes properties set to null.
    Returns how many rows were written."""
    key = quote(node.key)
    sets = [
        "n += row",
        *(f"n:{quote(label)}" for label in node.extra_labels),
        f"n.{LASTUPDATED} = $now",
        f"n.{SYNC_ID} = $sync_id",
    ]
    if node.tenant_scoped:
        sets.append(f"n.{TENANT_ID} = $tenant_id")
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{quote(node.label)} {{{key}: row.{key}}})\n"
        f"ON CREATE SET n.{FIRSTSEEN} = $now\n"
        f"SET {', '.join(sets)}\n"
        "RETURN count(n) AS written"
    )


def rel_merge(rel: RelType) -> str:
    """Parameters: $rows (maps {start, end, every declared property}), $now. Rows whose
    endpoints do not exist write nothing; the statement returns how many were written."""
    sets = [f"r.{quote(p)} = row.{quote(p)}" for p in rel.property_names]
    sets.append(f"r.{LASTUPDATED} = $now")
    return _rows_and_endpoints(rel) + (
        f"MERGE (a)-[r:{quote(rel.type)}]->(b)\n"
        f"ON CREATE SET r.{FIRSTSEEN} = $now\n"
        f"SET {', '.join(sets)}\n"
        "RETURN count(r) AS written"
    )


def rel_create(rel: RelType) -> str:
    """Like rel_merge, for relationships known not to exist yet: no existence check, which
    makes a first load markedly faster. Rows whose endpoints do not exist write nothing."""
    props = [f"{quote(p)}: row.{quote(p)}" for p in rel.property_names]
    props += [f"{FIRSTSEEN}: $now", f"{LASTUPDATED}: $now"]
    return _rows_and_endpoints(rel) + (
        f"CREATE (a)-[r:{quote(rel.type)} {{{', '.join(props)}}}]->(b)\nRETURN count(r) AS written"
    )


def _rows_and_endpoints(rel: RelType) -> str:
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{quote(rel.start.label)} {{{quote(rel.start.key)}: row.start}})\n"
        f"MATCH (b:{quote(rel.end.label)} {{{quote(rel.end.key)}: row.end}})\n"
    )


def node_snapshot(node: NodeType) -> str:
    """Parameters: $tenant_id, $chunk. The tenant's nodes of the type as records of parallel
    lists (keys, content hashes, internal ids), $chunk elements each: the driver reads lists
    far faster than one record per element, and the client holds one chunk at a time."""
    return (
        f"MATCH (n:{quote(node.label)}) WHERE n.{TENANT_ID} = $tenant_id\n"
        f"WITH collect(n.{quote(node.key)}) AS keys, "
        f"collect(coalesce(n.{CONTENT_HASH}, 0)) AS hashes, collect(id(n)) AS ids\n"
        + _chunks("keys", "hashes", "ids")
    )


def rel_snapshot(rel: RelType) -> str:
    """Parameters: $tenant_id, $chunk. The tenant's relationships of the type (a relationship
    belongs to its start node's tenant) as chunks of parallel lists: start keys, end keys,
    the declared properties' values (when the type declares any), ids."""
    values = ", ".join(f"r.{quote(p)}" for p in rel.property_names)
    contents = f"collect([{values}]) AS contents, " if values else ""
    return (
        f"MATCH (a:{quote(rel.start.label)})-[r:{quote(rel.type)}]->(b:{quote(rel.end.label)})\n"
        f"WHERE a.{TENANT_ID} = $tenant_id\n"
        f"WITH collect(a.{quote(rel.start.key)}) AS starts, "
        f"collect(b.{quote(rel.end.key)}) AS ends, {contents}collect(id(r)) AS ids\n"
        + _chunks("starts", "ends", *(["contents"] if values else []), "ids")
    )


def _chunks(*names: str) -> str:
    return "UNWIND range(0, size(ids) - 1, $chunk) AS i\nRETURN " + ", ".join(
        f"{name}[i..i + $chunk] AS {name}" for name in names
    )


def node_delete(node: NodeType) -> str:
    """Parameters: $ids (internal ids from node_snapshot), $tenant_id. Returns removed keys."""
    return (
        "UNWIND $ids AS i\n"
        f"MATCH (n:{quote(node.label)}) WHERE id(n) = i AND n.{TENANT_ID} = $tenant_id\n"
        f"WITH n, n.{quote(node.key)} AS removed_id\n"
        "DETACH DELETE n\n"
        "RETURN removed_id"
    )


def rel_delete(rel: RelType) -> str:
    """Parameters: $ids (internal ids from rel_snapshot), $tenant_id."""
    return (
        "UNWIND $ids AS i\n"
        f"MATCH (a:{quote(rel.start.label)})-[r:{quote(rel.type)}]->(:{quote(rel.end.label)})\n"
        f"WHERE id(r) = i AND a.{TENANT_ID} = $tenant_id\n"
        "DELETE r"
    )


def schema_cypher_file(model: GraphModel) -> str:
    """The text of cypher/schema.cypher, for people who set up a database by hand."""
    header = (
        "// GENERATED from ingest/graph/model.py by `python -m ingest.graph.docs`: do not edit.\n"
        "// Uniqueness constraints (Neo4j Community compatible) and range indexes of the\n"
        "// identity graph. Every statement is idempotent (IF NOT EXISTS).\n"
    )
    return header + "".join(f"\n{s.cypher};" for s in schema_statements(model)) + "\n"
