"""On the simulator's MEDIUM organization, every question answers exactly the planted truth:
what the generator recorded as it planted (its ledger) where it records every case, otherwise
the truth measured from the simulator's state."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from anthropic_sim.generate_federation import BUILDER_ROLES
from anthropic_sim.generator import FULLY_RECORDED
from anthropic_sim.planted import (
    principals_with_ability,
    unbounded_keys_in_sensitive_workspaces,
    workspace_roles,
)
from anthropic_sim.status import PRIVILEGED_ROLES
from ingest.graph.model import MODEL
from tests.queries.conftest import SyncedOrg

pytestmark = pytest.mark.neo4j

# question id -> (planted set, the column holding the planted ids)
PLANTED = {
    "effective-org-admins": ("effective_org_admins", "id"),
    "keys-without-owner": ("active_keys_without_owner", "id"),
    "old-never-expiring-keys": ("never_expiring_active_keys_older_than_90d", "id"),
    "stale-keys": ("stale_keys", "id"),
    "active-keys-in-archived-workspaces": ("active_keys_in_archived_workspaces", "id"),
    "scim-deactivated-still-member": ("scim_deactivated_still_member", "id"),
    "unmanaged-accounts": ("users_without_scim", "id"),
    "scim-users-without-account": ("scim_users_without_account", "scim_id"),
    "pending-privileged-invites": ("pending_privileged_invites", "id"),
    "expired-invites": ("expired_invites", "id"),
    "workspaces-only-inherited-admins": ("workspaces_only_inherited_admins", "id"),
    "service-accounts": ("service_accounts", "id"),
    "external-domain-accounts": ("external_domain_users", "id"),
    "attack-paths": ("org_member_managers", "id"),
    "federation-privileged-issuers": ("federation_privileged_rules", "id"),
    "privileged-outside-identity-provider": ("privileged_outside_identity_provider", "id"),
    "active-organization-keys": ("active_org_scoped_keys", "id"),
    "scim-groups-without-active-members": ("scim_groups_without_active_members", "id"),
    "workspaces-only-deactivated-admins": ("workspaces_only_deactivated_admins", "id"),
    "pending-invites-outside-identity-provider": (
        "pending_invites_outside_identity_provider",
        "id",
    ),
    "unbounded-keys-in-sensitive-workspaces": ("unbounded_keys_in_sensitive_workspaces", "id"),
}


def test_the_sync_read_everything(medium: SyncedOrg) -> None:
    assert medium.report.status == "success"
    assert medium.report.scim_status == "available"


def _found(medium: SyncedOrg, query_id: str, column: str, **params: Any) -> list[str]:
    found = [row[column] for row in medium.ask(query_id, **params).rows]
    assert len(found) == len(set(found)), f"{query_id} lists an id twice"
    return sorted(found)


@pytest.mark.parametrize("query_id", sorted(PLANTED))
def test_question_answers_the_planted_truth(medium: SyncedOrg, query_id: str) -> None:
    planted, column = PLANTED[query_id]
    assert _found(medium, query_id, column) == medium.planted[planted]


@pytest.mark.parametrize(
    "query_id", sorted(q for q, (case, _) in PLANTED.items() if case in FULLY_RECORDED)
)
def test_question_answers_what_the_generator_planted(medium: SyncedOrg, query_id: str) -> None:
    case, column = PLANTED[query_id]
    planted = medium.org.ledger.ids(case)
    assert planted, f"the generator planted no {case}"
    assert _found(medium, query_id, column) == planted


def test_a_deadline_reached_exactly_now_is_expired_and_one_later_today_is_not(
    medium: SyncedOrg,
) -> None:
    ledger = medium.org.ledger
    (invite_now,) = ledger.ids("invite_expiring_at_now")
    (invite_today,) = ledger.ids("invite_expiring_later_today")
    expired = _found(medium, "expired-invites", "id")
    pending = _found(medium, "pending-privileged-invites", "id")
    assert invite_now in expired and invite_now not in pending
    assert invite_today in pending and invite_today not in expired
    (key_now,) = ledger.ids("key_expiring_at_now")
    (key_today,) = ledger.ids("key_expiring_later_today")
    stale = {row["id"]: row["status"] for row in medium.ask("stale-keys").rows}
    assert stale.get(key_now) == "expired"
    assert key_today not in stale


@pytest.mark.parametrize("days", [365, 30])
def test_unbounded_keys_in_sensitive_workspaces(medium: SyncedOrg, days: int) -> None:
    """The planted customer-managed-key and `Environment=Production` cases are found (the
    tag's case does not matter), and N moves the line."""
    found = _found(medium, "unbounded-keys-in-sensitive-workspaces", "id", days=days)
    expected = unbounded_keys_in_sensitive_workspaces(
        medium.org, medium.org.epoch, timedelta(days=days)
    )
    assert found == expected
    cmek, production = (  # in the order planted
        e.id
        for e in medium.org.ledger.entries
        if e.case == "unbounded_keys_in_sensitive_workspaces"
    )
    assert {cmek, production} <= set(found)
    staging = _found(
        medium, "unbounded-keys-in-sensitive-workspaces", "id", production_values=["STAGING"]
    )
    assert cmek in staging and production not in staging


def test_federation_workspace_developer_issuers(medium: SyncedOrg) -> None:
    """Rules onto an account that builds in the rule's workspaces, one row per workspace with
    the claims that gate it; not where the account only uses, nor through inference rules."""
    rows = medium.ask("federation-workspace-developer-issuers").rows
    found = sorted(f"{row['id']}/{row['workspace_id']}" for row in rows)
    assert found == medium.planted["federation_workspace_developer_grants"]
    (planted,) = medium.org.ledger.ids("federation_workspace_developer_grants")
    rule_id, workspace_id = planted.split("/")
    (row,) = [r for r in rows if r["id"] == rule_id]
    assert row["workspace_id"] == workspace_id and row["rule"] == "release-developer"
    assert row["claims"] == ["environment=release"] and row["subject"].endswith("tags/*")
    assert row["workspace_role"] in BUILDER_ROLES
    assert "release-inference" not in {r["rule"] for r in rows}


def test_main_domains_are_inferred_right(medium: SyncedOrg) -> None:
    rows = medium.server.run("MATCH (o:AnthropicOrganization) RETURN o.main_domains AS d")
    assert sorted(rows[0]["d"]) == medium.planted["main_domains"]


def test_effective_org_admins_name_keys_and_service_accounts(medium: SyncedOrg) -> None:
    kinds = Counter(row["kind"] for row in medium.ask("effective-org-admins").rows)
    assert kinds["api key"] == len(medium.planted["org_admin_keys"]) > 0
    assert kinds["service account"] == len(medium.planted["admin_service_accounts"]) > 0


def _admin_triples(rows: list[dict]) -> list[str]:
    return sorted(
        [f"{r['id']}/{p}/direct" for r in rows for p in r["direct_admin_ids"]]
        + [f"{r['id']}/{p}/inherited" for r in rows for p in r["inherited_admin_ids"]]
    )


def test_workspace_admins_direct_and_inherited(medium: SyncedOrg) -> None:
    rows = medium.ask("workspace-admins").rows
    assert _admin_triples(rows) == medium.planted["workspace_admins"]
    assert sorted(r["id"] for r in rows) == sorted(medium.org.workspaces)
    assert all(r["inherited_admins"] == len(r["inherited_admin_ids"]) for r in rows)
    assert all(len(r["direct_admins"]) == len(r["direct_admin_ids"]) for r in rows)


def test_workspace_admins_of_one_workspace(medium: SyncedOrg) -> None:
    workspace = medium.planted["workspaces_only_inherited_admins"][0]
    (row,) = medium.ask("workspace-admins", workspace_id=workspace).rows
    assert row["id"] == workspace
    assert row["direct_admin_ids"] == []
    assert sorted(row["inherited_admin_ids"]) == medium.planted["org_admins"]


@pytest.mark.parametrize("ability", ["manage_members", "create_keys"])
def test_attack_paths_in_every_workspace_of_a_sample(medium: SyncedOrg, ability: str) -> None:
    workspaces = sorted(medium.org.workspaces)[::7]
    for workspace in [None, *workspaces]:
        rows = medium.ask("attack-paths", ability=ability, workspace_id=workspace).rows
        expected = principals_with_ability(medium.org, ability, workspace)
        assert sorted(r["id"] for r in rows) == expected, (ability, workspace)


def test_attack_paths_list_their_hops(medium: SyncedOrg) -> None:
    workspace = medium.planted["workspaces_only_inherited_admins"][0]
    rows = medium.ask("attack-paths", ability="create_keys", workspace_id=workspace).rows
    by_kind = {row["kind"]: row for row in sorted(rows, key=lambda r: -r["length"])}
    key = by_kind["api key"]
    assert key["hops"][0].startswith("AnthropicApiKey ")
    assert "-[ACTS_AS]->" in key["hops"][0]
    assert len(key["hops"]) == key["length"] == len(key["path"]) // 2
    assert all(row["length"] == len(row["hops"]) >= 1 for row in rows)


def _types(row: dict) -> list[str]:
    return [hop.split(" -[")[1].split("]->")[0] for hop in row["hops"]]


def test_attack_paths_never_cross_a_context_edge(medium: SyncedOrg) -> None:
    """Holding a key's workspace, or having made the key, gives no control of whom it acts as:
    the low-privilege members who only those context edges join to an admin have no row."""
    org = medium.org
    can = set(principals_with_ability(org, "manage_members"))
    admin_keys = [
        k
        for k in org.api_keys.values()
        if (k.principal or {}).get("user_id") in can
        or (k.principal or {}).get("service_account_id") in can
    ]
    creators = {(k.created_by or {}).get("id") for k in admin_keys} & set(org.users) - can
    key_workspaces = {k.workspace_id for k in admin_keys if k.workspace_id}
    members = {u for (ws, u) in org.members if ws in key_workspaces and u in org.users} - can
    assert creators and members  # planted: person-made admin keys, shared workspaces
    rows = medium.ask("attack-paths", ability="manage_members").rows
    assert not (creators | members) & {r["id"] for r in rows}
    context = {"CONTAINS", "CREATED_BY", "OWNED_BY", "OWNS"}
    assert not context & {t for r in rows for t in _types(r)}


def test_a_scim_identity_reaches_through_the_member_it_is_provisioned_as(
    medium: SyncedOrg,
) -> None:
    rows = [r for r in medium.ask("attack-paths").rows if r["kind"] == "scim user"]
    assert rows
    assert all(_types(r)[0] == "PROVISIONED_AS" and r["length"] >= 2 for r in rows)


def test_org_admin_paths_end_at_an_admin_role(medium: SyncedOrg) -> None:
    rows = medium.ask("attack-paths", ability="org_admin").rows
    managers = {r["id"] for r in medium.ask("attack-paths").rows}
    assert rows and {r["id"] for r in rows} <= managers
    ends = {r["path"][-1]["properties"]["name"] for r in rows}
    assert ends <= {"admin", "owner", "primary_owner"}
    assert {"user", "api key", "service account", "federation issuer"} <= {r["kind"] for r in rows}


def test_workspace_paths_reach_the_workspace_from_every_holder(medium: SyncedOrg) -> None:
    workspace = sorted(w.id for w in medium.org.workspaces.values() if w.archived_at is None)[1]
    rows = medium.ask("attack-paths", ability="workspace", workspace_id=workspace).rows
    holders = {p for (p, ws) in workspace_roles(medium.org) if ws == workspace}
    assert holders and holders <= {r["id"] for r in rows}
    assert all(r["path"][-1]["properties"]["id"] == workspace for r in rows)
    keys = [r for r in rows if r["kind"] == "api key"]
    assert keys and all(_types(r)[0] == "ACTS_AS" and r["length"] >= 2 for r in keys)


def test_blast_radius(medium: SyncedOrg) -> None:
    everyone = medium.ask("blast-radius", limit=100_000).rows
    found = sorted(f"{r['id']}:{r['workspaces']}" for r in everyone)
    assert found == medium.planted["blast_radius"]
    top = medium.ask("blast-radius").rows
    assert len(top) == 25
    assert [r["workspaces"] for r in top] == sorted((r["workspaces"] for r in top), reverse=True)
    assert top[0]["workspaces"] == max(r["workspaces"] for r in everyone)
    # Organization admins reach every workspace by inheritance: not what this question ranks.
    assert not set(medium.planted["org_admins"]) & {r["id"] for r in everyone}
    # workspace_restricted_developer can create keys: its holders count.
    restricted = {
        p
        for (p, ws), (role, inherited) in workspace_roles(medium.org).items()
        if role == "workspace_restricted_developer"
        and not inherited
        and medium.org.workspaces[ws].archived_at is None
    }
    assert restricted and restricted <= {r["id"] for r in everyone}


def test_service_accounts_list_their_workspaces_and_keys(medium: SyncedOrg) -> None:
    roles = workspace_roles(medium.org)
    rows = medium.ask("service-accounts").rows
    assert sorted(r["id"] for r in rows) == sorted(medium.org.service_accounts)
    for row in rows:
        expected = sorted(ws for (p, ws) in roles if p == row["id"])
        assert sorted(row["workspace_ids"]) == expected, row["name"]
        acting = [
            k
            for k in medium.org.api_keys.values()
            if (k.principal or {}).get("service_account_id") == row["id"]
        ]
        assert row["keys"] == len(acting)


def test_scim_questions_report_no_notice_when_scim_was_read(medium: SyncedOrg) -> None:
    for query_id in ("scim-deactivated-still-member", "unmanaged-accounts"):
        rows = medium.ask(query_id).rows
        assert rows, query_id
        assert all(row["id"] is not None for row in rows), query_id
        assert not any("not available" in row["finding"] for row in rows), query_id


def test_old_keys_threshold_is_a_parameter(medium: SyncedOrg) -> None:
    default = {r["id"] for r in medium.ask("old-never-expiring-keys").rows}
    rows = medium.ask("old-never-expiring-keys", days=365).rows
    older = {r["id"] for r in rows}
    assert older and older < default
    assert all(r["age_days"] > 365 for r in rows)


def test_an_org_admin_federation_rule_puts_its_issuer_on_the_attack_paths(
    medium: SyncedOrg,
) -> None:
    org = medium.org
    rows = {row["id"]: row for row in medium.ask("attack-paths").rows}
    usable_admin_issuers = {
        r.issuer_id
        for r in org.federation_rules.values()
        if r.archived_at is None and "org:admin" in r.oauth_scope.split()
    }
    assert usable_admin_issuers
    for issuer_id in usable_admin_issuers:
        row = rows[issuer_id]
        assert row["kind"] == "federation issuer"
        assert [hop.split(" -[")[1].split("]->")[0] for hop in row["hops"]] == [
            "TRUSTED_BY",
            "CAN_ASSUME",
            "HAS_ROLE",
        ]
    # Rules that are archived, or whose issuer is, open no path.
    retired = {i.id for i in org.federation_issuers.values() if i.archived_at is not None}
    assert retired and not retired & set(rows)
    questioned = {row["id"]: row for row in medium.ask("federation-privileged-issuers").rows}
    admin_rows = [row for row in questioned.values() if "org:admin" in row["rights"]]
    assert admin_rows and all(row["service_account_role"] == "admin" for row in admin_rows)
    assert all(row["claims"] or row["subject"] or row["condition"] for row in questioned.values())


def _person_made_admin_service_account_keys(medium: SyncedOrg) -> set[str]:
    admins = set(medium.planted["admin_service_accounts"])
    return {
        k.id
        for k in medium.org.api_keys.values()
        if (k.principal or {}).get("service_account_id") in admins
        and (k.created_by or {}).get("type") == "user"
        and k.status == "active"
    }


def test_a_person_made_key_of_an_admin_service_account_is_an_effective_admin(
    medium: SyncedOrg,
) -> None:
    made = _person_made_admin_service_account_keys(medium)
    assert made  # planted: the admin service account's org-scoped key, made by a person
    admins = {r["id"]: r for r in medium.ask("effective-org-admins").rows}
    assert made <= admins.keys()
    paths = {r["id"]: r for r in medium.ask("attack-paths", ability="manage_members").rows}
    for key_id in made:
        assert "AnthropicServiceAccount" in paths[key_id]["hops"][0]
        assert _types(paths[key_id]) == ["ACTS_AS", "HAS_ROLE"]


def test_keys_of_departed_users_are_the_survivors_and_the_anomalies_apart(
    medium: SyncedOrg,
) -> None:
    rows = medium.ask("keys-of-departed-users").rows
    survivors = sorted(r["id"] for r in rows if not r["anomaly"])
    anomalies = sorted(r["id"] for r in rows if r["anomaly"])
    ledger = medium.org.ledger
    assert survivors == medium.planted["keys_of_departed_users"]
    assert survivors == ledger.ids("keys_of_departed_users")
    assert anomalies == medium.planted["active_personal_keys_of_departed_users"]
    assert anomalies == ledger.ids("active_personal_keys_of_departed_users")
    kinds = {r["kind"] for r in rows if not r["anomaly"]}
    assert kinds == {"service-account key", "legacy workspace key"}


def test_an_active_key_in_an_archived_workspace_names_whom_it_acts_as(medium: SyncedOrg) -> None:
    rows = medium.ask("active-keys-in-archived-workspaces").rows
    assert rows
    for row in rows:
        principal = medium.org.api_keys[row["id"]].principal or {}
        actor = principal.get("user_id") or principal.get("service_account_id")
        who = medium.org.users.get(actor) or medium.org.service_accounts.get(actor)
        assert row["acts_as"] == (getattr(who, "email", None) or getattr(who, "name", None))


def test_privileged_outside_identity_provider_give_their_reasons(medium: SyncedOrg) -> None:
    org = medium.org
    scim = {str(r.get("userName", "")).lower(): r for r in org.scim_users.values()}
    rows = medium.ask("privileged-outside-identity-provider").rows
    for row in rows:
        user = org.users[row["id"]]
        domain = user.email.rpartition("@")[2].lower()
        resource = scim.get(user.email.lower())
        external = domain not in medium.planted["main_domains"]
        expected = [
            *([f"external domain {domain}"] if external else []),
            *(["no SCIM identity"] if resource is None else []),
            *(["deactivated in SCIM"] if resource and resource.get("active") is False else []),
        ]
        assert row["reasons"] == expected, row["email"]
        assert row["role"] == user.role in PRIVILEGED_ROLES
    kinds = {reason.split(" ")[0] for row in rows for reason in row["reasons"]}
    assert kinds == {"external", "no", "deactivated"}


def test_a_pending_invite_to_a_deactivated_person_says_so(medium: SyncedOrg) -> None:
    (planted,) = medium.org.ledger.ids("invite_of_deactivated_person")
    rows = {row["id"]: row for row in medium.ask("pending-invites-outside-identity-provider").rows}
    assert rows[planted]["reasons"] == ["deactivated in SCIM"]
    assert any(row["reasons"][0].startswith("external domain ") for row in rows.values())


@pytest.mark.parametrize(
    ("label", "twin", "name"),
    [(n.label, twin, name) for n in MODEL.nodes for twin, name in n.millis_pairs],
)
def test_a_synced_number_timestamp_is_neo4js_epoch_millis_of_its_string(
    medium: SyncedOrg, label: str, twin: str, name: str
) -> None:
    """The questions compare `<name>_ms` with datetime().epochMillis: in the synced graph it
    must be what Neo4j itself reads from the string, and null exactly when the string is."""
    records, _, _ = medium.server.driver.execute_query(
        f"MATCH (n:`{label}`) RETURN count(n[$name]) AS set, "
        "count(CASE WHEN n[$name] IS NULL AND n[$twin] IS NULL THEN 1 END) AS both_null, "
        "count(CASE WHEN datetime(n[$name]).epochMillis = n[$twin] THEN 1 END) AS same, "
        "count(n) AS nodes",
        {"name": name, "twin": twin},
        database_=medium.server.database,
    )
    row = records[0]
    assert (row["same"], row["both_null"]) == (row["set"], row["nodes"] - row["set"])
