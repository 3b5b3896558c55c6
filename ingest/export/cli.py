"""`idgraph export --format graphml|csv|opengraph --out DIR`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ingest.export.columns import ExportError
from ingest.export.exporter import ExportFormat, ExportResult, export_graph
from ingest.neo4j_connection import Neo4jUnavailable, open_driver
from ingest.settings import settings_or_exit
from ingest.sync.report import ExitCode

err = Console(stderr=True)
out = Console()


def export_command(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="graphml (Gephi, yEd, networkx) | csv "
            "(neo4j-admin import, BI tools) | opengraph (BloodHound).",
        ),
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Directory to write into (created).")
    ],
    wait_neo4j: Annotated[
        float, typer.Option("--wait-neo4j", help="Seconds to wait for Neo4j to answer.")
    ] = 30.0,
) -> None:
    """Export the graph of the configured Neo4j, streaming, for BI and graph tools.

    Exit codes: 0 ok, 2 configuration, 3 Neo4j unreachable, 4 the graph could not be exported.
    """
    settings = settings_or_exit()
    try:
        driver = open_driver(settings, wait_neo4j)
    except Neo4jUnavailable as exc:
        err.print(f"[red]Neo4j:[/red] {exc}")
        raise typer.Exit(ExitCode.NEO4J) from None
    try:
        result = export_graph(driver, settings.neo4j_database, format, out_dir)
    except (ExportError, OSError) as exc:
        err.print(f"[red]Export failed:[/red] {exc}")
        raise typer.Exit(ExitCode.FAILED) from None
    finally:
        driver.close()
    _print_result(result)


def _print_result(result: ExportResult) -> None:
    out.print(
        f"{result.format}: {result.nodes} nodes, {result.rels} relationships in "
        f"{result.seconds:.1f} s",
        highlight=False,
    )
    for path in result.files:
        out.print(f"  {path}", highlight=False)
    if result.undeclared:
        err.print(
            "[yellow]warning:[/yellow] properties in the graph but not in the declaration were "
            f"not exported: {', '.join(result.undeclared)}"
        )
