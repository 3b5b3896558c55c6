"""ID-cursor pagination (family A): every record exactly once, both directions, any page size."""

from __future__ import annotations

from typing import Any

import pytest
from sim_helpers import Api, assert_error

PAGE_SIZES = [1, 7, 20, 1000]


def _collections(ro: Api) -> dict[str, tuple[str, dict[str, Any], list[str]]]:
    org = ro.org
    counts: dict[str, int] = {}
    for ws_id, _user in org.members:
        counts[ws_id] = counts.get(ws_id, 0) + 1
    busiest = max(counts, key=lambda w: counts[w])
    members = sorted(u for w, u in org.members if w == busiest)
    return {
        "users": ("/v1/organizations/users", {}, list(org.users)),
        "invites": (
            "/v1/organizations/invites",
            {},
            [i.id for i in org.invites.values() if i.status != "deleted"],
        ),
        "workspaces": (
            "/v1/organizations/workspaces",
            {"include_archived": "true", "include_default": "true"},
            list(org.workspaces),
        ),
        "members": (f"/v1/organizations/workspaces/{busiest}/members", {}, members),
        "api_keys": ("/v1/organizations/api_keys", {}, list(org.api_keys)),
    }


def _id(record: dict[str, Any]) -> str:
    return record.get("id") or record["user_id"]


@pytest.mark.parametrize("family", ["users", "invites", "workspaces", "members", "api_keys"])
@pytest.mark.parametrize("limit", PAGE_SIZES)
def test_forward_and_backward_walks_return_every_record_once(
    ro: Api, family: str, limit: int
) -> None:
    path, params, truth = _collections(ro)[family]
    assert len(truth) >= 3
    forward = [_id(r) for r in ro.walk(path, limit, params)]
    assert forward == sorted(truth)  # creation order == id order, each once
    last = forward[-1]
    backward = [_id(r) for r in ro.walk(path, limit, params, backward_from=last)] + [last]
    assert backward == forward


def test_envelope_fields_and_has_more_direction(ro: Api) -> None:
    users = list(ro.org.users)
    r = ro.admin.get("/v1/organizations/users", params={"limit": 2})
    body = r.json()
    assert set(body) == {"data", "has_more", "first_id", "last_id"}
    assert body["has_more"] is True
    assert body["first_id"] == users[0] and body["last_id"] == users[1]
    # The page just before the third user: the first two; nothing more in that direction.
    r = ro.admin.get("/v1/organizations/users", params={"limit": 5, "before_id": users[2]})
    body = r.json()
    assert [u["id"] for u in body["data"]] == users[:2]
    assert body["has_more"] is False
    # Default page size is 20.
    assert len(ro.admin.get("/v1/organizations/users").json()["data"]) == 20


def test_empty_page_has_null_ids(ro: Api) -> None:
    last = list(ro.org.users)[-1]
    body = ro.admin.get("/v1/organizations/users", params={"after_id": last}).json()
    assert body == {"data": [], "has_more": False, "first_id": None, "last_id": None}
    body = ro.admin.get("/v1/organizations/users", params={"email": "nobody@x.test"}).json()
    assert body == {"data": [], "has_more": False, "first_id": None, "last_id": None}


@pytest.mark.parametrize("limit", ["0", "1001", "abc", "-1", "1.5"])
def test_bad_limit_is_400(ro: Api, limit: str) -> None:
    for path in ("/v1/organizations/users", "/v1/organizations/api_keys"):
        assert_error(ro.admin.get(path, params={"limit": limit}), 400, "invalid_request_error")


def test_both_cursors_and_unknown_cursor_are_400(ro: Api) -> None:
    users = list(ro.org.users)
    r = ro.admin.get(
        "/v1/organizations/users", params={"after_id": users[0], "before_id": users[3]}
    )
    assert_error(r, 400, "invalid_request_error")
    r = ro.admin.get("/v1/organizations/users", params={"after_id": "user_01nope"})
    assert_error(r, 400, "invalid_request_error")


def test_unknown_cursor_seek_mode(make_api: Any) -> None:
    api = make_api(seed=3, size="small", unknown_cursor="seek")
    users = list(api.org.users)
    # A made-up id sorting before every real one: seek from there.
    body = api.admin.get(
        "/v1/organizations/users", params={"after_id": "user_0100000000000000000000", "limit": 3}
    ).json()
    assert [u["id"] for u in body["data"]] == users[:3]


def test_removed_cursor_still_pages(api: Api) -> None:
    """A cursor naming a record removed since (a stale cursor) seeks; it is not unknown."""
    users = [u for u in api.org.users.values() if u.role in ("user", "developer")]
    victim = users[3].id
    all_ids = list(api.org.users)
    r = api.admin.delete(f"/v1/organizations/users/{victim}")
    assert r.status_code == 200
    body = api.admin.get("/v1/organizations/users", params={"after_id": victim, "limit": 2}).json()
    following = [u for u in all_ids if u > victim][:2]
    assert [u["id"] for u in body["data"]] == following
