"""`idgraph doctor` prints the capability matrix: product, key scopes, each family readable,
not permitted (and the scope missing) or not offered, SCIM, and the lifecycle actions."""

from __future__ import annotations

import httpx
import pytest

from ingest.cli import _credentials, _extract_config
from ingest.doctor import Check, run_checks
from ingest.settings import load_settings
from tests.sync.test_sync_cli import env_for

pytestmark = pytest.mark.neo4j


def doctor(monkeypatch, env: dict[str, str]) -> dict[str, Check]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    checks = run_checks(settings, _credentials, _extract_config(settings))
    return {check.name: check for check in checks}


def test_an_enterprise_key_without_group_scope(neo4j, simulator, monkeypatch):
    with simulator(size="small", product="enterprise") as running:
        response = httpx.post(
            f"{running.base_url}/_control/mutate",
            json={"op": "add_admin_key", "scopes": ["read:members", "write:members"]},
            headers=running.control_headers(),
        )
        key = response.json()["result"]["key"]
        checks = doctor(monkeypatch, env_for(neo4j, running, ANTHROPIC_ADMIN_KEY=key))
    assert checks["product"].detail == "enterprise (enterprise admin key)"
    assert checks["key scopes"].detail == "read:members, write:members"
    assert checks["family users"].status == "ok"
    assert checks["family rbac_roles"].status == "ok"
    groups = checks["family rbac_groups"]
    assert groups.status == "warn"
    assert "not permitted by the key's scopes (missing read:rbac_groups)" in groups.detail
    assert checks["family workspaces"].detail == "not offered by enterprise"
    assert checks["scim"].status == "ok"
    actions = checks["lifecycle actions"].detail
    assert actions.startswith(
        "possible: change_member_role, remove_member, scim_deactivate, sign_out_member, "
        "withdraw_invite; "
    )
    assert "change_group_membership (the key lacks write:rbac_groups)" in actions
    assert key not in repr(checks)


def test_a_console_key_without_scim(neo4j, simulator, monkeypatch):
    with simulator(size="small", tier="standard") as running:
        checks = doctor(monkeypatch, env_for(neo4j, running))
    assert checks["product"].detail == "console (console admin key)"
    assert checks["key scopes"].detail.startswith("none")
    assert checks["family workspaces"].detail == "readable"
    assert checks["family rbac_groups"].detail == "not offered by console"
    assert checks["lifecycle actions"].detail == (
        "possible: change_member_role, remove_member, withdraw_invite; "
        "not possible: scim_deactivate (SCIM is unavailable)"
    )
    [remediation] = [c for n, c in checks.items() if n.startswith("remediation actions (")]
    assert "deactivate_key" in remediation.detail.split("; refused:")[0]
    assert "scim_deactivate (SCIM is not available on this plan" in remediation.detail
