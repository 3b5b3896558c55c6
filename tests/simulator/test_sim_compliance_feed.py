"""The Compliance Activity Feed (claude-org-products.md §3.2): paging newest first both ways,
filters, the scope, and events appended through the control API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sim_helpers import Api, assert_error
from test_sim_enterprise import enterprise, new_key

from anthropic_sim.activity import activity_of

FEED = "/v1/compliance/activities"
Make = Callable[..., Api]


def _all(api: Api, **params: Any) -> list[dict[str, Any]]:
    r = api.admin.get(FEED, params={"limit": 5000, **params})
    assert r.status_code == 200, r.text
    assert r.json()["has_more"] is False
    return list(r.json()["data"])


def _append(api: Api, *events: dict[str, Any]) -> list[dict[str, Any]]:
    r = api.control.post("/_control/mutate", json={"op": "append_activities", "events": events})
    assert r.status_code == 200, r.text
    return list(r.json()["result"]["events"])


def test_events_newest_first_with_logins_on_the_users_active_days(ro: Api) -> None:
    events = _all(ro)
    assert 100 <= len(events) <= 1000
    stamps = [e["created_at"] for e in events]
    assert stamps == sorted(stamps, reverse=True)
    logins = [e for e in events if e["type"].endswith("_login_succeeded")]
    assert {e["actor"]["type"] for e in logins} == {"user_actor"}
    assert all(e["organization_id"] is None for e in logins)
    active = activity_of(ro.org, ro.sim.now()).users
    assert {e["actor"]["user_id"] for e in logins} == set(active)
    assert {"claude_user_role_updated", "api_key_created", "group_member_added"} <= {
        e["type"] for e in events
    }
    assert _all(ro) == events  # seeded: the same org answers the same events


def test_paging_back_with_after_id_and_forward_with_before_id(ro: Api) -> None:
    events = _all(ro)
    assert ro.walk(FEED, 37) == events
    assert ro.walk(FEED, 37, backward_from=events[-1]["id"]) == events[:-1]
    r = ro.admin.get(FEED)
    assert len(r.json()["data"]) == 100 and r.json()["has_more"] is True
    assert_error(ro.admin.get(FEED, params={"limit": 5001}), 400, "invalid_request_error")


def test_an_unknown_cursor_is_a_400(ro: Api) -> None:
    for cursor in ("after_id", "before_id"):
        r = ro.admin.get(FEED, params={cursor: "activity_01M00000000000000000000000"})
        assert_error(r, 400, "invalid_request_error")


def test_filters(ro: Api) -> None:
    events = _all(ro)
    logins = _all(ro, **{"activity_types[]": "sso_login_succeeded"})
    assert logins == [e for e in events if e["type"] == "sso_login_succeeded"]
    others = _all(ro, **{"exclude_activity_types[]": "sso_login_succeeded"})
    assert len(others) + len(logins) == len(events)
    both = {"activity_types[]": "a", "exclude_activity_types[]": "b"}
    assert_error(ro.admin.get(FEED, params=both), 400, "invalid_request_error")
    actor = logins[0]["actor"]["user_id"]
    mine = _all(ro, **{"actor_ids[]": actor})
    assert mine and all(e["actor"].get("user_id") == actor for e in mine)
    middle = events[len(events) // 2]["created_at"]
    assert _all(ro, **{"created_at.gte": middle}) == [
        e for e in events if e["created_at"] >= middle
    ]
    assert _all(ro, **{"created_at.lt": middle}) == [e for e in events if e["created_at"] < middle]


def test_appended_events_are_the_newest_and_read_forward_from_a_cursor(api: Api) -> None:
    newest = _all(api)[0]["id"]
    user = sorted(api.org.users)[0]
    added = _append(
        api, {"type": "sso_login_succeeded", "user_id": user}, {"type": "group_created"}
    )
    r = api.admin.get(FEED, params={"before_id": newest, "limit": 5000})
    assert [e["id"] for e in r.json()["data"]] == [e["id"] for e in reversed(added)]
    assert r.json()["data"][-1]["actor"]["user_id"] == user
    empty = api.admin.get(FEED, params={"before_id": added[-1]["id"]}).json()
    assert empty["data"] == [] and empty["has_more"] is False


def test_the_scope_and_the_enablement(make_api: Make) -> None:
    api = enterprise(make_api)
    assert api.admin.get(FEED).status_code == 200
    with httpx.Client(base_url=api.rs.base_url, timeout=10) as other:
        headers = {"x-api-key": new_key(api, ["read:members"]), "anthropic-version": "2023-06-01"}
        body = assert_error(other.get(FEED, headers=headers), 403, "permission_error")
    assert "Needed: [read:compliance_activities]" in body["error"]["message"]
    r = api.control.put("/_control/config", json={"compliance_api_enabled": False})
    assert r.status_code == 200
    assert_error(api.admin.get(FEED), 403, "permission_error")
