"""Plain httpx responses match the reference objects field for field (names and types)."""

from __future__ import annotations

import re
from typing import Any

from sim_helpers import Api

TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ORG_ROLES = {
    "admin", "billing", "claude_code_user", "developer", "managed", "membership_admin",
    "owner", "primary_owner", "user",
}  # fmt: skip
WS_ROLES = {
    "workspace_admin", "workspace_billing", "workspace_developer",
    "workspace_restricted_developer", "workspace_user",
}  # fmt: skip


def ts(value: Any, nullable: bool = False) -> bool:
    return (nullable and value is None) or (isinstance(value, str) and bool(TS.match(value)))


def test_organization(ro: Api) -> None:
    body = ro.admin.get("/v1/organizations/me").json()
    assert set(body) == {"id", "name", "type"} and body["type"] == "organization"
    assert UUID.match(body["id"])


def test_user(ro: Api) -> None:
    for u in ro.walk("/v1/organizations/users", 1000):
        assert set(u) == {"id", "type", "email", "name", "role", "added_at"}
        assert u["id"].startswith("user_01") and u["type"] == "user"
        assert isinstance(u["email"], str) and isinstance(u["name"], str)
        assert u["role"] in ORG_ROLES and ts(u["added_at"])


def test_invite(ro: Api) -> None:
    for i in ro.walk("/v1/organizations/invites", 1000):
        assert set(i) == {
            "id", "type", "email", "role", "status", "invited_at", "expires_at",
            "accepted_at", "rbac_group_ids",
        }  # fmt: skip
        assert i["id"].startswith("invite_01") and i["type"] == "invite"
        assert i["status"] in {"accepted", "deleted", "expired", "pending"}
        assert ts(i["invited_at"]) and ts(i["expires_at"]) and ts(i["accepted_at"], True)
        assert i["rbac_group_ids"] == []
        assert (i["accepted_at"] is not None) == (i["status"] == "accepted")


def test_workspace(ro: Api) -> None:
    params = {"include_archived": "true", "include_default": "true"}
    for w in ro.walk("/v1/organizations/workspaces", 1000, params):
        assert set(w) == {
            "id", "type", "name", "created_at", "archived_at", "display_color",
            "data_residency", "compartment_id", "external_key_id", "tags",
        }  # fmt: skip
        assert w["id"].startswith("wrkspc_01") and w["type"] == "workspace"
        assert ts(w["created_at"]) and ts(w["archived_at"], True)
        assert re.match(r"^#[0-9A-Fa-f]{6}$", w["display_color"])
        assert set(w["data_residency"]) == {
            "workspace_geo", "allowed_inference_geos", "default_inference_geo",
        }  # fmt: skip
        assert isinstance(w["compartment_id"], str) and isinstance(w["tags"], dict)
        assert w["external_key_id"] is None or isinstance(w["external_key_id"], str)


def test_member(ro: Api) -> None:
    ws_id = next(iter(ro.org.members))[0]
    for m in ro.walk(f"/v1/organizations/workspaces/{ws_id}/members", 1000):
        assert set(m) == {"type", "user_id", "workspace_id", "workspace_role"}
        assert m["type"] == "workspace_member" and m["workspace_id"] == ws_id
        assert m["workspace_role"] in WS_ROLES


def test_api_key(ro: Api) -> None:
    for k in ro.walk("/v1/organizations/api_keys", 1000):
        assert set(k) == {
            "id", "type", "name", "created_at", "created_by", "expires_at",
            "partial_key_hint", "status", "scope", "principal", "workspace_id",
        }  # fmt: skip
        assert k["id"].startswith("apikey_01") and k["type"] == "api_key"
        assert ts(k["created_at"]) and ts(k["expires_at"], True)
        assert k["created_by"] is None or (
            set(k["created_by"]) == {"id", "type"}
            and k["created_by"]["type"] in ("user", "service_account")
        )
        assert k["partial_key_hint"].startswith("sk-ant-api03-")
        assert k["status"] in {"active", "inactive", "archived", "expired"}
        assert k["scope"]["type"] in ("workspace", "organization")
        principal = k["principal"]
        assert principal is None or principal in (
            {"type": "user_actor", "user_id": principal.get("user_id")},
            {
                "type": "service_account_actor",
                "service_account_id": principal.get("service_account_id"),
            },
        )


def test_service_account_and_membership(ro: Api) -> None:
    body = ro.oauth.get(
        "/v1/organizations/service_accounts", params={"limit": 100, "include_archived": "true"}
    ).json()
    for s in body["data"]:
        assert set(s) == {
            "id", "type", "name", "description", "organization_role", "created_at",
            "updated_at", "archived_at", "created_by_actor_id", "updated_by_actor_id",
            "archived_by_actor_id",
        }  # fmt: skip
        assert s["id"].startswith("svac_01") and s["type"] == "service_account"
        assert s["organization_role"] in ("admin", "developer")
        assert ts(s["created_at"]) and ts(s["updated_at"]) and ts(s["archived_at"], True)
    live = next(s for s in body["data"] if s["archived_at"] is None)
    rows = ro.oauth.get(f"/v1/organizations/service_accounts/{live['id']}/workspaces").json()
    for row in rows["data"]:
        assert set(row) == {
            "type", "service_account_id", "workspace_id", "workspace_role", "implicit",
            "created_by_actor_id",
        }  # fmt: skip
        assert row["type"] == "service_account_workspace_member"
        assert row["workspace_role"] in WS_ROLES - {"workspace_billing"}
        assert isinstance(row["implicit"], bool)


def test_unicode_is_served_verbatim(ro: Api) -> None:
    served = {u["id"]: u["name"] for u in ro.walk("/v1/organizations/users", 1000)}
    assert served == {u.id: u.name for u in ro.org.users.values()}
    assert any(not n.isascii() for n in served.values())
    assert any("'" in n for n in served.values())
