"""API keys as the reference describes them (claude-org-products 4.1): whom a key acts as apart
from who made it, and what removing a user or archiving an account or a workspace does."""

from __future__ import annotations

from typing import Any

from sim_helpers import Api

KEYS = "/v1/organizations/api_keys"


def _keys(api: Api) -> dict[str, dict[str, Any]]:
    return {k["id"]: k for k in api.walk(KEYS, 1000)}


def _mutate(api: Api, **body: Any) -> Any:
    r = api.control.post("/_control/mutate", json=body)
    assert r.status_code == 200, r.text
    return r.json()["result"]


def test_generated_keys_have_every_documented_principal_and_creator_shape(ro: Api) -> None:
    keys = _keys(ro).values()
    person_made_sa_keys = [
        k
        for k in keys
        if (k["principal"] or {}).get("type") == "service_account_actor"
        and (k["created_by"] or {}).get("type") == "user"
    ]
    federation_keys = [
        k
        for k in keys
        if (k["principal"] or {}).get("type") == "service_account_actor" and not k["created_by"]
    ]
    legacy = [k for k in keys if k["principal"] is None and k["created_by"] is None]
    assert person_made_sa_keys and federation_keys and legacy
    assert all(k["scope"]["type"] == "workspace" for k in legacy)


def test_removing_a_user_archives_their_personal_keys_only_and_reinvite_restores_none(
    api: Api,
) -> None:
    org = api.org
    user = next(
        u
        for u in org.users.values()
        if u.role != "primary_owner"
        and any((k.principal or {}).get("user_id") == u.id for k in org.api_keys.values())
    )
    personal = {
        k.id for k in org.api_keys.values() if (k.principal or {}).get("user_id") == user.id
    }
    sa = next(s for s in org.service_accounts.values() if s.archived_at is None)
    made = _mutate(
        api,
        op="add_api_key",
        name="made-for-the-robot",
        created_by_user_id=user.id,
        principal={"type": "service_account_actor", "service_account_id": sa.id},
    )
    _mutate(api, op="remove_user", user_id=user.id)
    _mutate(api, op="add_user", email=user.email, name=user.name)
    keys = _keys(api)
    assert {keys[k]["status"] for k in personal} <= {"archived", "expired"}
    assert keys[made["id"]]["status"] == "active"  # a service-account key outlives its maker
    assert keys[made["id"]]["created_by"] == {"id": user.id, "type": "user"}


def test_archiving_a_service_account_archives_the_keys_acting_as_it(api: Api) -> None:
    # a fresh account: here every generated one is a live federation rule's target (400)
    created = api.oauth.post("/v1/organizations/service_accounts", json={"name": "robot-for-keys"})
    assert created.status_code == 200, created.text
    sa = api.org.service_accounts[created.json()["id"]]
    person = next(iter(api.org.users.values()))
    made = _mutate(
        api,
        op="add_api_key",
        name="robot-key",
        created_by_user_id=person.id,
        principal={"type": "service_account_actor", "service_account_id": sa.id},
    )
    mine = _mutate(api, op="add_api_key", name="own-key", created_by_user_id=person.id)
    r = api.oauth.post(f"/v1/organizations/service_accounts/{sa.id}/archive")
    assert r.status_code == 200, r.text
    keys = _keys(api)
    assert keys[made["id"]]["status"] == "archived"
    assert keys[mine["id"]]["status"] == "active"


def test_archiving_a_workspace_archives_its_keys(api: Api) -> None:
    ws = next(w for w in api.org.workspaces.values() if not w.is_default and not w.archived_at)
    made = _mutate(api, op="add_api_key", name="ws-key", workspace_id=ws.id)
    r = api.admin.post(f"/v1/organizations/workspaces/{ws.id}/archive")
    assert r.status_code == 200, r.text
    assert _keys(api)[made["id"]]["status"] == "archived"
