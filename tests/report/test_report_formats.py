"""The report against a real Neo4j holding a synced simulated organization."""

from __future__ import annotations

import json
from typing import Any

import pytest

from anthropic_sim.server import RunningSimulator
from ingest.queries.library import load_library
from ingest.queries.runner import is_notice, run_query
from ingest.report import build_report, render
from ingest.report.model import Report
from tests.report.conftest import BROWSER_URL
from tests.report.helpers import assert_self_contained, parse_page

pytestmark = pytest.mark.neo4j
TOP = 5


def test_every_format_answers_every_question(neo4j: Any, synced: RunningSimulator) -> None:
    report = build_report(neo4j.driver, neo4j.database, browser_url=BROWSER_URL, top=TOP)

    check_json(json.loads(render(report, "json")), neo4j)
    check_markdown(render(report, "md"), report)
    check_html(render(report, "html"), report)


def check_json(doc: dict[str, Any], neo4j: Any) -> None:
    library = load_library()
    assert doc["schema_version"] == 1
    assert doc["top"] == TOP
    assert [f["id"] for f in doc["findings"]] == _most_severe_first(library)
    assert doc["summary"]["questions"] == len(library)
    assert doc["summary"]["questions_failed"] == 0
    for query in library:
        finding = next(f for f in doc["findings"] if f["id"] == query.id)
        direct = run_query(neo4j.driver, neo4j.database, query)
        assert finding["count"] == sum(not is_notice(r) for r in direct.rows), query.id
        assert finding["columns"] == direct.columns, query.id
        assert finding["rows"] == direct.rows[:TOP], query.id
        assert finding["truncated"] == (len(direct.rows) > TOP)
        assert (finding["severity"], finding["category"]) == (query.severity, query.category)
        assert finding["why"] == query.why and finding["fix"] == query.fix
        assert finding["browser_link"].startswith(BROWSER_URL + "?cmd=edit&arg=")
    assert any(f["count"] for f in doc["findings"]), "the simulated org plants findings"
    [section] = doc["sections"]  # the only organization's answers are all the answers
    assert [f["count"] for f in section["findings"]] == [f["count"] for f in doc["findings"]]
    assert section["summary"] == doc["summary"]
    check_organization(doc["organizations"], neo4j)


def check_organization(organizations: list[dict[str, Any]], neo4j: Any) -> None:
    [org] = neo4j.run(
        "MATCH (o:AnthropicOrganization)-[:RESOURCE]->(s:SyncRun) "
        "RETURN o.name AS name, o.scim_status AS scim, s.status AS status, "
        "s.finished_at AS finished_at"
    )
    [reported] = organizations
    assert reported["name"] == org["name"]
    assert reported["scim_status"] == org["scim"] == "available"
    assert reported["lifecycle_remediation_enabled"] is True
    assert reported["last_sync"]["status"] == org["status"] == "success"
    assert reported["last_sync"]["finished_at"] == org["finished_at"]


def check_markdown(text: str, report: Report) -> None:
    assert text.startswith("# Claude identity graph report\n")
    assert report.organizations[0].name in text
    for finding in report.findings:
        assert f"(`{finding.id}`)" in text, finding.id  # in the summary table
        assert f"`{finding.id}` · **{finding.severity}**" in text, finding.id  # its section
        assert finding.browser_link in text


def check_html(html: str, report: Report) -> None:
    page = parse_page(html)
    assert_self_contained(html, BROWSER_URL)
    [section] = report.sections
    org_id = section.organization.id
    for finding in section.findings:
        assert f"{org_id}-{finding.id}" in page.ids, finding.id
        assert f'href="#{org_id}-{finding.id}"' in html
    # a summary row and a section link per question
    browser_links = [link for link in page.links if link.startswith(BROWSER_URL)]
    assert len(browser_links) == 2 * len(report.findings)
    drawn = sum(1 for f in section.findings for path in f.paths if path is not None)
    assert html.count("<svg") == drawn


def _most_severe_first(library: list[Any]) -> list[str]:
    order = ["critical", "high", "medium", "low", "info"]
    return [q.id for q in sorted(library, key=lambda q: order.index(q.severity))]
