"""Workspaces and workspace members."""

from __future__ import annotations

from sim_helpers import Api, assert_error

WS = "/v1/organizations/workspaces"


def test_default_and_archived_are_hidden_unless_asked(ro: Api) -> None:
    org = ro.org
    default = org.default_workspace()
    plain = {w["id"] for w in ro.walk(WS, 1000)}
    assert default.id not in plain
    assert not any(org.workspaces[w].archived_at for w in plain)
    with_default = {w["id"] for w in ro.walk(WS, 1000, {"include_default": "true"})}
    assert with_default == plain | {default.id}
    everything = {
        w["id"] for w in ro.walk(WS, 1000, {"include_default": "true", "include_archived": "true"})
    }
    assert everything == set(org.workspaces)
    r = ro.admin.get(f"{WS}/{default.id}").json()
    assert r["name"] == "Default Workspace" and r["id"].startswith("wrkspc_")
    assert_error(
        ro.admin.get(WS, params={"include_archived": "maybe"}), 400, "invalid_request_error"
    )


def test_ids_filter(ro: Api) -> None:
    ids = list(ro.org.workspaces)[:4]
    query = "&".join(f"ids[]={i}" for i in ids) + "&include_default=true&include_archived=true"
    data = ro.admin.get(f"{WS}?{query}").json()["data"]
    assert [w["id"] for w in data] == sorted(ids)
    many = "&".join(f"ids[]=wrkspc_{n}" for n in range(101))
    assert_error(ro.admin.get(f"{WS}?{many}"), 400, "invalid_request_error")


def test_create_update_rules(api: Api) -> None:
    r = api.admin.post(WS, json={"name": "New Space", "tags": {"team": "ml"}})
    assert r.status_code == 200, r.text
    ws = r.json()
    assert ws["display_color"].startswith("#") and ws["archived_at"] is None
    assert ws["data_residency"]["workspace_geo"] == "us"
    r = api.admin.post(f"{WS}/{ws['id']}", json={"name": "Renamed", "tags": {"team": None}})
    assert r.json()["name"] == "Renamed" and r.json()["tags"] == {}
    for bad in (
        {"name": ""},
        {"name": "x" * 256},
        {"name": "ok", "display_color": "red"},
        {"name": "ok", "tags": {"anthropic-x": "1"}},
        {"name": "ok", "data_residency": {"default_inference_geo": "mars"}},
    ):
        assert_error(api.admin.post(WS, json=bad), 400, "invalid_request_error")
    default = api.org.default_workspace().id
    assert_error(
        api.admin.post(f"{WS}/{default}", json={"name": "Mine"}), 400, "invalid_request_error"
    )
    assert_error(api.admin.post(f"{WS}/{default}/archive"), 400, "invalid_request_error")


def test_archiving_revokes_keys(api: Api) -> None:
    counts: dict[str, int] = {}
    for key in api.org.api_keys.values():
        if key.status == "active" and key.workspace_id:
            ws = api.org.workspaces[key.workspace_id]
            if not ws.archived_at and not ws.is_default:
                counts[key.workspace_id] = counts.get(key.workspace_id, 0) + 1
    target = max(counts, key=lambda w: counts[w])
    r = api.admin.post(f"{WS}/{target}/archive")
    assert r.status_code == 200 and r.json()["archived_at"] is not None
    keys = api.admin.get(
        "/v1/organizations/api_keys", params={"workspace_id": target, "limit": 1000}
    ).json()["data"]
    assert keys and all(k["status"] in ("archived", "expired") for k in keys)
    # Writes to an archived workspace are 400s.
    assert_error(api.admin.post(f"{WS}/{target}", json={"name": "x"}), 400, "invalid_request_error")
    assert_error(api.admin.post(f"{WS}/{target}/archive"), 400, "invalid_request_error")
    planted = api.control.get("/_control/planted").json()
    assert not set(planted["active_keys_in_archived_workspaces"]) & {k["id"] for k in keys}


def test_member_rules(api: Api) -> None:
    org = api.org
    ws = next(w for w in org.workspaces.values() if not w.archived_at and not w.is_default)
    outsider = next(
        u for u in org.users.values() if u.role == "developer" and (ws.id, u.id) not in org.members
    )
    base = f"{WS}/{ws.id}/members"
    r = api.admin.post(base, json={"user_id": outsider.id, "workspace_role": "workspace_billing"})
    assert_error(r, 400, "invalid_request_error")
    r = api.admin.post(
        base, json={"user_id": outsider.id, "workspace_role": "workspace_restricted_developer"}
    )
    assert r.status_code == 200
    assert r.json() == {
        "type": "workspace_member",
        "user_id": outsider.id,
        "workspace_id": ws.id,
        "workspace_role": "workspace_restricted_developer",
    }
    again = api.admin.post(base, json={"user_id": outsider.id, "workspace_role": "workspace_user"})
    assert_error(again, 409, "conflict_error")
    r = api.admin.post(f"{base}/{outsider.id}", json={"workspace_role": "workspace_billing"})
    assert_error(r, 400, "invalid_request_error")
    r = api.admin.post(f"{base}/{outsider.id}", json={"workspace_role": "workspace_admin"})
    assert r.json()["workspace_role"] == "workspace_admin"
    r = api.admin.delete(f"{base}/{outsider.id}")
    assert r.json() == {
        "type": "workspace_member_deleted",
        "user_id": outsider.id,
        "workspace_id": ws.id,
    }
    assert_error(api.admin.get(f"{base}/{outsider.id}"), 404, "not_found_error")


def test_inherited_members(api: Api) -> None:
    org = api.org
    ws = next(w for w in org.workspaces.values() if not w.archived_at and not w.is_default)
    admin = next(u for u in org.users.values() if u.role == "admin")
    billing = next(u for u in org.users.values() if u.role == "billing")
    base = f"{WS}/{ws.id}/members"
    assert api.admin.get(f"{base}/{admin.id}").json()["workspace_role"] == "workspace_admin"
    assert api.admin.get(f"{base}/{billing.id}").json()["workspace_role"] == "workspace_billing"
    assert_error(api.admin.delete(f"{base}/{admin.id}"), 400, "invalid_request_error")
    assert_error(api.admin.delete(f"{base}/{billing.id}"), 400, "invalid_request_error")
    listed = {m["user_id"] for m in api.walk(base, 1000)}
    assert admin.id not in listed  # default: only explicit memberships are listed
    api.control.put("/_control/config", json={"list_inherited_members": True})
    listed = {m["user_id"]: m["workspace_role"] for m in api.walk(base, 1000)}
    assert listed[admin.id] == "workspace_admin" and listed[billing.id] == "workspace_billing"
