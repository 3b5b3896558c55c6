"""On a simulated Claude Enterprise organization, the questions know its roles and groups:
owners, the primary owner, membership admins and members whose group's role manages members
are its effective admins, and the attack paths to managing members count the same set."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from anthropic_sim.planted import principals_with_ability
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
    assert found == enterprise.planted["effective_org_admins"]
    group_rows = [row for row in rows if row["length"] == 3]
    assert group_rows
    assert all("-[MEMBER_OF]-> AnthropicRbacGroup" in row["hops"][0] for row in group_rows)


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
