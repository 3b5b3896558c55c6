"""Page readers: anything untrustworthy is a MalformedPageError naming family and endpoint."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.extract import MalformedPageError, User
from ingest.extract.pagination import (
    Collected,
    CursorTrail,
    Page,
    read_id_cursor_page,
    read_page_token_page,
)

EP = "/v1/organizations/users"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("<html>", "not an object"),
        ([], "not an object"),
        ({"has_more": False}, "no 'data'"),
        ({"data": {}, "has_more": False}, "'data' is not a list"),
        ({"data": []}, "'has_more'"),
        ({"data": [], "has_more": "yes"}, "'has_more'"),
        ({"data": [{"id": "a"}], "has_more": True, "last_id": None}, "'last_id' is null"),
    ],
)
def test_malformed_id_cursor_pages(body: Any, why: str) -> None:
    with pytest.raises(MalformedPageError, match=why) as caught:
        read_id_cursor_page(body, "users", EP)
    assert caught.value.family == "users" and caught.value.endpoint == EP
    assert "users" in str(caught.value) and EP in str(caught.value)


def test_good_pages() -> None:
    page = read_id_cursor_page({"data": [1], "has_more": True, "last_id": "u9"}, "users", EP)
    assert page == Page([1], "u9")
    assert read_id_cursor_page({"data": [], "has_more": False, "last_id": None}, "u", EP) == Page(
        [], None
    )
    token = read_page_token_page({"data": [], "has_more": True, "next_page": "p2"}, "sa", EP)
    assert token.next_cursor == "p2"
    with pytest.raises(MalformedPageError, match="'next_page' is null"):
        read_page_token_page({"data": [], "has_more": True, "next_page": None}, "sa", EP)


def test_collected_dedupes_by_record_identity() -> None:
    collected = Collected(User)
    collected.add(Page([{"id": "a", "name": "1"}, {"id": "b"}], "b"), {})
    collected.add(Page([{"id": "a", "name": "2"}, {"nope": 1}], "c"), {})
    items = collected.items()
    assert [i.get("id") for i in items] == ["a", "b", None]
    assert items[0]["name"] == "2"


def test_a_cursor_that_comes_back_is_malformed() -> None:
    trail = CursorTrail("users", EP)
    trail.follow(Page([], "b"))
    trail.follow(Page([], "c"))
    trail.follow(Page([], None))
    with pytest.raises(MalformedPageError, match="repeats"):
        trail.follow(Page([], "b"))
