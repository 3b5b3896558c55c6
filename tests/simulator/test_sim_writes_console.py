"""Console remediation writes (anthropic-admin-api.md 4, 5, 7-9 as corrected by
claude-org-products.md 4.1, 4.3, 6): each write changes the org and the next read shows it; each
refusal answers its documented (or read, docs/simulator.md) status and error type."""

from __future__ import annotations

from collections.abc import Callable

from sim_helpers import Api, assert_error, by_role, change_role_then_remove

from anthropic_sim.state import ApiKey
from anthropic_sim.status import inherited_workspace_role, invite_status, key_status

USERS = "/v1/organizations/users"
INVITES = "/v1/organizations/invites"
KEYS = "/v1/organizations/api_keys"
WORKSPACES = "/v1/organizations/workspaces"
SAS = "/v1/organizations/service_accounts"
ISSUERS = "/v1/organizations/federation_issuers"
RULES = "/v1/organizations/federation_rules"


def live_key(api: Api, wanted: Callable[[ApiKey], bool] = lambda _: True) -> ApiKey:
    now = api.sim.now()
    return next(
        k
        for k in api.org.api_keys.values()
        if key_status(k, now) == "active"
        and wanted(k)
        and (k.workspace_id is None or api.org.workspaces[k.workspace_id].archived_at is None)
    )


def test_role_change_and_removal_show_on_the_next_read(api: Api) -> None:
    change_role_then_remove(api, by_role(api, "developer"), "user")


def test_admins_are_neither_demoted_nor_removed(api: Api) -> None:
    admin = by_role(api, "admin")
    assert_error(api.admin.delete(f"{USERS}/{admin}"), 400, "invalid_request_error")
    r = api.admin.post(f"{USERS}/{admin}", json={"role": "user"})
    assert_error(r, 400, "invalid_request_error")
    member = by_role(api, "developer")
    assert_error(
        api.admin.post(f"{USERS}/{member}", json={"role": "admin"}), 400, "invalid_request_error"
    )
    assert api.admin.get(f"{USERS}/{admin}").json()["role"] == "admin"


def test_removing_a_user_archives_their_personal_keys_and_memberships(api: Api) -> None:
    def personal(key: ApiKey) -> bool:
        user = api.org.users.get((key.principal or {}).get("user_id", ""))
        return user is not None and user.role not in ("admin", "owner", "primary_owner")

    key = live_key(api, personal)
    assert key.principal is not None
    user = key.principal["user_id"]
    memberships = [ws for ws, u in api.org.members if u == user]
    assert api.admin.delete(f"{USERS}/{user}").status_code == 200
    assert api.admin.get(f"{KEYS}/{key.id}").json()["status"] == "archived"
    for ws in memberships:
        r = api.admin.get(f"{WORKSPACES}/{ws}/members/{user}")
        assert_error(r, 404, "not_found_error")


def test_key_status_transitions(api: Api) -> None:
    key = live_key(api).id
    for status in ("inactive", "active", "inactive"):
        r = api.admin.post(f"{KEYS}/{key}", json={"status": status})
        assert r.status_code == 200 and r.json()["status"] == status
        assert api.admin.get(f"{KEYS}/{key}").json()["status"] == status
    assert api.admin.post(f"{KEYS}/{key}", json={"status": "archived"}).status_code == 200
    for status in ("active", "inactive"):
        r = api.admin.post(f"{KEYS}/{key}", json={"status": status})
        assert_error(r, 400, "invalid_request_error")
    assert_error(
        api.admin.post(f"{KEYS}/{key}", json={"status": "expired"}), 400, "invalid_request_error"
    )
    assert api.admin.get(f"{KEYS}/{key}").json()["status"] == "archived"
    assert_error(
        api.admin.post(f"{KEYS}/apikey_01nobody000000000000000", json={"status": "inactive"}),
        404,
        "not_found_error",
    )


