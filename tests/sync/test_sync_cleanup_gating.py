"""Cleanup gating, generated from its declaration (ingest/sync/families.py `SOURCES`).

For every extraction family in turn: sync a small organization, remove at the source one
element of every graph family, make that one listing fail for good, and sync again. Nothing of
a graph family built from the failed listing may be deleted; every other family is cleaned up.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from anthropic_sim import mutations
from anthropic_sim.config import FaultSpec
from anthropic_sim.server import RunningSimulator
from ingest.extract.models import RbacRolePermission
from ingest.graph.model import (
    API_KEY,
    FAMILIES,
    FEDERATION_ISSUER,
    FEDERATION_RULE,
    INVITE,
    MODEL,
    NEVER_CLEANED,
    RBAC_GROUP,
    RBAC_ROLE,
    ROLE,
    SCIM_USER,
    SERVICE_ACCOUNT,
    USER,
    WORKSPACE,
)
from ingest.graph.schema import NodeType, RelType
from ingest.mapping.members import Members
from ingest.mapping.roles import organization_role_id, workspace_role_id
from ingest.sync.extraction import Extraction
from ingest.sync.families import EXTRACTIONS, SOURCES, STEPS
from ingest.sync.plan import Engines, ReadPlan
from ingest.sync.steps import DeclaredReads, UndeclaredRead
from tests.simulated import reconfigure
from tests.sync.test_sync_faults import PATIENT

# The listing each extraction family is read from (simulator paths).
LISTING = {
    "users": r"^/v1/organizations/users$",
    "workspaces": r"^/v1/organizations/workspaces$",
    "workspace_members": r"^/v1/organizations/workspaces/[^/]+/members$",
    "invites": r"^/v1/organizations/invites$",
    "api_keys": r"^/v1/organizations/api_keys$",
    "service_accounts": r"^/v1/organizations/service_accounts$",
    "service_account_memberships": r"^/v1/organizations/service_accounts/[^/]+/workspaces$",
    "federation_issuers": r"^/v1/organizations/federation_issuers$",
    "federation_rules": r"^/v1/organizations/federation_rules$",
    "federation_rule_workspaces": r"^/v1/organizations/federation_rules/[^/]+/workspaces$",
    "scim_users": r"^/scim/v2/Users$",
    "scim_groups": r"^/scim/v2/Groups$",
    "rbac_roles": r"^/v1/organizations/rbac_roles$",
    "rbac_role_permissions": r"^/v1/organizations/rbac_roles/[^/]+/permissions$",
    "rbac_groups": r"^/v1/organizations/rbac_groups$",
    "rbac_group_members": r"^/v1/organizations/rbac_groups/[^/]+/members$",
    "claude_code_activity": r"^/v1/organizations/usage_report/claude_code$",
    "messages_activity": r"^/v1/organizations/usage_report/messages$",
    "analytics_activity": r"^/v1/organizations/analytics/users$",
    "compliance_activity": r"^/v1/compliance/activities$",
}
# Listings only a Claude Enterprise organization offers: their failures are tried on one.
ENTERPRISE_ONLY = {
    "rbac_roles",
    "rbac_role_permissions",
    "rbac_groups",
    "rbac_group_members",
    "analytics_activity",
}
ENTERPRISE = {"product": "enterprise", "org_request_limit": 100_000}

Element = tuple[str, ...]  # ("node", label, key) or ("rel", type, start key, end key, ...)


def node(node_type: NodeType, key: str) -> Element:
    return ("node", node_type.label, key)


def rel(rel_type: RelType, start: str, end: str) -> Element:
    return ("rel", rel_type.type, rel_type.start.label, start, rel_type.end.label, end)


def elements(neo4j: Any, tenant: str) -> dict[str, set[Element]]:
    """Every graph family's nodes and relationships of the tenant, by identity."""
    found: dict[str, set[Element]] = {}
    for family in SOURCES:
        here = found.setdefault(family, set())
        for n in MODEL.nodes_in(family):
            rows = neo4j.run(
                f"MATCH (n:{n.label}) WHERE n.tenant_id = $t RETURN n.{n.key} AS key", t=tenant
            )
            here |= {node(n, row["key"]) for row in rows}
        for r in MODEL.rels_in(family):
            rows = neo4j.run(
                f"MATCH (a:{r.start.label})-[:{r.type}]->(b:{r.end.label}) "
                f"WHERE a.tenant_id = $t RETURN a.{r.start.key} AS a, b.{r.end.key} AS b",
                t=tenant,
            )
            here |= {rel(r, row["a"], row["b"]) for row in rows}
    return found


