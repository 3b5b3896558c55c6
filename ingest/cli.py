"""The `idgraph` command line."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn, get_args

import typer
from rich.console import Console
from rich.table import Table

from anthropic_sim.config import Size as SimSize
from ingest.extract import Credentials, ExtractConfig
from ingest.extract.config import EngineLimits
from ingest.extract.credentials import ScimCredentials
from ingest.extract.pacing import admin_limits_for_key, analytics_limits
from ingest.failures import fail, reported_failures
from ingest.load import GraphLoader
from ingest.logs import LogFormat, configure_logging, logs_as_json, naming_organization
from ingest.mapping.organization import SCIM_REFUSED
from ingest.neo4j_connection import open_driver
from ingest.organizations import (
    ConfiguredOrganization,
    environment,
    load_organizations,
    sync_options,
)
from ingest.settings import Settings, settings_or_exit
from ingest.sync.families import SOURCES
from ingest.sync.outcome import ExitCode, SyncOutcome
from ingest.sync.pipeline import SyncOptions, run_sync
from ingest.sync.progress import show_progress
from ingest.sync.several import run_json, sync_each, worst_exit_code
from ingest.terminal_text import safe

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
        "WHERE NOT (k)-[:CREATED_BY]->(:AnthropicUser)\n"
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
        admin=admin_limits_for_key(settings.admin_key, settings.admin_rate, settings.admin_burst),
        analytics=analytics_limits(settings.analytics_rate, settings.analytics_burst),
        scim=EngineLimits(rate=settings.scim_rate, burst=settings.scim_burst),
        request_timeout=settings.request_timeout,
        deadline=settings.deadline,
        activity_days=settings.activity_days,
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
    driver = open_driver(settings, wait_seconds)
    try:
        kwargs = {"batch_size": settings.batch_size} if settings.batch_size else {}
        history = settings.history_retention_days
        yield GraphLoader(driver, settings.neo4j_database, history_days=history, **kwargs)
    finally:
        driver.close()


def _sync(
    settings: Settings,
    credentials: Credentials,
    config: ExtractConfig,
    as_json: bool,
    wait: float,
    log_format: LogFormat,
) -> SyncOutcome:
    options = SyncOptions(
        credentials=credentials, extract=config, main_domains=settings.main_domains
    )
    configure_logging(log_format)
    drawn = err.is_terminal and log_format is LogFormat.text and not as_json
    interval = settings.progress_interval
    with (
        reported_failures(as_json),
        _loader(settings, wait) as loader,
        show_progress(err, terminal=drawn, interval=interval) as progress,
    ):
        return run_sync(loader, options, progress)


def _sync_several(
    settings: Settings, path: Path, as_json: bool, wait: float, log_format: LogFormat
) -> NoReturn:
    """Every organization of the file in turn, into one graph; exits with the worst code."""
    with reported_failures(as_json):
        orgs = load_organizations(path)
    configure_logging(log_format)
    env, base = environment(), _extract_config(settings)
    drawn = err.is_terminal and log_format is LogFormat.text and not as_json

    def sync_one(org: ConfiguredOrganization) -> SyncOutcome:
        options = sync_options(org, base, settings.main_domains, env)
        with show_progress(err, terminal=drawn, interval=settings.progress_interval) as progress:
            return run_sync(loader, options, progress)

    with reported_failures(as_json), _loader(settings, wait) as loader:
        results = sync_each(orgs, sync_one)
    if as_json:
        out.print_json(json.dumps(run_json(results)))
        raise typer.Exit(worst_exit_code(results))
    summary = Table(title="Organizations")
    for column in ("organization", "status", "exit code", "sync id"):
        summary.add_column(column)
    for result in results:
        if result.outcome is not None:
            with naming_organization(result.name):
                _print_report(result.outcome, as_json=False)
        status = result.outcome.status if result.outcome else f"error: {result.message}"
        sync_id = result.outcome.sync_id if result.outcome else ""
        summary.add_row(safe(result.name), safe(status), str(int(result.exit_code)), sync_id)
    out.print(summary)
    raise typer.Exit(worst_exit_code(results))


def _print_report(report: SyncOutcome, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report.to_json()))
        return
    refused = report.scim_status in SCIM_REFUSED  # said once, as an error line below
    table = Table(title=safe(f"Sync of {report.org_name or report.org_id} ({report.sync_id})"))
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
            _cleaned_up(report, family),
        )
    out.print(table)
    out.print(
        f"written: {report.nodes_written} nodes, {report.rels_written} relationships; "
        f"removed: {report.nodes_deleted} nodes, {report.rels_deleted} relationships\n"
        f"API calls: {report.api_calls}, retries: {report.retries}, "
        f"throttled: {report.throttled_seconds:.1f} s, duration: {report.duration_seconds:.1f} s\n"
        f"SCIM: {report.scim_status}"
        + (f" ({report.scim_reason})" if report.scim_reason and not refused else ""),
        markup=False,
    )
    if refused:
        _say(
            logging.ERROR,
            f"SCIM was not read, its graph is as the last sync left it: {report.scim_reason}",
        )
    elif report.scim_status != "available":
        _say(
            logging.WARNING,
            "SCIM was not read; account-lifecycle remediation is disabled for this organization.",
        )
    for family, why in sorted(report.extraction_failures.items()):
        _say(logging.WARNING, f"{family}: {why}")
    for family, why in sorted(report.read_incompletely.items()):
        _say(logging.WARNING, f"{family}: not cleaned up: {why}")
    for family, why in sorted(report.write_failures.items()):
        _say(logging.ERROR, f"{family} could not be written, nothing of it deleted: {why}")
    if report.issues:
        _say(logging.WARNING, f"{len(report.issues)} record(s) read with problems:")
        for issue in report.issues[:20]:
            _say(logging.WARNING, f"  {issue.family} {issue.record_id or '?'}: {issue.problem}")


def _cleaned_up(report: SyncOutcome, family: str) -> str:
    """Whether the family was cleaned up and, when not, which of its reads kept it from it."""
    if family in report.families_complete:
        return "yes"
    if family in report.write_failures:
        return "no (not written completely)"
    unread = set(report.extraction_failures) | set(report.read_incompletely)
    missing = sorted(SOURCES.get(family, frozenset()) & unread)
    return f"no (not read: {', '.join(missing)})" if missing else "no"


def _say(level: int, text: str) -> None:
    """A line of the summary on stderr: a log record when the logs are JSON lines, so a
    scheduler's parser never meets plain text there."""
    if logs_as_json():
        logging.getLogger("ingest.cli").log(level, "%s", text.strip(), extra={"event": "summary"})
        return
    tag = "[red]error:[/red]" if level >= logging.ERROR else "[yellow]warning:[/yellow]"
    err.print(f"{tag} {safe(text)}", soft_wrap=True)


