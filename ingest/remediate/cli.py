"""`idgraph remediate plan | apply | undo` (docs/remediation.md)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ingest.extract import AdminExtractor, Credentials, ExtractError
from ingest.failures import fail, reported_failures
from ingest.load import GraphLoader
from ingest.neo4j_connection import open_driver
from ingest.queries.cli import params_or_exit, parse_params, query_or_exit
from ingest.remediate.actions import KINDS
from ingest.remediate.apply import (
    DEFAULT_MAX_ACTIONS,
    TooManyActions,
    apply_items,
    check_size,
    ran_by,
)
from ingest.remediate.audit import DEFAULT_LOG, AuditTrail, UnknownEntry, find_entry
from ingest.remediate.plan import PlanError, make_plan, read_allowlist, read_plan, write_plan
from ingest.remediate.undo import CannotUndo, undo_item
from ingest.settings import Settings, settings_or_exit
from ingest.sync.outcome import ExitCode
from ingest.terminal_text import safe

remediate_app = typer.Typer(
    help="Turn findings into reviewed, gated, audited actions (dry run unless --execute).",
    no_args_is_help=True,
)
out = Console(soft_wrap=True, highlight=False)

LogOption = Annotated[Path, typer.Option("--log", help="The append-only JSON-lines audit log.")]
ExecuteFlag = Annotated[
    bool, typer.Option("--execute", help="Send the writes (default: a dry run that sends none).")
]
YesFlag = Annotated[
    bool, typer.Option("--yes", help="With --execute: do not ask for confirmation.")
]


@remediate_app.command("plan")
def plan_command(
    question: Annotated[str, typer.Option("--from", help="The question id (idgraph query list).")],
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the plan (JSON).")],
    org: Annotated[str | None, typer.Option("--org", help="Only this organization id.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="The question's k=v, repeatable.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--action", help=f"The action (default: the question's): {', '.join(KINDS)}."),
    ] = None,
    values: Annotated[
        list[str] | None, typer.Option("--set", help="A value the action needs, e.g. role=user.")
    ] = None,
    allowlist: Annotated[
        Path | None, typer.Option("--allowlist", help="Ids or emails never to touch, one a line.")
    ] = None,
) -> None:
    """Make a plan from a question's findings; nothing is sent."""
    query = query_or_exit(question)
    params = params_or_exit(query, param or [])
    settings = settings_or_exit()
    with reported_failures(False):
        driver = open_driver(settings)
    try:
        plan = make_plan(
            driver,
            settings.neo4j_database,
            query,
            params,
            kind=kind,
            org_id=org,
            values=parse_params(values or []),
            allowlist=read_allowlist(allowlist),
            has_oauth=settings.oauth_token is not None,
            running=_running_secrets(settings),
        )
    except (PlanError, ValueError, OSError) as exc:
        fail(ExitCode.CONFIG, str(exc))
    finally:
        driver.close()
    write_plan(plan, out_path)
    for item in plan.items:
        note = f" (irreversible: {item['irreversible']})" if item["irreversible"] else ""
        out.print(safe(f"{item['id']} {item['what']} — {item['why']}{note}"))
    for left in plan.excluded:
        out.print(safe(f"not planned: {left['label']} {left['name']}: {left['reason']}"))
    for refused in plan.refused:
        out.print(
            safe(
                f"refused on {refused['organization_id']}: {refused['action']}: {refused['reason']}"
            )
        )
    out.print(f"{len(plan.items)} action(s) written to {out_path}")


@remediate_app.command("apply")
def apply_command(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="A plan from `plan`.")],
    execute: ExecuteFlag = False,
    yes: YesFlag = False,
    max_actions: Annotated[
        int, typer.Option("--max-actions", help="Refuse plans with more actions than this.")
    ] = DEFAULT_MAX_ACTIONS,
    log: LogOption = DEFAULT_LOG,
) -> None:
    """Apply a plan: a dry run unless --execute (which asks on a terminal unless --yes)."""
    try:
        plan = read_plan(plan_path)
        check_size(plan["items"], max_actions)
    except (PlanError, TooManyActions, OSError, ValueError) as exc:
        fail(ExitCode.CONFIG, str(exc))
    _run(plan["items"], execute=execute, yes=yes, log=log)


@remediate_app.command("undo")
def undo_command(
    entry_id: Annotated[str, typer.Argument(metavar="ENTRY", help="An entry id of the log.")],
    execute: ExecuteFlag = False,
    yes: YesFlag = False,
    log: LogOption = DEFAULT_LOG,
) -> None:
    """Reverse a logged action where the API allows it (a dry run unless --execute)."""
    try:
        item = undo_item(find_entry(log, entry_id))
    except (UnknownEntry, CannotUndo, OSError, ValueError) as exc:
        fail(ExitCode.CONFIG, str(exc).strip('"'))
    _run([item], execute=execute, yes=yes, log=log)


def _run(items: list[dict[str, Any]], *, execute: bool, yes: bool, log: Path) -> None:
    from ingest.cli import _credentials

    settings = settings_or_exit()
    with reported_failures(False):
        credentials = _credentials(settings)
    if execute and not yes:
        if not sys.stdin.isatty():
            fail(ExitCode.CONFIG, "--execute asks for confirmation on a terminal; add --yes")
        if not typer.confirm(f"Send up to {len(items)} write request(s)?"):
            raise typer.Exit(ExitCode.OK)
    driver = open_driver(settings) if execute else None
    try:
        trail = AuditTrail(log, GraphLoader(driver, settings.neo4j_database)) if driver else None
        report = asyncio.run(_apply(items, credentials, settings, execute=execute, trail=trail))
    except ExtractError as exc:
        fail(ExitCode.FAILED, str(exc))
    finally:
        if driver is not None:
            driver.close()
    counts: dict[str, int] = {}
    for outcome in report.outcomes:
        counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
    summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing to do"
    out.print(f"{'executed' if execute else 'dry run, nothing sent'}: {summary}")
    if report.failed:
        out.print(f"stopped at the first failure; not done: {len(report.not_done)} action(s)")
        for item in report.not_done:
            out.print(safe(f"  {item['id']} {item['what']}"))
        raise typer.Exit(ExitCode.PARTIAL)


async def _apply(
    items: list[dict[str, Any]],
    credentials: Credentials,
    settings: Settings,
    *,
    execute: bool,
    trail: AuditTrail | None,
) -> Any:
    from ingest.cli import _extract_config
    from ingest.remediate.client import RemediationClient

    config = _extract_config(settings)
    async with AdminExtractor(credentials, config) as admin:
        organization = await admin.organization()
    async with RemediationClient(credentials, config) as client:
        return await apply_items(
            items,
            client,
            organization_id=organization.id,
            execute=execute,
            trail=trail,
            ran_by=ran_by(f"{credentials.admin_key_kind.value} admin key"),
            say=lambda line: out.print(safe(line)),
        )


def _running_secrets(settings: Settings) -> list[Any]:
    secrets = [settings.admin_key, settings.oauth_token, settings.scim_token]
    return [s for s in secrets if s is not None]
