"""Running every question of the library and reading the organizations: a Report."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

from neo4j import Driver
from neo4j.exceptions import Neo4jError

from ingest.queries.library import SEVERITIES, Query, load_library
from ingest.queries.runner import is_notice, run_query
from ingest.report.browser import browser_link
from ingest.report.context import read_organizations
from ingest.report.model import Finding, PathDrawing, Report
from ingest.report.paths import as_path, path_column

DEFAULT_TOP = 10


def build_report(
    driver: Driver,
    database: str,
    *,
    browser_url: str,
    top: int = DEFAULT_TOP,
    queries: Sequence[Query] | None = None,
) -> Report:
    """Every question (the whole library by default), most severe first."""
    started = time.perf_counter()
    generated_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    organizations = read_organizations(driver, database)
    chosen = load_library() if queries is None else list(queries)
    findings = [run_finding(driver, database, q, browser_url, top) for q in _ordered(chosen)]
    return Report(
        generated_at=generated_at,
        browser_url=browser_url,
        top=top,
        organizations=organizations,
        findings=findings,
        duration_seconds=round(time.perf_counter() - started, 3),
    )


def run_finding(driver: Driver, database: str, query: Query, browser_url: str, top: int) -> Finding:
    """One question: its count, its top rows and the drawings of their paths."""
    link = browser_link(browser_url, query)
    started = time.perf_counter()
    try:
        result = run_query(driver, database, query)
    except Neo4jError as exc:
        return _finding(query, link, count=0, columns=[], rows=[], error=_error(exc))
    seconds = time.perf_counter() - started
    rows = result.rows[:top]
    column = path_column(result.columns, rows)
    return _finding(
        query,
        link,
        sum(1 for row in result.rows if not is_notice(row)),
        result.columns,
        rows,
        path_column=column,
        paths=[as_path(row.get(column)) for row in rows] if column else [],
        seconds=seconds,
    )


def _finding(
    query: Query,
    link: str,
    count: int,
    columns: list[str],
    rows: list[dict],
    *,
    path_column: str | None = None,
    paths: list[PathDrawing | None] | None = None,
    error: str | None = None,
    seconds: float = 0.0,
) -> Finding:
    return Finding(
        id=query.id,
        title=query.title,
        severity=query.severity,
        category=query.category,
        why=query.why,
        fix=query.fix,
        params=dict(query.params),
        cypher=query.cypher,
        browser_link=link,
        count=count,
        columns=columns,
        rows=rows,
        path_column=path_column,
        paths=paths or [],
        error=error,
        duration_seconds=round(seconds, 3),
    )


def _ordered(queries: Sequence[Query]) -> list[Query]:
    """Most severe first; the library's (file) order within a severity."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    return sorted(queries, key=lambda q: rank.get(q.severity, len(rank)))


def _error(exc: Neo4jError) -> str:
    return f"{exc.code or type(exc).__name__}: {exc.message or exc}"
