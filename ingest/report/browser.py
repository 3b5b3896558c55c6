"""Neo4j Browser links that open a question in the editor."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ingest.queries.library import Query


def browser_text(query: Query) -> str:
    """The query as Browser runs it: its `:param` defaults (multi-statement editor), then it."""
    params = [f":param {name} => {_literal(value)};" for name, value in query.params.items()]
    return "\n".join([*params, "", query.cypher]) if params else query.cypher


def browser_link(browser_url: str, query: Query) -> str:
    """`<browser_url>?cmd=edit&arg=<url-encoded query>`."""
    separator = "&" if "?" in browser_url else "?"
    return f"{browser_url}{separator}cmd=edit&arg={quote(browser_text(query), safe='')}"


def _literal(value: Any) -> str:
    """A Cypher literal: JSON is one for numbers, double-quoted strings, lists, booleans, null."""
    return json.dumps(value, ensure_ascii=False)
