"""A question's answer printed as a table, JSON or CSV: values are data, never terminal markup
and never a live spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ingest.queries.runner import QueryResult
from ingest.terminal_text import safe


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


NARROWEST_COLUMN = 8
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")]


def print_result(result: QueryResult, output: Format, title: str) -> None:
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
