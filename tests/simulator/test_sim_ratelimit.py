"""Token buckets per credential and engine: 429 + retry-after, and recovery after waiting."""

from __future__ import annotations

import time
from typing import Any

import httpx
from sim_helpers import assert_error


def test_burst_gets_429_and_waiting_gets_through(make_api: Any) -> None:
    api = make_api(seed=4, size="small", rate_limit_enabled=True, admin_rate=2.0, admin_burst=3)
    statuses = [api.admin.get("/v1/organizations/me") for _ in range(6)]
    limited = [r for r in statuses if r.status_code == 429]
    assert [r.status_code for r in statuses[:3]] == [200, 200, 200]
    assert limited
    r = limited[0]
    assert_error(r, 429, "rate_limit_error")
    retry_after = r.headers["retry-after"]
    assert retry_after.isdigit() and int(retry_after) >= 1
    time.sleep(int(retry_after))
    assert api.admin.get("/v1/organizations/me").status_code == 200
    # Buckets are per credential: the OAuth bearer has its own.
    assert api.oauth.get("/v1/organizations/me").status_code == 200
    # The control API is exempt and counts the 429s.
    stats = [api.control.get("/_control/stats") for _ in range(10)]
    assert all(s.status_code == 200 for s in stats)
    assert stats[-1].json()["rate_limited"]["admin"] == len(limited)


def test_scim_429_uses_the_scim_error_body(make_api: Any) -> None:
    api = make_api(seed=4, size="small", rate_limit_enabled=True, scim_rate=1.0, scim_burst=1)
    headers = {"authorization": f"Bearer {api.org.scim_token}"}
    url = f"{api.rs.scim_url}/Users"
    responses = [httpx.get(url, headers=headers, params={"count": 1}) for _ in range(3)]
    r = next(r for r in responses if r.status_code == 429)
    body = r.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == "429" and body["detail"]
    assert int(r.headers["retry-after"]) >= 1
    # The admin engine has its own bucket for the same client.
    assert api.admin.get("/v1/organizations/me").status_code == 200


def test_rates_can_be_changed_at_run_time(make_api: Any) -> None:
    api = make_api(seed=4, size="small", rate_limit_enabled=True, admin_rate=1.0, admin_burst=1)
    api.admin.get("/v1/organizations/me")
    assert api.admin.get("/v1/organizations/me").status_code == 429
    r = api.control.put("/_control/config", json={"admin_rate": 1000.0, "admin_burst": 1000})
    assert r.status_code == 200
    assert all(api.admin.get("/v1/organizations/me").status_code == 200 for _ in range(20))
