"""Choosing a renderer by format name."""

from __future__ import annotations

from collections.abc import Callable

from ingest.report.model import Report
from ingest.report.render_html import render_html
from ingest.report.render_json import render_json
from ingest.report.render_markdown import render_markdown

RENDERERS: dict[str, Callable[[Report], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def render(report: Report, fmt: str) -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}") from None
    return renderer(report)
