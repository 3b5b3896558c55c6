"""The report as ONE self-contained HTML page: inline CSS, inline SVG, nothing fetched.

Every piece of data goes through html.escape; a Content-Security-Policy forbids scripts and
any network access, so even a missed escape could not run or load anything.
"""

from __future__ import annotations

from html import escape

from ingest.report.cells import cell_lines
from ingest.report.html_style import CSS
from ingest.report.model import (
    Finding,
    OrganizationInfo,
    OrganizationSection,
    PathDrawing,
    Report,
    severity_counts,
)
from ingest.report.svg import path_svg
from ingest.report.text import (
    anchor,
    count_text,
    scopes_text,
    shown_columns,
    shown_text,
    sync_details,
    totals_line,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_html(report: Report) -> str:
    title = "Claude identity graph report"
    orgs = ", ".join(org.name or org.id for org in report.organizations)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title + (' · ' + orgs if orgs else ''))}</title>"
        f"<style>{CSS}</style></head>\n<body>\n"
        + _header(report)
        + "<main>\n"
        + _totals(report.findings)
        + _summary(report)
        + "".join(_section(finding) for finding in report.across)
        + "".join(_organization_section(section) for section in report.sections)
        + _footer(report)
        + "</main>\n</body></html>\n"
    )


def _header(report: Report) -> str:
    orgs = "".join(_organization(org) for org in report.organizations) or (
        '<div class="org">No organization in the graph: run <code>idgraph sync</code> first.</div>'
    )
    return (
        '<header class="top"><div class="inner"><h1>Claude identity graph report</h1>'
        f"{orgs}</div></header>\n"
    )


def _organization(org: OrganizationInfo) -> str:
    sync = org.last_sync
    return (
        f'<div class="org">{escape(org.name or org.id)}'
        f'<span class="org-id">{escape(org.id)}</span></div>'
        '<div class="meta">'
        + _chip("product", org.product or "unknown", org.product is not None)
        + _chip("key scopes", scopes_text(org), True)
        + _chip("SCIM", org.scim_status or "unknown", org.scim_status == "available")
        + _chip(
            "lifecycle remediation",
            "enabled" if org.lifecycle_remediation_enabled else "disabled",
            bool(org.lifecycle_remediation_enabled),
        )
        + _chip(
            "last sync",
            (sync.status or "unknown") if sync else "never",
            sync is not None and sync.status == "success",
        )
        + (escape(sync_details(sync)) if sync else "")
        + "</div>"
    )


def _chip(name: str, value: str, ok: bool) -> str:
    return f'<span class="chip {"ok" if ok else "warn"}">{escape(name)} {escape(value)}</span>'


def _totals(findings: list[Finding]) -> str:
    counts = severity_counts(findings)
    cards = [
        _card("questions", len(findings), ""),
        _card("with findings", sum(1 for f in findings if f.count), ""),
        *[_card(s, counts.get(s, 0), s) for s in ("critical", "high", "medium", "low")],
    ]
    return '<div class="totals">' + "".join(cards) + "</div>\n"


def _card(name: str, value: int, severity: str) -> str:
    colour = f" {severity}" if severity and value else ""
    return f'<div class="total{colour}"><b>{value}</b><span>{escape(name)}</span></div>'


def _summary(report: Report) -> str:
    rows = "".join(_summary_row(finding, report.sections) for finding in report.findings)
    orgs = "".join(
        f'<th class="num">{escape(s.organization.name or s.organization.id)}</th>'
        for s in report.sections
    )
    across = " across organizations" if report.sections else ""
    return (
        f'<h2 class="summary">Summary{across}</h2><p class="finding-meta">'
        f"{escape(totals_line(report.findings))}"
        " · severities count the questions that found something.</p>"
        '<table class="summary"><thead><tr><th>Severity</th><th>Question</th><th>Category</th>'
        f'<th class="num">Count</th>{orgs}<th>Neo4j Browser</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>\n"
    )


