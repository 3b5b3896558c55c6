"""parse_records: unknown enums, missing fields and id-less items never sink their siblings."""

from __future__ import annotations

from ingest.extract import (
    ActorType,
    ApiKey,
    Invite,
    OrgRole,
    ServiceAccountMembership,
    User,
    Workspace,
    WorkspaceMember,
    parse_records,
)
from ingest.extract.scim_records import primary_email, read_scim_groups, read_scim_users

WHEN = "2024-10-30T23:58:27.427722Z"


def test_good_records_parse_without_issues() -> None:
    raw = [
        {
            "id": "user_1",
            "type": "user",
            "email": "a@x.io",
            "name": "A",
            "role": "admin",
            "added_at": WHEN,
        },
        {
            "id": "user_2",
            "type": "user",
            "email": "b@x.io",
            "name": "B",
            "role": "developer",
            "added_at": WHEN,
            "brand_new_field": 1,
        },
    ]
    result = parse_records(User, raw, "users")
    assert [u.id for u in result.records] == ["user_1", "user_2"]
    assert result.issues == []
    assert result.records[0].role is OrgRole.ADMIN and result.records[0].role == "admin"


def test_unknown_enum_is_kept_as_text_and_reported() -> None:
    raw = [
        {"id": "user_1", "email": "a@x.io", "name": "A", "role": "chief_wizard", "added_at": WHEN},
        {"id": "user_2", "email": "b@x.io", "name": "B", "role": "user", "added_at": WHEN},
    ]
    result = parse_records(User, raw, "users")
    assert [u.id for u in result.records] == ["user_1", "user_2"]
    assert result.records[0].role == "chief_wizard"
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert (issue.family, issue.record_id) == ("users", "user_1")
    assert "chief_wizard" in issue.problem and "OrgRole" in issue.problem


def test_missing_and_unreadable_fields_keep_the_record() -> None:
    raw = [
        {
            "id": "invite_1",
            "role": "user",
            "status": "pending",
            "invited_at": "yesterday",
            "rbac_group_ids": "not-a-list",
        },
        {
            "id": "invite_2",
            "email": "c@x.io",
            "role": "user",
            "status": "sleeping",
            "invited_at": WHEN,
            "expires_at": WHEN,
        },
    ]
    result = parse_records(Invite, raw, "invites")
    first, second = result.records
    assert first.email is None and first.invited_at is None and first.rbac_group_ids == []
    assert second.status == "sleeping"
    problems = [(i.record_id, i.problem) for i in result.issues]
    assert ("invite_1", "missing field 'email'") in problems
    assert ("invite_1", "missing field 'expires_at'") in problems
    assert any(rid == "invite_1" and "'invited_at' unreadable" in p for rid, p in problems)
    assert any(rid == "invite_1" and "'rbac_group_ids' unreadable" in p for rid, p in problems)
    assert any(rid == "invite_2" and "sleeping" in p for rid, p in problems)


def test_items_without_id_are_reported_and_skipped() -> None:
    raw = [{"email": "x@x.io"}, {"id": ""}, {"id": 42}, "junk", {"id": "user_9"}]
    result = parse_records(User, raw, "users")
    assert [u.id for u in result.records] == ["user_9"]
    skipped = [i for i in result.issues if i.record_id is None]
    assert len(skipped) == 4
    assert all("skipped" in i.problem for i in skipped)


def test_composite_ids_and_defaults() -> None:
    raw = [{"user_id": "user_1", "workspace_role": "workspace_user"}, {"workspace_role": "x"}]
    result = parse_records(WorkspaceMember, raw, "members", defaults={"workspace_id": "wrkspc_1"})
    assert [m.key for m in result.records] == ["wrkspc_1:user_1"]
    assert result.issues[0].record_id is None
    memberships = parse_records(
        ServiceAccountMembership,
        [{"workspace_id": "wrkspc_1", "workspace_role": "workspace_user", "implicit": True}],
        "sam",
        defaults={"service_account_id": "svac_1"},
    )
    assert memberships.records[0].implicit is True
    assert memberships.records[0].key == "svac_1:wrkspc_1"


