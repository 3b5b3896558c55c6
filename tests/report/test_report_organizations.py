"""The report's header says, per organization, its product, the key's scopes, SCIM and
lifecycle remediation; a SCIM question's notice names its organization and is no finding."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.report import build_report, render
from ingest.report.render_markdown import escape
from ingest.report.text import organization_line
from tests.report.conftest import BROWSER_URL

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
        "enterprise · key scopes (at least) read:analytics, read:members, read:rbac_groups · "
        "SCIM not_configured · lifecycle remediation disabled"
    )
    assert escape(line) in render(report, "md")
    html = render(report, "html")
    assert "product enterprise" in html
    assert "key scopes (at least) read:analytics, read:members" in html
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
