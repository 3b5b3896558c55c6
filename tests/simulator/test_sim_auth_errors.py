"""Authentication, the error envelope, and the response headers."""

from __future__ import annotations

import httpx
from sim_helpers import Api, assert_error

USERS = "/v1/organizations/users"


def test_missing_unknown_and_malformed_credentials_are_401(ro: Api) -> None:
    assert_error(ro.anon.get(USERS), 401, "authentication_error")
    for key in ("sk-ant-admin01-" + "x" * 84 + "AA", "garbage", "sk-ant-api03-nope"):
        assert_error(ro.anon.get(USERS, headers={"x-api-key": key}), 401, "authentication_error")
    bad_bearer = {"authorization": "Bearer sk-ant-oat01-wrong"}
    assert_error(ro.anon.get(USERS, headers=bad_bearer), 401, "authentication_error")
    admin_as_bearer = {"authorization": f"Bearer {ro.org.admin_key}"}
    assert_error(ro.anon.get(USERS, headers=admin_as_bearer), 401, "authentication_error")


def test_401_has_request_id_but_no_org_header(ro: Api) -> None:
    r = ro.anon.get(USERS)
    assert r.headers["request-id"].startswith("req_")
    assert "anthropic-organization-id" not in r.headers
    assert "anthropic-workspace-id" not in r.headers


def test_inference_key_is_403_and_names_the_admin_key(ro: Api) -> None:
    r = ro.anon.get(USERS, headers={"x-api-key": ro.org.inference_key})
    body = assert_error(r, 403, "permission_error")
    assert "Admin" in body["error"]["message"]


def test_admin_key_and_oauth_both_work_on_admin_routes(ro: Api) -> None:
    for client in (ro.admin, ro.oauth):
        r = client.get("/v1/organizations/me")
        assert r.status_code == 200
        assert r.json() == {"id": ro.org.id, "name": ro.org.name, "type": "organization"}


def test_headers_on_every_authenticated_response(ro: Api) -> None:
    ids = set()
    for path in (USERS, "/v1/organizations/me", "/v1/organizations/api_keys", "/v1/nope"):
        r = ro.admin.get(path)
        assert r.headers["anthropic-organization-id"] == ro.org.id
        assert "anthropic-workspace-id" not in r.headers
        ids.add(r.headers["request-id"])
    assert len(ids) == 4


def test_not_found_and_method_not_allowed(ro: Api) -> None:
    assert_error(ro.admin.get(f"{USERS}/user_01doesnotexist"), 404, "not_found_error")
    assert_error(ro.admin.get("/v1/organizations/nothing"), 404, "not_found_error")
    ws = "/v1/organizations/workspaces/wrkspc_01missing"
    assert_error(ro.admin.get(ws), 404, "not_found_error")
    assert_error(ro.admin.get("/v1/organizations/invites/invite_01x"), 404, "not_found_error")
    assert_error(ro.admin.get("/v1/organizations/api_keys/apikey_01x"), 404, "not_found_error")
    assert_error(ro.admin.put(USERS), 405, "invalid_request_error")


def test_bad_json_bodies_are_400(api: Api) -> None:
    user = next(u for u in api.org.users.values() if u.role == "developer")
    for content in (b"{not json", b"[1, 2]", b'"role"'):
        r = api.admin.post(
            f"{USERS}/{user.id}", content=content, headers={"content-type": "application/json"}
        )
        assert_error(r, 400, "invalid_request_error")
    assert_error(api.admin.post(f"{USERS}/{user.id}", json={}), 400, "invalid_request_error")


def test_beta_query_is_ignored(ro: Api) -> None:
    plain = ro.admin.get(USERS, params={"limit": 3}).json()
    beta = ro.admin.get(USERS, params={"limit": 3, "beta": "true"}).json()
    assert plain == beta


def test_anthropic_version_can_be_required(make_api: object) -> None:
    api = make_api(seed=2, size="small", require_anthropic_version=True)  # type: ignore[operator]
    r = httpx.get(f"{api.rs.base_url}{USERS}", headers={"x-api-key": api.org.admin_key}, timeout=5)
    assert_error(r, 400, "invalid_request_error")
    assert api.admin.get(USERS).status_code == 200