def remove_one_of_each(running: RunningSimulator) -> dict[str, Element]:
    """Removes at the source one element of every graph family that can lose one; returns it
    as the graph would hold it."""
    sim, org = running.sim, running.sim.org
    tenant = org.id
    owners = {str((k.created_by or {}).get("id")) for k in org.api_keys.values()}
    plain = [u.id for u in org.users.values() if u.role == "user" and u.id not in owners]
    leaver, promoted = plain[0], plain[1]
    mutations.remove_user(sim, leaver)
    mutations.change_role(sim, promoted, "developer")

    closed = next(
        ws.id
        for ws in org.workspaces.values()
        if not ws.is_default and not any(w == ws.id for _, w in org.sa_memberships)
    )
    del org.workspaces[closed]
    for pair in [p for p in org.members if p[0] == closed]:
        del org.members[pair]
    for key_id in [k.id for k in org.api_keys.values() if k.workspace_id == closed]:
        del org.api_keys[key_id]
    left_ws, left_user = next(p for p in org.members if p[1] not in (leaver, promoted))
    del org.members[(left_ws, left_user)]

    invite = next(iter(org.invites))
    del org.invites[invite]
    key = next(iter(org.api_keys))
    del org.api_keys[key]

    sa_owners = {o for o in owners if o.startswith("svac_")}
    retired = next(sa for sa in org.service_accounts if sa not in sa_owners)
    del org.service_accounts[retired]
    for pair in [p for p in org.sa_memberships if p[0] == retired]:
        del org.sa_memberships[pair]
    sa, sa_ws = next(iter(org.sa_memberships))
    del org.sa_memberships[(sa, sa_ws)]

    # The archived issuer and its (archived) rule, and one workspace enablement of another rule.
    old_issuer = next(i for i in org.federation_issuers.values() if i.archived_at is not None)
    old_rule = next(r for r in org.federation_rules.values() if r.issuer_id == old_issuer.id)
    del org.federation_issuers[old_issuer.id], org.federation_rules[old_rule.id]
    enabled_rule, enabled_ws = next(iter(org.federation_rule_workspaces))
    del org.federation_rule_workspaces[(enabled_rule, enabled_ws)]

    def people(group: dict[str, Any]) -> list[str]:
        return [m["value"] for m in group.get("members") or [] if m.get("type") == "User"]

    group = next(gr for gr in org.scim_groups.values() if len(people(gr)) >= 2)
    dropped, parted = people(group)[:2]
    mutations.remove_scim_user(sim, dropped)
    group["members"] = [m for m in group["members"] if m["value"] != parted]

    scim = f"{tenant}/"
    return {
        "users": node(USER, leaver),
        "role_grants": rel(
            MODEL.rel("HAS_ROLE", "user", "role"), promoted, organization_role_id(tenant, "user")
        ),
        "workspaces": node(WORKSPACE, closed),
        "roles": node(ROLE, workspace_role_id(closed, "workspace_user")),
        "workspace_members": rel(MODEL.rel("MEMBER_OF", "user", "workspace"), left_user, left_ws),
        "invites": node(INVITE, invite),
        "api_keys": node(API_KEY, key),
        "service_accounts": node(SERVICE_ACCOUNT, retired),
        "service_account_members": rel(
            MODEL.rel("MEMBER_OF", "service_account", "workspace"), sa, sa_ws
        ),
        "federation_issuers": node(FEDERATION_ISSUER, old_issuer.id),
        "federation_rules": node(FEDERATION_RULE, old_rule.id),
        "federation_rule_workspaces": rel(
            MODEL.rel("SCOPED_TO", "federation_rule", "workspace"), enabled_rule, enabled_ws
        ),
        "scim_users": node(SCIM_USER, scim + dropped),
        "scim_groups": rel(
            MODEL.rel("MEMBER_OF", "scim_user", "scim_group"),
            scim + parted,
            scim + str(group["id"]),
        ),
    }


