"""The report's header says, per organization, its product, the key's scopes, SCIM and
lifecycle remediation; a SCIM question's notice names its organization and is no finding; with
several organizations, one section each and a summary across them (`--org`: one alone)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from ingest.cli import app
from ingest.queries.library import load_library
from ingest.report import build_report, render
from ingest.report.render_markdown import escape
from ingest.report.text import organization_line
from tests.report.conftest import BROWSER_URL
from tests.report.helpers import parse_page

pytestmark = pytest.mark.neo4j

SCIM_QUESTIONS = (
    "scim-deactivated-still-member",
    "unmanaged-accounts",
    "scim-users-without-account",
)
# The documented 100 requests/min per organization would make a test wait minutes.
ENTERPRISE = {"product": "enterprise", "org_request_limit": 100_000}


def test_enterprise_without_scim_header_and_notices(neo4j: Any, simulator, sync) -> None:  # type: ignore[no-untyped-def]
    with simulator(size="small", seed=3, **ENTERPRISE) as running:
        outcome = sync(running, scim=False)
        org_id = running.sim.org.id
    assert outcome.exit_code == 0
    report = build_report(neo4j.driver, neo4j.database, browser_url=BROWSER_URL)
    [org] = report.organizations
    assert (org.id, org.product, org.scim_status) == (org_id, "enterprise", "not_configured")
    line = organization_line(org)
    assert line == (
        "enterprise · key scopes (at least) read:analytics, read:compliance_activities, "
        "read:members, read:rbac_groups · SCIM not_configured · lifecycle remediation disabled"
    )
    assert escape(line) in render(report, "md")
    html = render(report, "html")
    assert "product enterprise" in html
    assert "key scopes (at least) read:analytics, read:compliance_activities, read:members" in html
    for query_id in SCIM_QUESTIONS:
        finding = next(f for f in report.findings if f.id == query_id)
        assert finding.count == 0, query_id
        assert finding.rows[0]["finding"].startswith(
            f"SCIM not available on organization {org_id}: "
        )
    assert "scim-deactivated-still-member" not in {f.id for f in report.findings if f.count}
    assert report.severity_counts().get("critical", 0) == sum(
        1 for f in report.findings if f.severity == "critical" and f.count
    )


def test_two_organizations_one_section_each_and_a_summary_across(  # type: ignore[no-untyped-def]
    neo4j: Any, simulator, sync, neo4j_env: dict[str, str]
) -> None:
    with simulator(size="small", seed=3) as running:
        assert sync(running).exit_code == 0
        first = running.sim.org
    with simulator(size="small", seed=4) as running:
        assert sync(running, scim=False).exit_code == 0
        second = running.sim.org
    report = build_report(neo4j.driver, neo4j.database, browser_url=BROWSER_URL)
    orgs = sorted([first, second], key=lambda o: (o.name, o.id))
    assert [s.organization.id for s in report.sections] == [o.id for o in orgs]
    library = {q.id for q in load_library()}
    for section in report.sections:
        assert [f.id for f in section.findings] == [f.id for f in report.findings]
        for finding in section.findings:
            assert {r["org_id"] for r in finding.rows} <= {section.organization.id}, finding.id
            assert f':param org => "{section.organization.id}";' in unquote(finding.browser_link)
    for finding in report.findings:
        parts = [next(f for f in s.findings if f.id == finding.id) for s in report.sections]
        assert finding.count == sum(part.count for part in parts), finding.id
    assert {f.id for f in report.findings} == library
    by_id = {s.organization.id: s for s in report.sections}
    for query_id in SCIM_QUESTIONS:
        [notice] = next(f for f in by_id[second.id].findings if f.id == query_id).rows
        assert notice["org_id"] == second.id and notice["finding"].startswith(
            f"SCIM not available on organization {second.name or second.id}: "
        )
    without_scim = by_id[second.id].severity_counts()
    assert without_scim.get("critical", 0) == sum(
        1 for f in by_id[second.id].findings if f.severity == "critical" and f.count
    )
    assert not {f.id for f in by_id[second.id].findings if f.count} & set(SCIM_QUESTIONS)

    markdown = render(report, "md")
    assert "## Summary across organizations" in markdown
    for org in orgs:
        assert f"## Organization {escape(org.name or org.id)} ({escape(org.id)})" in markdown
    html = render(report, "html")
    assert {f"org-{o.id}" for o in orgs} <= parse_page(html).ids
    doc = json.loads(render(report, "json"))
    assert [s["organization"]["id"] for s in doc["sections"]] == [o.id for o in orgs]

    alone = CliRunner().invoke(app, ["report", "-f", "json", "--org", second.id], env=neo4j_env)
    assert alone.exit_code == 0, alone.output
    only = json.loads(alone.stdout)
    assert [o["id"] for o in only["organizations"]] == [second.id]
    [section] = only["sections"]
    assert section["organization"]["id"] == second.id
    expected = {f.id: f.count for f in by_id[second.id].findings}
    assert {f["id"]: f["count"] for f in only["findings"]} == expected
    assert all(r["org_id"] == second.id for f in only["findings"] for r in f["rows"])
