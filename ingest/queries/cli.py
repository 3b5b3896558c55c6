"""`idgraph query list` and `idgraph query run ID [--param k=v ...] [--format ...]`."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from neo4j.exceptions import Neo4jError
from rich.console import Console
from rich.table import Table

from ingest.failures import fail, reported_failures
from ingest.neo4j_connection import open_driver
from ingest.queries.library import ORG_PARAM, Query, UnknownQuery, get_query, load_library
from ingest.queries.runner import QueryResult, UnknownParameter, merge_params, run_query
from ingest.settings import settings_or_exit
from ingest.sync.outcome import ExitCode
from ingest.terminal_text import safe

query_app = typer.Typer(
    help="Ask the graph the library's security questions (cypher/queries).",
    no_args_is_help=True,
)
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


NARROWEST_COLUMN = 8
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")]


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
    _print(QueryResult(columns=columns, rows=rows), output, title="Questions")


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
    query = _query_or_exit(query_id)
    params = _params_or_exit(query, param or [], org)
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
    _print(result, output, title=f"{query.title} ({len(result.rows)})")


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


def _query_or_exit(query_id: str) -> Query:
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


def _params_or_exit(query: Query, pairs: list[str], org: str | None = None) -> dict[str, Any]:
    try:
        params = parse_params(pairs)
        if org is not None:
            params[ORG_PARAM] = org
        merge_params(query, params)
    except (ValueError, UnknownParameter) as exc:
        fail(ExitCode.CONFIG, str(exc))
    return params


# ---- output ---------------------------------------------------------------------------------


def _print(result: QueryResult, output: Format, title: str) -> None:
    if output is Format.json:
        typer.echo(json.dumps({"columns": result.columns, "rows": result.rows}, indent=2))
    elif output is Format.csv:
        sys.stdout.write(_csv(result))  # exact: click.echo would strip ANSI codes off the data
    else:
        _table(result, title)


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(map(_inert_cell, result.columns))
    for row in result.rows:
        writer.writerow([_csv_cell(row[c]) for c in result.columns])
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    # Numbers stay numbers (-1 is not a formula); only text can smuggle one.
    return _inert_cell(value) if isinstance(value, str) else _flat(value)


def _inert_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _table(result: QueryResult, title: str) -> None:
    table = Table(title=safe(title))
    for column in result.columns:
        if column == "id":  # ids are copied into `query run`: never broken or cut
            table.add_column(column, no_wrap=True, min_width=max(map(len, _ids(result)), default=2))
        else:
            table.add_column(safe(column), overflow="fold", min_width=NARROWEST_COLUMN)
    for row in result.rows:
        table.add_row(*(safe(_cell(row[c])) for c in result.columns))
    console = Console()
    needed = console.measure(table, options=console.options.update_width(10_000)).minimum
    # Too narrow a terminal gets lines longer than itself (which it folds, and copies whole)
    # rather than ids cut by rich or columns squeezed to nothing.
    (console if needed <= console.width else Console(width=needed)).print(table)


def _ids(result: QueryResult) -> list[str]:
    return [str(row["id"]) for row in result.rows]


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _cell(value: Any) -> str:
    """Short text for a table cell: lists joined, nodes and paths by name."""
    if isinstance(value, list):
        return (" " if _is_path(value) else ", ").join(map(_cell, value))
    if isinstance(value, dict) and "labels" in value:
        props = value.get("properties", {})
        name = props.get("email") or props.get("name") or props.get("id")
        return f"({value['labels'][0]} {name})"
    if isinstance(value, dict) and "type" in value and "start" in value:
        return f"-[{value['type']}]->"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _flat(value)


def _is_path(value: list[Any]) -> bool:
    graph_values = (isinstance(v, dict) and ("labels" in v or "start" in v) for v in value)
    return bool(value) and all(graph_values)
