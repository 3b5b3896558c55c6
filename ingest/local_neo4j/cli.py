"""`idgraph neo4j start|stop|status`: the local server of ingest/local_neo4j/neo4j-local.sh."""

from __future__ import annotations

import typer

from ingest.local_neo4j.launcher import run_launcher
from ingest.settings import settings_or_exit

neo4j_app = typer.Typer(
    help="A local Neo4j without Docker (Java 17+ and Maven), on NEO4J_URI's port.",
    no_args_is_help=True,
)


def _launch(command: str) -> None:
    raise typer.Exit(run_launcher(settings_or_exit(), command).returncode)


@neo4j_app.command()
def start() -> None:
    """Start it (the first start fetches Neo4j from Maven Central into a per-user cache)."""
    _launch("start")


@neo4j_app.command()
def stop() -> None:
    """Stop it."""
    _launch("stop")


@neo4j_app.command()
def status() -> None:
    """Exit code 0 when it runs, 3 when it does not."""
    _launch("status")
