"""The report as Markdown: readable in a terminal, rendered in a pull request."""

from __future__ import annotations

from ingest.report.cells import cell_text
from ingest.report.model import Finding, Report
from ingest.report.text import count_text, organization_line, shown_text, sync_line, totals_line
from ingest.terminal_text import visible

_SPECIAL = "\\`*_~[]<&|"


def escape(text: str) -> str:
    """Text that Markdown shows literally, on one line."""
    text = visible(" ".join(text.split()))
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def render_markdown(report: Report) -> str:
    lines = [
        "# Claude identity graph report",
        "",
        *_organizations(report),
        f"Generated {report.generated_at} in {report.duration_seconds:.1f} s: "
        f"{totals_line(report)}.",
        "",
        "## Summary",
        "",
        "| Severity | Count | Question | Category |",
        "|---|--:|---|---|",
        *[_summary_row(f) for f in report.findings],
        "",
    ]
    for finding in report.findings:
        lines += _section(finding)
    # Long Browser links as references at the end: a PR renders them, a terminal stays readable.
    lines += ["", *[f"[{_ref(f)}]: {f.browser_link}" for f in report.findings]]
    return "\n".join(lines).rstrip() + "\n"


def _ref(finding: Finding) -> str:
    return f"browser-{finding.id}"


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


def _summary_row(finding: Finding) -> str:
    return (
        f"| {finding.severity} | {count_text(finding)} | {escape(finding.title)} "
        f"(`{finding.id}`) | {finding.category} |"
    )


def _section(finding: Finding) -> list[str]:
    lines = [
        f"## {escape(finding.title)}",
        "",
        f"`{finding.id}` · **{finding.severity}** · {finding.category} · "
        f"**{count_text(finding)}** found · [open in Neo4j Browser][{_ref(finding)}]",
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
    lines += _table(finding)
    if shown := shown_text(finding):
        lines += ["", f"_{shown}_"]
    return [*lines, ""]


def _table(finding: Finding) -> list[str]:
    header = "| " + " | ".join(escape(c) for c in finding.columns) + " |"
    rule = "|" + "---|" * len(finding.columns)
    body = [
        "| " + " | ".join(escape(cell_text(row.get(c))) for c in finding.columns) + " |"
        for row in finding.rows
    ]
    return [header, rule, *body]
