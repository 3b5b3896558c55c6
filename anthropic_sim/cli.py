"""`idgraph simulator ...`: run the simulated organization as a real HTTP server."""

from __future__ import annotations

import typer

simulator_app = typer.Typer(help="Run a simulated Anthropic organization (Admin API + SCIM).")


@simulator_app.callback()
def simulator() -> None:
    """A simulated Anthropic organization on loopback."""
