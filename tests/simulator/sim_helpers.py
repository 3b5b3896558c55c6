"""Helpers for the simulator tests: clients for a running simulator, error assertions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from anthropic_sim.server import RunningSimulator


class Api:
    """A running simulator plus clients for its credentials."""

    def __init__(self, rs: RunningSimulator) -> None:
        self.rs = rs
        self.sim = rs.sim
        self.admin = httpx.Client(base_url=rs.base_url, headers=rs.admin_headers(), timeout=10)
        self.oauth = httpx.Client(base_url=rs.base_url, headers=rs.oauth_headers(), timeout=10)
        self.anon = httpx.Client(base_url=rs.base_url, timeout=10)
        self.control = httpx.Client(base_url=rs.base_url, headers=rs.control_headers(), timeout=10)

    @property
    def org(self) -> Any:
        return self.rs.sim.org

    def close(self) -> None:
        for client in (self.admin, self.oauth, self.anon, self.control):
            client.close()

    def walk(
        self, path: str, limit: int, params: dict[str, Any] | None = None, backward_from: str = ""
    ) -> list[dict[str, Any]]:
        """Every record of an ID-cursor list, following the SDK's iteration rule."""
        out: list[dict[str, Any]] = []
        query: dict[str, Any] = {**(params or {}), "limit": limit}
        if backward_from:
            query["before_id"] = backward_from
        for _ in range(100_000):
            r = self.admin.get(path, params=query)
            assert r.status_code == 200, r.text
            body = r.json()
            assert len(body["data"]) <= limit
            if backward_from:
                out = body["data"] + out
                if not body["has_more"]:
                    return out
                query["before_id"] = body["first_id"]
            else:
                out += body["data"]
                if not body["has_more"]:
                    return out
                query["after_id"] = body["last_id"]
        raise AssertionError("pagination did not end")


def assert_error(r: httpx.Response, status: int, error_type: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"type", "error", "request_id"}, body
    assert body["type"] == "error"
    assert body["error"]["type"] == error_type, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert body["request_id"].startswith("req_")
    assert r.headers["request-id"] == body["request_id"]
    return body


Make = Callable[..., Api]


def enterprise(make_api: Make, **knobs: Any) -> Api:
    """A fresh small Claude Enterprise org (its admin key holds every scope)."""
    return make_api(seed=5, size="small", product="enterprise", **knobs)


def new_key(api: Api, scopes: list[str], all_linked: bool = False) -> str:
    """A new Enterprise Admin key with `scopes`, made through the control API."""
    r = api.control.post(
        "/_control/mutate", json={"op": "add_admin_key", "scopes": scopes, "all_linked": all_linked}
    )
    assert r.status_code == 200, r.text
    return str(r.json()["result"]["key"])


def by_role(api: Api, role: str) -> str:
    return next(u.id for u in api.org.users.values() if u.role == role)


def change_role_then_remove(api: Api, member: str, role: str) -> None:
    """Through the Admin API: `member` gets `role`, which the next read shows, then is removed,
    after which a read of them is a 404."""
    users = "/v1/organizations/users"
    r = api.admin.post(f"{users}/{member}", json={"role": role})
    assert r.status_code == 200 and r.json()["role"] == role
    assert api.admin.get(f"{users}/{member}").json()["role"] == role
    r = api.admin.delete(f"{users}/{member}")
    assert r.status_code == 200 and r.json() == {"id": member, "type": "user_deleted"}
    assert_error(api.admin.get(f"{users}/{member}"), 404, "not_found_error")