def test_workspace_member_role_change_and_removal(api: Api) -> None:
    member = next(
        m
        for m in api.org.members.values()
        if api.org.workspaces[m.workspace_id].archived_at is None
        and m.user_id in api.org.users
        and inherited_workspace_role(api.org.users[m.user_id].role) is None
        and m.workspace_role != "workspace_admin"
    )
    path = f"{WORKSPACES}/{member.workspace_id}/members/{member.user_id}"
    r = api.admin.post(path, json={"workspace_role": "workspace_admin"})
    assert r.status_code == 200 and r.json()["workspace_role"] == "workspace_admin"
    assert api.admin.get(path).json()["workspace_role"] == "workspace_admin"
    r = api.admin.delete(path)
    assert r.status_code == 200 and r.json() == {
        "type": "workspace_member_deleted",
        "user_id": member.user_id,
        "workspace_id": member.workspace_id,
    }
    assert_error(api.admin.get(path), 404, "not_found_error")
    assert_error(api.admin.delete(path), 404, "not_found_error")


def test_withdrawing_a_pending_invite_only(api: Api) -> None:
    now = api.sim.now()
    pending = next(i.id for i in api.org.invites.values() if invite_status(i, now) == "pending")
    r = api.admin.delete(f"{INVITES}/{pending}")
    assert r.status_code == 200 and r.json() == {"id": pending, "type": "invite_deleted"}
    assert_error(api.admin.get(f"{INVITES}/{pending}"), 404, "not_found_error")
    accepted = next(i.id for i in api.org.invites.values() if invite_status(i, now) == "accepted")
    assert_error(api.admin.delete(f"{INVITES}/{accepted}"), 400, "invalid_request_error")


def test_archiving_a_federation_rule_then_its_service_account(api: Api) -> None:
    rule = next(r for r in api.org.federation_rules.values() if r.archived_at is None)
    sa, issuer = rule.service_account_id, rule.issuer_id
    others = [
        r.id
        for r in api.org.federation_rules.values()
        if r.archived_at is None and r.id != rule.id and r.service_account_id == sa
    ]
    body = assert_error(api.oauth.post(f"{SAS}/{sa}/archive"), 400, "invalid_request_error")
    assert rule.id in body["error"]["message"]
    assert api.oauth.get(f"{SAS}/{sa}").json()["archived_at"] is None
    assert_error(api.admin.post(f"{RULES}/{rule.id}/archive"), 403, "permission_error")
    first = api.oauth.post(f"{RULES}/{rule.id}/archive")
    assert first.status_code == 200 and first.json()["archived_at"] is not None
    assert api.oauth.post(f"{RULES}/{rule.id}/archive").json() == first.json()
    assert api.oauth.get(f"{RULES}/{rule.id}").json()["archived_at"] == first.json()["archived_at"]
    listed = api.oauth.get(RULES, params={"limit": 100}).json()["data"]
    assert rule.id not in {r["id"] for r in listed}
    for other in others:
        assert api.oauth.post(f"{RULES}/{other}/archive").status_code == 200
    sa_keys = [
        k.id
        for k in api.org.api_keys.values()
        if (k.principal or {}).get("service_account_id") == sa
        and key_status(k, api.sim.now()) in ("active", "inactive")
    ]
    r = api.oauth.post(f"{SAS}/{sa}/archive")
    assert r.status_code == 200 and r.json()["archived_at"] is not None
    for key in sa_keys:
        assert api.admin.get(f"{KEYS}/{key}").json()["status"] == "archived"
    live_on_issuer = [
        r.id
        for r in api.org.federation_rules.values()
        if r.archived_at is None and r.issuer_id == issuer
    ]
    if live_on_issuer:
        r = api.oauth.post(f"{ISSUERS}/{issuer}/archive")
        assert_error(r, 400, "invalid_request_error")
        for other in live_on_issuer:
            assert api.oauth.post(f"{RULES}/{other}/archive").status_code == 200
    r = api.oauth.post(f"{ISSUERS}/{issuer}/archive")
    assert r.status_code == 200 and r.json()["archived_at"] is not None
    assert_error(
        api.oauth.post(f"{RULES}/fdrl_01nobody0000000000000000/archive"), 404, "not_found_error"
    )
