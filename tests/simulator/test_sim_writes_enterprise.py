"""Enterprise remediation writes (claude-org-products.md 2.2-2.6, 5): each write changes the org
and the next read shows it; each refusal answers its documented status and error type."""

from __future__ import annotations

from typing import Any

from sim_helpers import (
    Api,
    Make,
    assert_error,
    by_role,
    change_role_then_remove,
    enterprise,
    new_key,
)

from anthropic_sim.status import invite_status

USERS = "/v1/organizations/users"
INVITES = "/v1/organizations/invites"
GROUPS = "/v1/organizations/rbac_groups"
BETA = {"anthropic-beta": "admin-user-sign-out-2026-10-08"}


def invite_in(api: Api, status: str) -> str:
    return next(i.id for i in api.org.invites.values() if invite_status(i, api.sim.now()) == status)


def group_with_members(api: Api, source_type: str) -> tuple[str, str]:
    group = next(
        g
        for g in api.org.rbac.groups.values()
        if g.source_type == source_type and any(u in api.org.users for u in g.members)
    )
    return group.id, next(u for u in group.members if u in api.org.users)


def test_role_change_and_removal_show_on_the_next_read(make_api: Make) -> None:
    api = enterprise(make_api)
    member = by_role(api, "user")
    change_role_then_remove(api, member, "managed")
    assert member not in {u["id"] for u in api.walk(USERS, 1000)}


def test_member_writes_need_write_members(make_api: Make, clients: Any) -> None:
    api = enterprise(make_api)
    reader = clients(api, new_key(api, ["read:members"]))
    member = by_role(api, "user")
    pending = invite_in(api, "pending")
    for r in (
        reader.post(f"{USERS}/{member}", json={"role": "managed"}),
        reader.delete(f"{USERS}/{member}"),
        reader.post(f"{USERS}/{member}/sign_out", headers=BETA),
        reader.delete(f"{INVITES}/{pending}"),
    ):
        body = assert_error(r, 403, "permission_error")
        assert "Needed: [write:members]" in body["error"]["message"]
    assert api.org.users[member].role == "user" and api.org.invites[pending].status != "deleted"


def test_scim_mode_refuses_role_changes_and_removals(make_api: Make) -> None:
    api = enterprise(make_api, provisioning="scim")
    member = by_role(api, "user")
    assert_error(
        api.admin.post(f"{USERS}/{member}", json={"role": "managed"}), 400, "invalid_request_error"
    )
    assert_error(api.admin.delete(f"{USERS}/{member}"), 400, "invalid_request_error")
    assert api.admin.get(f"{USERS}/{member}").json()["role"] == "user"


def test_sign_out_needs_the_beta_header_and_keeps_the_role(make_api: Make) -> None:
    api = enterprise(make_api)
    member = by_role(api, "managed")
    assert_error(api.admin.post(f"{USERS}/{member}/sign_out"), 400, "invalid_request_error")
    assert api.org.users[member].signed_out_at is None
    r = api.admin.post(f"{USERS}/{member}/sign_out", headers=BETA)
    assert r.status_code == 200, r.text
    assert r.json() == api.admin.get(f"{USERS}/{member}").json()
    assert r.json()["type"] == "user" and r.json()["role"] == "managed"
    assert api.org.users[member].signed_out_at == api.sim.now()
    assert_error(
        api.admin.post(f"{USERS}/user_01nobody0000000000000000/sign_out", headers=BETA),
        404,
        "not_found_error",
    )


def test_sign_out_refuses_protected_holders_and_unenrolled_orgs(make_api: Make) -> None:
    api = enterprise(make_api)
    for role in ("primary_owner", "owner", "membership_admin"):
        r = api.admin.post(f"{USERS}/{by_role(api, role)}/sign_out", headers=BETA)
        assert_error(r, 400, "invalid_request_error")
    api.control.put("/_control/config", json={"sign_out_beta_enrolled": False})
    body = assert_error(
        api.admin.post(f"{USERS}/{by_role(api, 'user')}/sign_out", headers=BETA),
        400,
        "invalid_request_error",
    )
    assert body["error"]["details"] == {"error_code": "organization_not_enrolled_in_beta"}


def test_sign_out_is_enterprise_only(make_api: Make) -> None:
    api = make_api(seed=3, size="small")
    member = by_role(api, "developer")
    body = assert_error(
        api.admin.post(f"{USERS}/{member}/sign_out", headers=BETA), 400, "invalid_request_error"
    )
    assert body["error"]["details"] == {"error_code": "organization_type_not_supported"}


def test_withdrawing_an_invite_shows_on_the_next_read(make_api: Make) -> None:
    api = enterprise(make_api)
    pending = invite_in(api, "pending")
    r = api.admin.delete(f"{INVITES}/{pending}")
    assert r.status_code == 200 and r.json() == {"id": pending, "type": "invite_deleted"}
    assert_error(api.admin.get(f"{INVITES}/{pending}"), 404, "not_found_error")
    assert pending not in {i["id"] for i in api.walk(INVITES, 1000)}
    assert_error(api.admin.delete(f"{INVITES}/{pending}"), 404, "not_found_error")
    expired = invite_in(api, "expired")
    assert_error(api.admin.delete(f"{INVITES}/{expired}"), 400, "invalid_request_error")


def test_removing_a_direct_group_member_shows_on_the_next_read(make_api: Make) -> None:
    api = enterprise(make_api)
    group, member = group_with_members(api, "direct")
    r = api.admin.delete(f"{GROUPS}/{group}/members/{member}")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "rbac_group_id": group,
        "user_id": member,
        "type": "rbac_group_member_deleted",
    }
    listed = api.admin.get(f"{GROUPS}/{group}/members", params={"limit": 1000}).json()["data"]
    assert member not in {m["user_id"] for m in listed}
    assert_error(api.admin.delete(f"{GROUPS}/{group}/members/{member}"), 404, "not_found_error")


def test_group_member_removal_refusals(make_api: Make, clients: Any) -> None:
    api = enterprise(make_api)
    scim_group, scim_member = group_with_members(api, "scim")
    r = api.admin.delete(f"{GROUPS}/{scim_group}/members/{scim_member}")
    assert_error(r, 400, "invalid_request_error")
    assert scim_member in api.org.rbac.groups[scim_group].members
    group, member = group_with_members(api, "direct")
    reader = clients(api, new_key(api, ["read:rbac_groups", "write:members"], all_linked=True))
    body = assert_error(
        reader.delete(f"{GROUPS}/{group}/members/{member}"), 403, "permission_error"
    )
    assert "Needed: [write:rbac_groups]" in body["error"]["message"]
    assert member in api.org.rbac.groups[group].members
