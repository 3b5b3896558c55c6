"""`idgraph report`: run every question and write the answers as Markdown, HTML or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ingest.neo4j_connection import Neo4jUnavailable, open_driver
from ingest.report.collect import DEFAULT_TOP, build_report
from ingest.report.model import Report
from ingest.report.render import FORMATS, render
from ingest.settings import Settings, settings_or_exit

# Exit codes, the same as `idgraph sync`'s where they overlap.
EXIT_QUESTION_FAILED = 1
EXIT_CONFIG = 2
EXIT_NEO4J = 3

err = Console(stderr=True)

FormatOption = Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
]
TopOption = Annotated[
    int, typer.Option("--top", min=0, help="Rows shown per question (counts are always full).")
]
WaitOption = Annotated[
    float, typer.Option("--wait-neo4j", help="Seconds to wait for Neo4j to answer.")
]


def report_command(
    fmt: FormatOption = "md",
    out: OutOption = None,
    top: TopOption = DEFAULT_TOP,
    wait_neo4j: WaitOption = 10.0,
) -> None:
    """Run every question of the library against the graph and report the answers.

    Exit codes: 0 ok, 1 a question failed (the report says which), 2 configuration,
    3 Neo4j unreachable.
    """
    if fmt not in FORMATS:
        err.print(f"[red]--format:[/red] {fmt!r} is not one of {', '.join(FORMATS)}")
        raise typer.Exit(EXIT_CONFIG)
    report = _build(settings_or_exit(), top, wait_neo4j)
    _write(render(report, fmt), out)
    for finding in report.failed:
        err.print(f"[yellow]warning:[/yellow] {finding.id} failed: {finding.error}")
    raise typer.Exit(EXIT_QUESTION_FAILED if report.failed else 0)


def _build(settings: Settings, top: int, wait_neo4j: float) -> Report:
    try:
        driver = open_driver(settings, wait_neo4j)
    except Neo4jUnavailable as exc:
        err.print(f"[red]Neo4j:[/red] {exc}")
        raise typer.Exit(EXIT_NEO4J) from None
    try:
        return build_report(
            driver, settings.neo4j_database, browser_url=settings.browser_url, top=top
        )
    finally:
        driver.close()


def _write(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    err.print(f"report written to {out}")
