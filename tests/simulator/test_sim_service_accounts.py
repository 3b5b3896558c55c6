"""Service accounts: OAuth only, page-token paging newest first, memberships from both sides."""

from __future__ import annotations

from typing import Any

from sim_helpers import Api, assert_error

SAS = "/v1/organizations/service_accounts"
WS = "/v1/organizations/workspaces"


def _walk_tokens(api: Api, path: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    query: dict[str, Any] = {**params, "limit": limit}
    while True:
        r = api.oauth.get(path, params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"data", "has_more", "next_page"}
        out += body["data"]
        if not body["has_more"]:
            assert body["next_page"] is None
            return out
        query["page"] = body["next_page"]


def test_admin_key_is_refused_everywhere(ro: Api) -> None:
    sa = next(iter(ro.org.service_accounts))
    ws = ro.org.default_workspace().id
    for method, path in (
        ("GET", SAS),
        ("POST", SAS),
        ("GET", f"{SAS}/{sa}"),
        ("POST", f"{SAS}/{sa}"),
        ("POST", f"{SAS}/{sa}/archive"),
        ("GET", f"{SAS}/{sa}/workspaces"),
        ("GET", f"{WS}/{ws}/service_accounts"),
    ):
        r = ro.admin.request(method, path, json={} if method == "POST" else None)
        assert_error(r, 403, "permission_error")


def test_list_is_newest_first_and_pages_by_token(ro: Api) -> None:
    live = sorted(
        (s.id for s in ro.org.service_accounts.values() if not s.archived_at), reverse=True
    )
    for limit in (1, 2, 100):
        assert [s["id"] for s in _walk_tokens(ro, SAS, limit)] == live
    everything = [s["id"] for s in _walk_tokens(ro, SAS, 3, include_archived="true")]
    assert everything == sorted(ro.org.service_accounts, reverse=True)
    for bad in ("0", "101", "x"):
        assert_error(ro.oauth.get(SAS, params={"limit": bad}), 400, "invalid_request_error")
    assert_error(ro.oauth.get(SAS, params={"page": "!!garbage"}), 400, "invalid_request_error")


def test_create_duplicate_update_archive(api: Api) -> None:
    r = api.oauth.post(SAS, json={"name": "nightly-export", "description": "exports"})
    assert r.status_code == 200, r.text
    sa = r.json()
    assert sa["organization_role"] == "developer" and sa["archived_at"] is None
    assert sa["id"] == _walk_tokens(api, SAS, 1)[0]["id"]  # newest first
    assert_error(api.oauth.post(SAS, json={"name": "nightly-export"}), 409, "conflict_error")
    assert_error(api.oauth.post(SAS, json={"name": "Not A Slug"}), 400, "invalid_request_error")
    r = api.oauth.post(
        f"{SAS}/{sa['id']}", json={"description": None, "organization_role": "admin"}
    )
    assert r.json()["description"] is None and r.json()["organization_role"] == "admin"
    first = api.oauth.post(f"{SAS}/{sa['id']}/archive").json()
    again = api.oauth.post(f"{SAS}/{sa['id']}/archive").json()
    assert first["archived_at"] and first["archived_at"] == again["archived_at"]
    assert_error(
        api.oauth.post(f"{SAS}/{sa['id']}", json={"description": "x"}), 400, "invalid_request_error"
    )
    assert api.oauth.get(f"{SAS}/{sa['id']}/workspaces").json() == {
        "data": [],
        "has_more": False,
        "next_page": None,
    }


def test_implicit_default_membership(api: Api) -> None:
    org = api.org
    default = org.default_workspace().id
    sa = next(
        s
        for s in org.service_accounts.values()
        if not s.archived_at and (s.id, default) not in org.sa_memberships
    )
    first_page = api.oauth.get(f"{SAS}/{sa.id}/workspaces", params={"limit": 1}).json()
    assert first_page["data"][0] == {
        "type": "service_account_workspace_member",
        "service_account_id": sa.id,
        "workspace_id": default,
        "workspace_role": "workspace_user",
        "implicit": True,
        "created_by_actor_id": None,
    }
    rows = _walk_tokens(api, f"{SAS}/{sa.id}/workspaces", 1)
    explicit = sorted(
        ws for (s, ws) in org.sa_memberships if s == sa.id and not org.workspaces[ws].archived_at
    )
    assert [r["workspace_id"] for r in rows] == [default, *explicit]
    # The workspace side leaves the implicit row out; DELETE on it is a 200 no-op.
    ws_side = _walk_tokens(api, f"{WS}/{default}/service_accounts", 100)
    assert sa.id not in {r["service_account_id"] for r in ws_side}
    r = api.oauth.delete(f"{WS}/{default}/service_accounts/{sa.id}")
    assert r.status_code == 200
    assert r.json()["type"] == "service_account_workspace_member_deleted"
    got = api.oauth.get(f"{WS}/{default}/service_accounts/{sa.id}").json()
    assert got["implicit"] is True


def test_membership_writes_from_both_sides(api: Api) -> None:
    org = api.org
    sa = next(s for s in org.service_accounts.values() if not s.archived_at)
    ws = next(
        w
        for w in org.workspaces.values()
        if not w.archived_at and not w.is_default and (sa.id, w.id) not in org.sa_memberships
    )
    body = {"workspace_id": ws.id, "workspace_role": "workspace_billing"}
    assert_error(
        api.oauth.post(f"{SAS}/{sa.id}/workspaces", json=body), 400, "invalid_request_error"
    )
    body["workspace_role"] = "workspace_developer"
    r = api.oauth.post(f"{SAS}/{sa.id}/workspaces", json=body)
    assert r.status_code == 200 and r.json()["implicit"] is False
    # Adding again from the workspace side replaces the role.
    r = api.oauth.post(
        f"{WS}/{ws.id}/service_accounts",
        json={"service_account_id": sa.id, "workspace_role": "workspace_admin"},
    )
    assert r.json()["workspace_role"] == "workspace_admin"
    one = f"{WS}/{ws.id}/service_accounts/{sa.id}"
    r = api.oauth.post(one, json={"workspace_role": "workspace_user"})
    assert r.json()["workspace_role"] == "workspace_user"
    assert api.oauth.delete(f"{SAS}/{sa.id}/workspaces/{ws.id}").status_code == 200
    assert api.oauth.delete(f"{SAS}/{sa.id}/workspaces/{ws.id}").status_code == 200  # idempotent
    assert_error(api.oauth.get(one), 404, "not_found_error")
    archived = next(w for w in org.workspaces.values() if w.archived_at)
    assert_error(
        api.oauth.get(f"{WS}/{archived.id}/service_accounts"), 400, "invalid_request_error"
    )


def test_stale_membership_cursor_is_400(api: Api) -> None:
    org = api.org
    sa = max(
        (s for s in org.service_accounts.values() if not s.archived_at),
        key=lambda s: sum(1 for (x, w) in org.sa_memberships if x == s.id),
    )
    path = f"{SAS}/{sa.id}/workspaces"
    page = api.oauth.get(path, params={"limit": 1}).json()
    if not page["has_more"]:
        extra = next(w for w in org.workspaces.values() if not w.archived_at and not w.is_default)
        body = {"workspace_id": extra.id, "workspace_role": "workspace_user"}
        api.oauth.post(path, json=body)
        other = next(
            w
            for w in org.workspaces.values()
            if not w.archived_at and not w.is_default and w.id != extra.id
        )
        api.oauth.post(path, json={"workspace_id": other.id, "workspace_role": "workspace_user"})
        page = api.oauth.get(path, params={"limit": 1}).json()
    last_explicit = page["data"][-1]["workspace_id"]
    api.oauth.delete(f"{path}/{last_explicit}")
    r = api.oauth.get(path, params={"limit": 1, "page": page["next_page"]})
    assert_error(r, 400, "invalid_request_error")
