"""The write log a test reads (`/_control/stats` `writes`) and the control-API ops that change a
remediation target between plan and apply."""

from __future__ import annotations

from typing import Any

import httpx
from sim_helpers import Api, assert_error, by_role

from anthropic_sim.status import inherited_workspace_role, invite_status

USERS = "/v1/organizations/users"
INVITES = "/v1/organizations/invites"
KEYS = "/v1/organizations/api_keys"
WORKSPACES = "/v1/organizations/workspaces"
DEACTIVATE = {"Operations": [{"op": "replace", "path": "active", "value": False}]}


def mutate(api: Api, **body: Any) -> dict[str, Any]:
    r = api.control.post("/_control/mutate", json=body)
    assert r.status_code == 200, r.text
    return dict(r.json()["result"])


def writes(api: Api) -> list[tuple[str, str, str, int]]:
    logged = api.control.get("/_control/stats").json()["writes"]
    assert all(entry["request_id"].startswith("req_") for entry in logged)
    return [(e["engine"], e["method"], e["path"], e["status"]) for e in logged]


def test_every_write_request_is_logged_and_reads_are_not(api: Api) -> None:
    scim = httpx.Client(base_url=api.rs.scim_url, headers=api.rs.scim_headers(), timeout=10)
    api.control.post("/_control/stats/reset")
    key = next(
        k.id
        for k in api.org.api_keys.values()
        if k.workspace_id is None or api.org.workspaces[k.workspace_id].archived_at is None
    )
    admin = by_role(api, "admin")
    scim_id = next(iter(api.org.scim_users))
    assert api.admin.get(USERS).status_code == 200
    assert scim.post("/Users/.search", json={"count": 1}).status_code == 200
    assert writes(api) == []
    api.admin.post(f"{KEYS}/{key}", json={"name": "renamed"})
    api.admin.delete(f"{USERS}/{admin}")
    scim.patch(f"/Users/{scim_id}", json=DEACTIVATE)
    mutate(api, op="change_role", user_id=admin, role="user")  # control calls are not logged
    scim.close()
    assert writes(api) == [
        ("admin", "POST", f"{KEYS}/{key}", 200),
        ("admin", "DELETE", f"{USERS}/{admin}", 400),
        ("scim", "PATCH", f"/scim/v2/Users/{scim_id}", 200),
    ]
    api.control.post("/_control/stats/reset")
    assert writes(api) == []


def test_control_ops_change_a_target_between_plan_and_apply(api: Api) -> None:
    member = by_role(api, "developer")
    mutate(api, op="change_role", user_id=member, role="billing")
    assert api.admin.get(f"{USERS}/{member}").json()["role"] == "billing"
    key = next(k.id for k in api.org.api_keys.values() if k.status == "active")
    mutate(api, op="set_key_status", key_id=key, status="inactive")
    assert api.admin.get(f"{KEYS}/{key}").json()["status"] == "inactive"
    row = next(
        m
        for m in api.org.members.values()
        if m.user_id in api.org.users
        and inherited_workspace_role(api.org.users[m.user_id].role) is None
    )
    mutate(
        api,
        op="set_workspace_role",
        workspace_id=row.workspace_id,
        user_id=row.user_id,
        workspace_role="workspace_restricted_developer",
    )
    r = api.admin.get(f"{WORKSPACES}/{row.workspace_id}/members/{row.user_id}")
    assert r.json()["workspace_role"] == "workspace_restricted_developer"


def test_control_sets_a_scim_users_active_flag(api: Api) -> None:
    scim = httpx.Client(base_url=api.rs.scim_url, headers=api.rs.scim_headers(), timeout=10)
    resource = next(
        r
        for r in api.org.scim_users.values()
        if r.get("active") is not False
        and (u := api.org.user_by_email(r["userName"])) is not None
        and u.role != "primary_owner"
    )
    scim_id, email = resource["id"], resource["userName"]
    assert mutate(api, op="set_scim_active", scim_id=scim_id, active=False)["active"] is False
    assert scim.get(f"/Users/{scim_id}").json()["active"] is False
    assert api.org.user_by_email(email) is None
    assert mutate(api, op="set_scim_active", email=email, active=True)["active"] is True
    assert scim.get(f"/Users/{scim_id}").json()["active"] is True
    scim.close()
    r = api.control.post("/_control/mutate", json={"op": "set_scim_active", "scim_id": scim_id})
    assert r.status_code == 400


def test_control_sets_an_invites_status(api: Api) -> None:
    now = api.sim.now()
    pending = [i.id for i in api.org.invites.values() if invite_status(i, now) == "pending"]
    expired, accepted = pending[0], pending[1]
    assert mutate(api, op="set_invite_status", invite_id=expired, status="expired")["status"] == (
        "expired"
    )
    assert api.admin.get(f"{INVITES}/{expired}").json()["status"] == "expired"
    assert_error(api.admin.delete(f"{INVITES}/{expired}"), 400, "invalid_request_error")
    mutate(api, op="set_invite_status", invite_id=expired, status="pending")
    assert api.admin.get(f"{INVITES}/{expired}").json()["status"] == "pending"
    mutate(api, op="set_invite_status", invite_id=accepted, status="accepted")
    got = api.admin.get(f"{INVITES}/{accepted}").json()
    assert got["status"] == "accepted" and got["accepted_at"] is not None
