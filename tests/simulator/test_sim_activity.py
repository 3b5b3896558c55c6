"""Activity endpoints (claude-org-products.md §4.4-4.6): Console `usage_report/claude_code` and
`usage_report/messages`, Enterprise `analytics/users`, answering the planted truth."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sim_helpers import Api, assert_error

from anthropic_sim.activity import activity_of
from anthropic_sim.planted import planted_truth

CLAUDE_CODE = "/v1/organizations/usage_report/claude_code"
MESSAGES = "/v1/organizations/usage_report/messages"
ANALYTICS = "/v1/organizations/analytics/users"
Make = Callable[..., Api]


def _day(api: Api, ago: int) -> str:
    return (api.sim.now() - timedelta(days=ago)).date().isoformat()


def _pages(api: Api, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    query = dict(params)
    while True:
        r = api.admin.get(path, params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        out += body["data"]
        if not body["has_more"]:
            return out
        query["page"] = body["next_page"]


def test_claude_code_names_users_by_email_and_keys_by_name(ro: Api) -> None:
    activity = activity_of(ro.org, ro.sim.now())
    recent = planted_truth(ro.org)["keys_used_recently"]
    seen_users: set[str] = set()
    seen_keys: set[str] = set()
    for ago in range(3):
        rows = _pages(ro, CLAUDE_CODE, {"starting_at": _day(ro, ago), "limit": 2})
        for row in rows:
            assert row["date"].startswith(_day(ro, ago))
            actor = row["actor"]
            assert "id" not in actor and "user_id" not in actor and "api_key_id" not in actor
            if actor["type"] == "user_actor":
                seen_users.add(actor["email_address"])
            else:
                seen_keys.add(actor["api_key_name"])
    expected = {ro.org.users[u].email for u, d in activity.users.items() if min(d) < 3}
    assert seen_users == expected and expected
    assert seen_keys <= {ro.org.api_keys[k].name for k in ro.org.api_keys}
    assert recent


def test_claude_code_takes_one_day_and_its_own_page_tokens(ro: Api) -> None:
    r = ro.admin.get(CLAUDE_CODE, params={"limit": 1})
    assert_error(r, 400, "invalid_request_error")
    r = ro.admin.get(CLAUDE_CODE, params={"starting_at": "2026-10-30T05:00:00Z"})
    assert_error(r, 400, "invalid_request_error")
    r = ro.admin.get(CLAUDE_CODE, params={"starting_at": _day(ro, 1), "limit": 1001})
    assert_error(r, 400, "invalid_request_error")
    first = ro.admin.get(CLAUDE_CODE, params={"starting_at": _day(ro, 1), "limit": 1}).json()
    assert first["has_more"]
    r = ro.admin.get(CLAUDE_CODE, params={"starting_at": _day(ro, 2), "page": first["next_page"]})
    assert_error(r, 400, "invalid_request_error")


def test_messages_grouped_by_key_and_account_match_the_planted_usage(ro: Api) -> None:
    planted = planted_truth(ro.org)
    start = (ro.sim.now() - timedelta(days=29)).replace(hour=0, minute=0, second=0)
    params = {
        "starting_at": start.isoformat().replace("+00:00", "Z"),
        "bucket_width": "1d",
        "group_by[]": ["api_key_id", "account_id", "service_account_id"],
        "limit": 7,
    }
    buckets = _pages(ro, MESSAGES, params)
    assert len(buckets) == 30  # empty buckets included, up to the clock's own day
    assert any(not b["results"] for b in buckets)
    used = {r["api_key_id"] for b in buckets for r in b["results"] if r["api_key_id"]}
    unused = set(planted["active_keys_unused_30d"])
    assert unused and not used & unused
    assert set(planted["keys_used_recently"]) <= used
    assert all(
        r["model"] is None and r["workspace_id"] is None for b in buckets for r in b["results"]
    )


def test_messages_refuses_parameters_changed_mid_pagination(ro: Api) -> None:
    start = (ro.sim.now() - timedelta(days=10)).isoformat().replace("+00:00", "Z")
    first = ro.admin.get(MESSAGES, params={"starting_at": start, "limit": 2}).json()
    assert first["has_more"] and len(first["data"]) == 2
    r = ro.admin.get(
        MESSAGES,
        params={
            "starting_at": start,
            "limit": 2,
            "group_by[]": "api_key_id",
            "page": first["next_page"],
        },
    )
    assert_error(r, 400, "invalid_request_error")
    r = ro.admin.get(MESSAGES, params={"limit": 2})
    assert_error(r, 400, "invalid_request_error")
    r = ro.admin.get(MESSAGES, params={"starting_at": start, "limit": 32})
    assert_error(r, 400, "invalid_request_error")


def test_analytics_users_needs_read_analytics_and_answers_a_bad_key_with_404(
    make_api: Make,
) -> None:
    api = make_api(seed=5, size="small", product="enterprise")
    planted = planted_truth(api.org)
    rows = _pages(api, ANALYTICS, {"date": _day(api, 1), "limit": 1000})
    assert {row["user"]["id"] for row in rows} == {
        u for u, d in activity_of(api.org, api.sim.now()).users.items() if 1 in d
    }
    assert not _pages(api, ANALYTICS, {"date": _day(api, 0)})  # about a day of lag
    assert planted["admins_never_active"]
    r = api.anon.get(ANALYTICS, params={"date": _day(api, 1)}, headers={"x-api-key": "sk-bad"})
    assert_error(r, 404, "not_found_error")
    key = api.control.post(
        "/_control/mutate", json={"op": "add_admin_key", "scopes": ["read:members"]}
    ).json()["result"]["key"]
    r = api.anon.get(
        ANALYTICS,
        params={"date": _day(api, 1)},
        headers={"x-api-key": key, "anthropic-version": "2023-06-01"},
    )
    body = assert_error(r, 403, "permission_error")
    assert "read:analytics" in body["error"]["message"]


def test_analytics_has_its_own_rate_limit(make_api: Make) -> None:
    api = make_api(
        seed=5,
        size="small",
        product="enterprise",
        rate_limit_enabled=True,
        analytics_request_limit=2,
        analytics_window_s=30.0,
        org_request_limit=50,
    )
    statuses = [
        api.admin.get(ANALYTICS, params={"date": _day(api, 1)}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert api.admin.get("/v1/organizations/users", params={"limit": 1}).status_code == 200
