"""A record with every field set maps to rows with every declared property set: a field the
declaration names but neither a `source` nor a mapper fills comes out null and fails here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from ingest.extract.activity import ActivityWindow, SubjectDays
from ingest.extract.models import (
    ApiKey,
    FederationIssuer,
    FederationRule,
    FederationRuleWorkspace,
    Invite,
    RbacGroup,
    RbacGroupMember,
    RbacRole,
    RbacRolePermission,
    ScimGroup,
    ScimUser,
    ServiceAccount,
    ServiceAccountMembership,
    User,
    Workspace,
    WorkspaceMember,
)
from ingest.graph.model import ACTIVITY_NODES, CHANGE, LAST_ACTIVE_AT, LAST_USED_AT, MODEL
from ingest.mapping import admin, federation, rbac
from ingest.mapping.activity import Subjects, map_activity
from ingest.mapping.members import Members
from ingest.mapping.organization import (
    OrganizationFacts,
    SyncRunFacts,
    map_organization,
    map_sync_run,
)
from ingest.mapping.remediation import map_remediation_action
from ingest.mapping.rows import GraphRows
from ingest.mapping.scim import EmailIndex, map_scim_groups, map_scim_users
from tests.mapping.populated import populated

ORG = "org-1"

# Nulls the declaration documents, by (node type, property): when the row may hold one.
NULL_BY_DESIGN: dict[tuple[str, str], Callable[[Mapping[str, Any]], bool]] = {
    ("role", "workspace_id"): lambda row: row["scope"] == "organization",
    ("federation_rule", "archived_at"): lambda row: row["usable"],
    **{
        (node.name, name): test
        for node in ACTIVITY_NODES
        for name, test in (
            (LAST_ACTIVE_AT, lambda row: row["subject_kind"] != "user"),
            (LAST_USED_AT, lambda row: row["subject_kind"] == "user"),
        )
    },
    # A timestamp's epoch-milliseconds twin is null exactly when the timestamp is.
    **{
        (node.name, twin): lambda row, name=name: row[name] is None
        for node in MODEL.nodes
        for twin, name in node.millis_pairs
    },
}


# One line of the remediation log with every field set (an undo of an earlier entry).
REMEDIATION_ENTRY = {
    "entry": "rem-2",
    "action": "reactivate_key",
    "outcome": "applied",
    "reason": "undo of rem-1",
    "ran_at": "2026-11-02T00:00:00Z",
    "ran_by": "tester",
    "plan_item_id": "item-1",
    "request": {"method": "POST", "path": "/v1/organizations/api_keys/apikey_01"},
    "request_id": "req_01",
    "http_status": 200,
    "target": {"id": "apikey_01", "label": "AnthropicApiKey"},
    "undo_of": "rem-1",
    "organization_id": "org_01",
}


def every_family_mapped() -> GraphRows:
    user, workspace = populated(User), populated(Workspace)
    account, scim_user = populated(ServiceAccount), populated(ScimUser)
    members = Members()
    members.add([user.model_copy(update={"email": scim_user.primary_email})])
    inherited = admin.InheritedAccess(members.roles, [workspace])
    memberships, grants = admin.map_access(
        admin.explicit_access([populated(WorkspaceMember)], inherited)
    )
    issuer, rule = populated(FederationIssuer), populated(FederationRule)
    # CAN_ASSUME is mapped only for a rule that is usable: it and its issuer live.
    live_rule = rule.model_copy(update={"id": "fdrl-live", "archived_at": None})
    live_issuer = issuer.model_copy(update={"id": rule.issuer_id, "archived_at": None})
    rows = GraphRows()
    for part in (
        map_organization(populated(OrganizationFacts)),
        admin.map_users([user]),
        admin.map_roles(ORG, [workspace], members.organization_roles()),
        admin.map_user_role_grants(ORG, members.roles.items()),
        grants,
        admin.map_workspaces(ORG, [workspace]),
        memberships,
        admin.map_invites(ORG, [populated(Invite)]),
        admin.map_api_keys(ORG, [populated(ApiKey)], [workspace], service_accounts_read=True),
        admin.map_service_accounts(ORG, [account]),
        admin.map_service_account_members(ORG, [account], [populated(ServiceAccountMembership)]),
        federation.map_federation_issuers(ORG, [issuer]),
        federation.map_federation_rules(ORG, [live_issuer], [rule, live_rule]),
        federation.map_federation_rule_workspaces(ORG, [populated(FederationRuleWorkspace)]),
        map_scim_users(ORG, [scim_user], members.emails),
        map_scim_groups(ORG, [populated(ScimGroup)]),
        rbac.map_rbac_roles(ORG, [populated(RbacRole)]),
        rbac.map_rbac_role_permissions(ORG, [populated(RbacRolePermission)]),
        rbac.map_rbac_groups(ORG, [populated(RbacGroup)]),
        rbac.map_rbac_group_members([populated(RbacGroupMember)]),
        map_sync_run(populated(SyncRunFacts)),
        map_remediation_action(REMEDIATION_ENTRY),
        *activity_mapped(user, populated(ApiKey)),
    ):
        rows.merge(part)
    return rows


def activity_mapped(user: User, key: ApiKey) -> list[GraphRows]:
    """Each source with a day of activity for every subject kind it can hold."""
    subjects = Subjects(user_ids={user.id}, emails=EmailIndex.of([user]))
    subjects.add_keys([key])
    account = "svac_01"
    subjects.service_account_ids.add(account)
    window = ActivityWindow(30, date(2026, 10, 31))
    found = [
        SubjectDays(subject_kind=kind, subject=subject, matched_by="id", days=("2026-10-30",))
        for kind, subject in (("user", user.id), ("api_key", key.id), ("service_account", account))
    ]
    mapped = []
    for node in ACTIVITY_NODES:
        units, _ = map_activity(ORG, node, window, found, subjects, chunk=2)
        rows = GraphRows()
        for unit in units:
            rows.merge(unit)
        mapped.append(rows)
    return mapped


def nulls(owner: str, names: tuple[str, ...], found: list[dict[str, Any]]) -> set[str]:
    return {
        f"{owner}.{name}"
        for row in found
        for name in names
        if row.get(name) is None and not NULL_BY_DESIGN.get((owner, name), lambda _: False)(row)
    }


def test_populated_records_have_every_field_set() -> None:
    record_types = (ApiKey, Invite, ScimGroup, ScimUser, ServiceAccount, User, Workspace, RbacRole)
    for record_type in (*record_types, ServiceAccountMembership, WorkspaceMember):
        record = populated(record_type)
        assert all(getattr(record, name) not in (None, [], {}) for name in record_type.model_fields)


def test_every_declared_property_of_a_fully_populated_record_is_set() -> None:
    rows = every_family_mapped()
    mapped = {node.name for node in MODEL.nodes if node is not CHANGE}  # the loader writes it
    missing_nodes = mapped - {node.name for node in rows.nodes}
    with_props = {rel.pattern for rel in MODEL.rels if rel.properties}
    missing_rels = with_props - {rel.pattern for rel in rows.rels}
    assert not missing_nodes and not missing_rels, "map these families here too"
    null = set()
    for node, found in rows.iter_nodes():
        null |= nulls(node.name, node.property_names, found)
    for rel, found in rows.iter_rels():
        null |= nulls(rel.pattern, rel.property_names, found)
    assert not null, f"declared properties left null by their source or mapper: {sorted(null)}"
