"""On a simulated Claude Enterprise organization, the questions know its roles and groups:
owners, the primary owner, membership admins and members whose group's role manages members
are its effective admins, and the attack paths to managing members count the same set."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from anthropic_sim.planted import principals_with_ability
from anthropic_sim.rbac_truth import scim_groups_managing_members
from tests.queries.conftest import SyncedOrg, sync_simulated

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer

pytestmark = pytest.mark.neo4j

# The documented 100 requests/min per organization would make a test wait minutes.
ENTERPRISE = {"product": "enterprise", "org_request_limit": 100_000}


@pytest.fixture(scope="module")
def enterprise(neo4j_server: Neo4jServer) -> Iterator[SyncedOrg]:
    yield sync_simulated(neo4j_server, size="small", seed=3, **ENTERPRISE)


def test_effective_admins_are_the_privileged_roles_and_groups(enterprise: SyncedOrg) -> None:
    assert enterprise.report.status == "success"
    rows = enterprise.ask("effective-org-admins").rows
    assert sorted(row["id"] for row in rows) == enterprise.planted["effective_org_admins"]
    via = {row["id"]: row["via"] for row in rows}
    assert enterprise.planted["membership_admins"]
    for user in enterprise.planted["membership_admins"]:
        assert "organization role membership_admin" in via[user]
    through_groups = set(enterprise.planted["rbac_member_managers"])
    assert through_groups - set(enterprise.planted["membership_admins"])
    for user in through_groups:
        assert "-> permission_manage_members" in via[user], via[user]
        assert via[user].startswith(("group ", "organization role ")), via[user]


def test_attack_paths_to_managing_members_count_the_same_set(enterprise: SyncedOrg) -> None:
    rows = enterprise.ask("attack-paths", ability="manage_members").rows
    found = sorted(row["id"] for row in rows)
    assert found == principals_with_ability(enterprise.org, "manage_members")
    accounts = sorted(r["id"] for r in rows if r["kind"] in ("user", "service account", "api key"))
    assert accounts == enterprise.planted["effective_org_admins"]
    group_rows = [row for row in rows if row["kind"] == "user" and row["length"] == 3]
    assert group_rows
    assert all("-[MEMBER_OF]-> AnthropicRbacGroup" in row["hops"][0] for row in group_rows)


def _types(row: dict) -> list[str]:
    return [hop.split(" -[")[1].split("]->")[0] for hop in row["hops"]]


def test_a_scim_group_reaches_a_privileged_group_role(enterprise: SyncedOrg) -> None:
    """The SCIM group surfacing as a group whose role manages members, and its SCIM members,
    are on the attack paths, with every hop."""
    org = enterprise.org
    planted = {f"{org.id}/{gid}" for gid in scim_groups_managing_members(org)}
    assert planted
    rows = {r["id"]: r for r in enterprise.ask("attack-paths", ability="manage_members").rows}
    for group_id in planted:
        row = rows[group_id]
        assert row["kind"] == "scim group"
        assert _types(row) == ["SURFACES_AS", "HAS_ROLE", "GRANTS"]
        assert row["hops"][0].startswith("ScimGroup ")
    scim_users = [r for r in rows.values() if r["kind"] == "scim user"]
    assert any(_types(r)[:2] == ["MEMBER_OF", "SURFACES_AS"] for r in scim_users)
    assert all(len(r["path"]) == 2 * r["length"] + 1 for r in rows.values())


def test_privilege_through_two_routes(enterprise: SyncedOrg) -> None:
    rows = enterprise.ask("privilege-through-two-routes").rows
    found = sorted(row["id"] for row in rows)
    assert found == enterprise.planted["privileged_through_two_routes"]
    by_role = [row for row in rows if row["routes"] == "organization role and group"]
    by_groups = [row for row in rows if row["routes"] != "organization role and group"]
    assert by_role and by_groups
    assert all(
        r["organization_roles"] and (r["scim_groups"] or r["manual_groups"]) for r in by_role
    )
    assert all(r["scim_groups"] and r["manual_groups"] for r in by_groups)
