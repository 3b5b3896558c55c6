"""The question library as people open it: Neo4j Browser favorites and a NeoDash dashboard."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import neo4j
import pytest

from ingest.queries import publish
from ingest.queries.library import CATEGORIES, load_library, parse_query

QUERIES = load_library()
BY_ID = {q.id: q for q in QUERIES}
DASHBOARD: dict[str, Any] = json.loads(publish.DASHBOARD_JSON.read_text(encoding="utf-8"))
REPORTS = [report for page in DASHBOARD["pages"] for report in page["reports"]]
REPORT_KEYS = {"id", "title", "query", "width", "height", "x", "y", "type", "selection", "settings"}


@pytest.mark.parametrize("path", sorted(publish.generated_files(), key=str), ids=lambda p: p.name)
def test_committed_files_are_current(path) -> None:
    assert path.exists(), f"{path} is missing: run python -m ingest.queries.publish"
    assert path.read_bytes() == publish.generated_files()[path], (
        f"{path} is stale: run python -m ingest.queries.publish"
    )


def test_publishing_twice_gives_the_same_bytes() -> None:
    assert publish.generated_files(QUERIES) == publish.generated_files(load_library())


# ---- Neo4j Browser favorites -----------------------------------------------------------------


def test_favorites_zip_holds_every_question_as_browser_imports_it() -> None:
    """Browser imports each `.cypher` member (not under __MACOSX) as a favorite named by its
    first line, in the folder of its path."""
    with zipfile.ZipFile(io.BytesIO(publish.FAVORITES_ZIP.read_bytes())) as archive:
        members = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert sorted(members) == [f"{publish.FAVORITES_FOLDER}/{q.path.name}" for q in QUERIES]
    for query in QUERIES:
        text = members[f"{publish.FAVORITES_FOLDER}/{query.path.name}"]
        first, _, rest = text.partition("\n")
        assert first == f"// {query.title} ({query.severity})"
        assert rest == query.path.read_text(encoding="utf-8")
        assert parse_query(rest, query.path) == query


# ---- NeoDash ---------------------------------------------------------------------------------


def test_dashboard_is_a_neodash_2_4_dashboard() -> None:
    assert DASHBOARD["version"] == "2.4"
    assert {"title", "version", "settings", "pages"} <= set(DASHBOARD)
    assert {"pagenumber", "editable", "parameters"} <= set(DASHBOARD["settings"])
    assert DASHBOARD["pages"] and all({"title", "reports"} <= set(p) for p in DASHBOARD["pages"])
    for report in REPORTS:
        assert set(report) == REPORT_KEYS, report["title"]
        assert report["type"] == "table"
        assert all(isinstance(report[k], int) for k in ("width", "height", "x", "y"))


def test_one_table_per_question_with_the_files_own_query() -> None:
    ids = [report["settings"]["description"].split("**")[1] for report in REPORTS]
    assert sorted(ids) == sorted(BY_ID)
    for question_id, report in zip(ids, REPORTS, strict=True):
        query = BY_ID[question_id]
        assert report["query"] == query.cypher
        assert report["title"] == f"{query.title} ({query.severity})"
    assert len({report["id"] for report in REPORTS}) == len(REPORTS)


def test_pages_are_the_categories_and_reports_do_not_overlap() -> None:
    for page in DASHBOARD["pages"]:
        cells: set[tuple[int, int]] = set()
        for r in page["reports"]:
            assert r["x"] >= 0 and r["x"] + r["width"] <= publish.GRID_COLUMNS
            area = {
                (x, y)
                for x in range(r["x"], r["x"] + r["width"])
                for y in range(r["y"], r["y"] + r["height"])
            }
            assert not cells & area, f"{r['title']} overlaps another report"
            cells |= area
    used = {q.category for q in QUERIES}
    assert [p["title"] for p in DASHBOARD["pages"]] == [
        c.capitalize() for c in CATEGORIES if c in used
    ]


def test_parameters_are_the_header_defaults() -> None:
    parameters = DASHBOARD["settings"]["parameters"]
    for report in REPORTS:
        query = BY_ID[report["settings"]["description"].split("**")[1]]
        for name, default in query.params.items():
            assert name in parameters, f"{query.id}: ${name} has no dashboard value"
            if parameters[name] != default:
                assert f"set it to `{json.dumps(default)}`" in report["settings"]["description"]


def test_every_dashboard_query_runs_as_neodash_sends_it(neo4j_server) -> None:
    """NeoDash runs a report's query with the dashboard's parameters as JavaScript values: every
    number travels as a float (so `LIMIT $limit` must take 25.0)."""
    as_js = {
        name: float(value) if isinstance(value, int) and not isinstance(value, bool) else value
        for name, value in DASHBOARD["settings"]["parameters"].items()
    }
    with neo4j_server.driver.session(
        database=neo4j_server.database,
        default_access_mode=neo4j.READ_ACCESS,
        notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
    ) as session:
        for report in REPORTS:
            session.execute_read(lambda tx, q=report["query"]: tx.run(q, as_js).consume())
