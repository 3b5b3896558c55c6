"""Cypher derived from a graph declaration.

Only identifiers validated by ingest.graph.schema are written into the text, always backtick-
quoted. Every value (ids, properties, tenant, sync id, timestamps) travels as a parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ingest.graph import changes
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
    return _key_constraint_name(node.label, *identity_props(node))


def _key_constraint_name(label: str, *props: str) -> str:
    return "_".join((label, *props, "unique"))


def superseded_constraint_names(node: NodeType) -> tuple[str, ...]:
    """Key constraints of earlier versions on a tenant-scoped label: the single-property one
    (it made a person in two organizations collide) and the (tenant_id, id) one, whose
    tenant-first order let the planner seek every node of the tenant and filter (see
    `identity_props`)."""
    if not node.tenant_scoped:
        return ()
    return (
        _key_constraint_name(node.label, node.key),
        _key_constraint_name(node.label, TENANT_ID, node.key),
    )


def identity_props(node: NodeType) -> tuple[str, ...]:
    """What identifies a node: (id, tenant_id) for a tenant-scoped type, since the same API id
    (a person, say) can belong to several organizations; the key alone otherwise.

    The key comes first so that the index can only be sought by a row's own key: with the
    tenant first, a plan made while the index had no statistics yet sought all the tenant's
    nodes once and filtered them for every row, and a large organization's first sync took
    up to 5 minutes instead of 1 (docs/performance.md)."""
    return (node.key, TENANT_ID) if node.tenant_scoped else (node.key,)


def identity_map(node: NodeType, key: str) -> str:
    """A map pattern matching one node by its identity: `key` is the Cypher expression of its
    key; the tenant is always the sync's own `$tenant_id`."""
    tenant = f"{quote(TENANT_ID)}: $tenant_id, " if node.tenant_scoped else ""
    return f"{{{tenant}{quote(node.key)}: {key}}}"


def index_name(label: str, *props: str) -> str:
    return f"{label}_{'_'.join(props)}_idx"


def schema_statements(model: GraphModel) -> Iterator[SchemaStatement]:
    """Superseded constraints dropped, uniqueness constraints (Community-compatible, composite
    on tenant-scoped labels) then range indexes: all idempotent (IF EXISTS, IF NOT EXISTS)."""
    for node in model.nodes:
        for superseded in superseded_constraint_names(node):
            yield SchemaStatement(superseded, f"DROP CONSTRAINT {quote(superseded)} IF EXISTS")
    for node in model.nodes:
        name = constraint_name(node)
        props = ", ".join(f"n.{quote(p)}" for p in identity_props(node))
        yield SchemaStatement(
            name,
            f"CREATE CONSTRAINT {quote(name)} IF NOT EXISTS "
            f"FOR (n:{quote(node.label)}) REQUIRE ({props}) IS UNIQUE",
        )
    for node in model.nodes:
        for props in _indexes(node):
            name = index_name(node.label, *props)
            on = ", ".join(f"n.{quote(p)}" for p in props)
            yield SchemaStatement(
                name,
                f"CREATE INDEX {quote(name)} IF NOT EXISTS FOR (n:{quote(node.label)}) ON ({on})",
            )


def _indexes(node: NodeType) -> Iterator[tuple[str, ...]]:
    if node.tenant_scoped:
        yield (TENANT_ID,)
    yield (SYNC_ID,)
    for prop in node.properties:
        if prop.index_props:
            yield prop.index_props


def node_merge(node: NodeType) -> str:
    """Parameters: $rows (maps holding the key and every declared property), $now, $sync_id,
    and $tenant_id for tenant-scoped types (merged on it with the key, so one organization's
    sync never touches another's node of the same id). `SET n += row` removes properties set
    to null. Returns how many rows were written."""
    sets = [
        "n += row",
        *(f"n:{quote(label)}" for label in node.extra_labels),
        f"n.{LASTUPDATED} = $now",
        f"n.{SYNC_ID} = $sync_id",
    ]
    tracked = changes.node_tracked(node)
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{quote(node.label)} {identity_map(node, f'row.{quote(node.key)}')})\n"
        f"ON CREATE SET n.{FIRSTSEEN} = $now\n"
        + (changes.node_capture(node, "prior") if tracked else "")
        + f"SET {', '.join(sets)}\n"
        + (changes.node_record(node, "prior") if tracked else "")
        + "RETURN count(n) AS written"
    )


