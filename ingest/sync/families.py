"""Which extractions a graph family is built from.

A graph family is cleaned up after a sync only when every extraction it is built from was read
completely; otherwise its old graph stays untouched (a failed or partial read deletes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable

from ingest.graph.model import FAMILIES, MODEL

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


def complete_families(
    read_completely: Iterable[str], write_failed: Iterable[str] = ()
) -> list[str]:
    """The graph families whose every source was read completely and that could be written,
    with every family they reach through relationships, in declaration order."""
    read = set(read_completely)
    unsafe = with_dependents(write_failed)
    return [
        family
        for family in FAMILIES
        if family in SOURCES and SOURCES[family] <= read and family not in unsafe
    ]


def with_dependents(failed: Iterable[str]) -> set[str]:
    """`failed` and, transitively, the families with relationships to or from their nodes:
    nodes that could not be written leave those families' relationships unwritten too."""
    unsafe = set(failed)
    grown = True
    while grown:
        reached = {r.family for r in MODEL.rels if {r.start.family, r.end.family} & unsafe}
        grown = not reached <= unsafe
        unsafe |= reached
    return unsafe