def test_api_key_shapes_current_legacy_and_unknown() -> None:
    base = {"name": "k", "created_at": WHEN, "status": "active"}
    raw = [
        {
            **base,
            "id": "apikey_1",
            "principal": {"type": "user_actor", "user_id": "user_1"},
            "scope": {"type": "workspace", "workspace_id": "wrkspc_d"},
            "workspace_id": None,
            "created_by": {"id": "user_1", "type": "user"},
            "expires_at": None,
            "partial_key_hint": "sk-ant-api03-R2D...igAA",
        },
        {
            **base,
            "id": "apikey_2",
            "principal": {"type": "service_account_actor", "service_account_id": "svac_1"},
            "scope": {"type": "organization"},
            "created_by": None,
        },
        {
            **base,
            "id": "apikey_3",
            "principal": {"id": "user_3", "type": "user"},
            "workspace_id": "wrkspc_7",
        },
        {
            **base,
            "id": "apikey_4",
            "principal": {"type": "robot_actor", "robot_id": "r1"},
            "created_by": {"id": "x", "type": "robot"},
        },
        {**base, "id": "apikey_5", "principal": "garbage"},
    ]
    result = parse_records(ApiKey, raw, "api_keys")
    keys = {k.id: k for k in result.records}
    assert len(keys) == 5
    assert keys["apikey_1"].principal is not None
    assert keys["apikey_1"].principal.kind is ActorType.USER
    assert keys["apikey_1"].principal.id == "user_1"
    assert keys["apikey_1"].scope_workspace_id == "wrkspc_d"
    assert keys["apikey_2"].principal.kind is ActorType.SERVICE_ACCOUNT  # type: ignore[union-attr]
    assert keys["apikey_2"].created_by is None and keys["apikey_2"].scope_workspace_id is None
    assert keys["apikey_3"].principal.kind is ActorType.USER  # type: ignore[union-attr]
    assert keys["apikey_3"].scope_workspace_id == "wrkspc_7"
    assert keys["apikey_4"].principal.kind is None  # type: ignore[union-attr]
    assert keys["apikey_4"].principal.raw_type == "robot_actor"  # type: ignore[union-attr]
    assert keys["apikey_5"].principal is None
    reported = {i.record_id for i in result.issues}
    assert reported == {"apikey_4", "apikey_5"}


def test_workspace_fields() -> None:
    raw = [
        {
            "id": "wrkspc_1",
            "name": "W",
            "created_at": WHEN,
            "archived_at": WHEN,
            "data_residency": {
                "workspace_geo": "us",
                "allowed_inference_geos": "unrestricted",
                "default_inference_geo": "global",
            },
            "tags": {"team": "x"},
        }
    ]
    workspace = parse_records(Workspace, raw, "workspaces").records[0]
    assert workspace.archived and workspace.tags == {"team": "x"}
    assert workspace.data_residency is not None
    assert workspace.data_residency.allowed_inference_geos == "unrestricted"
    assert workspace.is_default is False


def test_primary_email_rules() -> None:
    assert primary_email([{"value": "a@x"}, {"value": "b@x", "primary": True}], "u") == "b@x"
    assert primary_email([{"value": "a@x"}, {"value": "b@x", "primary": "True"}], "u") == "b@x"
    assert primary_email([{"value": "a@x"}, {"value": "b@x"}], "u@x") == "a@x"
    assert primary_email([], "u@x.io") == "u@x.io"
    assert primary_email([], "not an email") is None


def test_scim_users_strict_and_tolerant() -> None:
    good = {
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        ],
        "id": "s1",
        "userName": "a@x.io",
        "externalId": "okta-1",
        "displayName": "A",
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "active": True,
        "emails": [{"value": "ann@x.io", "primary": True}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "department": "Eng",
            "manager": {"value": "s0"},
        },
    }
    odd = {"id": "s2", "USERNAME": "b@x.io", "active": "False", "emails": "b@x.io", "name": "Bob"}
    result = read_scim_users([good, odd, {"userName": "c@x.io"}], "scim_users")
    users = {u.id: u for u in result.records}
    assert users["s1"].primary_email == "ann@x.io" and users["s1"].department == "Eng"
    assert users["s1"].manager_id == "s0" and users["s1"].given_name == "Ann"
    assert users["s1"].external_id == "okta-1" and users["s1"].active is True
    assert users["s2"].user_name == "b@x.io" and users["s2"].active is False
    assert users["s2"].primary_email == "b@x.io"
    assert any(i.record_id == "s2" and "tolerantly" in i.problem for i in result.issues)
    assert any(i.record_id is None for i in result.issues)


def test_scim_groups_with_members() -> None:
    raw = [
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": "g1",
            "displayName": "Eng",
            "members": [{"value": "s1", "type": "User"}, {"value": "g2", "type": "Group"}],
        },
        {"id": "g2", "displayName": "Sub"},
    ]
    result = read_scim_groups(raw, "scim_groups")
    groups = {g.id: g for g in result.records}
    assert groups["g1"].member_ids == ["s1", "g2"] and groups["g1"].nested_group_ids == ["g2"]
    assert groups["g2"].member_ids == []


def test_scim_emails_are_kept_exactly() -> None:
    """scim2_models lower-cases email domains; the join on email must stay exact."""
    raw = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "s1",
        "userName": "Ann.B@Foo.COM",
        "emails": [{"value": "Ann.B@Foo.COM", "primary": True}],
    }
    user = read_scim_users([raw], "scim_users").records[0]
    assert user.primary_email == "Ann.B@Foo.COM" and user.emails == ["Ann.B@Foo.COM"]
