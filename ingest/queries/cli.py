"""`idgraph query list` and `idgraph query run ID [--param k=v ...] [--format ...]`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from neo4j.exceptions import Neo4jError
from rich.console import Console

from ingest.failures import fail, reported_failures
from ingest.neo4j_connection import open_driver
from ingest.queries.library import ORG_PARAM, Query, UnknownQuery, get_query, load_library
from ingest.queries.printing import Format, FormatOption, print_result
from ingest.queries.runner import QueryResult, UnknownParameter, merge_params, run_query
from ingest.settings import settings_or_exit
from ingest.sync.outcome import ExitCode
from ingest.terminal_text import safe

query_app = typer.Typer(
    help="Ask the graph the library's security questions (cypher/queries).",
    no_args_is_help=True,
)
err = Console(stderr=True)


@query_app.command("list")
def list_queries(output: FormatOption = Format.table) -> None:
    """List the questions: id, severity, category, title and parameters."""
    queries = load_library()
    if output is Format.json:
        typer.echo(json.dumps([_describe(q) for q in queries], indent=2))
        return
    columns = ["id", "severity", "category", "title", "params"]
    rows = [
        {
            "id": q.id,
            "severity": q.severity,
            "category": q.category,
            "title": q.title,
            "params": ", ".join(f"{k}={json.dumps(v)}" for k, v in q.params.items()),
        }
        for q in queries
    ]
    print_result(QueryResult(columns=columns, rows=rows), output, title="Questions")


@query_app.command("run")
def run(
    query_id: Annotated[str, typer.Argument(metavar="ID", help="Question id (see list).")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="k=v, repeatable; v is JSON when it parses."),
    ] = None,
    output: FormatOption = Format.table,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Only this organization (its id); every one by default."),
    ] = None,
) -> None:
    """Run one question against the configured Neo4j, in a read-only transaction."""
    query = query_or_exit(query_id)
    params = params_or_exit(query, param or [], org)
    settings = settings_or_exit(output is Format.json)
    with reported_failures(output is Format.json):
        driver = open_driver(settings)
    try:
        result = run_query(driver, settings.neo4j_database, query, params)
    except Neo4jError as exc:
        err.print(f"[red]{query.id} failed:[/red] {safe(exc.message or exc)}", soft_wrap=True)
        raise typer.Exit(ExitCode.PARTIAL) from None
    finally:
        driver.close()
    print_result(result, output, title=f"{query.title} ({len(result.rows)})")


def _describe(query: Query) -> dict[str, Any]:
    return {
        "id": query.id,
        "title": query.title,
        "severity": query.severity,
        "category": query.category,
        "why": query.why,
        "fix": query.fix,
        "params": query.params,
        "param_docs": query.param_docs,
        "allowed": query.allowed,
        "file": query.path.name,
    }


def query_or_exit(query_id: str) -> Query:
    try:
        return get_query(query_id)
    except UnknownQuery:
        known = ", ".join(q.id for q in load_library())
        fail(ExitCode.CONFIG, f"unknown question {query_id!r}; known: {known}")


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """`k=v` strings to a dict; v is parsed as JSON when it parses, else kept as a string."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--param {pair!r} is not of the form name=value")
        try:
            params[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[name.strip()] = raw
    return params


def params_or_exit(query: Query, pairs: list[str], org: str | None = None) -> dict[str, Any]:
    try:
        params = parse_params(pairs)
        if org is not None:
            params[ORG_PARAM] = org
        merge_params(query, params)
    except (ValueError, UnknownParameter) as exc:
        fail(ExitCode.CONFIG, str(exc))
    return params
