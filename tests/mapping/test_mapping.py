"""The mappers are pure: records in, rows out, no I/O. Each test reads like one rule."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ingest.extract.models import ApiKey, ScimGroup, ScimUser, User, Workspace, WorkspaceMember
from ingest.mapping import admin
from ingest.mapping.members import Members
from ingest.mapping.organization import infer_main_domains
from ingest.mapping.rows import GraphRows
from ingest.mapping.scim import map_scim_groups, map_scim_users

ORG = "org-1"


def user(uid: str, email: str | None, role: str | None = "user") -> User:
    return User.model_validate({"id": uid, "email": email, "role": role})


def workspace(wid: str, *, archived: bool = False, default: bool = False) -> Workspace:
    archived_at = "2026-01-01T00:00:00Z" if archived else None
    return Workspace.model_validate({"id": wid, "archived_at": archived_at, "is_default": default})


def rels(rows: GraphRows, rel_type: str) -> list[dict[str, Any]]:
    return [row for rel, found in rows.iter_rels() if rel.type == rel_type for row in found]


def pairs(rows: GraphRows, rel_type: str) -> set[tuple[str, str]]:
    return {(row["start"], row["end"]) for row in rels(rows, rel_type)}


def test_members_keep_roles_emails_and_domains_and_count_a_repeated_user_once() -> None:
    members = Members()
    members.add([user("u1", "Ann@Acme.example", "admin"), user("u2", "bo@acme.example")])
    members.add([user("u1", "Ann@Acme.example", "admin"), user("u3", "cy@gmail.example")])
    assert members.roles == {"u1": "admin", "u2": "user", "u3": "user"}
    assert members.domains == Counter({"acme.example": 2, "gmail.example": 1})
    assert members.emails.exact["Ann@Acme.example"] == "u1"
    assert members.emails.folded["ann@acme.example"] == "u1"
    assert members.organization_roles() == {"admin", "user"}


def test_main_domains_are_those_a_sizeable_share_uses_and_always_the_top_one() -> None:
    counts = Counter({"acme.example": 90, "acme-labs.example": 8, "gmail.example": 2})
    assert infer_main_domains(counts) == ["acme-labs.example", "acme.example"]
    assert infer_main_domains(Counter({"solo.example": 1}), minimum_share=0.9) == ["solo.example"]
    assert infer_main_domains(Counter()) == []


def test_main_domains_of_a_small_organization_leave_out_partners_and_free_mail() -> None:
    # 14 members: every domain holds over 5% of them, yet only acme.com is the organization's.
    counts = Counter({"acme.com": 10, "gmail.com": 2, "partner.example": 1, "hotmail.co.uk": 1})
    assert infer_main_domains(counts) == ["acme.com"]
    assert infer_main_domains(Counter({"gmail.com": 8, "acme.com": 3})) == ["acme.com"]
    assert infer_main_domains(Counter({"gmail.com": 8, "yahoo.co.jp": 2})) == []


def test_inherited_access_covers_live_workspaces_for_admins_and_billing_only() -> None:
    roles = {"admin-1": "admin", "bill-1": "billing", "dev-1": "developer"}
    live, archived = workspace("ws-live"), workspace("ws-old", archived=True)
    inherited = admin.InheritedAccess(roles, [live, archived])
    assert ("admin-1", "ws-live") in inherited and ("bill-1", "ws-live") in inherited
    assert ("admin-1", "ws-old") not in inherited and ("dev-1", "ws-live") not in inherited


def test_organization_roles_grant_workspace_roles_once_per_live_workspace_not_per_person() -> None:
    live = [workspace(f"ws-{i}") for i in range(3)]
    rows = admin.map_roles(ORG, [*live, workspace("ws-old", archived=True)])
    granted = rels(rows, "GRANTS_WORKSPACE_ROLE")
    assert len(granted) == 4 * len(live)  # admin, owner, primary_owner, billing × live
    assert {(row["start"], row["end"]) for row in granted if row["end"].startswith("ws-0/")} == {
        (f"{ORG}/organization/admin", "ws-0/workspace_admin"),
        (f"{ORG}/organization/owner", "ws-0/workspace_admin"),
        (f"{ORG}/organization/primary_owner", "ws-0/workspace_admin"),
        (f"{ORG}/organization/billing", "ws-0/workspace_billing"),
    }
    assert not any(row["end"].startswith("ws-old/") for row in granted)
    # Nothing per person: no MEMBER_OF, ADMIN_OF or HAS_ROLE comes out of the roles.
    written = {rel.type for rel, _ in rows.iter_rels()}
    assert written == {"RESOURCE", "SCOPED_TO", "GRANTS_WORKSPACE_ROLE"}


def test_explicit_access_leaves_out_what_inheritance_already_grants() -> None:
    inherited = admin.InheritedAccess({"admin-1": "admin"}, [workspace("ws-1")])
    listed = [
        WorkspaceMember(workspace_id="ws-1", user_id="admin-1", workspace_role="workspace_user"),
        WorkspaceMember(workspace_id="ws-1", user_id="dev-1", workspace_role="workspace_developer"),
    ]
    assert admin.explicit_access(listed, inherited) == {("dev-1", "ws-1"): "workspace_developer"}


def test_workspace_access_maps_explicit_memberships_only_no_inherited_copies() -> None:
    memberships, grants = admin.map_access(
        {("u1", "ws-1"): "workspace_admin", ("u2", "ws-1"): "workspace_user"}
    )
    assert rels(memberships, "MEMBER_OF") == [
        {"start": "u1", "end": "ws-1", "workspace_role": "workspace_admin", "inherited": False},
        {"start": "u2", "end": "ws-1", "workspace_role": "workspace_user", "inherited": False},
    ]
    assert rels(memberships, "ADMIN_OF") == [{"start": "u1", "end": "ws-1", "inherited": False}]
    assert rels(grants, "HAS_ROLE") == [
        {"start": "u1", "end": "ws-1/workspace_admin", "source": "workspace"},
        {"start": "u2", "end": "ws-1/workspace_user", "source": "workspace"},
    ]


def test_organization_role_grants_and_user_resources() -> None:
    grants = admin.map_user_role_grants(ORG, [("u1", "admin"), ("u2", None)])
    assert rels(grants, "HAS_ROLE") == [
        {"start": "u1", "end": f"{ORG}/organization/admin", "source": "organization"}
    ]
    assert pairs(admin.map_user_resources(ORG, ["u1", "u2"]), "RESOURCE") == {
        (ORG, "u1"),
        (ORG, "u2"),
    }


def key(
    kid: str,
    owner: dict[str, str] | None,
    workspace_id: str | None = None,
    principal: dict[str, str] | None = None,
) -> ApiKey:
    return ApiKey.model_validate(
        {"id": kid, "created_by": owner, "workspace_id": workspace_id, "principal": principal}
    )


def test_api_keys_sit_in_their_workspace_the_default_one_for_legacy_keys() -> None:
    workspaces = [workspace("ws-default", default=True), workspace("ws-2")]
    keys = [key("k1", None, "ws-2"), key("k2", None)]
    rows = admin.map_api_keys(ORG, keys, workspaces, service_accounts_read=True)
    assert pairs(rows, "CONTAINS") == {("ws-2", "k1"), ("ws-default", "k2")}


def test_a_key_acts_as_its_principal_and_was_created_by_its_creator_each_when_sent() -> None:
    by_user = {"type": "user", "id": "u1"}
    as_sa = {"type": "service_account_actor", "service_account_id": "sa-1"}
    keys = [
        key("k1", by_user, principal={"type": "user_actor", "user_id": "u1"}),
        key("k2", by_user, principal=as_sa),  # a person made the service account's key
        key("k3", None, principal=as_sa),  # minted through federation: no creator
        key("k4", None),  # legacy workspace key: nobody
    ]
    rows = admin.map_api_keys(ORG, keys, [], service_accounts_read=True)
    assert pairs(rows, "ACTS_AS") == {("k1", "u1"), ("k2", "sa-1"), ("k3", "sa-1")}
    assert pairs(rows, "CREATED_BY") == {("k1", "u1"), ("k2", "u1")}
    assert pairs(rows, "OWNED_BY") == {("k1", "u1"), ("k2", "u1")}  # cartography: the creator
    assert pairs(rows, "OWNS") == {("u1", "k1"), ("u1", "k2")}


def test_key_actors_become_service_account_stubs_once_across_pages() -> None:
    by_user = {"type": "user", "id": "u1"}
    by_sa = {"type": "service_account", "id": "sa-1"}
    as_sa2 = {"type": "service_account_actor", "service_account_id": "sa-2"}
    stubs: set[str] = set()
    first = admin.map_api_keys(
        ORG,
        [key("k1", by_user, principal=as_sa2), key("k2", by_sa)],
        [],
        service_accounts_read=False,
        stubs=stubs,
    )
    second = admin.map_api_keys(
        ORG, [key("k3", by_sa, principal=as_sa2)], [], service_accounts_read=False, stubs=stubs
    )
    assert pairs(first, "CREATED_BY") == {("k1", "u1"), ("k2", "sa-1")}
    stub_rows = [row for node, rows in first.iter_nodes() for row in rows if row.get("is_stub")]
    assert sorted(row["id"] for row in stub_rows) == ["sa-1", "sa-2"]
    assert not any(row.get("is_stub") for _, rows in second.iter_nodes() for row in rows)
    assert pairs(second, "ACTS_AS") == {("k3", "sa-2")}


def test_scim_users_join_members_by_email_exactly_else_case_insensitively() -> None:
    members = Members()
    members.add([user("u1", "ann@acme.example"), user("u2", "Bo@Acme.example")])
    scim = [
        ScimUser(id="s1", primary_email="ann@acme.example"),
        ScimUser(id="s2", primary_email="bo@acme.example"),
        ScimUser(id="s3", primary_email="nobody@acme.example"),
    ]
    joined = rels(map_scim_users(ORG, scim, members.emails), "PROVISIONED_AS")
    assert joined == [
        {"start": f"{ORG}/s1", "end": "u1", "match": "exact"},
        {"start": f"{ORG}/s2", "end": "u2", "match": "case_insensitive"},
    ]


def test_scim_group_members_are_users_not_nested_groups() -> None:
    group = ScimGroup(id="g1", member_ids=["s1", "g2"], nested_group_ids=["g2"])
    rows = map_scim_groups(ORG, [group])
    assert pairs(rows, "MEMBER_OF") == {(f"{ORG}/s1", f"{ORG}/g1")}
