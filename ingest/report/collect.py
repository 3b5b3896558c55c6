"""Running every question of the library and reading the organizations: a Report."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from neo4j import Driver
from neo4j.exceptions import Neo4jError

from ingest.queries.library import ORG_COLUMNS, ORG_PARAM, SEVERITIES, Query, load_library
from ingest.queries.runner import CountedResult, run_counted
from ingest.report.browser import browser_link
from ingest.report.context import read_organizations
from ingest.report.model import Finding, OrganizationInfo, OrganizationSection, PathDrawing, Report
from ingest.report.paths import as_path, path_column

DEFAULT_TOP = 10
ORG_ID = ORG_COLUMNS[0]


def build_report(
    driver: Driver,
    database: str,
    *,
    browser_url: str,
    top: int = DEFAULT_TOP,
    queries: Sequence[Query] | None = None,
    org: str | None = None,
) -> Report:
    """Every question (the whole library by default), most severe first, across the
    organizations (only `org` when given) and one section per organization."""
    started = time.perf_counter()
    generated_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    organizations = read_organizations(driver, database, org)
    chosen = [_for_org(q, org) for q in (load_library() if queries is None else queries)]
    answers = [_answer(driver, database, q, top) for q in _ordered(chosen)]
    findings = [_finding(*answer, browser_url, top) for answer in answers]
    sections = [_section(o, answers, browser_url, top) for o in organizations]
    return Report(
        generated_at=generated_at,
        browser_url=browser_url,
        top=top,
        organizations=organizations,
        findings=findings,
        duration_seconds=round(time.perf_counter() - started, 3),
        sections=sections,
    )


# A question, its result (or why it failed) and the seconds it took.
Answer = tuple[Query, CountedResult | str, float]


def _for_org(query: Query, org: str | None) -> Query:
    """The question asked for `org` alone (its default: every organization)."""
    if org is None or ORG_PARAM not in query.params:
        return query
    return replace(query, params={**query.params, ORG_PARAM: org})


def _answer(driver: Driver, database: str, query: Query, top: int) -> Answer:
    """The question's first `top` rows overall and per organization, and its counts: the
    server counts the rows, so a question of 50,000 rows sends only the ones shown."""
    started = time.perf_counter()
    try:
        result: CountedResult | str = run_counted(driver, database, query, top=top, group=ORG_ID)
    except Neo4jError as exc:
        result = _error(exc)
    return query, result, time.perf_counter() - started


def _section(
    org: OrganizationInfo,
    answers: list[Answer],
    browser_url: str,
    top: int,
) -> OrganizationSection:
    """The organization's rows of every question that names organizations (or failed)."""
    findings = []
    for query, result, seconds in answers:
        if isinstance(result, CountedResult) and ORG_ID not in result.columns:
            continue  # a question of one's own that does not say whose its rows are
        if isinstance(result, CountedResult):
            empty = CountedResult(columns=result.columns, rows=[])
            result = result.groups.get(org.id, empty)
        findings.append(_finding(_for_org(query, org.id), result, seconds, browser_url, top))
    return OrganizationSection(organization=org, findings=findings)


def _finding(
    query: Query, result: CountedResult | str, seconds: float, browser_url: str, top: int
) -> Finding:
    """A question's count (notices left out), top rows and the drawings of their paths."""
    link = browser_link(browser_url, query)
    if isinstance(result, str):
        return _make(query, link, count=0, columns=[], rows=[], error=result)
    rows = result.rows[:top]
    column = path_column(result.columns, rows)
    return _make(
        query,
        link,
        result.count,
        result.columns,
        rows,
        path_column=column,
        paths=[as_path(row.get(column)) for row in rows] if column else [],
        seconds=seconds,
    )


def _make(
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
