"""Rendering without Neo4j: links, path drawings, escaping, the JSON document's shape."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ingest.queries.library import parse_query
from ingest.report import Finding, OrganizationInfo, OrganizationSection, Report, SyncInfo, render
from ingest.report.browser import browser_link
from ingest.report.cells import cell_text
from ingest.report.paths import as_path, path_column
from ingest.report.render_markdown import escape
from ingest.report.svg import path_svg
from tests.report.conftest import BROWSER_URL
from tests.report.helpers import assert_self_contained, parse_page

QUESTION = """\
// id: demo
// title: Demo
// severity: high
// category: attack path
// why: Because.
// fix: Fix it.
// param ability: what to reach
// param limit: how many
:param ability => 'manage_members';
:param limit => 25;

MATCH (n) WHERE n.x = $ability RETURN n LIMIT $limit
"""
NAMES = (("org-a", "Org A"), ("org-b", "Org <B>"))
HOSTILE = "<script>alert('x')</script> & \"quotes\" «Ω» 🔑"


def _node(label: str, **properties: object) -> dict[str, object]:
    return {"labels": [label, "Extra"], "properties": properties}


PATH = [
    _node("AnthropicApiKey", name=HOSTILE, id="k1"),
    {"type": "OWNED_BY", "start": "k1", "end": "u1", "properties": {}},
    _node("AnthropicUser", name="Ana", email="ana@example.com", id="u1"),
    {"type": "HAS_ROLE", "start": "u1", "end": "r1", "properties": {}},
    _node("AnthropicRole", name="admin", id="r1"),
]


def _report() -> Report:
    query = parse_query(QUESTION, Path("01_demo.cypher"))
    rows = [{"name": HOSTILE, "hops": ["a -[X]-> b", "b -[Y]-> c"], "path": PATH}]
    finding = Finding(
        id=query.id,
        title=HOSTILE,
        severity=query.severity,
        category=query.category,
        why=HOSTILE,
        fix=query.fix,
        params=query.params,
        cypher=query.cypher,
        browser_link=browser_link(BROWSER_URL, query),
        count=3,
        columns=["name", "hops", "path"],
        rows=rows,
        path_column="path",
        paths=[as_path(PATH)],
    )
    sync = SyncInfo(
        "sync-1", "success", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", "available", 60.0
    )
    org = OrganizationInfo("org-1", HOSTILE, "console", [], "available", True, sync)
    return Report("2026-01-01T00:02:00Z", BROWSER_URL, 1, [org], [finding], 0.5)


def test_browser_link_opens_the_query_with_its_defaults() -> None:
    query = parse_query(QUESTION, Path("01_demo.cypher"))
    link = browser_link(BROWSER_URL, query)
    parts = urlsplit(link)
    assert link.startswith(BROWSER_URL + "?cmd=edit&arg=")
    assert parse_qs(parts.query)["cmd"] == ["edit"]
    [text] = parse_qs(parts.query)["arg"]
    assert text == (':param ability => "manage_members";\n:param limit => 25;\n\n' + query.cypher)


def test_paths_are_recognised_in_both_shapes() -> None:
    drawing = as_path(PATH)
    assert drawing is not None
    assert [(n.kind, n.name) for n in drawing.nodes] == [
        ("ApiKey", HOSTILE),
        ("User", "Ana"),
        ("Role", "admin"),
    ]
    assert drawing.rels == ("OWNED_BY", "HAS_ROLE")
    handmade = as_path(["AnthropicUser:ana", "HAS_ROLE", {"kind": "Role", "name": "admin"}])
    assert handmade is not None and handmade.rels == ("HAS_ROLE",)
    assert as_path(["a -[X]-> b", "b -[Y]-> c", "c -[Z]-> d"]) is None  # a hop list of text
    rows = [{"hops": ["x"], "path": PATH}]
    assert path_column(["hops", "path"], rows) == "path"


def test_cells_are_short_single_lines() -> None:
    assert cell_text(PATH).startswith("ApiKey:<script>")
    assert " -OWNED_BY-> User:Ana -HAS_ROLE-> Role:admin" in cell_text(PATH)
    assert len(cell_text("x" * 500)) == 160
    assert cell_text(None) == "" and cell_text(True) == "true"


LONG_PATH = [
    _node("AnthropicFederationIssuer", name="github-actions", id="i1"),
    {"type": "TRUSTED_BY", "properties": {}},
    _node("AnthropicFederationRule", name="deploy", id="f1"),
    {"type": "CAN_ASSUME", "properties": {}},
    _node("AnthropicServiceAccount", name=HOSTILE, id="s1"),
    {"type": "MEMBER_OF", "properties": {}},
    _node("AnthropicRbacGroup", name="Member Admins", id="g1"),
    {"type": "HAS_ROLE", "properties": {}},
    _node("AnthropicRbacRole", name="People ops", id="r1"),
    {"type": "GRANTS", "properties": {}},
    _node("AnthropicRbacRolePermission", action="permission_manage_members", id="p1"),
]


def test_a_multi_hop_path_is_drawn_hop_by_hop_across_rows() -> None:
    drawing = as_path(LONG_PATH)
    assert drawing is not None
    svg = path_svg(drawing)
    assert svg.count("<rect") == 2 * 6
    assert svg.count("<polygon") == 5
    labels = re.findall(r'font-family="ui-monospace[^"]*" fill="#3e4c59">([A-Z_]+)<', svg)
    assert labels == ["TRUSTED_BY", "CAN_ASSUME", "MEMBER_OF", "HAS_ROLE", "GRANTS"]
    assert ">permission_manage_members<" in svg
    rows = {float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="(?!5")', svg)}
    assert len(rows) == 2  # six nodes wrap onto a second row
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    parse_page(svg)


def test_svg_draws_boxes_and_labelled_arrows_and_escapes() -> None:
    drawing = as_path(PATH)
    assert drawing is not None
    svg = path_svg(drawing)
    assert svg.count("<rect") == 2 * 3  # a box and its colour bar per node
    assert svg.count("<polygon") == 2  # an arrow head per hop
    assert ">OWNED_BY<" in svg and ">HAS_ROLE<" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    parse_page(svg)


def test_html_is_self_contained_and_escaped() -> None:
    report = _report()
    html = render(report, "html")
    assert_self_contained(html, BROWSER_URL)
    page = parse_page(html)
    assert "demo" in page.ids
    assert "<script>" not in html
    assert HOSTILE in "".join(page.text)
    assert html.count("<svg") == 1
    assert "Showing the top 1 of 3." in html


def test_markdown_escapes_and_keeps_one_line_per_row() -> None:
    markdown = render(_report(), "md")
    assert re.search(r"(?<!\\)<", markdown) is None  # every < escaped: no HTML in a PR
    assert "\\<script>alert('x')\\</script> \\& \"quotes\" «Ω» 🔑" in markdown
    [row] = [line for line in markdown.splitlines() if line.startswith("| \\<script>")]
    assert row.count(" | ") == 2  # three cells, the pipes of the data escaped
    assert "_Showing the top 1 of 3._" in markdown


def test_json_document_shape() -> None:
    doc = json.loads(render(_report(), "json"))
    assert list(doc) == [
        "schema_version",
        "generated_at",
        "duration_seconds",
        "browser_url",
        "top",
        "organizations",
        "summary",
        "findings",
        "sections",
    ]
    assert doc["organizations"][0]["last_sync"]["status"] == "success"
    assert doc["summary"] == {
        "questions": 1,
        "questions_with_findings": 1,
        "questions_failed": 0,
        "by_severity": {"high": 1},
    }
    [finding] = doc["findings"]
    assert finding["title"] == HOSTILE and finding["truncated"] is True
    assert finding["paths"] == [
        {
            "row": 0,
            "nodes": [
                {"kind": "ApiKey", "name": HOSTILE},
                {"kind": "User", "name": "Ana"},
                {"kind": "Role", "name": "admin"},
            ],
            "rels": ["OWNED_BY", "HAS_ROLE"],
        }
    ]


def test_markdown_escapes_emphasis_and_strikethrough() -> None:
    assert escape("__init__ ~~gone~~") == "\\_\\_init\\_\\_ \\~\\~gone\\~\\~"
    assert escape("\x1b[31mred") == "\\\\x1b\\[31mred"  # renders as \x1b[31mred, no ESC


def _per_org(org: OrganizationInfo, rows: list[dict[str, object]], count: int) -> Finding:
    finding = _report().findings[0]
    columns = ["org_id", "org_name", "name"]
    return replace(finding, count=count, columns=columns, rows=rows, path_column=None, paths=[])


def test_one_section_per_organization_and_a_summary_across_them() -> None:
    sync = _report().organizations[0].last_sync
    orgs = [OrganizationInfo(i, n, "console", [], "available", True, sync) for i, n in NAMES]
    rows = [{"org_id": o.id, "org_name": o.name, "name": f"key of {o.id}"} for o in orgs]
    sections = [
        OrganizationSection(orgs[0], [_per_org(orgs[0], rows[:1], 1)]),
        OrganizationSection(orgs[1], [_per_org(orgs[1], [], 0)]),
    ]
    across = _per_org(orgs[0], rows, 1)
    report = Report("2026-01-01T00:02:00Z", BROWSER_URL, 5, orgs, [across], 0.5, sections)

    markdown = render(report, "md")
    assert "## Summary across organizations" in markdown
    assert "| Severity | Count | Question | Category | Org A | Org \\<B> |" in markdown
    [summary_row] = [line for line in markdown.splitlines() if line.startswith("| high | 1 |")]
    assert summary_row.endswith("| attack path | 1 | 0 |")  # the count in each organization
    assert markdown.count("### ") == 2  # the question once in each organization's section
    _, in_a, in_b = markdown.split("## Organization ")
    assert in_a.startswith("Org A (org-a)") and in_b.startswith("Org \\<B> (org-b)")
    assert "| key of org-a |" in in_a and "key of org-b" not in in_a + in_b
    assert "Nothing found." in in_b
    assert "org\\_id" not in in_a  # whose rows they are: the heading says
    html = render(report, "html")
    assert_self_contained(html, BROWSER_URL)
    page = parse_page(html)
    assert {"org-org-a", "org-org-b", "org-a-demo", "org-b-demo"} <= page.ids
    assert 'href="#org-b-demo">0</a>' in html and 'href="#org-a-demo">1</a>' in html
    doc = json.loads(render(report, "json"))
    assert [s["organization"] for s in doc["sections"]] == [
        {"id": "org-a", "name": "Org A"},
        {"id": "org-b", "name": "Org <B>"},
    ]
    assert [s["summary"]["questions_with_findings"] for s in doc["sections"]] == [1, 0]
    assert doc["sections"][0]["findings"][0]["rows"] == rows[:1]
