"""The `idgraph` command line."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="idgraph",
    help="Pull every identity out of an Anthropic organization into a Neo4j graph.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """The Claude identity graph."""


@app.command()
def version() -> None:
    """Print the version."""
    from ingest import __version__

    typer.echo(__version__)


def _register_subcommands() -> None:
    from anthropic_sim.cli import simulator_app

    app.add_typer(simulator_app, name="simulator")


_register_subcommands()