def _summary_row(finding: Finding, sections: list[OrganizationSection]) -> str:
    empty = "" if finding.count or finding.error else ' class="none"'
    split = sections and any(f.id == finding.id for f in sections[0].findings)
    first = sections[0].organization if split else None
    return (
        f"<tr{empty}><td>{_badge(finding.severity)}</td>"
        f'<td><a class="q" href="#{escape(anchor(finding, first))}">{escape(finding.title)}</a>'
        f"</td><td>{escape(finding.category)}</td>"
        f'<td class="num">{escape(count_text(finding))}</td>'
        + "".join(_org_count(finding, section) for section in sections)
        + f'<td><a href="{escape(finding.browser_link)}">open query</a></td></tr>'
    )


def _org_count(finding: Finding, section: OrganizationSection) -> str:
    found = next((f for f in section.findings if f.id == finding.id), None)
    if found is None:
        return '<td class="num"></td>'
    link = escape(anchor(found, section.organization))
    return f'<td class="num"><a href="#{link}">{escape(count_text(found))}</a></td>'


def _organization_section(section: OrganizationSection) -> str:
    org = section.organization
    return (
        f'<section class="organization" id="org-{escape(org.id)}">'
        f'<h2 class="organization">Organization {escape(org.name or org.id)}'
        f'<span class="org-id">{escape(org.id)}</span></h2>'
        f'<p class="finding-meta">{escape(totals_line(section.findings))}</p>'
        + _totals(section.findings)
        + "".join(_section(finding, org) for finding in section.findings)
        + "</section>\n"
    )


def _section(finding: Finding, org: OrganizationInfo | None = None) -> str:
    heading = "h3" if org else "h2"
    return (
        f'<section class="finding {escape(finding.severity)}" id="{escape(anchor(finding, org))}">'
        f'<div class="finding-head">{_badge(finding.severity)}<{heading}>'
        f"{escape(finding.title)}</{heading}></div>"
        f'<div class="finding-meta"><code>{escape(finding.id)}</code> · '
        f"{escape(finding.category)} · <b>{escape(count_text(finding))}</b> found · "
        f'<a href="{escape(finding.browser_link)}">open in Neo4j Browser</a></div>'
        '<div class="advice">'
        f"<div><h3>Why it matters</h3>{escape(finding.why)}</div>"
        f"<div><h3>How to fix</h3>{escape(finding.fix)}</div></div>"
        + _result(finding, shown_columns(finding, org))
        + "<details><summary>Cypher</summary>"
        f"<pre>{escape(finding.cypher)}</pre></details></section>\n"
    )


def _result(finding: Finding, columns: list[str]) -> str:
    if finding.error:
        return f'<p class="error">The question failed: {escape(finding.error)}</p>'
    if not finding.rows:
        return '<p class="nothing">Nothing found.</p>'
    shown = shown_text(finding)
    table = _rows_table(finding, columns)
    return table + (f'<p class="shown">{escape(shown)}</p>' if shown else "")


def _rows_table(finding: Finding, shown: list[str]) -> str:
    """The top rows; a row's path is drawn under it, across the table, not as a cell."""
    columns = [c for c in shown if c != finding.path_column]
    head = "".join(f"<th>{escape(column)}</th>" for column in columns)
    drawings = finding.paths or [None] * len(finding.rows)
    body = "".join(
        _row(row, columns, drawing is not None) + _drawing_row(drawing, len(columns))
        for row, drawing in zip(finding.rows, drawings, strict=True)
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="rows">{table}</div>'


def _row(row: dict, columns: list[str], drawn: bool) -> str:
    cells = "".join(f"<td>{_cell(row.get(column))}</td>" for column in columns)
    attributes = ' class="has-drawing"' if drawn else ""
    return f"<tr{attributes}>{cells}</tr>"


def _cell(value: object) -> str:
    return "<br>".join(escape(line) for line in cell_lines(value))


def _drawing_row(drawing: PathDrawing | None, width: int) -> str:
    if drawing is None:
        return ""
    return f'<tr class="drawing"><td colspan="{width}">{path_svg(drawing)}</td></tr>'


def _badge(severity: str) -> str:
    return f'<span class="badge {escape(severity)}">{escape(severity)}</span>'


def _footer(report: Report) -> str:
    return (
        f"<footer>Generated {escape(report.generated_at)} in {report.duration_seconds:.1f} s "
        f"by <code>idgraph report</code> · top {report.top} rows per question · "
        "links open the query in Neo4j Browser.</footer>\n"
    )
