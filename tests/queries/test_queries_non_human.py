"""Questions about non-human identities (issue #17 item 6) on the simulator's MEDIUM
organization: each answers the planted truth, and its anomalies are the generator's plants."""

from __future__ import annotations

import pytest

from tests.queries.conftest import SyncedOrg

pytestmark = pytest.mark.neo4j


def _ids(rows: list[dict], **where: object) -> list[str]:
    found = [r["id"] for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == len(set(found)), "an id is listed twice"
    return sorted(found)


def test_keys_of_privileged_departed_or_archived_principals(medium: SyncedOrg) -> None:
    rows = medium.ask("keys-of-privileged-departed-or-archived").rows
    planted, ledger = medium.planted, medium.org.ledger
    assert _ids(rows) == planted["active_keys_of_risky_principals"]
    archived = [r["id"] for r in rows if "archived service account" in r["finding"]]
    departed = [r["id"] for r in rows if "removed member" in r["finding"]]
    assert sorted(archived) == ledger.ids("active_keys_of_archived_service_accounts") != []
    assert sorted(departed) == ledger.ids("active_personal_keys_of_departed_users") != []
    assert _ids(rows, anomaly=True) == sorted(archived + departed)
    privileged = [r for r in rows if not r["anomaly"]]
    assert {r["principal_kind"] for r in privileged} == {"member", "service account"}
    assert all(r["privileged_roles"] for r in privileged)
    assert set(planted["org_admin_keys"]) <= {r["id"] for r in privileged}


def test_service_accounts_with_an_admin_role_or_active_keys_after_archive(
    medium: SyncedOrg,
) -> None:
    rows = medium.ask("service-accounts-admin-or-keys-after-archive").rows
    planted = medium.planted
    assert _ids(rows) == planted["admin_or_archived_with_keys_service_accounts"]
    assert _ids(rows, anomaly=False) == planted["admin_service_accounts"] != []
    assert _ids(rows, anomaly=True) == planted["archived_service_accounts_with_active_keys"] != []
    planted_keys = set(medium.org.ledger.ids("active_keys_of_archived_service_accounts"))
    assert {k for r in rows if r["anomaly"] for k in r["active_key_ids"]} == planted_keys
    assert all(r["privileged_roles"] == ["admin"] for r in rows if not r["anomaly"])
