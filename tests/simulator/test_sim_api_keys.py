"""API keys: filters, updates, and the documented rendering."""

from __future__ import annotations

from sim_helpers import Api, assert_error

KEYS = "/v1/organizations/api_keys"


def test_status_filter_covers_every_status(ro: Api) -> None:
    seen = set()
    for status in ("active", "inactive", "archived", "expired"):
        data = ro.walk(KEYS, 1000, {"status": status})
        assert data, status
        assert all(k["status"] == status for k in data)
        seen |= {k["id"] for k in data}
    assert seen == set(ro.org.api_keys)
    assert_error(ro.admin.get(KEYS, params={"status": "revoked"}), 400, "invalid_request_error")


def test_scope_and_deprecated_workspace_id(ro: Api) -> None:
    default = ro.org.default_workspace().id
    for key in ro.walk(KEYS, 1000):
        record = ro.org.api_keys[key["id"]]
        if record.workspace_id is None:
            assert key["scope"] == {"type": "organization"}
            assert key["workspace_id"] is None and key["principal"] is not None
        else:
            assert key["scope"] == {"type": "workspace", "workspace_id": record.workspace_id}
            expected = None if record.workspace_id == default else record.workspace_id
            assert key["workspace_id"] == expected
    in_default = ro.walk(KEYS, 1000, {"workspace_id": default})
    assert in_default and all(k["workspace_id"] is None for k in in_default)


def test_created_by_filter(ro: Api) -> None:
    creator = next(k.created_by["id"] for k in ro.org.api_keys.values() if k.created_by)
    data = ro.walk(KEYS, 1000, {"created_by_user_id": creator})
    truth = {
        k.id for k in ro.org.api_keys.values() if k.created_by and k.created_by["id"] == creator
    }
    assert {k["id"] for k in data} == truth


def test_update_name_and_status(api: Api) -> None:
    key = next(
        k
        for k in api.org.api_keys.values()
        if k.status == "active"
        and k.expires_at is None
        and k.workspace_id
        and not api.org.workspaces[k.workspace_id].archived_at
    )
    r = api.admin.post(f"{KEYS}/{key.id}", json={"name": "renamed", "status": "inactive"})
    assert r.status_code == 200
    assert r.json()["name"] == "renamed" and r.json()["status"] == "inactive"
    assert_error(
        api.admin.post(f"{KEYS}/{key.id}", json={"status": "expired"}), 400, "invalid_request_error"
    )
    assert_error(
        api.admin.post(f"{KEYS}/{key.id}", json={"name": ""}), 400, "invalid_request_error"
    )
    r = api.admin.post(f"{KEYS}/{key.id}", json={"status": "archived"})
    assert r.json()["status"] == "archived"
    assert_error(
        api.admin.post(f"{KEYS}/{key.id}", json={"status": "active"}), 400, "invalid_request_error"
    )
