"""Change history: a re-sync records what changed (old and new), the first sync is a baseline,
a partial sync records no removal, and the retention removes old records and sync runs."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from anthropic_sim.config import FaultSpec
from ingest.load import GraphLoader
from ingest.load.history import DAY_MS
from ingest.sync.pipeline import run_sync
from tests.queries.conftest import ask
from tests.simulated import options_for, reconfigure
from tests.sync.test_sync_cli import env_for, invoke
from tests.sync.test_sync_faults import PATIENT

pytestmark = pytest.mark.neo4j

CHANGES = (
    "MATCH (c:AnthropicChange {tenant_id: $t}) "
    "RETURN c.kind AS kind, c.element_label AS label, c.element_id AS id, c.property AS prop, "
    "c.old AS old, c.new AS new, c.start_id AS start, c.end_id AS end, c.sync_id AS sync"
)


def mutate(running: Any, **op: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{running.base_url}/_control/mutate", json=op, headers=running.control_headers()
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]


def changes(neo4j: Any, tenant: str) -> list[dict[str, Any]]:
    return neo4j.run(CHANGES, t=tenant)


def test_a_resync_records_each_change_with_old_and_new_values(neo4j, simulator, sync) -> None:
    with simulator(size="small", seed=11, scim_deprovision=False) as running:
        org = running.sim.org
        keys = [k for k in org.api_keys.values() if k.status == "active"]
        revived, unexpired = keys[0], next(k for k in keys[1:] if k.expires_at is not None)
        mutate(running, op="set_key_status", key_id=revived.id, status="inactive")
        first = sync(running)
        assert changes(neo4j, org.id) == []  # the baseline records nothing

        admin = next(u for u in org.users.values() if u.role == "admin")
        workspace = next(
            w for w in org.workspaces.values() if w.archived_at is None and not w.is_default
        )
        plain = next(
            u
            for u in org.users.values()
            if u.role == "user" and (workspace.id, u.id) not in org.members
        )
        scim = next(r for r in org.scim_users.values() if r.get("active") is True)
        mutate(running, op="change_role", user_id=admin.id, role="user")
        mutate(running, op="set_key_status", key_id=revived.id, status="active")
        mutate(running, op="set_key_expiry", key_id=unexpired.id, expires_at=None)
        mutate(
            running,
            op="set_workspace_role",
            workspace_id=workspace.id,
            user_id=plain.id,
            workspace_role="workspace_admin",
        )
        mutate(running, op="set_scim_active", scim_id=scim["id"], active=False)
        second = sync(running)
    assert second.status == "success"

    found = changes(neo4j, org.id)
    assert {c["sync"] for c in found} == {second.sync_id}

    def one(**fields: Any) -> dict[str, Any]:
        matching = [c for c in found if fields.items() <= c.items()]
        assert len(matching) == 1, (fields, found)
        return matching[0]

    demoted = one(label="AnthropicUser", id=admin.id, prop="role")
    assert (demoted["kind"], demoted["old"], demoted["new"]) == ("changed", "admin", "user")
    assert one(label="AnthropicApiKey", id=revived.id, prop="status")["old"] == "inactive"
    assert one(label="AnthropicApiKey", id=revived.id, prop="status")["new"] == "active"
    expiry = one(label="AnthropicApiKey", id=unexpired.id, prop="expires_at")
    assert expiry["old"] is not None and expiry["new"] is None
    granted = one(label="ADMIN_OF", start=plain.id, end=workspace.id)
    assert (granted["kind"], granted["new"]) == ("created", "inherited=false")
    deactivated = one(label="ScimUser", prop="active", new="false")
    assert deactivated["old"] == "true" and deactivated["id"].endswith(scim["id"])
    admin_role = one(label="HAS_ROLE", start=admin.id, end=f"{org.id}/organization/admin")
    assert admin_role["kind"] == "removed"

    # The questions read them.
    since = ask(neo4j, "changes-since").rows
    assert len(since) == len(found) and {r["sync_id"] for r in since} == {second.sync_id}
    assert len(ask(neo4j, "changes-since", since=first.sync_id).rows) == len(found)
    assert ask(neo4j, "changes-since", since=second.sync_id).rows == []
    assert len(ask(neo4j, "changes-since", since="2000-01-01T00:00:00Z").rows) == len(found)
    gained = {(r["gained"].split(" (")[0], r["id"]) for r in ask(neo4j, "privilege-gained").rows}
    assert gained == {
        ("key reactivated", revived.id),
        ("key expiry removed", unexpired.id),
        ("direct workspace admin", plain.id),
    }
    assert ask(neo4j, "privilege-gained", days=0).rows == []


def test_a_partial_sync_records_no_removal(neo4j, simulator, sync) -> None:
    with simulator(size="small", seed=6) as running:
        org = running.sim.org
        sync(running)
        leaver = next(u for u in org.users.values() if u.role == "user")
        mutate(running, op="remove_user", user_id=leaver.id)
        reconfigure(running, faults=[FaultSpec(route=r"^/v1/organizations/users$", error_rate=1.0)])
        report = sync(running, admin=PATIENT, scim=PATIENT)
    assert report.status == "partial"
    assert [c for c in changes(neo4j, org.id) if c["kind"] == "removed"] == []
    assert neo4j.run("MATCH (u:AnthropicUser {id: $id}) RETURN u.id AS id", id=leaver.id)


def test_a_removal_is_recorded_once_its_family_is_read_completely(neo4j, simulator, sync) -> None:
    with simulator(size="small", seed=6) as running:
        org = running.sim.org
        sync(running)
        leaver = next(u for u in org.users.values() if u.role == "user")
        mutate(running, op="remove_user", user_id=leaver.id)
        sync(running)
    removed = [c for c in changes(neo4j, org.id) if c["id"] == leaver.id]
    assert [(c["kind"], c["label"], c["old"]) for c in removed] == [
        ("removed", "AnthropicUser", "role=user")
    ]


def test_retention_removes_old_records_and_sync_runs_and_keeps_recent_ones(
    neo4j, simulator
) -> None:
    loader = GraphLoader(neo4j.driver, neo4j.database, history_days=30)
    with simulator(size="small", seed=3) as running:
        org = running.sim.org
        options = options_for(running)
        run_sync(loader, options)
        key = next(k for k in org.api_keys.values() if k.status == "active")
        mutate(running, op="set_key_status", key_id=key.id, status="inactive")
        recent = run_sync(loader, options)
        mutate(running, op="set_key_status", key_id=key.id, status="active")
        old = run_sync(loader, options)
        # The third sync's records and run are made 31 days old.
        aged = neo4j.run(
            "MATCH (x {tenant_id: $t}) WHERE (x:AnthropicChange OR x:SyncRun) AND x.sync_id = $s "
            "OR x.id = $s SET x.at_epoch_ms = x.at_epoch_ms - $d, x.firstseen = x.firstseen - $d "
            "RETURN count(x) AS n",
            t=org.id,
            s=old.sync_id,
            d=31 * DAY_MS,
        )
        assert aged[0]["n"] >= 2
        latest = run_sync(loader, options)
    runs = {
        r["id"] for r in neo4j.run("MATCH (s:SyncRun {tenant_id: $t}) RETURN s.id AS id", t=org.id)
    }
    assert old.sync_id not in runs and {recent.sync_id, latest.sync_id} <= runs
    kept = {c["sync"] for c in changes(neo4j, org.id)}
    assert kept == {recent.sync_id}


def test_no_history_kept_records_nothing(neo4j, simulator) -> None:
    loader = GraphLoader(neo4j.driver, neo4j.database, history_days=0)
    with simulator(size="small", seed=3) as running:
        org = running.sim.org
        run_sync(loader, options_for(running))
        key = next(k for k in org.api_keys.values() if k.status == "active")
        mutate(running, op="set_key_status", key_id=key.id, status="inactive")
        run_sync(loader, options_for(running))
    assert changes(neo4j, org.id) == []


def test_idgraph_diff_prints_the_changes_as_data(neo4j, simulator) -> None:
    hostile = "[bold]Org[/bold] \x1b[2J"
    with simulator(size="small", seed=3) as running:
        with running.sim.lock:
            running.sim.org.name = hostile
        env = {**env_for(neo4j, running), "COLUMNS": "250"}
        assert invoke("sync", env=env).exit_code == 0
        key = next(k for k in running.sim.org.api_keys.values() if k.status == "active")
        mutate(running, op="set_key_status", key_id=key.id, status="inactive")
        assert invoke("sync", env=env).exit_code == 0
    table = invoke("diff", env=env)
    assert table.exit_code == 0, table.output
    assert key.id in table.output and "inactive" in table.output
    assert "\x1b" not in table.output and "[bold]Org[/bold] \\x1b[2J" in table.output
    listed = json.loads(invoke("diff", "--format", "json", env=env).stdout)
    row = next(r for r in listed["rows"] if r["id"] == key.id)
    assert (row["property"], row["old"], row["new"]) == ("status", "active", "inactive")
    since = invoke("diff", "--since", row["sync_id"], "-f", "json", env=env)
    assert json.loads(since.stdout)["rows"] == []
    assert invoke("diff", "--since", "not-a-time", env=env).exit_code == 2
