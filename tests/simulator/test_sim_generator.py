"""The generator: determinism, id order, realism, and the planted truth."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest

from anthropic_sim.generator import EPOCH, FULLY_RECORDED, generate, org_to_dict
from anthropic_sim.ids import is_admin_id
from anthropic_sim.planted import planted_truth
from anthropic_sim.status import invite_status, key_status
from tests.fresh_processes import outputs_under_hash_seeds

ADMIN_ROLES = {"admin", "owner", "primary_owner"}


def _dump(seed: int, size: str = "small", tier: str = "enterprise") -> str:
    return json.dumps(org_to_dict(generate(seed, size, tier)), sort_keys=True)


SMALL_5_DIGEST = (
    "import hashlib, json; from anthropic_sim.generator import generate, org_to_dict; "
    "print(hashlib.sha256(json.dumps(org_to_dict(generate(5)), sort_keys=True).encode())"
    ".hexdigest())"
)


def test_same_seed_same_org_byte_for_byte() -> None:
    # In fresh interpreters with other hash seeds too: one process alone cannot show a draw
    # that depends on set order.
    (digest,) = outputs_under_hash_seeds(SMALL_5_DIGEST)
    assert digest.strip() == hashlib.sha256(_dump(5).encode()).hexdigest()
    assert _dump(5) != _dump(6)
    assert _dump(5, "small", "standard") != _dump(5)


def test_medium_has_about_two_thousand_members() -> None:
    # How fast it generates is bench/ work (docs/performance.md), not a timed test.
    org = generate(1, "medium")
    assert 1900 <= len(org.users) <= 2100


@pytest.fixture(scope="module")
def org():  # type: ignore[no-untyped-def]
    return generate(21, "medium")


def test_ids_are_monotonic_and_well_formed(org) -> None:  # type: ignore[no-untyped-def]
    for prefix, collection in (
        ("user_", org.users),
        ("invite_", org.invites),
        ("wrkspc_", org.workspaces),
        ("apikey_", org.api_keys),
        ("svac_", org.service_accounts),
    ):
        ids = list(collection)
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert all(is_admin_id(i, prefix) for i in ids)
    assert list(org.scim_users) == sorted(org.scim_users)
    assert all(len(s.removeprefix("directory_user_")) == 26 for s in org.scim_users)
    assert all(g.startswith("directory_group_01") for g in org.scim_groups)
    # creation order == id order
    added = [u.added_at for u in org.users.values()]
    assert added == sorted(added)
    created = [k.created_at for k in org.api_keys.values()]
    assert created == sorted(created)


def test_realistic_mix(org) -> None:  # type: ignore[no-untyped-def]
    roles = [u.role for u in org.users.values()]
    assert roles.count("primary_owner") == 1 and roles.count("owner") == 2
    admins = sum(r in ADMIN_ROLES for r in roles) / len(roles)
    assert 0.01 < admins < 0.05
    assert {"user", "developer", "claude_code_user", "billing"} <= set(roles)
    defaults = [w for w in org.workspaces.values() if w.is_default]
    assert len(defaults) == 1 and defaults[0].name == "Default Workspace"
    assert any(w.archived_at for w in org.workspaces.values())
    member_roles = {m.workspace_role for m in org.members.values()}
    assert member_roles == {
        "workspace_admin",
        "workspace_developer",
        "workspace_restricted_developer",
        "workspace_user",
    }
    for _ws, user_id in org.members:
        assert org.users[user_id].role not in ADMIN_ROLES | {"billing"}
    assert all(m.workspace_role != "workspace_billing" for m in org.sa_memberships.values())
    assert {k.status for k in org.api_keys.values()} == {
        "active",
        "inactive",
        "archived",
        "expired",
    }
    for key in org.api_keys.values():
        assert (key.status == "expired") == (key.expires_at is not None and key.expires_at < EPOCH)
        assert key.created_at < EPOCH
    kinds = {k.created_by["type"] if k.created_by else None for k in org.api_keys.values()}
    assert kinds == {"user", "service_account", None}
    assert {i.status for i in org.invites.values()} == {"pending", "accepted", "expired", "deleted"}
    for invite in org.invites.values():
        assert (invite.expires_at - invite.invited_at).days == 21
    assert any("'" in u.name for u in org.users.values())
    assert any(not u.name.isascii() for u in org.users.values())
    assert any(s.organization_role == "admin" for s in org.service_accounts.values())
    assert sum(1 for s in org.service_accounts.values() if s.archived_at) == 1


def test_standard_tier_still_has_scim_data() -> None:
    org = generate(3, "small", "standard")
    assert org.tier == "standard" and org.scim_users and org.scim_groups


@pytest.mark.parametrize(("seed", "size"), [(1, "small"), (4, "small"), (21, "medium")])
def test_planted_truth_is_what_the_generator_recorded_as_it_planted(seed: int, size: str) -> None:
    org = generate(seed, size)
    measured = planted_truth(org)
    for case in FULLY_RECORDED:
        assert measured[case] == org.ledger.ids(case), case
        assert measured[case], f"{case} is empty"
    assert org.planted == measured
    assert set(org.ledger.ids("unowned_workspace")) <= set(
        measured["workspaces_only_inherited_admins"]
    )


# Counts stated from the generator's parameters (_Plan.for_users), not read back from the org.
PLANTED_COUNTS = {
    "small": {"departed_users": 3, "archived_workspaces": 1, "scim_users_without_account": 3},
    "medium": {"departed_users": 66, "archived_workspaces": 10, "scim_users_without_account": 80},
}
# users, keys (+2 boundary plants, +1 of the archived service account), invites (+2 boundary
# plants, +1 to a deactivated person), workspaces (+archived, +default)
TOTALS = {"small": (50, 43, 19, 4 + 1 + 1), "medium": (2000, 1603, 253, 50 + 10 + 1)}


@pytest.mark.parametrize("size", ["small", "medium"])
def test_planted_counts_follow_from_the_size(size: str) -> None:
    org = generate(7, size)
    for case, count in PLANTED_COUNTS[size].items():
        assert len(org.ledger.ids(case)) == len(planted_truth(org)[case]) == count, case
    users, keys, invites, workspaces = TOTALS[size]
    assert (len(org.users), len(org.api_keys), len(org.invites)) == (users, keys, invites)
    assert len(org.workspaces) == workspaces
    assert len(org.ledger.ids("default_workspace")) == len(org.ledger.ids("unowned_workspace")) == 1


def test_boundary_cases_are_planted_and_classified_at_the_clock(org) -> None:  # type: ignore[no-untyped-def]
    planted = planted_truth(org)
    (due_now,) = org.ledger.ids("invite_expiring_at_now")
    (due_today,) = org.ledger.ids("invite_expiring_later_today")
    assert org.invites[due_now].expires_at == EPOCH
    assert EPOCH < org.invites[due_today].expires_at < EPOCH + timedelta(days=1)
    assert invite_status(org.invites[due_now], EPOCH - timedelta(microseconds=1)) == "pending"
    assert due_now in planted["expired_invites"]
    assert due_now not in planted["pending_privileged_invites"]
    assert due_today in planted["pending_privileged_invites"]
    assert due_today not in planted["expired_invites"]
    (key_now,) = org.ledger.ids("key_expiring_at_now")
    (key_today,) = org.ledger.ids("key_expiring_later_today")
    assert org.api_keys[key_now].expires_at == EPOCH
    assert EPOCH < org.api_keys[key_today].expires_at < EPOCH + timedelta(days=1)
    assert key_status(org.api_keys[key_now], EPOCH - timedelta(microseconds=1)) == "active"
    assert key_now in planted["stale_keys"] and key_today not in planted["stale_keys"]


def test_planted_sets_hold_what_they_name(org) -> None:  # type: ignore[no-untyped-def]
    planted = org.planted
    for name, ids in planted.items():
        assert ids == sorted(ids), name
        assert ids, f"{name} is empty"
    users, keys = org.users, org.api_keys
    assert all(users[u].role in ADMIN_ROLES for u in planted["org_admins"])
    for key_id in planted["keys_of_departed_users"]:
        key = keys[key_id]
        assert key.status == "active" and key.created_by["id"] in org.departed_users
    assert all(keys[k].created_by is None for k in planted["active_keys_without_owner"])
    for key_id in planted["active_keys_in_archived_workspaces"]:
        assert org.workspaces[keys[key_id].workspace_id].archived_at is not None
    assert planted["stale_keys"]
    assert all(key_status(keys[k], EPOCH) != "active" for k in planted["stale_keys"])
    for key_id in planted["never_expiring_active_keys_older_than_90d"]:
        assert keys[key_id].expires_at is None
        assert EPOCH - keys[key_id].created_at > timedelta(days=90)
    scim_emails = {r["userName"].lower(): r for r in org.scim_users.values()}
    for user_id in planted["users_without_scim"]:
        assert users[user_id].email.lower() not in scim_emails
    for user_id in planted["scim_deactivated_still_member"]:
        assert scim_emails[users[user_id].email.lower()]["active"] is False
    emails = {u.email.lower() for u in users.values()}
    for scim_id in planted["scim_users_without_account"]:
        assert org.scim_users[scim_id]["userName"].lower() not in emails
    assert any(
        r["userName"] != r["userName"].lower() and r["userName"].lower() in emails
        for r in org.scim_users.values()
    )
    for invite_id in planted["pending_privileged_invites"]:
        assert org.invites[invite_id].status == "pending"
    for user_id in planted["external_domain_users"]:
        assert users[user_id].email.rpartition("@")[2] not in planted["main_domains"]
    assert all(
        org.service_accounts[s].organization_role == "admin"
        for s in planted["admin_service_accounts"]
    )


def test_small_org_has_every_planted_situation() -> None:
    for seed in range(1, 6):
        planted = generate(seed, "small").planted
        empty = [name for name, ids in planted.items() if not ids]
        assert not empty, (seed, empty)
