"""The two documented pagination families.

A. ID cursor (users, invites, workspaces, members, API keys): `before_id` / `after_id` /
   `limit` in; `data`, `has_more` (in the requested direction), `first_id`, `last_id` out.
   Lists are sorted by id ascending, which is creation order (ids are monotonic).
B. Opaque page token (service accounts and their memberships): `limit` / `page` in;
   `data`, `has_more`, `next_page` out.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from anthropic_sim.errors import bad_request

T = TypeVar("T")


def parse_limit(params: Mapping[str, str], default: int = 20, maximum: int = 1000) -> int:
    raw = params.get("limit")
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"limit: Input should be a valid integer, got {raw!r}") from None
    if not 1 <= value <= maximum:
        raise bad_request(f"limit: Input should be between 1 and {maximum}, got {value}")
    return value


def id_page(
    items: Sequence[T],
    key: Callable[[T], str],
    params: Mapping[str, str],
    known: Callable[[str], bool],
    unknown_cursor: str = "error",
    newest_first: bool = False,
    default_limit: int = 20,
    max_limit: int = 1000,
    keys: Sequence[str] | None = None,
) -> tuple[list[T], dict[str, Any]]:
    """One family-A page of `items` (sorted by `key`), plus the envelope fields; `keys`, when
    given, are the items' keys already taken (a long list paged many times).

    `known(id)` says whether a cursor id ever belonged to this list; with
    `unknown_cursor="error"` an id that never did is a 400. `newest_first` lists by id
    descending: `after_id` then steps to older records, `before_id` to newer ones.
    """
    limit = parse_limit(params, default_limit, max_limit)
    after = params.get("after_id") or None
    before = params.get("before_id") or None
    if after and before:
        raise bad_request("Cannot specify both before_id and after_id")
    cursor = after or before
    if cursor is not None and unknown_cursor == "error" and not known(cursor):
        name = "after_id" if after else "before_id"
        raise bad_request(f"{name}: no object with id {cursor!r}")
    if keys is None:
        keys = [key(item) for item in items]
    if newest_first:
        if after is not None:
            rest = items[: bisect_left(keys, after)][::-1]
        elif before is not None:
            rest = items[bisect_right(keys, before) :]
        else:
            rest = items[::-1]
        page = list(rest[:limit])
        if before is not None:  # the records just newer than the cursor, in list order
            page.reverse()
        has_more = len(rest) > limit
    elif before is not None:
        prior = items[: bisect_left(keys, before)]
        page = list(prior[-limit:])
        has_more = len(prior) > limit
    else:
        start = bisect_right(keys, after) if after is not None else 0
        rest = items[start:]
        page = list(rest[:limit])
        has_more = len(rest) > limit
    meta = {
        "has_more": has_more,
        "first_id": key(page[0]) if page else None,
        "last_id": key(page[-1]) if page else None,
    }
    return page, meta


def encode_token(value: str) -> str:
    raw = json.dumps({"k": value}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> str:
    try:
        padded = token + "=" * (-len(token) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))["k"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise bad_request(f"page: invalid page token {token!r}") from None
    if not isinstance(value, str):
        raise bad_request(f"page: invalid page token {token!r}")
    return value


def token_page(
    items: Sequence[T],
    key: Callable[[T], str],
    params: Mapping[str, str],
    descending: bool = False,
    maximum: int = 100,
    valid_cursor: Callable[[str], bool] | None = None,
) -> tuple[list[T], dict[str, Any]]:
    """One family-B page of `items` (sorted by `key`, ascending unless `descending`)."""
    limit = parse_limit(params, maximum=maximum)
    token = params.get("page") or None
    rest: Sequence[T] = items
    if token is not None:
        cursor = decode_token(token)
        if valid_cursor is not None and not valid_cursor(cursor):
            raise bad_request("page: the page token no longer matches any record")
        if descending:
            rest = [item for item in items if key(item) < cursor]
        else:
            rest = [item for item in items if key(item) > cursor]
    page = list(rest[:limit])
    has_more = len(rest) > limit
    return page, {
        "has_more": has_more,
        "next_page": encode_token(key(page[-1])) if has_more and page else None,
    }
