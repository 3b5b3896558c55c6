"""The question library: `cypher/queries/*.cypher`, each file one question with a header.

A file is a comment header, then `:param name => literal;` lines (Neo4j Browser runs them in
its multi-statement editor; here they are the defaults and are stripped), then ONE query:

    // id: keys-of-departed-users
    // title: Active keys whose owner is no longer a member
    // severity: high
    // category: hygiene
    // why: ...
    //   (an indented comment line continues the previous field)
    // fix: ...
    // param days: minimum age in days
    // allowed ability: manage_members, create_keys   (optional: the only values accepted)
    :param days => 90;

    MATCH ...

The parser is strict: a missing or unknown field, a bad severity or category, a `:param`
without its `// param` line (or the reverse), a default that is not a literal, or an `allowed`
list for an undeclared parameter or that leaves out its default is an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
CATEGORIES: tuple[str, ...] = ("attack path", "hygiene", "lifecycle", "inventory")
FIELDS: tuple[str, ...] = ("id", "title", "severity", "category", "why", "fix")
# The parameter every question of the library takes: one organization's id (null: every one);
# each row names its organization in the columns ORG_COLUMNS.
ORG_PARAM = "org"
ORG_COLUMNS: tuple[str, str] = ("org_id", "org_name")
# Fields about one parameter: `// param days: ...`, `// allowed ability: a, b`.
NAMED_FIELDS: tuple[str, ...] = ("param", "allowed")

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_FIELD = re.compile(rf"^//\s?(?P<key>[a-z]+)(?: (?P<name>{_NAME}))?:\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^//\s{2,}(?P<value>\S.*)$")
_PARAM = re.compile(rf"^:param\s+(?P<name>{_NAME})\s*=>\s*(?P<value>.+?)\s*;\s*$")


class QueryFileError(ValueError):
    """A `.cypher` file of the library does not follow the header format."""


class UnknownQuery(KeyError):
    """No question of the library has this id."""


@dataclass(frozen=True)
class Query:
    id: str
    title: str
    severity: str
    category: str
    why: str
    fix: str
    params: dict[str, Any]
    cypher: str
    path: Path
    param_docs: dict[str, str] = field(default_factory=dict)
    # parameter -> the only values it accepts (`// allowed name: a, b`)
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)


def queries_dir(package: Path | None = None) -> Path:
    """`ingest/_cypher/queries` in an installed wheel, else `cypher/queries` in a checkout."""
    package = package or Path(__file__).resolve().parent.parent
    installed = package / "_cypher" / "queries"
    if installed.is_dir():
        return installed
    return package.parent / "cypher" / "queries"


def load_library(directory: Path | None = None) -> list[Query]:
    """Every question, sorted by file name."""
    directory = directory or queries_dir()
    return [parse_query_file(path) for path in sorted(directory.glob("*.cypher"))]


def get_query(query_id: str, directory: Path | None = None) -> Query:
    for query in _library(directory):
        if query.id == query_id:
            return query
    raise UnknownQuery(query_id)


@cache
def _library(directory: Path | None) -> tuple[Query, ...]:
    return tuple(load_library(directory))


def parse_query_file(path: Path) -> Query:
    try:
        return parse_query(path.read_text(encoding="utf-8"), path)
    except QueryFileError as exc:
        raise QueryFileError(f"{path.name}: {exc}") from None


def parse_query(text: str, path: Path) -> Query:
    lines = text.splitlines()
    header, position = _read_header(lines)
    params, position = _read_params(lines, position)
    cypher = "\n".join(lines[position:]).strip().removesuffix(";").rstrip()
    _check(header, params, cypher, path)
    param_docs = _named(header, "param")
    allowed = {
        name: tuple(v.strip() for v in values.split(",") if v.strip())
        for name, values in _named(header, "allowed").items()
    }
    _check_allowed(allowed, params)
    return Query(
        id=header["id"],
        title=header["title"],
        severity=header["severity"],
        category=header["category"],
        why=header["why"],
        fix=header["fix"],
        params=params,
        cypher=cypher,
        path=path,
        param_docs=param_docs,
        allowed=allowed,
    )


def _named(header: dict[str, str], kind: str) -> dict[str, str]:
    """The `// <kind> <name>: value` fields of `header`, by name."""
    prefix = kind + " "
    return {key[len(prefix) :]: value for key, value in header.items() if key.startswith(prefix)}


def _check_allowed(allowed: dict[str, tuple[str, ...]], params: dict[str, Any]) -> None:
    for name, values in allowed.items():
        if name not in params:
            raise QueryFileError(f"`// allowed {name}` names no declared parameter")
        if params[name] not in values:
            raise QueryFileError(
                f"the default of {name}, {params[name]!r}, is not among its allowed values"
            )


def _read_header(lines: list[str]) -> tuple[dict[str, str], int]:
    header: dict[str, str] = {}
    last: str | None = None
    position = 0
    for position, line in enumerate(lines):
        if not line.startswith("//"):
            break
        if (cont := _CONTINUATION.match(line)) and last is not None:
            header[last] += " " + cont["value"].strip()
            continue
        match = _FIELD.match(line)
        if match is None:
            raise QueryFileError(f"line {position + 1}: not a header field: {line!r}")
        key = match["key"] if match["name"] is None else f"{match['key']} {match['name']}"
        if match["key"] not in (*FIELDS, *NAMED_FIELDS) or (match["key"] in NAMED_FIELDS) != bool(
            match["name"]
        ):
            raise QueryFileError(f"line {position + 1}: unknown header field {key!r}")
        if key in header:
            raise QueryFileError(f"line {position + 1}: {key!r} given twice")
        header[key] = match["value"].strip()
        last = key
    else:
        position = len(lines)
    return header, position


def _read_params(lines: list[str], position: int) -> tuple[dict[str, Any], int]:
    params: dict[str, Any] = {}
    while position < len(lines):
        line = lines[position].strip()
        if line and not line.startswith(":"):
            break
        if line:
            match = _PARAM.match(line)
            if match is None:
                raise QueryFileError(f"line {position + 1}: not a `:param x => value;` line")
            params[match["name"]] = _literal(match["value"], position)
        position += 1
    return params, position


def _literal(value: str, position: int) -> Any:
    """A Cypher literal default: number, 'string', "string", true, false, null, JSON list."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("\\'", "'")
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise QueryFileError(
            f"line {position + 1}: default {value!r} is not a literal (number, string, "
            "true, false, null, list)"
        ) from None


def _check(header: dict[str, str], params: dict[str, Any], cypher: str, path: Path) -> None:
    missing = [f for f in FIELDS if not header.get(f)]
    if missing:
        raise QueryFileError(f"header lacks {', '.join(missing)}")
    if not _ID.match(header["id"]) or header["id"] != path.stem.partition("_")[2]:
        raise QueryFileError(
            f"id {header['id']!r} must be kebab-case and match the file name NN_<id>.cypher"
        )
    if header["severity"] not in SEVERITIES:
        raise QueryFileError(f"severity {header['severity']!r} not in {SEVERITIES}")
    if header["category"] not in CATEGORIES:
        raise QueryFileError(f"category {header['category']!r} not in {CATEGORIES}")
    documented = set(_named(header, "param"))
    if documented != set(params):
        raise QueryFileError(
            f"`// param` lines {sorted(documented)} and `:param` lines {sorted(params)} differ"
        )
    if not cypher:
        raise QueryFileError("no query after the header")
    if ";" in cypher:
        raise QueryFileError("one query per file: ';' inside the query")
