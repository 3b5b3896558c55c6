"""Values from the API (names, titles, errors) shown on a terminal as data, never as rich markup
or control sequences: an ESC in a workspace name must not recolour or retitle the terminal, and a
name like `[link=https://x]` must not become a hyperlink."""

from __future__ import annotations

import re

from rich.markup import escape

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what is shown.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(value: object) -> str:
    """The text of `value` with every control character written as its Python escape."""
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


def safe(value: object) -> str:
    """`visible(value)` with rich markup escaped: for anything printed through rich."""
    return escape(visible(value))
