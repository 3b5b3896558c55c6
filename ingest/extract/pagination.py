"""Read and check the two Admin API page shapes; anything untrustworthy is a MalformedPageError.

ID cursor (users, invites, workspaces, members, API keys):
    {"data": [...], "has_more": bool, "first_id": str|null, "last_id": str|null}
    next page: after_id=last_id while has_more.
Page token (service accounts and their memberships):
    {"data": [...], "has_more": bool, "next_page": str|null}
    next page: page=next_page while has_more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ingest.extract.errors import MalformedPageError
from ingest.extract.models import Record


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None  # None: this was the last page


def _page_body(body: Any, family: str, endpoint: str) -> tuple[list[Any], bool]:
    if not isinstance(body, Mapping):
        raise MalformedPageError(
            family, endpoint, f"page is a {type(body).__name__}, not an object"
        )
    if "data" not in body:
        raise MalformedPageError(family, endpoint, "page has no 'data'")
    if not isinstance(body["data"], list):
        raise MalformedPageError(family, endpoint, "'data' is not a list")
    has_more = body.get("has_more")
    if not isinstance(has_more, bool):
        raise MalformedPageError(family, endpoint, "'has_more' is missing or not a boolean")
    return body["data"], has_more


def read_id_cursor_page(body: Any, family: str, endpoint: str) -> Page:
    items, has_more = _page_body(body, family, endpoint)
    if not has_more:
        return Page(items, None)
    last_id = body.get("last_id")
    if not isinstance(last_id, str) or not last_id:
        raise MalformedPageError(family, endpoint, "'has_more' is true but 'last_id' is null")
    return Page(items, last_id)


def read_first_id_page(body: Any, family: str, endpoint: str) -> Page:
    """A newest-first page walked forward in time (`before_id`): the next cursor is its
    `first_id`."""
    items, has_more = _page_body(body, family, endpoint)
    if not has_more:
        return Page(items, None)
    first_id = body.get("first_id")
    if not isinstance(first_id, str) or not first_id:
        raise MalformedPageError(family, endpoint, "'has_more' is true but 'first_id' is null")
    return Page(items, first_id)


def read_page_token_page(body: Any, family: str, endpoint: str) -> Page:
    items, has_more = _page_body(body, family, endpoint)
    if not has_more:
        return Page(items, None)
    next_page = body.get("next_page")
    if not isinstance(next_page, str) or not next_page:
        raise MalformedPageError(family, endpoint, "'has_more' is true but 'next_page' is null")
    return Page(items, next_page)


@dataclass
class Collected:
    """Items of a walk, deduplicated by record identity (a later copy replaces an earlier one).

    Items without a readable identity are kept apart, for `parse_records` to report.
    """

    model: type[Record]
    by_key: dict[str, Any] = field(default_factory=dict)
    unkeyed: list[Any] = field(default_factory=list)

    def add(self, page: Page, defaults: Mapping[str, Any]) -> None:
        for item in page.items:
            key = self.model.record_id({**defaults, **item}) if isinstance(item, Mapping) else None
            if key is None:
                self.unkeyed.append(item)
            else:
                self.by_key[key] = item

    def items(self) -> list[Any]:
        return [*self.by_key.values(), *self.unkeyed]


@dataclass
class CursorTrail:
    """The cursors a walk has followed: a walk whose cursor comes back would go round in
    circles, and is malformed."""

    family: str
    endpoint: str
    cursors: set[str] = field(default_factory=set)

    def follow(self, page: Page) -> None:
        if page.next_cursor is not None:
            if page.next_cursor in self.cursors:
                raise MalformedPageError(
                    self.family, self.endpoint, f"cursor {page.next_cursor!r} repeats"
                )
            self.cursors.add(page.next_cursor)


def read_next_page_page(body: Any, family: str, endpoint: str) -> Page:
    """Enterprise groups and roles: `{"data": [...], "next_page": str|null}` (`has_more`, when
    sent, must agree); the next page is `page=next_page` until it is null."""
    if not isinstance(body, Mapping) or not isinstance(body.get("data"), list):
        raise MalformedPageError(family, endpoint, "page has no 'data' list")
    next_page = body.get("next_page")
    if next_page is not None and (not isinstance(next_page, str) or not next_page):
        raise MalformedPageError(family, endpoint, "'next_page' is not a page token")
    if body.get("has_more") is True and next_page is None:
        raise MalformedPageError(family, endpoint, "'has_more' is true but 'next_page' is null")
    return Page(body["data"], next_page)
