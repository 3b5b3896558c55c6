"""`idgraph report`: run every question and write the answers as Markdown, HTML or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ingest.failures import Failure, fail, reported_failures
from ingest.neo4j_connection import open_driver
from ingest.report.collect import DEFAULT_TOP, build_report
from ingest.report.model import Report
from ingest.report.render import FORMATS, render
from ingest.settings import Settings, settings_or_exit
from ingest.sync.outcome import ExitCode
from ingest.terminal_text import safe

err = Console(stderr=True)

FormatOption = Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
]
TopOption = Annotated[
    int, typer.Option("--top", min=0, help="Rows shown per question (counts are always full).")
]
OrgOption = Annotated[
    str | None,
    typer.Option("--org", help="Only this organization (its id); every one by default."),
]
WaitOption = Annotated[
    float, typer.Option("--wait-neo4j", help="Seconds to wait for Neo4j to answer.")
]


def report_command(
    fmt: FormatOption = "md",
    out: OutOption = None,
    top: TopOption = DEFAULT_TOP,
    wait_neo4j: WaitOption = 10.0,
    org: OrgOption = None,
) -> None:
    """Run every question of the library against the graph and report the answers: a summary
    across the organizations, then one section per organization (--org: that one alone).

    Exit codes: 0 ok, 1 a question failed (the report says which), 2 configuration (also an
    --out that cannot be written), 3 Neo4j unreachable.
    """
    if fmt not in FORMATS:
        fail(ExitCode.CONFIG, f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    as_json = fmt == "json"
    settings = settings_or_exit(as_json)
    with reported_failures(as_json):
        report = _build(settings, top, wait_neo4j, org)
        _write(render(report, fmt), out)
    for finding in report.failed:
        err.print(f"[yellow]warning:[/yellow] {finding.id} failed: {safe(finding.error)}")
    raise typer.Exit(ExitCode.PARTIAL if report.failed else ExitCode.OK)


def _build(settings: Settings, top: int, wait_neo4j: float, org: str | None) -> Report:
    driver = open_driver(settings, wait_neo4j)
    try:
        return build_report(
            driver, settings.neo4j_database, browser_url=settings.browser_url, top=top, org=org
        )
    finally:
        driver.close()


def _write(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        message = f"--out {out}: cannot write the report: {exc.strerror}"
        raise Failure(message, ExitCode.CONFIG) from None
    err.print(f"report written to {out}", markup=False, highlight=False)
