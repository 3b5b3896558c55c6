"""SCIM records → graph rows, joined to organization members by email. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.extract.models import ScimGroup, ScimUser, User
from ingest.graph.model import MODEL, SCIM_GROUP, SCIM_USER
from ingest.mapping.admin import RESOURCE, lower
from ingest.mapping.fill import RecordFill
from ingest.mapping.rows import GraphRows

PROVISIONED_AS = MODEL.rel("PROVISIONED_AS", "scim_user", "user")
MEMBER_OF_GROUP = MODEL.rel("MEMBER_OF", "scim_user", "scim_group")

SCIM_USER_FILL = RecordFill(SCIM_USER)
SCIM_GROUP_FILL = RecordFill(SCIM_GROUP)


def scim_node_id(org_id: str, scim_id: str) -> str:
    """SCIM ids are only unique within one directory, so the tenant is part of the key."""
    return f"{org_id}/{scim_id}"


@dataclass
class EmailIndex:
    """Organization members by email: as written, and lower-cased (then the first one wins)."""

    exact: dict[str, str] = field(default_factory=dict)
    folded: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, users: Iterable[User]) -> EmailIndex:
        index = cls()
        index.add(users)
        return index

    def add(self, users: Iterable[User]) -> None:
        for user in users:
            if user.email:
                self.exact[user.email] = user.id
                self.folded.setdefault(user.email.strip().lower(), user.id)


def map_scim_users(org_id: str, scim_users: Iterable[ScimUser], members: EmailIndex) -> GraphRows:
    """SCIM user nodes and PROVISIONED_AS to the member with the same email: exactly
    (what Claude's SSO requires) or, failing that, case-insensitively (recorded as such)."""
    exact, folded = members.exact, members.folded
    rows = GraphRows()
    for su in scim_users:
        node_id = scim_node_id(org_id, su.id)
        email = su.primary_email
        rows.node(SCIM_USER, SCIM_USER_FILL(su, id=node_id, email_lower=lower(email)))
        rows.rel(RESOURCE["scim_user"], org_id, node_id)
        if not email:
            continue
        if email in exact:
            rows.rel(PROVISIONED_AS, node_id, exact[email], match="exact")
        elif (user_id := folded.get(email.strip().lower())) is not None:
            rows.rel(PROVISIONED_AS, node_id, user_id, match="case_insensitive")
    return rows


def map_scim_groups(org_id: str, groups: Iterable[ScimGroup]) -> GraphRows:
    rows = GraphRows()
    for group in groups:
        node_id = scim_node_id(org_id, group.id)
        rows.node(SCIM_GROUP, SCIM_GROUP_FILL(group, id=node_id))
        rows.rel(RESOURCE["scim_group"], org_id, node_id)
        nested = set(group.nested_group_ids)
        for member_id in group.member_ids:
            if member_id not in nested:
                rows.rel(MEMBER_OF_GROUP, scim_node_id(org_id, member_id), node_id)
    return rows
