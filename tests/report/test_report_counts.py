"""The report's counts come from the server: a question with more rows than the report shows
says how many it has in all, overall and per organization, and only the rows shown travel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.queries.library import parse_query
from ingest.report import build_report, render
from tests.report.conftest import BROWSER_URL

# 15 rows of org-a, 10 of org-b, and a notice per organization (never counted).
MANY_ROWS = """\
// id: many-rows
// title: Many rows
// severity: high
// category: hygiene
// why: Because.
// fix: Fix it.
// param org: only this organization, by id (null: every organization)
:param org => null;

CALL () {
  UNWIND range(1, 25) AS i
  RETURN CASE WHEN i <= 15 THEN 'org-a' ELSE 'org-b' END AS org, i, toString(i) AS id,
    'row ' + toString(i) AS finding
  UNION ALL
  UNWIND ['org-a', 'org-b'] AS org
  RETURN org, 0 AS i, null AS id, 'SCIM not available on organization ' + org AS finding
}
WITH org, i, id, finding
WHERE $org IS NULL OR org = $org
RETURN org AS org_id, org AS org_name, id, finding
ORDER BY org_id, i DESC
"""


def test_a_question_with_more_rows_than_shown_reports_its_true_count(neo4j: Any) -> None:
    neo4j.driver.execute_query(
        "UNWIND ['org-a', 'org-b'] AS id "
        "CREATE (:AnthropicOrganization:Tenant {id: id, tenant_id: id, name: id})",
        database_=neo4j.database,
    )
    query = parse_query(MANY_ROWS, Path("01_many-rows.cypher"))
    report = build_report(
        neo4j.driver, neo4j.database, browser_url=BROWSER_URL, top=3, queries=[query]
    )
    [finding] = report.findings
    assert (finding.count, [row["id"] for row in finding.rows]) == (25, ["15", "14", "13"])
    sections = {s.organization.id: s.findings[0] for s in report.sections}
    assert {org: (f.count, [row["id"] for row in f.rows]) for org, f in sections.items()} == {
        "org-a": (15, ["15", "14", "13"]),
        "org-b": (10, ["25", "24", "23"]),
    }
    assert '"count": 25' in render(report, "json")
    markdown = render(report, "md")
    assert "| high | 25 |" in markdown
    assert "Showing the top 3 of 15." in markdown and "Showing the top 3 of 10." in markdown
