"""The graph as Cypher reads it, keyed the way the exports name elements."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ingest.graph.model import MODEL
from tests.conftest import Neo4jServer

STRING_LISTS: frozenset[str] = frozenset(
    p.name for n in MODEL.nodes for p in n.properties if p.type == "string_list"
)


def nodes(server: Neo4jServer, skip: frozenset[str] = frozenset()) -> dict[str, dict[str, Any]]:
    """ "<provider label>:<tenant>:<id>" -> {"labels": sorted labels, "props": properties}."""
    found: dict[str, dict[str, Any]] = {}
    for node in MODEL.nodes:
        if node.label in skip:
            continue
        rows = server.run(
            f"MATCH (n:{node.label}) RETURN n.tenant_id + ':' + n.id AS id, labels(n) AS labels, "
            "properties(n) AS props"
        )
        for row in rows:
            found[f"{node.label}:{row['id']}"] = {
                "labels": sorted(row["labels"]),
                "props": row["props"],
            }
    return found


def rels(server: Neo4jServer, skip: frozenset[str] = frozenset()) -> Counter[str]:
    """A multiset of canonical (source, target, type, properties) lines."""
    found: Counter[str] = Counter()
    for rel in MODEL.rels:
        if rel.type in skip or rel.start.label in skip or rel.end.label in skip:
            continue
        rows = server.run(
            f"MATCH (a:{rel.start.label})-[r:{rel.type}]->(b:{rel.end.label}) "
            "RETURN a.tenant_id + ':' + a.id AS a, b.tenant_id + ':' + b.id AS b, "
            "properties(r) AS props"
        )
        for row in rows:
            source, target = f"{rel.start.label}:{row['a']}", f"{rel.end.label}:{row['b']}"
            found[line(source, target, rel.type, row["props"])] += 1
    return found


def line(source: str, target: str, type: str, props: dict[str, Any]) -> str:
    return json.dumps([source, target, type, props], sort_keys=True, ensure_ascii=False)


def total_counts(server: Neo4jServer) -> tuple[int, int]:
    [row] = server.run("MATCH (n) RETURN count(n) AS n, COUNT { ()-[]->() } AS r")
    return row["n"], row["r"]