def rel_merge(rel: RelType, *, one_start: bool = False) -> str:
    """Parameters: $rows (maps {start, end, every declared property}), $now, $tenant_id (the
    endpoints are the tenant's own nodes); with `one_start`, $start, the one start of every
    row. Rows whose endpoints do not exist write nothing; the statement returns how many were
    written."""
    sets = [f"r.{quote(p)} = row.{quote(p)}" for p in rel.property_names]
    sets.append(f"r.{LASTUPDATED} = $now")
    return _rows_and_endpoints(rel, one_start) + (
        f"MERGE (a)-[r:{quote(rel.type)}]->(b)\n"
        f"ON CREATE SET r.{FIRSTSEEN} = $now\n"
        + (changes.rel_capture(rel, "prior") if rel.tracked else "")
        + f"SET {', '.join(sets)}\n"
        + (changes.rel_record(rel, "prior") if rel.tracked else "")
        + "RETURN count(r) AS written"
    )


def rel_create(rel: RelType, *, one_start: bool = False) -> str:
    """Like rel_merge, for relationships known not to exist yet: no existence check, which
    makes a first load markedly faster. Rows whose endpoints do not exist write nothing."""
    props = [f"{quote(p)}: row.{quote(p)}" for p in rel.property_names]
    props += [f"{FIRSTSEEN}: $now", f"{LASTUPDATED}: $now"]
    return _rows_and_endpoints(rel, one_start) + (
        f"CREATE (a)-[r:{quote(rel.type)} {{{', '.join(props)}}}]->(b)\n"
        + (changes.rel_created(rel) if rel.tracked else "")
        + "RETURN count(r) AS written"
    )


def _rows_and_endpoints(rel: RelType, one_start: bool) -> str:
    """Each end is sought through its identity constraint's index, by hint: planned while a
    label is still empty, the statement scanned the label instead, and its cached plan then
    made a large organization's first sync ten times slower (measured: OWNED_BY batches).

    `one_start` seeks a start that every row shares (the organization of every RESOURCE row)
    once, before the rows: sought again for each row, under plans made while the other end's
    index had no statistics yet, one 5,000-row batch took up to 140 s instead of 0.2 s
    (docs/performance.md)."""
    start = "$start" if one_start else "row.start"
    match_a = (
        f"MATCH (a:{quote(rel.start.label)} {identity_map(rel.start, start)})\n"
        f"{_index_hint('a', rel.start)}"
    )
    rows = "UNWIND $rows AS row\n"
    return (
        (match_a + rows if one_start else rows + match_a)
        + f"MATCH (b:{quote(rel.end.label)} {identity_map(rel.end, 'row.end')})\n"
        + _index_hint("b", rel.end)
    )


def _index_hint(variable: str, node: NodeType) -> str:
    props = ", ".join(quote(p) for p in identity_props(node))
    return f"USING INDEX SEEK {variable}:{quote(node.label)}({props})\n"


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
    """Parameters: $ids (internal ids from node_snapshot), $tenant_id, and for a tracked type
    those of the change records (ingest/graph/changes.py). Returns removed keys."""
    return (
        "UNWIND $ids AS i\n"
        f"MATCH (n:{quote(node.label)}) WHERE id(n) = i AND n.{TENANT_ID} = $tenant_id\n"
        f"WITH n, n.{quote(node.key)} AS removed_id\n"
        + (changes.node_removal(node) if changes.node_tracked(node) else "")
        + "DETACH DELETE n\n"
        "RETURN removed_id"
    )


def rel_delete(rel: RelType) -> str:
    """Parameters: $ids (internal ids from rel_snapshot), $tenant_id (and change records')."""
    return (
        "UNWIND $ids AS i\n"
        f"MATCH (a:{quote(rel.start.label)})-[r:{quote(rel.type)}]->(b:{quote(rel.end.label)})\n"
        f"WHERE id(r) = i AND a.{TENANT_ID} = $tenant_id\n"
        + (changes.rel_removal(rel) if rel.tracked else "")
        + "DELETE r"
    )


def schema_cypher_file(model: GraphModel) -> str:
    """The text of cypher/schema.cypher, for people who set up a database by hand."""
    header = (
        "// GENERATED from ingest/graph/model.py by `python -m ingest.graph.docs`: do not edit.\n"
        "// Uniqueness constraints (Neo4j Community compatible; (id, tenant_id) on every\n"
        "// organization's node type) and range indexes of the identity graph, after dropping\n"
        "// the key constraints of earlier versions. Every statement is idempotent.\n"
    )
    return header + "".join(f"\n{s.cypher};" for s in schema_statements(model)) + "\n"
