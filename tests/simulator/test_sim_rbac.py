"""Enterprise groups and roles (`rbac_groups`, `rbac_roles`): reference 2.6-2.7, checked over
loopback HTTP and against the official SDK's response types."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import anthropic
import httpx
import pytest
from anthropic.types.beta.organization import BetaDeletedRBACGroup, BetaRBACGroup, BetaRBACRole
from anthropic.types.beta.organization.rbac_groups import (
    BetaDeletedRBACGroupMember,
    BetaRBACGroupMember,
)
from anthropic.types.beta.organization.rbac_roles import BetaRBACRolePermission
from sim_helpers import Api, assert_error

from anthropic_sim.generate_rbac import generate_rbac
from anthropic_sim.generator import generate
from anthropic_sim.ids import IdFactory
from anthropic_sim.planted import planted_truth
from anthropic_sim.rbac_state import RbacState

GROUPS = "/v1/organizations/rbac_groups"
ROLES = "/v1/organizations/rbac_roles"
GROUP_KEYS = {"type", "id", "name", "source_type", "created_at", "updated_at"}
MEMBER_KEYS = {"type", "user_id", "email", "created_at"}
RBAC_CASES = (
    "scim_rbac_groups",
    "custom_rbac_roles",
    "rbac_member_managers",
    "rbac_memberships_of_departed_users",
)


def walk(client: httpx.Client, path: str, limit: int) -> tuple[list[dict[str, Any]], list[int]]:
    """Every record of an opaque-cursor list, and the size of each page."""
    out: list[dict[str, Any]] = []
    sizes: list[int] = []
    params: dict[str, Any] = {"limit": limit}
    for _ in range(100_000):
        r = client.get(path, params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"data", "next_page"}
        assert len(body["data"]) <= limit
        out += body["data"]
        sizes.append(len(body["data"]))
        if body["next_page"] is None:
            return out, sizes
        params["page"] = body["next_page"]
    raise AssertionError("pagination did not end")


@pytest.fixture
def ent(make_api: Callable[..., Api]) -> Api:
    return make_api(seed=5, size="small", product="enterprise")


@pytest.fixture
def medium(make_api: Callable[..., Api]) -> Api:
    return make_api(seed=5, size="medium", product="enterprise")


def scim_group(api: Api) -> str:
    return next(g.id for g in api.org.rbac.groups.values() if g.source_type == "scim")


def direct_group(api: Api) -> str:
    return next(g.id for g in api.org.rbac.groups.values() if g.source_type == "direct")


def outsider(api: Api, group_id: str) -> str:
    members = api.org.rbac.groups[group_id].members
    return next(u for u in api.org.users if u not in members)


def test_console_org_answers_organization_type_not_supported(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(seed=5, size="small")
    for method, path in (("GET", GROUPS), ("POST", GROUPS), ("GET", f"{ROLES}/x/permissions")):
        body = assert_error(api.admin.request(method, path), 400, "invalid_request_error")
        assert body["error"]["details"] == {"error_code": "organization_type_not_supported"}


@pytest.mark.parametrize("limit", [1, 7, 1000])
def test_group_list_pages_through_every_group(medium: Api, limit: int) -> None:
    groups, _ = walk(medium.admin, GROUPS, limit)
    ids = [g["id"] for g in groups]
    assert ids == sorted(ids) == planted_truth(medium.org)["rbac_groups"]
    assert {g["source_type"] for g in groups} == {"direct", "scim"}
    for g in groups:
        assert set(g) == GROUP_KEYS | {"role_ids"}
        BetaRBACGroup.model_validate(g)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"page": "not-a-token"}])
def test_bad_paging_parameters_are_400(ent: Api, params: dict[str, Any]) -> None:
    for path in (GROUPS, ROLES, f"{GROUPS}/{direct_group(ent)}/members"):
        assert_error(ent.admin.get(path, params=params), 400, "invalid_request_error")


@pytest.mark.parametrize("limit", [1, 7, 1000])
def test_members_are_current_members_oldest_first_in_short_pages(medium: Api, limit: int) -> None:
    org = medium.org
    case = org.ledger.ids("rbac_memberships_of_departed_users")[0]
    group_id, departed = case.split("/")
    group = org.rbac.groups[group_id]
    members, sizes = walk(medium.admin, f"{GROUPS}/{group_id}/members", limit)
    assert [m["user_id"] for m in members] == [u for u in group.members if u in org.users]
    assert departed not in {m["user_id"] for m in members}
    assert [m["created_at"] for m in members] == sorted(m["created_at"] for m in members)
    if limit == 1:
        assert 0 in sizes[:-1], "a page holding only a departed member comes back empty"
    for m in members:
        assert set(m) == MEMBER_KEYS | {"rbac_group_id"} and m["rbac_group_id"] == group_id
        assert m["email"] == org.users[m["user_id"]].email
        BetaRBACGroupMember.model_validate(m)


def test_group_get_create_rename_delete(ent: Api) -> None:
    missing = ent.admin.get(f"{GROUPS}/rbac_group_01nothing")
    body = assert_error(missing, 404, "not_found_error")
    assert body["error"]["details"] == {"error_code": "rbac_group_not_found"}
    for name in ("", "x" * 256, None):
        assert_error(ent.admin.post(GROUPS, json={"name": name}), 400, "invalid_request_error")
    created = ent.admin.post(GROUPS, json={"name": "x" * 255}).json()
    BetaRBACGroup.model_validate(created)
    assert created["source_type"] == "direct" and created["role_ids"] == []
    assert created["id"].startswith("rbac_group_")
    path = f"{GROUPS}/{created['id']}"
    assert ent.admin.get(path).json() == created
    assert walk(ent.admin, f"{path}/members", 20)[0] == []
    renamed = ent.admin.post(path, json={"name": "Renamed"}).json()
    assert renamed["name"] == "Renamed" and renamed["id"] == created["id"]
    deleted = ent.admin.delete(path).json()
    assert deleted == {"id": created["id"], "type": "rbac_group_deleted"}
    BetaDeletedRBACGroup.model_validate(deleted)
    assert_error(ent.admin.get(path), 404, "not_found_error")
    assert_error(ent.admin.delete(path), 404, "not_found_error")


def test_member_add_and_remove_with_their_400_and_404(ent: Api) -> None:
    group_id = direct_group(ent)
    path = f"{GROUPS}/{group_id}/members"
    user_id = outsider(ent, group_id)
    unknown = ent.admin.post(path, json={"user_id": "user_01nobody"})
    assert_error(unknown, 404, "not_found_error")
    departed = next(iter(ent.org.departed_users))
    assert_error(ent.admin.post(path, json={"user_id": departed}), 404, "not_found_error")
    added = ent.admin.post(path, json={"user_id": user_id}).json()
    BetaRBACGroupMember.model_validate(added)
    assert added["user_id"] == user_id and added["rbac_group_id"] == group_id
    assert_error(ent.admin.post(path, json={"user_id": user_id}), 400, "invalid_request_error")
    assert walk(ent.admin, path, 1000)[0][-1]["user_id"] == user_id  # newest last
    removed = ent.admin.delete(f"{path}/{user_id}").json()
    assert removed == {
        "rbac_group_id": group_id,
        "user_id": user_id,
        "type": "rbac_group_member_deleted",
    }
    BetaDeletedRBACGroupMember.model_validate(removed)
    assert_error(ent.admin.delete(f"{path}/{user_id}"), 404, "not_found_error")
    assert user_id not in {m["user_id"] for m in walk(ent.admin, path, 1000)[0]}


def test_scim_groups_are_read_only(ent: Api) -> None:
    group_id = scim_group(ent)
    path = f"{GROUPS}/{group_id}"
    member = next(u for u in ent.org.rbac.groups[group_id].members if u in ent.org.users)
    for r in (
        ent.admin.post(path, json={"name": "Renamed"}),
        ent.admin.delete(path),
        ent.admin.post(f"{path}/members", json={"user_id": outsider(ent, group_id)}),
        ent.admin.delete(f"{path}/members/{member}"),
    ):
        assert_error(r, 400, "invalid_request_error")
    assert ent.admin.get(path).json()["source_type"] == "scim"


def test_group_names_are_not_unique(ent: Api) -> None:
    groups, _ = walk(ent.admin, GROUPS, 1000)
    names = [g["name"] for g in groups]
    assert len(set(names)) < len(names), "the generator plants duplicate names"
    twin = ent.admin.post(GROUPS, json={"name": names[0]})
    assert twin.status_code == 200 and twin.json()["name"] == names[0]


@pytest.mark.parametrize(
    ("role_field", "member_field"),
    [("roles", "group_id"), ("both", "both"), ("role_ids", "rbac_group_id")],
)
def test_field_spellings_follow_the_knobs(
    make_api: Callable[..., Api], role_field: str, member_field: str
) -> None:
    api = make_api(
        seed=5,
        product="enterprise",
        rbac_group_role_field=role_field,
        rbac_member_group_field=member_field,
    )
    role_names = {"role_ids", "roles"} if role_field == "both" else {role_field}
    member_names = {"rbac_group_id", "group_id"} if member_field == "both" else {member_field}
    group_id = direct_group(api)
    group = api.admin.get(f"{GROUPS}/{group_id}").json()
    assert set(group) == GROUP_KEYS | role_names
    assert all(group[n] == api.org.rbac.groups[group_id].role_ids for n in role_names)
    member = walk(api.admin, f"{GROUPS}/{group_id}/members", 1000)[0][0]
    assert set(member) == MEMBER_KEYS | member_names
    assert all(member[n] == group_id for n in member_names)
    removed = api.admin.delete(f"{GROUPS}/{group_id}/members/{member['user_id']}").json()
    assert set(removed) == {"user_id", "type"} | member_names


def test_role_data_temporarily_unavailable_is_null(make_api: Callable[..., Api]) -> None:
    api = make_api(seed=5, product="enterprise", rbac_roles_unavailable_rate=1.0)
    groups, _ = walk(api.admin, GROUPS, 1000)
    assert groups and all(g["role_ids"] is None for g in groups)
    BetaRBACGroup.model_validate(groups[0])


def test_a_retry_gets_the_role_data_back(make_api: Callable[..., Api]) -> None:
    api = make_api(seed=5, product="enterprise", rbac_roles_unavailable_rate=0.5)
    group_id = direct_group(api)
    answers = [api.admin.get(f"{GROUPS}/{group_id}").json()["role_ids"] for _ in range(30)]
    assert None in answers
    assert {tuple(a) for a in answers if a is not None} == {
        tuple(api.org.rbac.groups[group_id].role_ids)
    }


def test_roles_built_in_and_custom(ent: Api) -> None:
    roles, _ = walk(ent.admin, ROLES, 1)
    assert [r["id"] for r in roles] == sorted(ent.org.rbac.roles)
    assert {r["source"]["type"] for r in roles} == {"built_in", "custom"}
    custom = sorted(r["id"] for r in roles if r["source"]["type"] == "custom")
    assert custom == planted_truth(ent.org)["custom_rbac_roles"]
    for r in roles:
        assert set(r) == {"type", "id", "display_name", "source", "created_at", "updated_at"}
        BetaRBACRole.model_validate(r)
        assert ent.admin.get(f"{ROLES}/{r['id']}").json() == r
    missing = assert_error(ent.admin.get(f"{ROLES}/rbac_role_01other"), 404, "not_found_error")
    assert missing["error"]["details"] == {"error_code": "rbac_role_not_found"}
    path = f"{ROLES}/rbac_role_01other/permissions"
    assert_error(ent.admin.get(path), 404, "not_found_error")


def test_permissions_with_blanket_grants_as_single_rows(ent: Api) -> None:
    by_name = {r.display_name: r.id for r in ent.org.rbac.roles.values()}
    resource_types: set[str] = set()
    for role_id in ent.org.rbac.roles:
        rows, _ = walk(ent.admin, f"{ROLES}/{role_id}/permissions", 1)
        assert rows == walk(ent.admin, f"{ROLES}/{role_id}/permissions", 1000)[0]
        for row in rows:
            BetaRBACRolePermission.model_validate(row)
            resource_types.add(row["resource"]["type"])
            if row["resource"]["type"] == "organization":
                assert row["resource"]["organization_id"] == ent.org.id
    assert resource_types == {
        "organization", "connector_tool", "connector_scope", "connector", "all_connectors",
    }  # fmt: skip
    for name, action in (
        ("All features", "capability_access_all"),
        ("Generally available features", "capability_access_all_ga"),
    ):
        rows, _ = walk(ent.admin, f"{ROLES}/{by_name[name]}/permissions", 1000)
        assert [r["action"] for r in rows] == [action]
    rows, _ = walk(ent.admin, f"{ROLES}/{by_name['Member administrators']}/permissions", 1000)
    assert "permission_manage_members" in {r["action"] for r in rows}


def test_scim_groups_match_the_scim_rbac_groups(ent: Api) -> None:
    scim = httpx.Client(base_url=ent.rs.scim_url, headers=ent.rs.scim_headers(), timeout=10)
    with scim:
        body = scim.get("/Groups", params={"count": 100}).json()
    emails = {u.email.lower() for u in ent.org.users.values()}
    directory = {
        (g["displayName"], frozenset(m["display"].lower() for m in g.get("members", [])) & emails)
        for g in body["Resources"]
    }
    groups, _ = walk(ent.admin, GROUPS, 1000)
    surfaced = set()
    for g in groups:
        if g["source_type"] == "scim":
            members, _ = walk(ent.admin, f"{GROUPS}/{g['id']}/members", 1000)
            surfaced.add((g["name"], frozenset(m["email"].lower() for m in members)))
    assert len(surfaced) == body["totalResults"] == len(directory)
    assert surfaced == directory


def test_planted_truth_is_what_the_api_serves_and_what_was_planted(medium: Api) -> None:
    planted = medium.control.get("/_control/planted").json()
    for case in RBAC_CASES:
        assert planted[case] == sorted(set(medium.org.ledger.ids(case))), case
    assert set(medium.org.ledger.ids("duplicate_rbac_group_names")) == set(
        planted["duplicate_rbac_group_names"]
    )
    served: list[str] = []
    grants: list[str] = []
    for g in walk(medium.admin, GROUPS, 1000)[0]:
        grants += [f"{g['id']}/{r}" for r in g["role_ids"]]
        members, _ = walk(medium.admin, f"{GROUPS}/{g['id']}/members", 1000)
        served += [f"{g['id']}/{m['user_id']}" for m in members]
    assert sorted(served) == planted["rbac_group_members"]
    assert sorted(grants) == planted["rbac_group_roles"]
    assert planted["rbac_member_managers"]


def sdk_client(api: Api) -> anthropic.Anthropic:
    """The official client; it sends the key as a bearer, so the header the Admin API reads
    (x-api-key) is added."""
    key = api.rs.admin_key
    headers = {"x-api-key": key}
    return anthropic.Anthropic(
        api_key=key, base_url=api.rs.base_url, max_retries=0, default_headers=headers
    )


def test_the_sdk_client_pages_every_family_and_names_the_errors(ent: Api) -> None:
    org = ent.org.rbac
    with sdk_client(ent) as client:
        rbac = client.beta.organization
        assert [g.id for g in rbac.rbac_groups.list(limit=1)] == sorted(org.groups)
        for group in org.groups.values():
            listed = [m.user_id for m in rbac.rbac_groups.members.list(group.id, limit=2)]
            assert listed == [u for u in group.members if u in ent.org.users]
        assert [r.id for r in rbac.rbac_roles.list(limit=3)] == sorted(org.roles)
        for role in org.roles.values():
            rows = rbac.rbac_roles.permissions.list(role.id, limit=2)
            assert [p.action for p in rows] == [p.action for p in role.permissions]
        with pytest.raises(anthropic.NotFoundError) as missing:
            rbac.rbac_groups.retrieve("rbac_group_01nothing")
        assert missing.value.error_code == "rbac_group_not_found"


def test_the_sdk_client_on_a_console_org_gets_organization_type_not_supported(
    api: Api,
) -> None:
    with sdk_client(api) as client, pytest.raises(anthropic.BadRequestError) as refused:
        client.beta.organization.rbac_roles.retrieve("rbac_role_01any")
    assert refused.value.error_code == "organization_type_not_supported"


def test_managed_users_get_a_group() -> None:
    """People the seeded draws leave out of every group are put in one once they are managed."""
    org = generate(9, "small")
    grouped = {uid for g in org.rbac.groups.values() for uid in g.members}
    managed = [u for u in org.users.values() if u.id not in grouped and u.role == "user"]
    assert managed
    for user in managed:
        user.role = "managed"
    org.rbac = RbacState()
    generate_rbac(org, IdFactory(random.Random(0), org.id_counter))
    members = {uid for g in org.rbac.groups.values() for uid in g.members}
    assert {u.id for u in managed} <= members
