"""A path drawn as inline SVG: a box per node (kind and name), a labelled arrow per hop.

A long path wraps: each row holds a few nodes, and a row after the first opens with the arrow
of the hop that continues it."""

from __future__ import annotations

import re
from html import escape

from ingest.report.model import PathDrawing, PathNode

BOX_HEIGHT = 44
MIN_BOX = 96
MAX_NAME = 28
ARROW_MIN = 90
CHAR_WIDTH = 7.0  # a generous average for 12-13 px system sans-serif
MARGIN = 4
NODES_PER_ROW = 4
ROW_GAP = 14
COLOURS: dict[str, str] = {
    "User": "#1d4ed8",
    "ServiceAccount": "#7c3aed",
    "Role": "#b45309",
    "Workspace": "#047857",
    "ApiKey": "#b91c1c",
    "ScimUser": "#0e7490",
    "ScimGroup": "#0e7490",
    "Invite": "#52606d",
    "Organization": "#1f2933",
    "FederationIssuer": "#be185d",
    "FederationRule": "#be185d",
    "RbacGroup": "#0e7490",
    "RbacRole": "#b45309",
    "RbacRolePermission": "#b45309",
}


def path_svg(path: PathDrawing) -> str:
    boxes = [_box_width(node) for node in path.nodes]
    arrows = [max(ARROW_MIN, _text_width(rel, 6.6) + 24) for rel in path.rels]
    parts: list[str] = []
    width = 0.0
    starts = range(0, len(path.nodes), NODES_PER_ROW)
    for row, first in enumerate(starts):
        y = MARGIN + row * (BOX_HEIGHT + ROW_GAP)
        x = float(MARGIN)
        last = min(first + NODES_PER_ROW, len(path.nodes)) - 1
        if first > 0:
            parts.append(_arrow(path.rels[first - 1], x, y, arrows[first - 1]))
            x += arrows[first - 1]
        for i in range(first, last + 1):
            parts.append(_node(path.nodes[i], x, y, boxes[i]))
            x += boxes[i]
            if i < last:
                parts.append(_arrow(path.rels[i], x, y, arrows[i]))
                x += arrows[i]
        width = max(width, x + MARGIN)
    height = len(starts) * (BOX_HEIGHT + ROW_GAP) - ROW_GAP + MARGIN * 2
    label = " → ".join(f"{n.kind} {n.name}" for n in path.nodes)
    return (
        f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 {width:.0f} {height}" '
        f'width="{width:.0f}" style="max-width:100%">' + "".join(parts) + "</svg>"
    )


def _node(node: PathNode, x: float, top: float, width: float) -> str:
    colour = COLOURS.get(node.kind, "#3e4c59")
    centre = x + width / 2
    return (
        f"<g><title>{escape(node.kind)}: {escape(node.name)}</title>"
        f'<rect x="{x:.1f}" y="{top}" width="{width:.1f}" height="{BOX_HEIGHT}" rx="6" '
        f'fill="#fff" stroke="{colour}" stroke-width="1.5"/>'
        f'<rect x="{x:.1f}" y="{top}" width="5" height="{BOX_HEIGHT}" rx="2" '
        f'fill="{colour}"/>'
        f'<text x="{centre:.1f}" y="{top + 16}" text-anchor="middle" font-size="10" '
        f'font-weight="700" fill="{colour}" letter-spacing=".04em">'
        f"{escape(_kind_words(node.kind).upper())}</text>"
        f'<text x="{centre:.1f}" y="{top + 34}" text-anchor="middle" font-size="12.5" '
        f'fill="#1f2933">{escape(_short(node.name))}</text></g>'
    )


def _arrow(rel: str, x: float, top: float, width: float) -> str:
    y = top + BOX_HEIGHT / 2 + 6
    start, end = x + 4, x + width - 4
    centre = x + width / 2
    return (
        f'<g><line x1="{start:.1f}" y1="{y:.1f}" x2="{end - 7:.1f}" y2="{y:.1f}" '
        f'stroke="#7b8794" stroke-width="1.5"/>'
        f'<polygon points="{end:.1f},{y:.1f} {end - 8:.1f},{y - 4:.1f} {end - 8:.1f},{y + 4:.1f}" '
        f'fill="#7b8794"/>'
        f'<text x="{centre:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="10.5" '
        f'font-family="ui-monospace, Menlo, Consolas, monospace" fill="#3e4c59">'
        f"{escape(rel)}</text></g>"
    )


def _box_width(node: PathNode) -> float:
    name = _text_width(_short(node.name), CHAR_WIDTH)
    kind = _text_width(_kind_words(node.kind), 7.4)
    return max(MIN_BOX, name + 24, kind + 24)


def _kind_words(kind: str) -> str:
    """ServiceAccount -> Service Account, ApiKey -> Api Key."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind)


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def _text_width(text: str, per_char: float) -> float:
    return len(text) * per_char
