"""`idgraph diff [--since TIME|SYNC] [--org ID] [--format table|json]`: the change records the
syncs kept (question changes-since), values printed as data."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

import neo4j
import typer
from neo4j.exceptions import Neo4jError

from ingest.failures import fail, reported_failures
from ingest.neo4j_connection import open_driver
from ingest.queries.library import ORG_PARAM, get_query
from ingest.queries.printing import Format, print_result
from ingest.queries.runner import run_query
from ingest.settings import settings_or_exit
from ingest.sync.outcome import ExitCode

QUESTION = "changes-since"
_SYNC_RUN = "MATCH (s:SyncRun {id: $since}) RETURN count(s) > 0 AS known"


class DiffFormat(StrEnum):
    table = "table"
    json = "json"


def diff_command(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="An RFC 3339 time or a sync id: the changes after it (default: the changes "
            "the latest sync found).",
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Only this organization (its id); every one by default."),
    ] = None,
    output: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="table or json.")
    ] = DiffFormat.table,
) -> None:
    """Print what the syncs saw change: created, removed, and tracked values old and new."""
    as_json = output is DiffFormat.json
    settings = settings_or_exit(as_json)
    with reported_failures(as_json):
        driver = open_driver(settings)
    try:
        database = settings.neo4j_database
        if since is not None and not _is_time(since) and not _known_sync(driver, database, since):
            fail(
                ExitCode.CONFIG,
                f"--since {since}: neither an RFC 3339 time nor a kept sync id "
                "(sync runs are kept IDGRAPH_HISTORY_RETENTION_DAYS)",
                as_json,
            )
        query = get_query(QUESTION)
        result = run_query(driver, database, query, {"since": since, ORG_PARAM: org})
    except Neo4jError as exc:
        fail(ExitCode.PARTIAL, f"diff failed: {exc.message or exc}", as_json)
    finally:
        driver.close()
    print_result(result, Format(output.value), title=f"Changes ({len(result.rows)})")


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _known_sync(driver: neo4j.Driver, database: str, since: str) -> bool:
    records, _, _ = driver.execute_query(
        _SYNC_RUN, {"since": since}, database_=database, routing_=neo4j.RoutingControl.READ
    )
    return bool(records[0]["known"])
