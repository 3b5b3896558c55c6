"""Running one question of the library in a READ transaction, with JSON-friendly results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import neo4j
from neo4j import Driver
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from ingest.queries.library import Query

NOTICE = "SCIM not available on organization "


class UnknownParameter(ValueError):
    """A parameter the question does not declare."""


class DisallowedValue(ValueError):
    """A parameter value outside the question's declared allowed values."""


@dataclass(frozen=True)
class QueryResult:
    """`columns` in the query's order; each row a dict keyed by those columns."""

    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class CountedResult(QueryResult):
    """The first rows of an answer and how many rows it has in all (notices left out), counted
    by the server: the other rows never leave it. `groups` holds the same per value of the
    grouping column (a row without it counts under None)."""

    count: int = 0
    groups: dict[Any, CountedResult] = field(default_factory=dict)


def is_notice(row: Mapping[str, Any]) -> bool:
    """A row that says why a question could not look (`SCIM not available on organization
    ...`, `id` null), not something it found: shown, never counted as a finding."""
    finding = row.get("finding")
    return row.get("id") is None and isinstance(finding, str) and finding.startswith(NOTICE)


def run_query(
    driver: Driver,
    database: str,
    query: Query,
    params: Mapping[str, Any] | None = None,
) -> QueryResult:
    """Run `query` with its defaults overridden by `params`, in a READ transaction.

    The session's access mode is READ, so the server itself refuses any write.
    """
    with _read_session(driver, database) as session:
        return session.execute_read(_read, query.cypher, merge_params(query, params))


def run_counted(
    driver: Driver,
    database: str,
    query: Query,
    params: Mapping[str, Any] | None = None,
    *,
    top: int,
    group: str,
) -> CountedResult:
    """Run `query` like run_query, but fetch only its first `top` rows (overall and per value
    of the column `group`) with the true counts, computed by the server."""
    merged = merge_params(query, params)
    with _read_session(driver, database) as session:
        return session.execute_read(_read_counted, query.cypher, merged, top, group)


def _read_session(driver: Driver, database: str) -> neo4j.Session:
    return driver.session(
        database=database,
        default_access_mode=neo4j.READ_ACCESS,
        # Unknown labels and properties on a graph that lacks them are expected, not news.
        notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
    )


def merge_params(query: Query, params: Mapping[str, Any] | None) -> dict[str, Any]:
    unknown = sorted(set(params or {}) - set(query.params))
    if unknown:
        declared = ", ".join(sorted(query.params)) or "none"
        raise UnknownParameter(
            f"{query.id} has no parameter {', '.join(unknown)} (declared: {declared})"
        )
    merged = {**query.params, **(params or {})}
    for name, allowed in query.allowed.items():
        if merged[name] not in allowed:
            values = ", ".join(allowed)
            raise DisallowedValue(
                f"{query.id}: {name} {merged[name]!r} is not allowed (allowed: {values})"
            )
    return merged


def _read(tx: neo4j.ManagedTransaction, cypher: str, params: dict[str, Any]) -> QueryResult:
    result = tx.run(cypher, params)
    columns = list(result.keys())
    rows = [{key: to_json(record[key]) for key in columns} for record in result]
    return QueryResult(columns=columns, rows=rows)


# The question's rows collected as maps on the server, grouped; a row counts unless it is a
# notice (`id` null, `finding` starting with NOTICE: is_notice, in Cypher). The $_idgraph_*
# parameters are the wrapper's own: no question of the library declares such a name.
_COUNTED = """CALL () {{
{cypher}
}}
WITH collect({{{fields}}}) AS rows
RETURN rows[0..$_idgraph_top] AS top, COLLECT {{
  UNWIND rows AS r
  WITH r[$_idgraph_group] AS value, collect(r) AS mine, count(CASE
    WHEN NOT coalesce(r.id IS NULL AND r.finding STARTS WITH $_idgraph_notice, false) THEN 1
  END) AS found
  RETURN {{value: value, count: found, top: mine[0..$_idgraph_top]}}
}} AS groups"""


def _read_counted(
    tx: neo4j.ManagedTransaction, cypher: str, params: dict[str, Any], top: int, group: str
) -> CountedResult:
    columns = list(tx.run("EXPLAIN " + cypher, params).keys())
    fields = ", ".join(f"{_quoted(c)}: {_quoted(c)}" for c in columns)
    extra = {"_idgraph_top": top, "_idgraph_group": group, "_idgraph_notice": NOTICE}
    record = tx.run(_COUNTED.format(cypher=cypher, fields=fields), {**params, **extra}).single(
        strict=True
    )

    def converted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{c: to_json(row[c]) for c in columns} for row in rows]

    groups = {
        g["value"]: CountedResult(columns=columns, rows=converted(g["top"]), count=g["count"])
        for g in record["groups"]
    }
    return CountedResult(
        columns=columns,
        rows=converted(record["top"]),
        count=sum(g.count for g in groups.values()),
        groups=groups,
    )


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def to_json(value: Any) -> Any:
    """Neo4j values (nodes, relationships, paths, temporal, spatial) as plain Python."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Duration | Point):  # tuples underneath
        return _scalar(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, Node):
        return _node(value)
    if isinstance(value, Relationship):
        return _relationship(value)
    if isinstance(value, Path):
        return _path(value)
    return _scalar(value)


def _node(node: Node) -> dict[str, Any]:
    return {"labels": sorted(node.labels), "properties": to_json(dict(node))}


def _relationship(rel: Relationship) -> dict[str, Any]:
    start, end = rel.start_node, rel.end_node
    return {
        "type": rel.type,
        "start": start.get("id") if start is not None else None,
        "end": end.get("id") if end is not None else None,
        "properties": to_json(dict(rel)),
    }


def _path(path: Path) -> list[dict[str, Any]]:
    """A path as alternating node and relationship dicts, from start to end."""
    hops: list[dict[str, Any]] = [_node(path.start_node)]
    for rel, node in zip(path.relationships, path.nodes[1:], strict=True):
        hops.extend((_relationship(rel), _node(node)))
    return hops


def _scalar(value: Any) -> Any:
    if isinstance(value, DateTime | Date | Time):
        return value.iso_format()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, bytes | bytearray):
        return value.hex()
    return str(value)
