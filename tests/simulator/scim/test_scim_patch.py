"""PATCH: every shape Okta and Entra send (reference §2.8, Part 3), atomicity, strict mode."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from scim_fixtures import EMPTY, ENG, SALES, user_id

from anthropic_sim.scim.errors import ScimError
from anthropic_sim.scim.patch import MONO_VALUED_DETAIL, apply_patch
from anthropic_sim.scim.schema import GROUP, USER
from anthropic_sim.state import Simulator

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def patch(
    client: httpx.Client, path: str, operations: list[dict[str, Any]], key: str = "Operations"
) -> httpx.Response:
    return client.patch(path, json={"schemas": [PATCH], key: operations})


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/scim+json"
    return response.json()


def error(response: httpx.Response, scim_type: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["scimType"] == scim_type and body["status"] == "400"
    return body


def member_ids(client: httpx.Client, gid: str) -> list[str]:
    return [m["value"] for m in client.get(f"/Groups/{gid}").json().get("members", [])]


# ---- users


def test_deactivate_rfc_style(client: httpx.Client) -> None:
    body = ok(
        patch(client, f"/Users/{user_id(3)}", [{"op": "replace", "path": "active", "value": False}])
    )
    assert body["active"] is False and body["meta"]["version"] == 'W/"2"'


def test_deactivate_okta_no_path(client: httpx.Client) -> None:
    body = ok(
        patch(client, f"/Users/{user_id(3)}", [{"op": "replace", "value": {"active": False}}])
    )
    assert body["active"] is False
    body = ok(patch(client, f"/Users/{user_id(3)}", [{"op": "replace", "value": {"active": True}}]))
    assert body["active"] is True


def test_entra_capitalised_ops_and_string_booleans(client: httpx.Client) -> None:
    operations = [{"op": "Replace", "path": "active", "value": "False"}]
    assert ok(patch(client, f"/Users/{user_id(4)}", operations))["active"] is False
    operations = [{"op": "Replace", "path": "active", "value": "True"}]
    assert ok(patch(client, f"/Users/{user_id(4)}", operations))["active"] is True


def test_operations_key_is_case_insensitive(client: httpx.Client) -> None:
    ops = [{"OP": "replace", "Path": "displayName", "Value": "X"}]
    assert ok(patch(client, f"/Users/{user_id(4)}", ops, key="operations"))["displayName"] == "X"


def test_replace_sub_attribute_and_attribute_names_case_insensitive(client: httpx.Client) -> None:
    ops = [
        {"op": "replace", "path": "name.givenName", "value": "Ann"},
        {"op": "add", "path": "NAME.FAMILYNAME", "value": "Lee"},
        {"op": "replace", "path": "title", "value": "Engineer"},
    ]
    body = ok(patch(client, f"/Users/{user_id(5)}", ops))
    assert body["name"]["givenName"] == "Ann" and body["name"]["familyName"] == "Lee"
    assert body["name"]["formatted"] == "Given05 Family05"  # other sub-attributes kept
    assert body["title"] == "Engineer"


def test_entra_work_email_created_when_missing(client: httpx.Client) -> None:
    uid = user_id(9)  # has no emails at all
    ops = [{"op": "Add", "path": 'emails[type eq "work"].value', "value": "new@example.com"}]
    body = ok(patch(client, f"/Users/{uid}", ops))
    assert body["emails"] == [{"type": "work", "value": "new@example.com", "primary": True}]
    ops = [{"op": "Replace", "path": 'emails[type eq "work"].value', "value": "newer@example.com"}]
    body = ok(patch(client, f"/Users/{uid}", ops))
    assert [e["value"] for e in body["emails"]] == ["newer@example.com"]


def test_entra_work_email_replace_on_existing(client: httpx.Client) -> None:
    ops = [{"op": "Replace", "path": 'emails[type eq "work"].value', "value": "x@example.com"}]
    body = ok(patch(client, f"/Users/{user_id(2)}", ops))
    assert body["emails"] == [{"value": "x@example.com", "type": "work", "primary": True}]


def test_add_email_appends_without_duplicates(client: httpx.Client) -> None:
    home = {"value": "me@home.org", "type": "home"}
    ops = [{"op": "add", "path": "emails", "value": [home]}]
    body = ok(patch(client, f"/Users/{user_id(2)}", ops))
    body = ok(patch(client, f"/Users/{user_id(2)}", ops))
    assert len(body["emails"]) == 2


def test_no_path_value_with_dotted_and_urn_keys(client: httpx.Client) -> None:
    ops = [
        {
            "op": "replace",
            "value": {
                "name.givenName": "Zed",
                f"{ENTERPRISE}:department": "Sales",
                ENTERPRISE: {"costCenter": "42"},
            },
        }
    ]
    body = ok(patch(client, f"/Users/{user_id(6)}", ops))
    assert body["name"]["givenName"] == "Zed"
    assert body[ENTERPRISE] == {"department": "Sales", "costCenter": "42"}
    assert ENTERPRISE in body["schemas"]


def test_enterprise_manager(client: httpx.Client) -> None:
    ops = [{"op": "add", "path": f"{ENTERPRISE}:manager", "value": {"value": user_id(1)}}]
    body = ok(patch(client, f"/Users/{user_id(6)}", ops))
    assert body[ENTERPRISE]["manager"] == {"value": user_id(1)}
    ops = [{"op": "remove", "path": f"{ENTERPRISE}:manager"}]
    assert "manager" not in ok(patch(client, f"/Users/{user_id(6)}", ops)).get(ENTERPRISE, {})


def test_remove_attribute(client: httpx.Client) -> None:
    body = ok(patch(client, f"/Users/{user_id(2)}", [{"op": "remove", "path": "displayName"}]))
    assert "displayName" not in body
    # removing what is not there is an idempotent success
    ok(patch(client, f"/Users/{user_id(2)}", [{"op": "remove", "path": "displayName"}]))
    ok(patch(client, f"/Users/{user_id(2)}", [{"op": "remove", "path": 'emails[type eq "x"]'}]))


def test_remove_without_path_is_no_target(client: httpx.Client) -> None:
    error(patch(client, f"/Users/{user_id(2)}", [{"op": "remove"}]), "noTarget")


def test_replace_filter_matching_nothing_is_no_target(client: httpx.Client) -> None:
    ops = [{"op": "replace", "path": 'emails[type eq "home"]', "value": {"value": "a@b.c"}}]
    error(patch(client, f"/Users/{user_id(2)}", ops), "noTarget")


@pytest.mark.parametrize(
    ("operation", "scim_type"),
    [
        ({"op": "replace", "path": "id", "value": "other"}, "mutability"),
        ({"op": "replace", "path": "meta.version", "value": 'W/"9"'}, "mutability"),
        ({"op": "add", "path": "groups", "value": [{"value": ENG}]}, "mutability"),
        ({"op": "replace", "path": "nosuchattr", "value": "x"}, "invalidPath"),
        ({"op": "replace", "path": "name.nosuch", "value": "x"}, "invalidPath"),
        ({"op": "replace", "path": "emails[type eq", "value": "x"}, "invalidPath"),
        ({"op": "replace", "path": 'emails[type zz "x"]', "value": "x"}, "invalidFilter"),
        ({"op": "jump", "path": "title", "value": "x"}, "invalidSyntax"),
        ({"op": "replace", "path": "active", "value": "maybe"}, "invalidValue"),
        ({"op": "replace", "value": "not-an-object"}, "invalidSyntax"),
        ({"op": "remove", "path": "userName"}, "invalidValue"),
    ],
)
def test_patch_errors(client: httpx.Client, operation: dict[str, Any], scim_type: str) -> None:
    error(patch(client, f"/Users/{user_id(2)}", [operation]), scim_type)


def test_patch_unknown_id_is_404(client: httpx.Client) -> None:
    response = patch(client, "/Users/directory_user_nope", [{"op": "remove", "path": "title"}])
    assert response.status_code == 404 and response.json()["status"] == "404"


def test_atomic_when_a_later_operation_fails(client: httpx.Client, sim: Simulator) -> None:
    uid = user_id(2)
    before = copy.deepcopy(sim.org.scim_users[uid])
    ops = [
        {"op": "replace", "path": "active", "value": False},
        {"op": "replace", "path": "displayName", "value": "Changed"},
        {"op": "replace", "path": "id", "value": "boom"},
    ]
    error(patch(client, f"/Users/{uid}", ops), "mutability")
    assert sim.org.scim_users[uid] == before
    assert client.get(f"/Users/{uid}").json()["displayName"] == before["displayName"]
    assert sim.org.user_by_email(before["userName"]) is not None  # not deprovisioned


def test_user_name_uniqueness_on_patch(client: httpx.Client) -> None:
    ops = [{"op": "replace", "path": "userName", "value": "USER01@example.com"}]
    response = patch(client, f"/Users/{user_id(2)}", ops)
    assert response.status_code == 409 and response.json()["scimType"] == "uniqueness"


def test_unchanged_patch_keeps_version(client: httpx.Client) -> None:
    ops = [{"op": "replace", "path": "active", "value": True}]
    assert ok(patch(client, f"/Users/{user_id(2)}", ops))["meta"]["version"] == 'W/"1"'


# ---- groups


def test_add_members_without_duplicates(client: httpx.Client) -> None:
    ops = [
        {"op": "add", "path": "members", "value": [{"value": user_id(10)}, {"value": user_id(0)}]}
    ]
    body = ok(patch(client, f"/Groups/{ENG}", ops))
    values = [m["value"] for m in body["members"]]
    assert values.count(user_id(0)) == 1 and values[-1] == user_id(10)
    added = body["members"][-1]
    assert added == {"value": user_id(10), "display": "User10@Example.com", "type": "User"}


def test_remove_member_by_filter_okta(client: httpx.Client) -> None:
    ops = [{"op": "remove", "path": f'members[value eq "{user_id(1)}"]'}]
    ok(patch(client, f"/Groups/{ENG}", ops))
    assert member_ids(client, ENG) == [user_id(0), user_id(2), user_id(3), user_id(4)]


def test_remove_member_by_value_list_entra(client: httpx.Client) -> None:
    ops = [
        {"op": "Remove", "path": "members", "value": [{"value": user_id(2)}, {"value": user_id(3)}]}
    ]
    ok(patch(client, f"/Groups/{ENG}", ops))
    assert member_ids(client, ENG) == [user_id(0), user_id(1), user_id(4)]


def test_remove_all_members(client: httpx.Client) -> None:
    body = ok(patch(client, f"/Groups/{SALES}", [{"op": "remove", "path": "members"}]))
    assert body["members"] == []


def test_replace_all_members(client: httpx.Client) -> None:
    ops = [
        {
            "op": "replace",
            "path": "members",
            "value": [{"value": user_id(20)}, {"value": user_id(21)}],
        }
    ]
    ok(patch(client, f"/Groups/{SALES}", ops))
    assert member_ids(client, SALES) == [user_id(20), user_id(21)]


def test_rename_group_okta(client: httpx.Client) -> None:
    ops = [{"op": "replace", "value": {"id": SALES, "displayName": "Revenue"}}]
    body = ok(patch(client, f"/Groups/{SALES}", ops))
    assert body["displayName"] == "Revenue" and body["id"] == SALES
    assert client.get(f"/Users/{user_id(6)}").json()["groups"][0]["display"] == "Revenue"


def test_entra_group_patch_sequence(client: httpx.Client) -> None:
    ops = [
        {"op": "Replace", "path": "displayName", "value": "Everyone"},
        {"op": "Add", "path": "members", "value": [{"value": user_id(11)}]},
        {"op": "Remove", "path": "members", "value": [{"value": user_id(0)}]},
    ]
    body = ok(patch(client, f"/Groups/{ENG}", ops))
    assert body["displayName"] == "Everyone"
    assert [m["value"] for m in body["members"]] == [user_id(i) for i in (1, 2, 3, 4, 11)]


def test_add_unknown_member_is_invalid_value(client: httpx.Client, sim: Simulator) -> None:
    ops = [{"op": "add", "path": "members", "value": [{"value": "directory_user_ghost"}]}]
    error(patch(client, f"/Groups/{EMPTY}", ops), "invalidValue")
    assert sim.org.scim_groups[EMPTY]["members"] == []


def test_group_members_excluded_on_patch_response(client: httpx.Client) -> None:
    ops = [{"op": "add", "path": "members", "value": [{"value": user_id(1)}]}]
    response = client.patch(
        f"/Groups/{EMPTY}",
        params={"excludedAttributes": "members"},
        json={"schemas": [PATCH], "Operations": ops},
    )
    assert "members" not in ok(response)
    assert member_ids(client, EMPTY) == [user_id(1)]


# ---- strict mode


def test_strict_mode_rejects_filter_on_mono_valued(client: httpx.Client, sim: Simulator) -> None:
    ops = [{"op": "replace", "path": 'name[givenName eq "Given02"].familyName', "value": "X"}]
    lenient = ok(patch(client, f"/Users/{user_id(2)}", ops))
    assert lenient["name"]["familyName"] == "X"
    sim.config.scim_strict_patch = True
    body = error(patch(client, f"/Users/{user_id(3)}", ops), "invalidSyntax")
    assert body["detail"] == MONO_VALUED_DETAIL
    ops = [{"op": "replace", "path": 'active[value eq "x"]', "value": False}]
    assert error(patch(client, f"/Users/{user_id(3)}", ops), "invalidSyntax")["detail"] == (
        MONO_VALUED_DETAIL
    )


def test_strict_mode_still_accepts_the_usual_shapes(client: httpx.Client, sim: Simulator) -> None:
    sim.config.scim_strict_patch = True
    ok(patch(client, f"/Users/{user_id(2)}", [{"op": "replace", "value": {"active": False}}]))
    ops = [{"op": "remove", "path": f'members[value eq "{user_id(1)}"]'}]
    ok(patch(client, f"/Groups/{ENG}", ops))


# ---- the patch function directly


def test_apply_patch_never_mutates_its_input() -> None:
    resource = {
        "schemas": [],
        "id": "u",
        "userName": "a",
        "emails": [{"value": "a", "type": "work"}],
    }
    original = copy.deepcopy(resource)
    ops = [{"op": "replace", "path": 'emails[type eq "work"].value', "value": "b"}]
    result = apply_patch(resource, {"Operations": ops}, USER)
    assert resource == original and result["emails"][0]["value"] == "b"
    with pytest.raises(ScimError):
        apply_patch(resource, {"Operations": [*ops, {"op": "remove"}]}, USER)
    assert resource == original


def test_apply_patch_filter_with_non_eq_cannot_create() -> None:
    group = {"id": "g", "displayName": "G", "members": []}
    ops = [{"op": "add", "path": 'members[value co "x"].display', "value": "y"}]
    with pytest.raises(ScimError) as info:
        apply_patch(group, {"Operations": ops}, GROUP)
    assert info.value.scim_type == "noTarget"
