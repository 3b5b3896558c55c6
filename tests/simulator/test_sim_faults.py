"""Seeded faults, each observable by a plain httpx client."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from sim_helpers import assert_error

from anthropic_sim.config import FaultSpec

USERS = "/v1/organizations/users"


@pytest.mark.parametrize(
    ("status", "error_type"),
    [(500, "api_error"), (503, "api_error"), (529, "overloaded_error"), (504, "timeout_error")],
)
def test_error_answers(make_api: Any, status: int, error_type: str) -> None:
    spec = FaultSpec(route=f"^{USERS}$", error_rate=1.0, error_statuses=(status,))
    api = make_api(seed=1, size="small", faults=[spec])
    assert_error(api.admin.get(USERS), status, error_type)
    assert api.admin.get("/v1/organizations/me").status_code == 200  # other routes untouched
    stats = api.control.get("/_control/stats").json()
    assert stats["faults"] == {f"error_{status}": 1}


def test_slow_answers(make_api: Any) -> None:
    api = make_api(seed=1, size="small", faults=[FaultSpec(slow_rate=1.0, slow_seconds=0.3)])
    started = time.monotonic()
    assert api.admin.get(USERS).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_dropped_connection(make_api: Any) -> None:
    api = make_api(seed=1, size="small", faults=[FaultSpec(route="users", drop_rate=1.0)])
    with pytest.raises(httpx.RemoteProtocolError):
        api.admin.get(USERS)
    assert api.admin.get("/v1/organizations/me").status_code == 200
    assert api.control.get("/_control/stats").json()["faults"] == {"drop": 1}


def test_truncated_body(make_api: Any) -> None:
    api = make_api(seed=1, size="small", faults=[FaultSpec(route="users", truncate_rate=1.0)])
    with pytest.raises(httpx.RemoteProtocolError):
        api.admin.get(USERS, params={"limit": 50})
    with httpx.stream("GET", f"{api.rs.base_url}{USERS}", headers=api.rs.admin_headers()) as r:
        declared = int(r.headers["content-length"])
        received = b""
        with pytest.raises(httpx.RemoteProtocolError):
            for chunk in r.iter_raw():
                received += chunk
        assert 0 < len(received) < declared


def test_malformed_page(make_api: Any) -> None:
    api = make_api(seed=1, size="small", faults=[FaultSpec(route="users", malformed_rate=1.0)])
    response = api.admin.get(USERS)
    assert response.status_code == 200
    assert "data" not in response.json()  # valid JSON, wrong shape
    assert api.control.get("/_control/stats").json()["faults"] == {"malformed": 1}


def test_faults_are_seeded(make_api: Any) -> None:
    spec = FaultSpec(error_rate=0.5, error_statuses=(500, 503))

    def run() -> list[int]:
        api = make_api(seed=1, size="small", faults=[spec], fault_seed=42)
        return [api.admin.get("/v1/organizations/me").status_code for _ in range(20)]

    first, second = run(), run()
    assert first == second
    assert {200, 500, 503} & set(first) and 200 in first and len(set(first)) > 1


def test_churn_between_pages(make_api: Any) -> None:
    api = make_api(seed=1, size="small", faults=[FaultSpec(route=f"^{USERS}$", churn_rate=1.0)])
    before = set(api.org.users)
    scim_before = len(api.org.scim_users)
    page = api.admin.get(USERS, params={"limit": 5}).json()
    after = set(api.org.users)
    assert len(after) == len(before)
    added, removed = after - before, before - after
    assert len(added) == 1 and len(removed) == 1
    new_user = api.org.users[next(iter(added))]
    assert any(r["userName"].lower() == new_user.email.lower() for r in api.org.scim_users.values())
    assert len(api.org.scim_users) <= scim_before + 1
    gone = next(iter(removed))
    assert api.org.users.get(gone) is None and not any(m[1] == gone for m in api.org.members)
    # Paging on from the old cursor still works (the org changed under the client).
    nxt = api.admin.get(USERS, params={"limit": 5, "after_id": page["last_id"]})
    assert nxt.status_code == 200
    churn = api.control.get("/_control/stats").json()["churn"]
    assert churn["admin_added"] >= 1 and churn["admin_removed"] >= 1


def test_churn_stops_after_churn_pages(make_api: Any) -> None:
    spec = FaultSpec(route=f"^{USERS}$", churn_rate=1.0, churn_pages=2)
    api = make_api(seed=1, size="small", faults=[spec])
    for _ in range(2):
        api.admin.get(USERS, params={"limit": 5})
    churned = set(api.org.users)
    for _ in range(3):
        api.admin.get(USERS, params={"limit": 5})
    assert set(api.org.users) == churned  # the pages after the second left the org as it was
    churn = api.control.get("/_control/stats").json()["churn"]
    assert churn == {"admin_added": 2, "admin_removed": 2}


def test_foreign_org_switch_flips_the_organization_header_after_n_answers(make_api: Any) -> None:
    api = make_api(seed=1, size="small")
    own = api.org.id
    assert api.admin.get(USERS).headers["anthropic-organization-id"] == own  # before the switch
    flip = api.control.put("/_control/config", json={"foreign_org_after": 2})
    assert flip.status_code == 200
    headers = [api.admin.get(USERS).headers.get("anthropic-organization-id") for _ in range(4)]
    foreign = headers[-1]
    assert headers == [own, own, foreign, foreign]
    assert foreign and foreign != own
    assert "anthropic-organization-id" not in api.anon.get(USERS).headers  # not authenticated
    assert api.admin.get(USERS).json()["data"]  # bodies are the org's own, unchanged
    api.control.put("/_control/config", json={"foreign_org_after": 0})
    assert api.admin.get(USERS).headers["anthropic-organization-id"] == own


def test_echoed_credentials_quote_what_the_request_presented(make_api: Any) -> None:
    spec = FaultSpec(error_rate=1.0, error_statuses=(400,), echo_credentials=True)
    api = make_api(seed=1, size="small", faults=[spec])
    admin = assert_error(api.admin.get(USERS), 400, "invalid_request_error")
    assert api.rs.admin_key in admin["error"]["message"]
    oauth = assert_error(
        api.oauth.get("/v1/organizations/service_accounts"), 400, "invalid_request_error"
    )
    assert f"Bearer {api.rs.oauth_token}" in oauth["error"]["message"]
    scim = api.anon.get(
        f"{api.rs.scim_url}/Users", headers={"authorization": f"Bearer {api.rs.scim_token}"}
    )
    assert scim.status_code == 400 and api.rs.scim_token in scim.json()["detail"]
