"""SCIM remediation writes (scim.md 1.5, 1.6, 2.8; RFC 7644 PatchOp): `active` set by either
PATCH form shows on the next read and deprovisions the member; the tier gate and the token are
checked before any write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sim_helpers import Api

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def okta(active: bool) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": active}}]}


def rfc(active: bool) -> dict[str, Any]:
    return {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "replace", "path": "active", "value": active}],
    }


@pytest.fixture
def scim(api: Api) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=api.rs.scim_url, headers=api.rs.scim_headers(), timeout=10
    ) as client:
        yield client


def active_member(api: Api) -> tuple[str, str]:
    """A SCIM user who is active and an org member below the primary owner: (scim id, email)."""
    for resource in api.org.scim_users.values():
        user = api.org.user_by_email(str(resource["userName"]))
        if resource.get("active") is not False and user and user.role != "primary_owner":
            return str(resource["id"]), user.email
    raise AssertionError("no active SCIM member")


def assert_scim_error(r: httpx.Response, status: int) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status)


@pytest.mark.parametrize("form", [okta, rfc], ids=["okta", "rfc"])
def test_deactivate_and_reactivate_show_on_the_next_read(
    api: Api, scim: httpx.Client, form: Any
) -> None:
    scim_id, email = active_member(api)
    r = scim.patch(f"/Users/{scim_id}", json=form(False))
    assert r.status_code == 200 and r.json()["active"] is False
    assert scim.get(f"/Users/{scim_id}").json()["active"] is False
    assert api.org.user_by_email(email) is None  # deprovisioned: removed from the org
    r = scim.patch(f"/Users/{scim_id}", json=form(True))
    assert r.status_code == 200 and r.json()["active"] is True
    assert scim.get(f"/Users/{scim_id}").json()["active"] is True


def test_plan_without_scim_refuses_the_write(make_api: Any) -> None:
    api = make_api(seed=11, size="small", tier="standard")
    before = {k: r.get("active") for k, r in api.org.scim_users.items()}
    with httpx.Client(base_url=api.rs.scim_url, headers=api.rs.scim_headers()) as scim:
        scim_id = next(iter(api.org.scim_users), "scim_01none")
        assert_scim_error(scim.patch(f"/Users/{scim_id}", json=rfc(False)), 403)
    assert {k: r.get("active") for k, r in api.org.scim_users.items()} == before
    assert api.admin.get("/v1/organizations/users").status_code == 200  # Admin side still works


@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer wrong-token"}])
def test_a_bad_token_refuses_the_write(api: Api, headers: dict[str, str]) -> None:
    scim_id, email = active_member(api)
    with httpx.Client(base_url=api.rs.scim_url, headers=headers) as anon:
        assert_scim_error(anon.patch(f"/Users/{scim_id}", json=okta(False)), 401)
    assert api.org.scim_users[scim_id].get("active") is not False
    assert api.org.user_by_email(email) is not None


def test_a_revoked_token_refuses_the_write(api: Api, scim: httpx.Client) -> None:
    scim_id, _ = active_member(api)
    api.control.put("/_control/config", json={"scim_gate": "revoked_token"})
    assert_scim_error(scim.patch(f"/Users/{scim_id}", json=okta(False)), 401)
    assert api.org.scim_users[scim_id].get("active") is not False


def test_deprovisioning_archives_the_members_personal_keys(api: Api, scim: httpx.Client) -> None:
    keys = {
        (k.principal or {}).get("user_id"): k.id
        for k in api.org.api_keys.values()
        if k.status == "active" and (k.principal or {}).get("type") == "user_actor"
    }
    resource = next(
        r
        for r in api.org.scim_users.values()
        if r.get("active") is not False
        and (u := api.org.user_by_email(str(r["userName"]))) is not None
        and u.id in keys
        and u.role != "primary_owner"
    )
    user = api.org.user_by_email(str(resource["userName"]))
    assert user is not None
    assert scim.patch(f"/Users/{resource['id']}", json=rfc(False)).status_code == 200
    r = api.admin.get(f"/v1/organizations/api_keys/{keys[user.id]}")
    assert r.json()["status"] == "archived"
