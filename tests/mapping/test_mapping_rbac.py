"""Enterprise groups, roles and permissions as rows: the rules the oracle cannot see."""

from __future__ import annotations

from ingest.extract.models import RbacGroup, RbacRolePermission
from ingest.mapping.rbac import (
    SURFACES_AS,
    is_privileged_permission,
    map_rbac_groups,
    map_scim_rbac_groups,
)


def _group(gid: str, name: str, source: str = "scim") -> RbacGroup:
    return RbacGroup(id=gid, name=name, source_type=source, role_ids=[])


def test_a_scim_group_joins_only_the_one_scim_sourced_group_of_its_name() -> None:
    groups = [
        _group("g1", "Engineering"),
        _group("g2", "Sales"),
        _group("g3", "Sales"),
        _group("g4", "Engineering", source="direct"),  # a direct group's name never joins
    ]
    rows, issues = map_scim_rbac_groups(
        "org", [("s1", "Engineering"), ("s2", "Sales"), ("s3", "Legal")], groups
    )
    joined = {(r["start"], r["end"]) for r in rows.rels[SURFACES_AS]}
    assert joined == {("org/s1", "g1")}
    assert {(i.record_id, i.problem.split(":")[0]) for i in issues} == {
        ("s2", "2 SCIM-sourced groups are named 'Sales'"),
        ("s3", "surfaces as no SCIM-sourced group of the same name"),
    }


def test_privileged_permissions_manage_members_or_roles_and_viewing_does_not() -> None:
    def permission(action: str) -> RbacRolePermission:
        return RbacRolePermission(rbac_role_id="r", action=action)

    assert is_privileged_permission(permission("permission_manage_members"))
    assert not is_privileged_permission(permission("permission_view_members"))
    assert not is_privileged_permission(permission("capability_access_all"))
    assert not is_privileged_permission(permission("chat"))


def test_a_group_whose_role_data_is_unavailable_grants_no_role() -> None:
    rows = map_rbac_groups("org", [RbacGroup(id="g", name="n", source_type="direct")])
    assert sum(len(v) for t, v in rows.rels.items() if t.type == "HAS_ROLE") == 0