def remove_one_of_each_enterprise(running: RunningSimulator) -> dict[str, Element]:
    """As `remove_one_of_each`, for the families an Enterprise organization adds."""
    sim, org = running.sim, running.sim.org
    rbac = org.rbac
    plain = [u.id for u in org.users.values() if u.role == "user"]
    leaver, demoted = plain[0], plain[1]
    mutations.remove_user(sim, leaver)
    mutations.change_role(sim, demoted, "managed")

    direct = [g for g in rbac.groups.values() if g.source_type == "direct"]
    closed = direct[0]
    del rbac.groups[closed.id]
    shrunk = next(g for g in direct[1:] if any(uid not in (leaver,) for uid in g.members))
    parted = next(uid for uid in shrunk.members if uid != leaver)
    del shrunk.members[parted]

    held = {rid for g in rbac.groups.values() for rid in g.role_ids}
    unused = next(r for r in rbac.roles.values() if r.id not in held)
    del rbac.roles[unused.id]
    role = next(r for r in rbac.roles.values() if r.permissions)
    dropped = role.permissions.pop()
    permission = RbacRolePermission.model_validate(
        {"rbac_role_id": role.id, "action": dropped.action, "resource": dropped.resource}
    )

    names = [g.name for g in rbac.groups.values() if g.source_type == "scim"]
    scim_group = next(sg for sg in org.scim_groups.values() if names.count(sg["displayName"]) == 1)
    surfaced = next(g for g in rbac.groups.values() if g.name == scim_group["displayName"])
    surfaced.name += " (renamed)"

    return {
        "users": node(USER, leaver),
        "role_grants": rel(
            MODEL.rel("HAS_ROLE", "user", "role"), demoted, organization_role_id(org.id, "user")
        ),
        "rbac_groups": node(RBAC_GROUP, closed.id),
        "rbac_group_members": rel(MODEL.rel("MEMBER_OF", "user", "rbac_group"), parted, shrunk.id),
        "rbac_roles": node(RBAC_ROLE, unused.id),
        "rbac_role_permissions": rel(
            MODEL.rel("GRANTS", "rbac_role", "rbac_role_permission"), role.id, permission.key
        ),
        "scim_rbac_groups": rel(
            MODEL.rel("SURFACES_AS", "scim_group", "rbac_group"),
            f"{org.id}/{scim_group['id']}",
            surfaced.id,
        ),
    }


def test_every_extraction_family_gates_something_and_every_cleaned_family_is_tested() -> None:
    assert set(EXTRACTIONS) == set(LISTING)
    assert set(SOURCES) == set(FAMILIES) - NEVER_CLEANED


def test_a_mapping_step_is_refused_every_read_its_family_does_not_declare() -> None:
    async def ask(families: tuple[str, ...], extraction: str) -> None:
        nothing_read = Extraction(ReadPlan([]), Engines(admin=None))  # type: ignore[arg-type]
        view = DeclaredReads(nothing_read, Members(), STEPS, *families)
        if extraction == "users":
            view.members()
        await view.records(extraction)

    for families in [(f,) for f in SOURCES] + [("role_grants", "workspace_members")]:
        declared = frozenset.intersection(*(SOURCES[f] for f in families))
        for extraction in EXTRACTIONS:
            if extraction in declared:
                asyncio.run(ask(families, extraction))
            else:
                with pytest.raises(UndeclaredRead):
                    asyncio.run(ask(families, extraction))


@pytest.mark.neo4j
@pytest.mark.parametrize("failing", EXTRACTIONS)
def test_a_listing_that_fails_for_good_deletes_nothing_built_from_it(
    neo4j, simulator, sync, failing
):
    enterprise = failing in ENTERPRISE_ONLY
    with simulator(size="small", seed=6, **(ENTERPRISE if enterprise else {})) as running:
        first = sync(running)
        assert first.status == "success", first.extraction_failures
        tenant = running.sim.org.id
        before = elements(neo4j, tenant)
        removed = (remove_one_of_each_enterprise if enterprise else remove_one_of_each)(running)
        reconfigure(running, faults=[FaultSpec(route=LISTING[failing], error_rate=1.0)])
        report = sync(running, admin=PATIENT, scim=PATIENT)
    after = elements(neo4j, tenant)

    failed = set(report.extraction_failed)
    assert failing in failed
    kept = {family for family, reads in SOURCES.items() if reads & failed}

    for family, element in removed.items():
        assert element in before[family], f"{family}: {element} was never in the graph"
    # Relationships go with a node that a family not built from the failed read deleted.
    gone_nodes = {e for f in set(SOURCES) - kept for e in before[f] - after[f] if e[0] == "node"}
    deleted = {
        family: f"{len(lost)} of {len(before[family])} deleted, e.g. {sorted(lost)[:1]}"
        for family in sorted(kept)
        if (
            lost := {
                e
                for e in before[family] - after[family]
                if not (e[0] == "rel" and {(e[2], e[3]), (e[4], e[5])} & _keys(gone_nodes))
            }
        )
    }
    assert not deleted, f"built from {failing}, yet: {deleted}"
    for family in set(removed) - kept:
        assert removed[family] not in after[family], f"{family} was not cleaned up"
    assert report.status == "partial"
    assert set(report.families_complete) == set(SOURCES) - kept


def _keys(nodes: set[Element]) -> set[tuple[str, str]]:
    return {(label, key) for _, label, key in nodes}
