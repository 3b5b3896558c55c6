"""What `idgraph demo` does before opening the driver when nothing answers at a loopback
NEO4J_URI: start the local server on that port, or say exactly what to install."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from ingest.local_neo4j.launcher import (
    INSTALL_HINT,
    answers,
    bolt_address,
    home_dir,
    is_loopback,
    missing_tools,
    run_launcher,
)
from ingest.settings import Settings
from ingest.sync.report import ExitCode


def start_if_nothing_answers(settings: Settings, console: Console) -> None:
    """Returns once something answers at NEO4J_URI (or it is not loopback: the driver says why
    it cannot connect); exits with code 3 when the local server cannot be started."""
    host, port = bolt_address(settings)
    if not is_loopback(host) or answers(host, port):
        return
    missing = missing_tools()
    if missing:
        console.print(
            f"[red]Neo4j:[/red] nothing answers at {escape(settings.neo4j_uri)} and a local "
            f"Neo4j cannot be started here (missing: {escape(', '.join(missing))}). "
            f"To run the demo, {INSTALL_HINT}."
        )
        raise typer.Exit(ExitCode.NEO4J)
    with console.status("starting a local Neo4j (the first start fetches it from Maven Central)…"):
        started = run_launcher(settings, "start", capture=True)
    if started.returncode != 0:
        console.print(
            f"[red]Neo4j:[/red] the local server did not start:\n{escape(started.stderr.strip())}"
        )
        raise typer.Exit(ExitCode.NEO4J)
    console.print(
        f"Started a local Neo4j at bolt://127.0.0.1:{port} (data in "
        f"{escape(home_dir(settings))}); stop it with `idgraph neo4j stop`.",
        highlight=False,
    )
