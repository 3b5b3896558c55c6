"""A Claude Enterprise org: its key and scopes, roles and their rules, the endpoints it lacks,
linked orgs reachable by one key, and its documented rate limit (claude-org-products.md)."""

from __future__ import annotations

import time
from typing import Any

from sim_helpers import Make, assert_error, by_role, enterprise, new_key

USERS = "/v1/organizations/users"
INVITES = "/v1/organizations/invites"


def test_enterprise_org_has_enterprise_roles_and_an_api01_key(make_api: Make) -> None:
    api = enterprise(make_api)
    creds = api.control.get("/_control/credentials").json()
    assert creds["product"] == "enterprise" and creds["admin_key"].startswith("sk-ant-api01-")
    assert creds["inference_key"].startswith("sk-ant-api03-")
    assert creds["oauth_token"].startswith("sk-ant-oat01-")
    users = api.walk(USERS, 1000)
    roles = [u["role"] for u in users]
    assert set(roles) == {"user", "managed", "owner", "membership_admin", "primary_owner"}
    assert roles.count("primary_owner") == 1
    assert [u["id"] for u in users] == sorted((u["id"] for u in users), reverse=True)
    planted = api.control.get("/_control/planted").json()
    assert planted["membership_admins"] == sorted(
        u["id"] for u in users if u["role"] == "membership_admin"
    )
    assert set(planted["effective_org_admins"]) == {
        u["id"] for u in users if u["role"] in ("owner", "primary_owner", "membership_admin")
    } | set(planted["rbac_member_managers"])
    assert api.control.get("/_control/summary").json()["workspaces"] == 0


def test_churn_keeps_enterprise_roles(make_api: Make) -> None:
    api = enterprise(make_api)
    assert (
        api.control.post("/_control/mutate", json={"op": "churn", "count": 20}).status_code == 200
    )
    assert {u.role for u in api.org.users.values()} <= {
        "user",
        "managed",
        "owner",
        "membership_admin",
        "primary_owner",
    }


def test_newest_first_pages_walk_every_member_both_ways(make_api: Make) -> None:
    api = enterprise(make_api)
    forward = api.walk(USERS, 7)
    assert [u["id"] for u in forward] == sorted(api.org.users, reverse=True)
    assert api.walk(USERS, 7, backward_from=forward[-1]["id"]) == forward[:-1]
    assert_error(api.admin.get(USERS, params={"limit": 1001}), 400, "invalid_request_error")


def test_endpoints_the_product_lacks_answer_organization_type_not_supported(
    make_api: Make,
) -> None:
    api = enterprise(make_api)
    for path in ("me", "workspaces", "api_keys", "service_accounts", "usage_report/messages"):
        body = assert_error(
            api.admin.get(f"/v1/organizations/{path}"), 400, "invalid_request_error"
        )
        assert body["error"]["details"] == {"error_code": "organization_type_not_supported"}
    console = make_api(seed=5, size="small")
    for path in ("rbac_groups", "rbac_roles", f"users/{by_role(console, 'user')}/sign_out"):
        r = console.admin.request(
            "POST" if path.endswith("sign_out") else "GET", f"/v1/organizations/{path}"
        )
        body = assert_error(r, 400, "invalid_request_error")
        assert body["error"]["details"]["error_code"] == "organization_type_not_supported"


def test_inference_key_and_oauth_token_are_refused(make_api: Make, clients: Any) -> None:
    api = enterprise(make_api)
    body = assert_error(clients(api, api.org.inference_key).get(USERS), 403, "permission_error")
    assert "sk-ant-api01-" in body["error"]["message"]
    assert_error(api.oauth.get(USERS), 403, "permission_error")
    assert_error(
        clients(api, "sk-ant-api01-" + "x" * 93 + "AA").get(USERS), 401, "authentication_error"
    )


def test_missing_scope_is_a_403_naming_got_and_needed(make_api: Make, clients: Any) -> None:
    api = enterprise(make_api)
    writer = clients(api, new_key(api, ["write:members"]))
    body = assert_error(writer.get(USERS), 403, "permission_error")
    assert body["error"]["message"] == (
        "Missing required scopes. Got: [write:members] Needed: [read:members]"
    )
    auditor = clients(api, new_key(api, ["read:org_audit"]))
    assert auditor.get(USERS).status_code == 200 and auditor.get(INVITES).status_code == 200
    r = auditor.post(INVITES, json={"email": "new.person@example.com", "role": "user"})
    assert_error(r, 403, "permission_error")
    # group scopes need a key created for all linked orgs (reference 1.2)
    r = api.control.post(
        "/_control/mutate", json={"op": "add_admin_key", "scopes": ["read:rbac_groups"]}
    )
    assert r.status_code == 400


