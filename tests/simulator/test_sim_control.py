"""The control API: token, planted truth, config, mutations, credentials, stats."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from sim_helpers import Api

from anthropic_sim.generator import FULLY_RECORDED


def test_control_token_is_required(ro: Api) -> None:
    for path in (
        "/_control/planted",
        "/_control/stats",
        "/_control/config",
        "/_control/credentials",
    ):
        assert ro.anon.get(path).status_code == 401
        assert ro.anon.get(path, headers={"x-control-token": "wrong"}).status_code == 401
        assert ro.control.get(path).status_code == 200


def test_credentials(ro: Api) -> None:
    creds = ro.control.get("/_control/credentials").json()
    assert creds["admin_key"] == ro.org.admin_key
    assert creds["admin_key"].startswith("sk-ant-admin01-") and creds["admin_key"].endswith("AA")
    assert len(creds["admin_key"]) == len("sk-ant-admin01-") + 86
    assert creds["inference_key"].startswith("sk-ant-api03-")
    assert creds["organization_id"] == ro.org.id
    assert creds["scim_url"] == f"{ro.rs.base_url}/scim/v2"
    assert creds["oauth_token"] and creds["scim_token"]


def test_planted_endpoint_answers_what_the_generator_planted(ro: Api) -> None:
    planted = ro.control.get("/_control/planted").json()
    for case in FULLY_RECORDED:
        assert planted[case] == ro.org.ledger.ids(case), case
    assert set(ro.org.ledger.ids("unowned_workspace")) <= set(
        planted["workspaces_only_inherited_admins"]
    )


def test_boundary_plants_are_served_at_the_clock(ro: Api) -> None:
    """Due exactly at the simulator's now is expired; due later the same day is not yet."""
    ledger = ro.org.ledger
    served = {
        f"/v1/organizations/invites/{ledger.ids('invite_expiring_at_now')[0]}": "expired",
        f"/v1/organizations/invites/{ledger.ids('invite_expiring_later_today')[0]}": "pending",
        f"/v1/organizations/api_keys/{ledger.ids('key_expiring_at_now')[0]}": "expired",
        f"/v1/organizations/api_keys/{ledger.ids('key_expiring_later_today')[0]}": "active",
    }
    for path, status in served.items():
        response = ro.admin.get(path)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status, path


def test_config_roundtrip_and_validation(api: Api) -> None:
    config = api.control.get("/_control/config").json()
    assert config["admin_rate"] > 0 and config["tier"] == "enterprise"
    r = api.control.put(
        "/_control/config",
        json={"tier": "standard", "faults": [{"route": "nothing", "error_rate": 0.5}]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["tier"] == "standard" and r.json()["faults"][0]["error_rate"] == 0.5
    assert api.org.tier == "standard"
    assert api.control.put("/_control/config", json={"nope": 1}).status_code == 400
    assert api.control.put("/_control/config", json={"admin_rate": "fast"}).status_code == 400


def _mutate(api: Api, **body: Any) -> dict[str, Any]:
    r = api.control.post("/_control/mutate", json=body)
    assert r.status_code == 200, r.text
    return r.json()["result"]


def test_mutations_move_the_planted_truth(api: Api) -> None:
    org = api.org
    developer = next(u for u in org.users.values() if u.role == "developer")
    ws = next(w for w in org.workspaces.values() if not w.archived_at and not w.is_default)

    new = _mutate(api, op="add_user", email="nia.new@" + org.main_domains[0], name="Nia New")
    assert api.admin.get(f"/v1/organizations/users/{new['id']}").status_code == 200

    _mutate(api, op="change_role", user_id=developer.id, role="admin")
    assert developer.id in api.control.get("/_control/planted").json()["org_admins"]

    key = _mutate(api, op="add_api_key", name="k", workspace_id=ws.id, created_by_user_id=new["id"])
    _mutate(api, op="remove_user", user_id=new["id"])
    planted = api.control.get("/_control/planted").json()
    assert key["id"] in planted["keys_of_departed_users"]

    _mutate(api, op="revoke_key", key_id=key["id"], status="inactive")
    planted = api.control.get("/_control/planted").json()
    assert key["id"] in planted["stale_keys"]
    assert key["id"] not in planted["keys_of_departed_users"]

    other = next(u for u in org.users.values() if u.role == "user")
    member = _mutate(
        api,
        op="add_workspace_member",
        workspace_id=ws.id,
        user_id=other.id,
        workspace_role="workspace_developer",
    )
    assert member["workspace_role"] == "workspace_developer"

    _mutate(api, op="archive_workspace", workspace_id=ws.id)
    assert ws.id in api.control.get("/_control/planted").json()["archived_workspaces"]

    unknown = api.control.post("/_control/mutate", json={"op": "explode"})
    assert unknown.status_code == 400
    missing = api.control.post("/_control/mutate", json={"op": "remove_user", "user_id": "user_x"})
    assert missing.status_code == 404


def test_deactivate_scim_user_deprovisions(api: Api) -> None:
    org = api.org
    user = next(
        u
        for u in org.users.values()
        if u.role == "developer"
        and any(
            r["userName"].lower() == u.email.lower() and r["active"]
            for r in org.scim_users.values()
        )
    )
    _mutate(api, op="deactivate_scim_user", email=user.email)
    assert user.id not in org.users and user.id in org.departed_users
    planted = api.control.get("/_control/planted").json()
    assert user.id not in planted["scim_deactivated_still_member"]


def test_deactivate_without_deprovision_is_drift(make_api: Any) -> None:
    api = make_api(seed=11, size="small", scim_deprovision=False)
    user = next(
        u
        for u in api.org.users.values()
        if u.role == "developer"
        and any(r["userName"].lower() == u.email.lower() for r in api.org.scim_users.values())
    )
    _mutate(api, op="deactivate_scim_user", email=user.email)
    planted = api.control.get("/_control/planted").json()
    assert user.id in planted["scim_deactivated_still_member"]


def test_stats_count_requests_by_route(api: Api) -> None:
    api.control.post("/_control/stats/reset")
    api.admin.get("/v1/organizations/users")
    user = next(iter(api.org.users))
    api.admin.get(f"/v1/organizations/users/{user}")
    api.anon.get("/v1/organizations/users")
    stats = api.control.get("/_control/stats").json()
    assert stats["total_requests"] == 3 and stats["by_engine"] == {"admin": 3}
    routes = {(r["route"], r["status"]): r["count"] for r in stats["routes"]}
    assert routes[("/v1/organizations/users", 200)] == 1
    assert routes[("/v1/organizations/users/{id}", 200)] == 1
    assert routes[("/v1/organizations/users", 401)] == 1


def test_control_does_not_import_the_app() -> None:
    code = "import sys, anthropic_sim.control; assert 'anthropic_sim.app' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
