"""Which extractions a graph family is built from.

A graph family is cleaned up after a sync only when every extraction it is built from was read
completely; otherwise its old graph stays untouched (a failed or partial read deletes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable

from ingest.graph.model import FAMILIES

# graph family -> the extractor families (Admin and SCIM) it is mapped from
SOURCES: dict[str, frozenset[str]] = {
    "organization": frozenset(),
    "users": frozenset({"users"}),
    "roles": frozenset({"users", "workspaces", "invites"}),
    "role_grants": frozenset({"users", "workspaces", "workspace_members"}),
    "workspaces": frozenset({"workspaces"}),
    "workspace_members": frozenset({"users", "workspaces", "workspace_members"}),
    "invites": frozenset({"invites"}),
    "api_keys": frozenset({"api_keys", "workspaces"}),
    "service_accounts": frozenset({"service_accounts"}),
    "service_account_members": frozenset({"service_accounts", "service_account_memberships"}),
    "scim_users": frozenset({"users", "scim_users"}),
    "scim_groups": frozenset({"scim_users", "scim_groups"}),
}


def complete_families(read_completely: Iterable[str]) -> list[str]:
    """The graph families whose every source was read completely, in declaration order."""
    read = set(read_completely)
    return [family for family in FAMILIES if family in SOURCES and SOURCES[family] <= read]
