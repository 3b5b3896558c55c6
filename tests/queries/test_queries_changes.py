"""changes-since-last-sync: new admins, new keys and removed members between two syncs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.queries.conftest import ask

pytestmark = pytest.mark.neo4j


def _mutate(running: Any, **op: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{running.base_url}/_control/mutate", json=op, headers=running.control_headers()
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]


def test_changes_between_two_syncs(neo4j, simulator, sync) -> None:  # type: ignore[no-untyped-def]
    with simulator(size="small", seed=4) as running:
        sync(running)
        (only,) = ask(neo4j, "changes-since-last-sync").rows
        assert only["change"] == "no previous sync"

        org = running.sim.org
        plain = [u for u in org.users.values() if u.role in ("user", "developer")]
        promoted, leaver = plain[0], plain[1]
        _mutate(running, op="change_role", user_id=promoted.id, role="admin")
        _mutate(running, op="remove_user", user_id=leaver.id)
        key = _mutate(running, op="add_api_key", name="fresh", created_by_user_id=promoted.id)
        sync(running)

    changes = {(r["change"], r["id"]) for r in ask(neo4j, "changes-since-last-sync").rows}
    assert changes == {
        ("new admin", promoted.id),
        ("new key", key["id"]),
        ("removed member", leaver.id),
    }
