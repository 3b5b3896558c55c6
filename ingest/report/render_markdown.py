"""The report as Markdown: readable in a terminal, rendered in a pull request."""

from __future__ import annotations

from ingest.report.cells import cell_text
from ingest.report.model import Finding, OrganizationInfo, OrganizationSection, Report
from ingest.report.text import (
    anchor,
    count_text,
    organization_line,
    shown_columns,
    shown_text,
    sync_line,
    totals_line,
)
from ingest.terminal_text import visible

_SPECIAL = "\\`*_~[]<&|"


def escape(text: str) -> str:
    """Text that Markdown shows literally, on one line."""
    text = visible(" ".join(text.split()))
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def render_markdown(report: Report) -> str:
    orgs = [section.organization for section in report.sections]
    lines = [
        "# Claude identity graph report",
        "",
        *_organizations(report),
        f"Generated {report.generated_at} in {report.duration_seconds:.1f} s: "
        f"{totals_line(report.findings)}.",
        "",
        "## Summary" + (" across organizations" if orgs else ""),
        "",
        "| Severity | Count | Question | Category |" + "".join(f" {_org(o)} |" for o in orgs),
        "|---|--:|---|---|" + "--:|" * len(orgs),
        *[_summary_row(f, report.sections) for f in report.findings],
        "",
    ]
    links = {_ref(f): f.browser_link for f in report.findings}
    for finding in report.across:
        lines += _section(finding)
    for section in report.sections:
        org = section.organization
        lines += [
            f"## Organization {_org(org)} ({escape(org.id)})",
            "",
            f"{totals_line(section.findings)}.",
            "",
        ]
        for finding in section.findings:
            lines += _section(finding, org)
            links[_ref(finding, org)] = finding.browser_link
    # Long Browser links as references at the end: a PR renders them, a terminal stays readable.
    lines += ["", *[f"[{ref}]: {link}" for ref, link in links.items()]]
    return "\n".join(lines).rstrip() + "\n"


def _ref(finding: Finding, org: OrganizationInfo | None = None) -> str:
    return f"browser-{anchor(finding, org)}"


def _org(org: OrganizationInfo) -> str:
    return escape(org.name or org.id)


def _organizations(report: Report) -> list[str]:
    if not report.organizations:
        return ["No organization in the graph: run `idgraph sync` first.", ""]
    lines: list[str] = []
    for org in report.organizations:
        lines += [
            f"**Organization:** {escape(org.name or org.id)} ({escape(org.id)}) · "
            f"{escape(organization_line(org))}  ",
            f"**Last sync:** {escape(sync_line(org))}",
            "",
        ]
    return lines


def _summary_row(finding: Finding, sections: list[OrganizationSection]) -> str:
    counts = [next((f for f in s.findings if f.id == finding.id), None) for s in sections]
    return (
        f"| {finding.severity} | {count_text(finding)} | [{escape(finding.title)}]"
        f"[{_ref(finding)}] (`{finding.id}`) | {finding.category} |"
        + "".join(f" {count_text(f) if f else ''} |" for f in counts)
    )


def _section(finding: Finding, org: OrganizationInfo | None = None) -> list[str]:
    lines = [
        f"{'###' if org else '##'} {escape(finding.title)}",
        "",
        f"`{finding.id}` · **{finding.severity}** · {finding.category} · "
        f"**{count_text(finding)}** found · [open in Neo4j Browser][{_ref(finding, org)}]",
        "",
        f"**Why:** {escape(finding.why)}",
        "",
        f"**Fix:** {escape(finding.fix)}",
        "",
    ]
    if finding.error:
        return [*lines, f"**The question failed:** {escape(finding.error)}", ""]
    if not finding.rows:
        return [*lines, "Nothing found.", ""]
    lines += _table(finding, shown_columns(finding, org))
    if shown := shown_text(finding):
        lines += ["", f"_{shown}_"]
    return [*lines, ""]


def _table(finding: Finding, columns: list[str]) -> list[str]:
    header = "| " + " | ".join(escape(c) for c in columns) + " |"
    rule = "|" + "---|" * len(columns)
    body = [
        "| " + " | ".join(escape(cell_text(row.get(c))) for c in columns) + " |"
        for row in finding.rows
    ]
    return [header, rule, *body]