JsonFlag = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]
DEMO_SIZES: tuple[str, ...] = get_args(SimSize)
WaitFlag = Annotated[
    float, typer.Option("--wait-neo4j", help="Seconds to wait for Neo4j to answer.")
]
LogFormatFlag = Annotated[
    LogFormat,
    typer.Option(
        "--log-format", help="Progress and log lines on stderr: text, or one JSON object a line."
    ),
]


@app.command()
def sync(
    as_json: JsonFlag = False,
    wait_neo4j: WaitFlag = 30.0,
    log_format: LogFormatFlag = LogFormat.text,
    orgs_file: Annotated[
        Path | None,
        typer.Option("--orgs", help="TOML file naming several organizations (IDGRAPH_ORGS_FILE)."),
    ] = None,
) -> None:
    """Sync the organization of ANTHROPIC_ADMIN_KEY (and SCIM when configured) into Neo4j.

    Exit codes: 0 ok (also when SCIM is not on the organization's plan), 1 partial (a family
    could not be read completely or written, or the SCIM token or URL was refused; nothing of
    it was deleted), 2 configuration or credentials, 3 Neo4j unreachable,
    4 the organization could not be read at all. With --orgs, each organization in turn, and
    the worst of their codes.
    """
    settings = settings_or_exit(as_json)
    several = orgs_file or settings.orgs_file
    if several is not None:
        _sync_several(settings, several, as_json, wait_neo4j, log_format)
    with reported_failures(as_json):
        credentials = _credentials(settings)
    config = _extract_config(settings)
    report = _sync(settings, credentials, config, as_json, wait_neo4j, log_format)
    _print_report(report, as_json)
    raise typer.Exit(report.exit_code)