def test_role_updates_follow_the_enterprise_rules(make_api: Make, clients: Any) -> None:
    api = enterprise(make_api)
    member = by_role(api, "user")
    for role in ("owner", "membership_admin", "primary_owner", "developer", "admin"):
        r = api.admin.post(f"{USERS}/{member}", json={"role": role})
        assert_error(r, 400, "invalid_request_error")
    for protected in ("owner", "membership_admin", "primary_owner"):
        r = api.admin.post(f"{USERS}/{by_role(api, protected)}", json={"role": "user"})
        assert_error(r, 400, "invalid_request_error")
        assert_error(
            api.admin.delete(f"{USERS}/{by_role(api, protected)}"), 400, "invalid_request_error"
        )
    no_groups = clients(api, new_key(api, ["read:members", "write:members"]))
    body = assert_error(
        no_groups.post(f"{USERS}/{member}", json={"role": "managed"}), 403, "permission_error"
    )
    assert "Needed: [write:members, write:rbac_groups]" in body["error"]["message"]
    assert no_groups.post(f"{USERS}/{member}", json={"role": "user"}).status_code == 200
    r = api.admin.post(f"{USERS}/{member}", json={"role": "managed"})
    assert r.status_code == 200 and r.json()["role"] == "managed"
    api.control.put("/_control/config", json={"idp_manages_roles": True})
    assert_error(
        api.admin.post(f"{USERS}/{member}", json={"role": "user"}), 400, "invalid_request_error"
    )


def test_removal_is_refused_in_scim_mode(make_api: Make) -> None:
    api = enterprise(make_api, provisioning="scim")
    member = by_role(api, "user")
    assert_error(api.admin.delete(f"{USERS}/{member}"), 400, "invalid_request_error")
    api.control.put("/_control/config", json={"provisioning": "manual"})
    r = api.admin.delete(f"{USERS}/{member}")
    assert r.status_code == 200 and r.json() == {"id": member, "type": "user_deleted"}


def test_invites_follow_the_enterprise_rules(make_api: Make, clients: Any) -> None:
    api = enterprise(make_api)
    assert_error(
        api.admin.post(INVITES, json={"email": "a@example.com", "role": "owner"}),
        400,
        "invalid_request_error",
    )
    member_email = next(iter(api.org.users.values())).email
    r = api.admin.post(INVITES, json={"email": member_email.upper(), "role": "user"})
    assert_error(r, 400, "invalid_request_error")
    r = api.admin.post(INVITES, json={"email": "fresh@example.com", "role": "managed"})
    assert r.status_code == 200 and r.json()["status"] == "pending"
    again = api.admin.post(INVITES, json={"email": "fresh@example.com", "role": "user"})
    assert_error(again, 400, "invalid_request_error")
    accepted = next(i.id for i in api.org.invites.values() if i.status == "accepted")
    assert_error(api.admin.delete(f"{INVITES}/{accepted}"), 400, "invalid_request_error")
    assert api.admin.delete(f"{INVITES}/{r.json()['id']}").status_code == 200
    no_groups = clients(api, new_key(api, ["read:members", "write:members"]))
    grouped = {"email": "g@example.com", "role": "user", "rbac_group_ids": ["rbac_group_01x"]}
    assert_error(no_groups.post(INVITES, json=grouped), 403, "permission_error")
    for knobs in ({"provisioning": "jit"}, {"provisioning": "scim"}, {"seats": 1}):
        api.control.put("/_control/config", json={"provisioning": "manual", "seats": 0, **knobs})
        r = api.admin.post(INVITES, json={"email": "late@example.com", "role": "user"})
        assert_error(r, 400, "invalid_request_error")


