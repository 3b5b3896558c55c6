"""One result value as short text for a table cell (Markdown and HTML)."""

from __future__ import annotations

import json
from typing import Any

from ingest.report.paths import as_path, node_kind, node_name

MAX_CELL = 160


def cell_text(value: Any, limit: int = MAX_CELL) -> str:
    text = _text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_lines(value: Any, limit: int = MAX_CELL) -> list[str]:
    """A list of plain values as one line each (e.g. a hop list); anything else as one line."""
    plain = isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)
    if plain and value and as_path(value) is None:
        return [cell_text(item, limit) for item in value]
    return [cell_text(value, limit)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if (drawing := as_path(value)) is not None:
        hops = [f"{n.kind}:{n.name}" for n in drawing.nodes]
        arrows = [f" -{rel}-> " for rel in drawing.rels] + [""]
        return "".join(hop + arrow for hop, arrow in zip(hops, arrows, strict=True))
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict) and isinstance(value.get("labels"), list):
        return f"{node_kind(value['labels'])}:{node_name(value.get('properties') or {})}"
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return value["type"]
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
