"""A digest of a whole graph's content, blind to when and by which sync it was written.

Each node is reduced to a canonical line (sorted labels, sorted properties) and each relationship
to (type, start identity, end identity, sorted properties), leaving out firstseen, lastupdated,
sync_id and properties the declaration marks volatile (sync bookkeeping). A node's identity is
its labels plus `id` (or its canonical properties when it has no id).

The digest must not depend on the order Neo4j returns elements in, and must work on graphs too
large to sort in memory. Instead of sorting, each line's SHA-256 is added into a running sum modulo
2**256: a multiset hash, order-independent by construction, constant memory, one streaming pass.
`canonical_lines` gives the same lines for diffing small graphs (sort them yourself).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from neo4j import Driver

from ingest.graph.schema import CONTENT_HASH, FIRSTSEEN, KEY, LASTUPDATED, SYNC_ID

VOLATILE: frozenset[str] = frozenset({FIRSTSEEN, LASTUPDATED, SYNC_ID, CONTENT_HASH})
_MODULUS = 2**256
_FETCH_SIZE = 5_000

_NODES = (
    "MATCH (n) WHERE none(l IN labels(n) WHERE l IN $exclude) "
    "RETURN labels(n) AS labels, properties(n) AS props"
)
_RELS = (
    "MATCH (a)-[r]->(b) WHERE none(l IN labels(a) + labels(b) WHERE l IN $exclude) "
    "RETURN type(r) AS type, properties(r) AS props, "
    "labels(a) AS a_labels, CASE WHEN a.id IS NULL THEN properties(a) ELSE a.id END AS a_id, "
    "labels(b) AS b_labels, CASE WHEN b.id IS NULL THEN properties(b) ELSE b.id END AS b_id"
)


@dataclass(frozen=True)
class Fingerprint:
    digest: str
    nodes: int
    rels: int


def fingerprint(driver: Driver, database: str, exclude_labels: Iterable[str] = ()) -> Fingerprint:
    """exclude_labels: leave out nodes with any of these labels and their relationships."""
    total = 0
    counts = {"node": 0, "rel": 0}
    for kind, line in canonical_lines(driver, database, exclude_labels):
        total = (total + int.from_bytes(hashlib.sha256(line.encode()).digest())) % _MODULUS
        counts[kind] += 1
    summary = f"{total:064x}:{counts['node']}:{counts['rel']}"
    digest = hashlib.sha256(summary.encode()).hexdigest()
    return Fingerprint(digest, counts["node"], counts["rel"])


def canonical_lines(
    driver: Driver,
    database: str,
    exclude_labels: Iterable[str] = (),
    exclude_properties: Iterable[str] | None = None,
) -> Iterator[tuple[str, str]]:
    """Yields ("node" | "rel", canonical line) for every element, streaming from the server."""
    params = {"exclude": list(exclude_labels)}
    skip = default_excluded() if exclude_properties is None else frozenset(exclude_properties)
    with driver.session(database=database, fetch_size=_FETCH_SIZE) as session:
        for record in session.run(_NODES, params):
            yield (
                "node",
                _canonical(["node", sorted(record["labels"]), _stable(record["props"], skip)]),
            )
        for record in session.run(_RELS, params):
            yield (
                "rel",
                _canonical(
                    [
                        "rel",
                        record["type"],
                        _identity(record["a_labels"], record["a_id"], skip),
                        _identity(record["b_labels"], record["b_id"], skip),
                        _stable(record["props"], skip),
                    ]
                ),
            )


def default_excluded() -> frozenset[str]:
    from ingest.graph.model import MODEL

    return VOLATILE | MODEL.volatile_properties()


def _identity(labels: list[str], key: Any, skip: frozenset[str]) -> list[Any]:
    return [sorted(labels), {KEY: key} if not isinstance(key, dict) else _stable(key, skip)]


def _stable(props: dict[str, Any], skip: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in skip}


def _canonical(value: Any) -> str:
    # default=str: temporal and spatial values are not JSON; their string form is canonical.
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