@app.command()
def demo(
    size: Annotated[str, typer.Option(help=" | ".join(DEMO_SIZES))] = "small",
    seed: Annotated[int, typer.Option(help="Seed of the simulated organization.")] = 1,
    as_json: JsonFlag = False,
    wait_neo4j: WaitFlag = 30.0,
    log_format: LogFormatFlag = LogFormat.text,
) -> None:
    """Start the simulator (enterprise tier), sync it into the configured Neo4j, show where
    to look."""
    from anthropic_sim.config import SimConfig
    from anthropic_sim.server import running_simulator
    from ingest.local_neo4j.autostart import start_if_nothing_answers

    if size not in DEMO_SIZES:
        fail(ExitCode.CONFIG, f"--size {size!r} is not one of {', '.join(DEMO_SIZES)}", as_json)
    settings = settings_or_exit(as_json)
    with reported_failures(as_json):
        start_if_nothing_answers(settings, err)
    with running_simulator(SimConfig(seed=seed, size=size, tier="enterprise")) as simulated:  # type: ignore[arg-type]
        credentials = Credentials(
            admin_key=simulated.admin_key,  # type: ignore[arg-type]
            oauth_token=simulated.oauth_token,  # type: ignore[arg-type]
            scim=ScimCredentials(base_url=simulated.scim_url, token=simulated.scim_token),  # type: ignore[arg-type]
        )
        settings.base_url = simulated.base_url
        config = _extract_config(settings, scim_url=simulated.scim_url)
        # The demo's clock stands at its epoch: read the activity up to then, not up to today.
        config = dataclasses.replace(config, activity_until=simulated.sim.now())
        report = _sync(settings, credentials, config, as_json, wait_neo4j, log_format)
    _print_report(report, as_json)
    if not as_json:
        out.print(f"\nOpen Neo4j Browser: [bold]{settings.browser_url}[/bold]\n")
        for title, query in DEMO_QUERIES:
            out.print(f"[bold]// {title}[/bold]", highlight=False)
            out.print(f"{query}\n", markup=False, highlight=False, soft_wrap=True)
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
        table.add_row(check.name, f"[{colour[check.status]}]{check.status}[/]", safe(check.detail))
    out.print(table)
    raise typer.Exit(1 if any(c.status == "fail" for c in checks) else 0)


@app.command()
def run(
    as_json: JsonFlag = False,
    wait_neo4j: WaitFlag = 120.0,
    log_format: LogFormatFlag = LogFormat.text,
) -> None:
    """The job docker compose runs: `sync` when ANTHROPIC_ADMIN_KEY (or IDGRAPH_ORGS_FILE) is
    set, else `demo`."""
    settings = settings_or_exit(as_json)
    if settings.orgs_file or (
        settings.admin_key is not None and settings.admin_key.get_secret_value().strip()
    ):
        sync(as_json=as_json, wait_neo4j=wait_neo4j, log_format=log_format)
    err.print("ANTHROPIC_ADMIN_KEY is not set: syncing the built-in demo organization.")
    demo(size="small", seed=1, as_json=as_json, wait_neo4j=wait_neo4j, log_format=log_format)


def _register_subcommands() -> None:
    from anthropic_sim.cli import simulator_app
    from ingest.export.cli import export_command
    from ingest.local_neo4j.cli import neo4j_app
    from ingest.queries.cli import query_app
    from ingest.queries.diff import diff_command
    from ingest.remediate.cli import remediate_app
    from ingest.report.cli import report_command

    app.add_typer(simulator_app, name="simulator")
    app.add_typer(query_app, name="query")
    app.add_typer(neo4j_app, name="neo4j")
    app.add_typer(remediate_app, name="remediate")
    app.command("report")(report_command)
    app.command("export")(export_command)
    app.command("diff")(diff_command)


_register_subcommands()
if __name__ == "__main__":
    app()