def test_member_filters_use_the_enterprise_values(make_api: Make) -> None:
    api = enterprise(make_api)
    user = next(u for u in api.org.users.values() if u.role == "user")
    local, _, domain = user.email.partition("@")
    for wanted in (user.email.upper(), f"{local}+billing@{domain}"):
        r = api.admin.get(USERS, params={"email": wanted})
        assert [u["id"] for u in r.json()["data"]] == [user.id]
    r = api.admin.get(USERS, params={"roles[]": ["membership_admin", "managed"]})
    assert {u["role"] for u in r.json()["data"]} == {"membership_admin", "managed"}
    assert_error(api.admin.get(USERS, params={"roles[]": "admin"}), 400, "invalid_request_error")
    console = make_api(seed=5, size="small")
    assert_error(
        console.admin.get(USERS, params={"roles[]": "managed"}), 400, "invalid_request_error"
    )
    assert console.admin.get(USERS, params={"email": f"{local}+x@{domain}"}).json()["data"] == []


def test_one_key_reaches_every_linked_enterprise_org(make_api: Make, clients: Any) -> None:
    api = enterprise(make_api, linked_orgs=["enterprise", "console"])
    orgs = api.control.get("/_control/credentials").json()["linked_orgs"]
    first, second, console = orgs
    assert [o["product"] for o in orgs] == ["enterprise", "enterprise", "console"]
    own = api.admin.get(USERS, params={"limit": 1000})
    assert own.headers["anthropic-organization-id"] == first["organization_id"]
    for named in (second["organization_id"], "org_" + second["organization_id"]):
        r = api.admin.get(USERS, params={"limit": 1000, "organization_id": named})
        assert r.status_code == 200 and r.headers["anthropic-organization-id"] == named[-36:]
    theirs = {u["email"]: u["role"] for u in r.json()["data"]}
    ours = {u["email"]: u["role"] for u in own.json()["data"]}
    shared = set(theirs) & set(ours)
    assert len(shared) >= 3 and any(theirs[e] != ours[e] for e in shared)
    assert_error(
        api.admin.get(USERS, params={"organization_id": "nope"}), 400, "invalid_request_error"
    )
    # the parent key does not reach the Console org, which has its own Admin key
    r = api.admin.get(USERS, params={"organization_id": console["organization_id"]})
    assert_error(r, 404, "not_found_error")
    console_key = clients(api, console["admin_key"])
    assert console_key.get("/v1/organizations/workspaces").status_code == 200
    r = console_key.get(USERS, params={"organization_id": first["organization_id"]})
    assert_error(r, 404, "not_found_error")
    # the second org's own key is for that org only, without group scopes
    single = clients(api, second["admin_key"])
    r = single.get(USERS)
    assert r.headers["anthropic-organization-id"] == second["organization_id"]
    r = single.get(USERS, params={"organization_id": first["organization_id"]})
    assert_error(r, 404, "not_found_error")
    summary = api.control.get(
        "/_control/summary", params={"organization_id": second["organization_id"]}
    ).json()
    assert (
        summary["product"] == "enterprise"
        and summary["organization_id"] == second["organization_id"]
    )


def test_enterprise_rate_limit_is_per_organization(make_api: Make, clients: Any) -> None:
    api = enterprise(
        make_api,
        linked_orgs=["enterprise"],
        rate_limit_enabled=True,
        org_request_limit=5,
        org_request_window_s=2.0,
        invite_limit=2,
    )
    other = clients(api, new_key(api, ["read:members"]))
    second = api.control.get("/_control/credentials").json()["linked_orgs"][1]["organization_id"]
    for _ in range(3):
        assert api.admin.get(USERS).status_code == 200
    assert other.get(USERS).status_code == 200
    assert (
        api.admin.post(INVITES, json={"email": "i1@example.com", "role": "user"}).status_code == 200
    )
    r = other.get(USERS)  # a sixth request within the window, from another key
    assert_error(r, 429, "rate_limit_error")
    assert 1 <= int(r.headers["retry-after"]) <= 2
    assert api.admin.get(USERS, params={"organization_id": second}).status_code == 200
    time.sleep(2.05)
    assert (
        api.admin.post(INVITES, json={"email": "i2@example.com", "role": "user"}).status_code == 200
    )
    r = api.admin.post(INVITES, json={"email": "i3@example.com", "role": "user"})
    assert_error(r, 429, "rate_limit_error")
    assert api.admin.get(USERS).status_code == 200
