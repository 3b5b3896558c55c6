"""Members and invites: filters, role rules, deletion rules."""

from __future__ import annotations

import pytest
from sim_helpers import Api, assert_error

USERS = "/v1/organizations/users"
INVITES = "/v1/organizations/invites"


def test_email_filter_is_case_insensitive(ro: Api) -> None:
    user = next(iter(ro.org.users.values()))
    for variant in (user.email, user.email.upper(), f"  {user.email.title()} "):
        data = ro.admin.get(USERS, params={"email": variant}).json()["data"]
        assert [u["id"] for u in data] == [user.id]


def test_roles_filter_brackets_and_plain(ro: Api) -> None:
    admins = sorted(u.id for u in ro.org.users.values() if u.role in ("admin", "owner"))
    for query in ("roles[]=admin&roles[]=owner", "roles=admin&roles=owner"):
        data = ro.admin.get(f"{USERS}?{query}&limit=1000").json()["data"]
        assert sorted(u["id"] for u in data) == admins
    assert_error(ro.admin.get(USERS, params={"roles[]": "wizard"}), 400, "invalid_request_error")


@pytest.mark.parametrize("role", ["admin", "owner", "primary_owner", "membership_admin"])
def test_privileged_roles_cannot_be_assigned(api: Api, role: str) -> None:
    user = next(u for u in api.org.users.values() if u.role == "developer")
    r = api.admin.post(f"{USERS}/{user.id}", json={"role": role})
    assert_error(r, 400, "invalid_request_error")
    r = api.admin.post(INVITES, json={"email": "new.person@x.example", "role": role})
    assert_error(r, 400, "invalid_request_error")


def test_assignable_role_update(api: Api) -> None:
    user = next(u for u in api.org.users.values() if u.role == "developer")
    r = api.admin.post(f"{USERS}/{user.id}", json={"role": "billing"})
    assert r.status_code == 200 and r.json()["role"] == "billing"
    assert api.org.users[user.id].role == "billing"


def test_admins_cannot_be_deleted_or_demoted(api: Api) -> None:
    for role in ("admin", "owner", "primary_owner"):
        user = next(u for u in api.org.users.values() if u.role == role)
        assert_error(api.admin.delete(f"{USERS}/{user.id}"), 400, "invalid_request_error")
        r = api.admin.post(f"{USERS}/{user.id}", json={"role": "user"})
        assert_error(r, 400, "invalid_request_error")
        assert user.id in api.org.users


def test_delete_user_keeps_their_keys(api: Api) -> None:
    keyed = {k.created_by["id"] for k in api.org.api_keys.values() if k.created_by}
    user = next(u for u in api.org.users.values() if u.role == "developer" and u.id in keyed)
    r = api.admin.delete(f"{USERS}/{user.id}")
    assert r.status_code == 200
    assert r.json() == {"id": user.id, "type": "user_deleted"}
    assert_error(api.admin.get(f"{USERS}/{user.id}"), 404, "not_found_error")
    assert not any(m for m in api.org.members if m[1] == user.id)
    keys = api.admin.get(
        "/v1/organizations/api_keys", params={"created_by_user_id": user.id, "limit": 1000}
    ).json()["data"]
    assert keys, "keys outlive their creator"


def test_invite_lifecycle(api: Api) -> None:
    r = api.admin.post(INVITES, json={"email": "Zoë.New@Elsewhere.example", "role": "developer"})
    assert r.status_code == 200, r.text
    invite = r.json()
    assert invite["status"] == "pending" and invite["rbac_group_ids"] == []
    assert invite["accepted_at"] is None
    assert invite["id"] > max(i for i in api.org.invites if i != invite["id"])
    # expires_at is invited_at + 21 days
    assert invite["invited_at"][:10] == "2026-11-01" and invite["expires_at"][:10] == "2026-11-22"
    dup = api.admin.post(INVITES, json={"email": "zoë.new@elsewhere.example", "role": "user"})
    assert_error(dup, 400, "invalid_request_error")
    member = next(iter(api.org.users.values()))
    r = api.admin.post(INVITES, json={"email": member.email, "role": "user"})
    assert_error(r, 400, "invalid_request_error")
    r = api.admin.delete(f"{INVITES}/{invite['id']}")
    assert r.json() == {"id": invite["id"], "type": "invite_deleted"}
    assert_error(api.admin.get(f"{INVITES}/{invite['id']}"), 404, "not_found_error")


def test_only_pending_invites_can_be_deleted(api: Api) -> None:
    for status in ("accepted", "expired"):
        invite = next(i for i in api.org.invites.values() if i.status == status)
        assert_error(api.admin.delete(f"{INVITES}/{invite.id}"), 400, "invalid_request_error")


def test_invite_filters(ro: Api) -> None:
    listed = ro.walk(INVITES, 1000)
    assert {i["status"] for i in listed} == {"accepted", "expired", "pending"}
    pending = ro.admin.get(INVITES, params={"statuses[]": "pending", "limit": 1000}).json()
    assert pending["data"] and all(i["status"] == "pending" for i in pending["data"])
    both = ro.admin.get(f"{INVITES}?statuses[]=pending&statuses[]=expired&limit=1000").json()
    assert {i["status"] for i in both["data"]} == {"pending", "expired"}
    r = ro.admin.get(INVITES, params={"statuses[]": "deleted"})
    assert_error(r, 400, "invalid_request_error")
    admins = ro.admin.get(INVITES, params={"roles[]": "admin", "limit": 1000}).json()["data"]
    assert admins and all(i["role"] == "admin" for i in admins)
    one = listed[0]
    by_email = ro.admin.get(INVITES, params={"email": one["email"].upper()}).json()["data"]
    assert one["id"] in [i["id"] for i in by_email]


def test_deleted_invites_can_be_listed_by_knob(make_api: object) -> None:
    api = make_api(seed=5, size="small", list_deleted_invites=True)  # type: ignore[operator]
    data = api.walk(INVITES, 1000)
    assert "deleted" in {i["status"] for i in data}
