"""Deactivation and deletion deprovision the Admin-side org member (by email)."""

from __future__ import annotations

import time

import httpx
from scim_fixtures import USER_SCHEMA, user_id

from anthropic_sim.state import Simulator

DEACTIVATE = {"Operations": [{"op": "replace", "value": {"active": False}}]}


def email(i: int) -> str:
    return f"User{i:02d}@Example.com"


def test_patch_deactivation_deprovisions_now(client: httpx.Client, sim: Simulator) -> None:
    assert sim.org.user_by_email(email(3)) is not None
    assert client.patch(f"/Users/{user_id(3)}", json=DEACTIVATE).status_code == 200
    assert sim.org.user_by_email(email(3)) is None
    assert any(u.email == email(3) for u in sim.org.departed_users.values())
    assert sim.org.user_by_email(email(4)) is not None


def test_entra_string_false_deprovisions(client: httpx.Client, sim: Simulator) -> None:
    ops = {"Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
    assert client.patch(f"/Users/{user_id(5)}", json=ops).status_code == 200
    assert sim.org.user_by_email(email(5)) is None


def test_put_deactivation_deprovisions(client: httpx.Client, sim: Simulator) -> None:
    body = {"schemas": [USER_SCHEMA], "userName": email(6), "active": False}
    assert client.put(f"/Users/{user_id(6)}", json=body).status_code == 200
    assert sim.org.user_by_email(email(6)) is None


def test_put_without_active_does_not_deprovision(client: httpx.Client, sim: Simulator) -> None:
    body = {"schemas": [USER_SCHEMA], "userName": email(6)}
    assert client.put(f"/Users/{user_id(6)}", json=body).status_code == 200
    assert sim.org.user_by_email(email(6)) is not None


def test_delete_deprovisions(client: httpx.Client, sim: Simulator) -> None:
    assert client.delete(f"/Users/{user_id(8)}").status_code == 204
    assert sim.org.user_by_email(email(8)) is None


def test_other_changes_do_not_deprovision(client: httpx.Client, sim: Simulator) -> None:
    ops = {"Operations": [{"op": "replace", "path": "title", "value": "x"}]}
    client.patch(f"/Users/{user_id(3)}", json=ops)
    reactivate = {"Operations": [{"op": "replace", "value": {"active": True}}]}
    client.patch(f"/Users/{user_id(7)}", json=reactivate)  # user 7 starts inactive
    assert len(sim.org.users) == 23


def test_primary_owner_is_protected(client: httpx.Client, sim: Simulator) -> None:
    assert client.patch(f"/Users/{user_id(0)}", json=DEACTIVATE).status_code == 200
    assert sim.org.user_by_email(email(0)) is not None


def test_user_without_email_is_matched_by_user_name(client: httpx.Client, sim: Simulator) -> None:
    assert client.patch(f"/Users/{user_id(9)}", json=DEACTIVATE).status_code == 200
    assert sim.org.user_by_email(email(9)) is None


def test_delayed_deprovisioning(client: httpx.Client, sim: Simulator) -> None:
    sim.config.deprovision_delay_s = 0.3
    assert client.patch(f"/Users/{user_id(3)}", json=DEACTIVATE).status_code == 200
    assert sim.org.user_by_email(email(3)) is not None  # not yet
    deadline = time.monotonic() + 5
    while sim.org.user_by_email(email(3)) is not None:
        assert time.monotonic() < deadline, "not deprovisioned after the delay"
        time.sleep(0.05)


def test_deprovision_can_be_turned_off(client: httpx.Client, sim: Simulator) -> None:
    sim.config.scim_deprovision = False
    assert client.patch(f"/Users/{user_id(3)}", json=DEACTIVATE).status_code == 200
    assert client.delete(f"/Users/{user_id(4)}").status_code == 204
    assert len(sim.org.users) == 23
