"""`idgraph export --format graphml|csv|opengraph --out DIR`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ingest.export.columns import ExportError
from ingest.export.exporter import ExportFormat, ExportResult, export_graph
from ingest.failures import Failure, reported_failures
from ingest.neo4j_connection import open_driver
from ingest.settings import settings_or_exit
from ingest.sync.outcome import ExitCode

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

    Exit codes: 0 ok, 2 configuration (also an --out that cannot be written), 3 Neo4j
    unreachable, 4 the graph could not be exported.
    """
    settings = settings_or_exit()
    with reported_failures():
        _writable_directory(out_dir)
        driver = open_driver(settings, wait_neo4j)
        try:
            result = export_graph(driver, settings.neo4j_database, format, out_dir)
        except (ExportError, OSError) as exc:
            raise Failure(f"the export failed: {exc}", ExitCode.FAILED) from None
        finally:
            driver.close()
    _print_result(result)


def _writable_directory(out_dir: Path) -> None:
    """--out is checked before anything is read, so a typo costs no export."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise Failure(
            f"--out {out_dir}: not a directory that can be written: {exc.strerror}",
            ExitCode.CONFIG,
        ) from None


def _print_result(result: ExportResult) -> None:
    out.print(
        f"{result.format}: {result.nodes} nodes, {result.rels} relationships in "
        f"{result.seconds:.1f} s",
        highlight=False,
    )
    for path in result.files:
        out.print(f"  {path}", markup=False, highlight=False)
    if result.undeclared:
        err.print(
            "[yellow]warning:[/yellow] properties in the graph but not in the declaration were "
            f"not exported: {', '.join(result.undeclared)}"
        )
