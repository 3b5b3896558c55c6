"""The `idgraph` command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ingest.extract import CredentialError, Credentials, ExtractConfig, ExtractError
from ingest.extract.config import EngineLimits
from ingest.extract.credentials import ScimCredentials
from ingest.load import GraphLoader
from ingest.neo4j_connection import Neo4jUnavailable, open_driver
from ingest.settings import Settings, settings_or_exit
from ingest.sync.pipeline import SyncOptions, run_sync
from ingest.sync.report import ExitCode, SyncReport

app = typer.Typer(
    name="idgraph",
    help="Pull every identity out of an Anthropic organization into a Neo4j graph.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)
out = Console()

DEMO_QUERIES = (
    (
        "Who is effectively an organization admin?",
        "MATCH (p)-[:HAS_ROLE]->(r:AnthropicRole {scope: 'organization', privileged: true})\n"
        "RETURN labels(p)[0] AS kind, coalesce(p.email, p.name) AS who, r.name AS role",
    ),
    (
        "Active keys whose creator is no longer a member",
        "MATCH (k:AnthropicApiKey {status: 'active', created_by_type: 'user'})\n"
        "WHERE NOT (k)-[:OWNED_BY]->(:AnthropicUser)\n"
        "RETURN k.name, k.created_by_id, k.workspace_id",
    ),
    (
        "Deactivated in the identity provider, still a member",
        "MATCH (s:ScimUser {active: false})-[:PROVISIONED_AS]->(u:AnthropicUser)\n"
        "RETURN u.email, u.role, s.user_name",
    ),
)


def _print_version(requested: bool) -> None:
    if requested:
        version()
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """The Claude identity graph."""


@app.command()
def version() -> None:
    """Print the version."""
    from ingest import __version__

    typer.echo(__version__)


def _extract_config(settings: Settings, scim_url: str | None = None) -> ExtractConfig:
    return ExtractConfig(
        admin_base_url=settings.base_url,
        scim_base_url=scim_url or settings.scim_url,
        admin=EngineLimits(rate=settings.admin_rate, burst=settings.admin_burst),
        scim=EngineLimits(rate=settings.scim_rate, burst=settings.scim_burst),
        request_timeout=settings.request_timeout,
        deadline=settings.deadline,
    )


def _credentials(settings: Settings) -> Credentials:
    reveal = lambda s: s.get_secret_value() if s is not None else None  # noqa: E731
    scim = None
    if settings.scim_url or settings.scim_token:
        scim = ScimCredentials(base_url=settings.scim_url or "", token=settings.scim_token)  # type: ignore[arg-type]
    return Credentials(
        admin_key=reveal(settings.admin_key),  # type: ignore[arg-type]
        oauth_token=reveal(settings.oauth_token),  # type: ignore[arg-type]
        scim=scim,
    )


@contextmanager
def _loader(settings: Settings, wait_seconds: float) -> Iterator[GraphLoader]:
    try:
        driver = open_driver(settings, wait_seconds)
    except Neo4jUnavailable as exc:
        err.print(f"[red]Neo4j:[/red] {exc}")
        raise typer.Exit(ExitCode.NEO4J) from None
    try:
        kwargs = {"batch_size": settings.batch_size} if settings.batch_size else {}
        yield GraphLoader(driver, settings.neo4j_database, **kwargs)
    finally:
        driver.close()


def _sync(
    settings: Settings, credentials: Credentials, config: ExtractConfig, as_json: bool, wait: float
) -> SyncReport:
    options = SyncOptions(
        credentials=credentials, extract=config, main_domains=settings.main_domains
    )
    with _loader(settings, wait) as loader:
        try:
            if as_json:
                return run_sync(loader, options)
            with err.status("syncing…") as status:
                return run_sync(loader, options, progress=lambda msg: status.update(msg + "…"))
        except CredentialError as exc:
            err.print(f"[red]Credentials:[/red] {exc}")
            raise typer.Exit(ExitCode.CONFIG) from None
        except ExtractError as exc:
            err.print(f"[red]The sync stopped; nothing was deleted:[/red] {exc}")
            raise typer.Exit(ExitCode.FAILED) from None


def _print_report(report: SyncReport, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report.to_json()))
        return
    table = Table(title=f"Sync of {report.org_name or report.org_id} ({report.sync_id})")
    table.add_column("family")
    table.add_column("records", justify="right")
    table.add_column("nodes", justify="right")
    table.add_column("relationships", justify="right")
    table.add_column("cleaned up")
    for family, fam in report.families.items():
        table.add_row(
            family,
            str(report.record_counts.get(family, "")),
            str(fam.nodes),
            str(fam.rels),
            "yes" if family in report.families_complete else "no (not read completely)",
        )
    out.print(table)
    out.print(
        f"written: {report.nodes_written} nodes, {report.rels_written} relationships; "
        f"removed: {report.nodes_deleted} nodes, {report.rels_deleted} relationships\n"
        f"API calls: {report.api_calls}, retries: {report.retries}, "
        f"throttled: {report.throttled_seconds:.1f} s, duration: {report.duration_seconds:.1f} s\n"
        f"SCIM: {report.scim_status}" + (f" ({report.scim_reason})" if report.scim_reason else "")
    )
    if report.scim_status != "available":
        err.print(
            "[yellow]warning:[/yellow] SCIM was not read; account-lifecycle remediation is "
            "disabled for this organization."
        )
    for family, why in sorted(report.extraction_failures.items()):
        err.print(f"[yellow]warning:[/yellow] {family}: {why}")
    if report.issues:
        err.print(f"[yellow]warning:[/yellow] {len(report.issues)} record(s) read with problems:")
        for issue in report.issues[:20]:
            err.print(f"  {issue.family} {issue.record_id or '?'}: {issue.problem}")


JsonFlag = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]
WaitFlag = Annotated[
    float, typer.Option("--wait-neo4j", help="Seconds to wait for Neo4j to answer.")
]


@app.command()
def sync(as_json: JsonFlag = False, wait_neo4j: WaitFlag = 30.0) -> None:
    """Sync the organization of ANTHROPIC_ADMIN_KEY (and SCIM when configured) into Neo4j.

    Exit codes: 0 ok (also when SCIM is unavailable on the tier), 1 partial (a family could not
    be read; nothing of it was deleted), 2 configuration or credentials, 3 Neo4j unreachable,
    4 the organization could not be read at all.
    """
    settings = settings_or_exit()
    try:
        credentials = _credentials(settings)
    except CredentialError as exc:
        err.print(f"[red]Credentials:[/red] {exc}")
        raise typer.Exit(ExitCode.CONFIG) from None
    report = _sync(settings, credentials, _extract_config(settings), as_json, wait_neo4j)
    _print_report(report, as_json)
    raise typer.Exit(report.exit_code)


@app.command()
def demo(
    size: Annotated[str, typer.Option(help="small | medium | large | xl")] = "small",
    seed: Annotated[int, typer.Option(help="Seed of the simulated organization.")] = 1,
    as_json: JsonFlag = False,
    wait_neo4j: WaitFlag = 30.0,
) -> None:
    """Start the simulator (enterprise tier), sync it into the configured Neo4j, show where
    to look."""
    from anthropic_sim.config import SimConfig
    from anthropic_sim.server import running_simulator
    from ingest.local_neo4j.autostart import start_if_nothing_answers

    settings = settings_or_exit()
    start_if_nothing_answers(settings, err)
    with running_simulator(SimConfig(seed=seed, size=size, tier="enterprise")) as simulated:  # type: ignore[arg-type]
        credentials = Credentials(
            admin_key=simulated.admin_key,  # type: ignore[arg-type]
            oauth_token=simulated.oauth_token,  # type: ignore[arg-type]
            scim=ScimCredentials(base_url=simulated.scim_url, token=simulated.scim_token),  # type: ignore[arg-type]
        )
        settings.base_url = simulated.base_url
        config = _extract_config(settings, scim_url=simulated.scim_url)
        report = _sync(settings, credentials, config, as_json, wait_neo4j)
    _print_report(report, as_json)
    if not as_json:
        out.print(f"\nOpen Neo4j Browser: [bold]{settings.browser_url}[/bold]\n")
        for title, query in DEMO_QUERIES:
            out.print(f"[bold]// {title}[/bold]\n{query}\n", highlight=False)
    raise typer.Exit(report.exit_code)


@app.command()
def doctor() -> None:
    """Check credentials, reachability, capabilities and Neo4j without writing anything, and say
    what to fix. Exit code 0 when nothing failed, 1 otherwise."""
    from ingest.doctor import run_checks

    settings = settings_or_exit()
    checks = run_checks(settings, _credentials, _extract_config(settings))
    table = Table(title="idgraph doctor")
    table.add_column("check")
    table.add_column("status")
    table.add_column("detail")
    colour = {"ok": "green", "warn": "yellow", "fail": "red", "skip": "dim"}
    for check in checks:
        table.add_row(check.name, f"[{colour[check.status]}]{check.status}[/]", check.detail)
    out.print(table)
    raise typer.Exit(1 if any(c.status == "fail" for c in checks) else 0)


@app.command()
def run(as_json: JsonFlag = False, wait_neo4j: WaitFlag = 120.0) -> None:
    """The job docker compose runs: `sync` when ANTHROPIC_ADMIN_KEY is set, else `demo`."""
    settings = settings_or_exit()
    if settings.admin_key is not None and settings.admin_key.get_secret_value().strip():
        sync(as_json=as_json, wait_neo4j=wait_neo4j)
    err.print("ANTHROPIC_ADMIN_KEY is not set: syncing the built-in demo organization.")
    demo(size="small", seed=1, as_json=as_json, wait_neo4j=wait_neo4j)


def _register_subcommands() -> None:
    from anthropic_sim.cli import simulator_app
    from ingest.export.cli import export_command
    from ingest.local_neo4j.cli import neo4j_app
    from ingest.queries.cli import query_app
    from ingest.report.cli import report_command

    app.add_typer(simulator_app, name="simulator")
    app.add_typer(query_app, name="query")
    app.add_typer(neo4j_app, name="neo4j")
    app.command("report")(report_command)
    app.command("export")(export_command)


_register_subcommands()
if __name__ == "__main__":
    app()
