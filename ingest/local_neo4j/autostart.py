"""What `idgraph demo` does before opening the driver when nothing answers at a loopback
NEO4J_URI: start the local server on that port, or say exactly what to install."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from ingest.local_neo4j.launcher import (
    INSTALL_HINT,
    answers,
    home_dir,
    missing_tools,
    run_launcher,
)
from ingest.neo4j_connection import Neo4jUnavailable, bolt_address
from ingest.settings import Settings, is_loopback


def start_if_nothing_answers(settings: Settings, console: Console) -> None:
    """Returns once something answers at NEO4J_URI (or it is not loopback: the driver says why
    it cannot connect); `Neo4jUnavailable` (exit code 3) when the local server cannot start."""
    host, port = bolt_address(settings)
    if not is_loopback(host) or answers(host, port):
        return
    missing = missing_tools()
    if missing:
        raise Neo4jUnavailable(
            f"nothing answers at {settings.neo4j_uri} and a local Neo4j cannot be started here "
            f"(missing: {', '.join(missing)}). To run the demo, {INSTALL_HINT}."
        )
    with console.status("starting a local Neo4j (the first start fetches it from Maven Central)…"):
        started = run_launcher(settings, "start", capture=True)
    if started.returncode != 0:
        last = (started.stderr.strip().splitlines() or ["no output"])[-1]
        raise Neo4jUnavailable(
            f"the local Neo4j did not start ({last}); `idgraph neo4j start` shows the whole log."
        )
    console.print(
        f"Started a local Neo4j at bolt://127.0.0.1:{port} (data in "
        f"{escape(home_dir(settings))}); stop it with `idgraph neo4j stop`.",
        highlight=False,
    )
