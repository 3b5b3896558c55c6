"""Which extractions each graph family is built from: THE declaration, one row per mapping step.

A graph family is cleaned up after a sync only when every extraction it is built from was read
completely; otherwise its old graph stays untouched (a failed or partial read deletes nothing).
The sync hands each mapping step only the reads its row declares (`DeclaredReads` in
ingest/sync/steps.py), so a mapper cannot consume a read that does not gate its cleanup. How
each extraction is read is the read plan's business (ingest/sync/plan.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.graph.model import MODEL
from ingest.graph.schema import GraphModel
from ingest.mapping import admin as admin_rows
from ingest.mapping import federation, rbac
from ingest.mapping.activity import map_activity
from ingest.mapping.organization import map_organization
from ingest.mapping.scim import map_scim_groups, map_scim_users


@dataclass(frozen=True)
class MappingStep:
    family: str  # the graph family written
    mappers: tuple[Callable[..., Any], ...]
    reads: frozenset[str]  # the extraction families whose records the mappers consume


def _step(family: str, mappers: tuple[Callable[..., Any], ...], *reads: str) -> MappingStep:
    return MappingStep(family, mappers, frozenset(reads))


# Members (ingest/mapping/members.py) are what is kept of the `users` read.
STEPS: tuple[MappingStep, ...] = (
    _step("organization", (map_organization,), "users"),
    _step("users", (admin_rows.map_users, admin_rows.map_user_resources), "users"),
    _step("roles", (admin_rows.map_roles,), "users", "workspaces", "invites", "service_accounts"),
    _step(
        "role_grants",
        (admin_rows.map_user_role_grants, admin_rows.map_access),
        "users",
        "workspaces",
        "workspace_members",
    ),
    _step("workspaces", (admin_rows.map_workspaces,), "workspaces"),
    _step(
        "workspace_members", (admin_rows.map_access,), "users", "workspaces", "workspace_members"
    ),
    _step("invites", (admin_rows.map_invites,), "invites"),
    _step("api_keys", (admin_rows.map_api_keys,), "api_keys", "workspaces"),
    _step("service_accounts", (admin_rows.map_service_accounts,), "service_accounts"),
    _step(
        "service_account_members",
        (admin_rows.map_service_account_members,),
        "service_accounts",
        "service_account_memberships",
    ),
    _step("federation_issuers", (federation.map_federation_issuers,), "federation_issuers"),
    _step(
        "federation_rules",
        (federation.map_federation_rules,),
        "federation_issuers",
        "federation_rules",
    ),
    _step(
        "federation_rule_workspaces",
        (federation.map_federation_rule_workspaces,),
        "federation_rule_workspaces",
    ),
    _step("scim_users", (map_scim_users,), "users", "scim_users"),
    # Memberships end at SCIM user nodes: with the user listing incomplete, none is removed.
    _step("scim_groups", (map_scim_groups,), "scim_users", "scim_groups"),
    _step("rbac_roles", (rbac.map_rbac_roles,), "rbac_roles"),
    _step(
        "rbac_role_permissions",
        (rbac.map_rbac_role_permissions,),
        "rbac_roles",
        "rbac_role_permissions",
    ),
    _step("rbac_groups", (rbac.map_rbac_groups,), "rbac_groups", "rbac_roles"),
    _step("rbac_group_members", (rbac.map_rbac_group_members,), "rbac_group_members"),
    _step("scim_rbac_groups", (rbac.map_scim_rbac_groups,), "scim_groups", "rbac_groups"),
    # Activity joins to members (by id or email) and keys (by id or name).
    _step("claude_code_activity", (map_activity,), "claude_code_activity", "users", "api_keys"),
    _step("messages_activity", (map_activity,), "messages_activity", "users", "api_keys"),
    _step("analytics_activity", (map_activity,), "analytics_activity", "users"),
    _step("compliance_activity", (map_activity,), "compliance_activity", "users"),
)


def sources_of(steps: Sequence[MappingStep]) -> dict[str, frozenset[str]]:
    """graph family -> the extraction families (Admin and SCIM) it is built from"""
    return {step.family: step.reads for step in steps}


SOURCES = sources_of(STEPS)

# Every extraction family some graph family is built from.
EXTRACTIONS: tuple[str, ...] = tuple(sorted(frozenset().union(*SOURCES.values())))


def complete_families(
    read_completely: Iterable[str],
    write_failed: Iterable[str] = (),
    steps: Sequence[MappingStep] = STEPS,
    model: GraphModel = MODEL,
) -> list[str]:
    """The graph families whose every source was read completely and that could be written
    (with every family they reach through relationships), in declaration order."""
    read = set(read_completely)
    sources = sources_of(steps)
    unsafe = with_dependents(write_failed, model)
    return [
        family
        for family in model.families
        if family in sources and sources[family] <= read and family not in unsafe
    ]


def with_dependents(failed: Iterable[str], model: GraphModel = MODEL) -> set[str]:
    """`failed` and, transitively, the families with relationships to or from their nodes:
    nodes that could not be written leave those families' relationships unwritten too."""
    unsafe = set(failed)
    grown = True
    while grown:
        reached = {r.family for r in model.rels if {r.start.family, r.end.family} & unsafe}
        grown = not reached <= unsafe
        unsafe |= reached
    return unsafe
