"""What the key may read and do, recorded on the organization node by every sync."""

from __future__ import annotations

import pytest

from ingest.extract.capabilities import AT_LEAST, Capabilities
from ingest.graph.model import ORGANIZATION
from ingest.mapping.organization import OrganizationFacts, map_organization

pytestmark = pytest.mark.neo4j

ORG = (
    "MATCH (o:AnthropicOrganization {id: $id}) RETURN o.product AS product, "
    "o.key_scopes AS scopes, o.families_read AS read, "
    "o.families_not_permitted AS not_permitted, o.lifecycle_actions AS actions"
)


@pytest.mark.parametrize("tier", ["enterprise", "standard"])
def test_a_console_sync_records_its_product_families_and_actions(neo4j, simulator, sync, tier):
    with simulator(size="small", tier=tier) as running:
        report = sync(running)
        org_id = running.sim.org.id
    [row] = neo4j.run(ORG, id=org_id)
    assert row["product"] == "console"
    assert row["scopes"] == [] and row["not_permitted"] == []
    # Read completely by the end of the sync, not only when the node was first written.
    admin = {"users", "invites", "workspaces", "workspace_members", "api_keys", "service_accounts"}
    assert admin | {"service_account_memberships"} <= set(row["read"])
    assert ("scim_users" in row["read"]) == (tier == "enterprise")
    assert report.status == "success"
    console = ["change_member_role", "remove_member", "withdraw_invite"]
    scim = ["scim_deactivate"] if tier == "enterprise" else []
    assert row["actions"] == sorted(console + scim)


def organization_node(scopes: frozenset[str], scim_status: str = "available") -> dict:
    facts = OrganizationFacts(
        org_id="org",
        name="Org",
        scim_status=scim_status,
        scim_unavailable_reason=None,
        main_domains=[],
        sync_id="sync",
        synced_at="2026-01-01T00:00:00Z",
        capabilities=Capabilities("enterprise", scopes),
        families_read=["users"],
    )
    [node] = map_organization(facts).nodes[ORGANIZATION]
    return node


def test_enterprise_actions_follow_the_key_scopes_and_scim() -> None:
    read_only = organization_node(frozenset({"read:members"}), scim_status="not_configured")
    assert read_only["product"] == "enterprise"
    assert read_only["key_scopes"] == ["read:members"]
    assert read_only["families_not_permitted"] == [
        "rbac_groups",
        "rbac_group_members",
        "analytics_activity",
        "compliance_activity",
    ]
    assert read_only["lifecycle_actions"] == []
    writer = organization_node(frozenset({"read:members", "write:members", "write:rbac_groups"}))
    assert writer["lifecycle_actions"] == [
        "change_group_membership",
        "change_member_role",
        "remove_member",
        "scim_deactivate",
        "sign_out_member",
        "withdraw_invite",
    ]
    # Write scopes no 403 showed are not claimed (every probe passed, analytics's too).
    probed = {"read:members", "read:rbac_groups", "read:analytics", "read:compliance_activities"}
    unseen = organization_node(frozenset({*probed, AT_LEAST}))
    assert unseen["lifecycle_actions"] == ["scim_deactivate"]
    assert unseen["families_not_permitted"] == []
