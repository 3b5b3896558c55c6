"""GET one, POST, PUT, DELETE, ETags, content types, discovery, unsupported endpoints."""

from __future__ import annotations

import re

import httpx
import pytest
from scim_fixtures import ENG, GROUP_SCHEMA, USER_SCHEMA, user_id

from anthropic_sim.state import Simulator

NEW_USER = {
    "schemas": [USER_SCHEMA],
    "userName": "new.person@example.com",
    "externalId": "00uNEW",
    "name": {"givenName": "New", "familyName": "Person"},
    "emails": [{"value": "new.person@example.com", "type": "work", "primary": True}],
    "active": True,
    "password": "hunter2",
}


def test_get_one_is_bare_resource_with_etag(client: httpx.Client) -> None:
    response = client.get(f"/Users/{user_id(1)}")
    assert response.status_code == 200
    body = response.json()
    assert body["schemas"] == [USER_SCHEMA] and body["id"] == user_id(1)
    assert response.headers["etag"] == body["meta"]["version"] == 'W/"1"'
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{user_id(1)}")


def test_unknown_id_is_404_scim_error(client: httpx.Client) -> None:
    for path in ("/Users/directory_user_nope", "/Groups/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/scim+json"
        assert response.json() == {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": "404",
            "detail": response.json()["detail"],
        }


def test_post_user_201_location_and_etag(client: httpx.Client, sim: Simulator) -> None:
    response = client.post(
        "/Users", json=NEW_USER, headers={"Content-Type": "application/scim+json"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert re.fullmatch(r"directory_user_[0-9A-HJKMNP-TV-Z]{26}", body["id"])
    assert response.headers["location"] == body["meta"]["location"]
    assert response.headers["etag"] == body["meta"]["version"] == 'W/"1"'
    assert body["meta"]["created"] == body["meta"]["lastModified"] == "2026-01-15T12:00:00Z"
    assert "password" not in body
    assert body["name"] == {"givenName": "New", "familyName": "Person"}
    assert client.get(f"/Users/{body['id']}").json()["userName"] == "new.person@example.com"
    assert body["id"] in sim.org.scim_users


def test_post_duplicate_user_name_is_409(client: httpx.Client) -> None:
    duplicate = {**NEW_USER, "userName": "USER01@EXAMPLE.COM"}
    response = client.post("/Users", json=duplicate)
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness" and response.json()["status"] == "409"


def test_post_without_user_name_is_invalid_value(client: httpx.Client) -> None:
    body = {k: v for k, v in NEW_USER.items() if k != "userName"}
    response = client.post("/Users", json=body)
    assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"


def test_post_bad_json_and_bad_content_type(client: httpx.Client) -> None:
    response = client.post(
        "/Users", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["scimType"] == "invalidSyntax"
    response = client.post("/Users", content=b"userName=x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_post_group_with_members(client: httpx.Client) -> None:
    group = {
        "schemas": [GROUP_SCHEMA],
        "displayName": "Pushed",
        "externalId": "okta-grp",
        "members": [{"value": user_id(3)}],
    }
    response = client.post("/Groups", json=group)
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("directory_group_")
    assert body["members"] == [
        {"value": user_id(3), "display": "User03@Example.com", "type": "User"}
    ]
    missing = client.post("/Groups", json={"schemas": [GROUP_SCHEMA]})
    assert missing.status_code == 400 and missing.json()["scimType"] == "invalidValue"


def test_put_replaces_and_keeps_read_only(client: httpx.Client, sim: Simulator) -> None:
    uid = user_id(4)
    before = client.get(f"/Users/{uid}").json()
    replacement = {
        "schemas": [USER_SCHEMA],
        "id": uid,
        "userName": "renamed@example.com",
        "active": True,
        "meta": {"version": 'W/"99"', "created": "1999-01-01T00:00:00Z"},
    }
    response = client.put(f"/Users/{uid}", json=replacement)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["userName"] == "renamed@example.com"
    assert "name" not in body and "emails" not in body and "externalId" not in body  # cleared
    assert body["meta"]["created"] == before["meta"]["created"]
    assert body["meta"]["version"] == 'W/"2"' == response.headers["etag"]
    assert body["groups"][0]["value"] == ENG  # derived, not cleared


def test_put_with_other_id_is_mutability(client: httpx.Client) -> None:
    body = {"schemas": [USER_SCHEMA], "id": user_id(5), "userName": "a@b.c"}
    response = client.put(f"/Users/{user_id(4)}", json=body)
    assert response.status_code == 400 and response.json()["scimType"] == "mutability"


def test_delete_then_404_and_membership_gone(client: httpx.Client, sim: Simulator) -> None:
    assert client.delete(f"/Users/{user_id(1)}").status_code == 204
    assert client.get(f"/Users/{user_id(1)}").status_code == 404
    assert client.delete(f"/Users/{user_id(1)}").status_code == 404
    group = client.get(f"/Groups/{ENG}").json()
    assert user_id(1) not in [m["value"] for m in group["members"]]
    assert group["meta"]["version"] == 'W/"4"'
    assert client.delete(f"/Groups/{ENG}").status_code == 204
    assert client.get(f"/Groups/{ENG}").status_code == 404
    assert "groups" not in client.get(f"/Users/{user_id(2)}").json()


def test_if_match(client: httpx.Client) -> None:
    uid = user_id(2)
    ops = {"Operations": [{"op": "replace", "path": "title", "value": "A"}]}
    stale = {"If-Match": 'W/"0"'}
    assert client.patch(f"/Users/{uid}", json=ops, headers=stale).status_code == 412
    response = client.patch(f"/Users/{uid}", json=ops, headers={"If-Match": 'W/"1"'})
    assert response.status_code == 200 and response.headers["etag"] == 'W/"2"'
    put = {"schemas": [USER_SCHEMA], "userName": "User02@Example.com"}
    assert client.put(f"/Users/{uid}", json=put, headers={"If-Match": 'W/"1"'}).status_code == 412
    assert client.delete(f"/Users/{uid}", headers={"If-Match": 'W/"1"'}).status_code == 412
    assert client.put(f"/Users/{uid}", json=put, headers={"If-Match": "*"}).status_code == 200
    assert client.delete(f"/Users/{uid}", headers={"If-Match": '"3"'}).status_code == 204


def test_if_none_match(client: httpx.Client) -> None:
    uid = user_id(2)
    response = client.get(f"/Users/{uid}", headers={"If-None-Match": 'W/"1"'})
    assert response.status_code == 304 and response.content == b""
    assert response.headers["etag"] == 'W/"1"'
    assert client.get(f"/Users/{uid}", headers={"If-None-Match": 'W/"0"'}).status_code == 200


def test_application_json_accepted(client: httpx.Client) -> None:
    ops = {"Operations": [{"op": "replace", "path": "title", "value": "A"}]}
    for media in ("application/json", "application/scim+json", "application/json; charset=utf-8"):
        response = client.patch(
            f"/Users/{user_id(2)}",
            content=httpx.Request("PATCH", "http://x", json=ops).content,
            headers={"Content-Type": media},
        )
        assert response.status_code == 200, media
        assert response.headers["content-type"] == "application/scim+json"


@pytest.mark.parametrize("path", ["/Me", "/Bulk"])
def test_me_and_bulk_are_not_implemented(client: httpx.Client, path: str) -> None:
    response = client.request("POST" if path == "/Bulk" else "GET", path)
    assert response.status_code == 501 and response.json()["status"] == "501"


def test_unknown_endpoint_and_method(client: httpx.Client) -> None:
    assert client.get("/Devices").status_code == 404
    response = client.delete("/Users")
    assert response.status_code == 405 and response.json()["status"] == "405"


def test_service_provider_config(client: httpx.Client, sim: Simulator) -> None:
    sim.config.scim_max_results = 50
    body = client.get("/ServiceProviderConfig").json()
    assert body["patch"]["supported"] is True
    assert body["bulk"]["supported"] is False
    assert body["filter"] == {"supported": True, "maxResults": 50}
    assert body["etag"]["supported"] is True and body["sort"]["supported"] is False
    assert body["changePassword"]["supported"] is False
    assert body["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_resource_types_and_schemas(client: httpx.Client) -> None:
    types = client.get("/ResourceTypes").json()
    assert {t["id"] for t in types["Resources"]} == {"User", "Group"}
    user_type = client.get("/ResourceTypes/User").json()
    assert user_type["endpoint"] == "/Users" and user_type["schema"] == USER_SCHEMA
    assert client.get("/ResourceTypes/Device").status_code == 404
    schemas = client.get("/Schemas").json()
    assert schemas["totalResults"] == 3
    user_schema = client.get(f"/Schemas/{USER_SCHEMA}").json()
    by_name = {a["name"]: a for a in user_schema["attributes"]}
    assert by_name["userName"]["uniqueness"] == "server" and by_name["userName"]["required"]
    assert by_name["userName"]["caseExact"] is False
    assert by_name["password"]["returned"] == "never"
    assert by_name["groups"]["mutability"] == "readOnly"
    assert client.get("/Schemas/urn:nope").status_code == 404
