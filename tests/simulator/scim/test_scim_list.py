"""GET list: pagination, count limits, ListResponse envelope, projection, content type."""

from __future__ import annotations

import httpx
import pytest
from scim_fixtures import ENG, N_USERS, user_id

from anthropic_sim.state import Simulator

LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def walk(client: httpx.Client, endpoint: str, count: int) -> list[str]:
    ids: list[str] = []
    start = 1
    while True:
        body = client.get(endpoint, params={"startIndex": start, "count": count}).json()
        assert body["totalResults"] == N_USERS
        assert body["startIndex"] == start
        assert body["itemsPerPage"] == len(body["Resources"]) <= count
        if not body["Resources"]:
            return ids
        ids += [r["id"] for r in body["Resources"]]
        start += len(body["Resources"])


@pytest.mark.parametrize("count", [1, 2, 5, 7, 10, 22, 23, 100])
def test_pagination_returns_every_user_once(client: httpx.Client, count: int) -> None:
    ids = walk(client, "/Users", count)
    assert sorted(ids) == sorted(user_id(i) for i in range(N_USERS))
    assert len(ids) == len(set(ids))


def test_envelope_and_content_type(client: httpx.Client) -> None:
    response = client.get("/Users", params={"startIndex": 1, "count": 2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/scim+json"
    body = response.json()
    assert body["schemas"] == [LIST]
    assert set(body) == {"schemas", "totalResults", "startIndex", "itemsPerPage", "Resources"}
    first = body["Resources"][0]
    base = str(client.base_url).rstrip("/")
    assert first["meta"]["location"] == f"{base}/Users/{first['id']}"


def test_default_count_is_max_results(client: httpx.Client, sim: Simulator) -> None:
    sim.config.scim_max_results = 10
    body = client.get("/Users").json()
    assert body["itemsPerPage"] == 10 and body["totalResults"] == N_USERS


def test_count_over_max_is_clamped(client: httpx.Client, sim: Simulator) -> None:
    sim.config.scim_max_results = 5
    body = client.get("/Users", params={"count": 50}).json()
    assert body["itemsPerPage"] == 5


def test_count_over_max_is_too_many_when_configured(client: httpx.Client, sim: Simulator) -> None:
    sim.config.scim_max_results = 5
    sim.config.scim_overflow = "error"
    response = client.get("/Users", params={"count": 6})
    assert response.status_code == 400
    assert response.json()["scimType"] == "tooMany"
    assert response.json()["status"] == "400"
    assert client.get("/Users", params={"count": 5}).status_code == 200


def test_start_index_below_one_counts_as_one(client: httpx.Client) -> None:
    for start in (0, -5):
        body = client.get("/Users", params={"startIndex": start, "count": 3}).json()
        assert body["startIndex"] == 1
        assert body["Resources"][0]["id"] == user_id(0)


def test_count_zero_and_negative_return_only_total(client: httpx.Client) -> None:
    for count in (0, -3):
        body = client.get("/Users", params={"count": count}).json()
        assert body["totalResults"] == N_USERS
        assert body["itemsPerPage"] == 0 and body["Resources"] == []


def test_start_index_past_the_end_is_an_empty_page(client: httpx.Client) -> None:
    body = client.get("/Users", params={"startIndex": 500}).json()
    assert body["totalResults"] == N_USERS and body["Resources"] == []


def test_non_integer_count_is_invalid_value(client: httpx.Client) -> None:
    response = client.get("/Users", params={"count": "ten"})
    assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"


def test_okta_connection_test(client: httpx.Client) -> None:
    body = client.get("/Users", params={"startIndex": 1, "count": 2}).json()
    assert len(body["Resources"]) == 2
    groups = client.get("/Groups", params={"startIndex": 1, "count": 100}).json()
    assert groups["totalResults"] == 3


def test_groups_exclude_members(client: httpx.Client) -> None:
    body = client.get("/Groups", params={"excludedAttributes": "members"}).json()
    assert body["totalResults"] == 3
    for group in body["Resources"]:
        assert "members" not in group
        assert group["displayName"] and group["id"] and group["schemas"]


def test_attributes_projection(client: httpx.Client) -> None:
    body = client.get("/Users", params={"attributes": "userName,name.familyName", "count": 1})
    user = body.json()["Resources"][0]
    assert set(user) == {"schemas", "id", "userName", "name"}
    assert user["name"] == {"familyName": "Family00"}


def test_attributes_on_multi_valued_sub_attribute(client: httpx.Client) -> None:
    user = client.get(f"/Users/{user_id(1)}", params={"attributes": "emails.value"}).json()
    assert user["emails"] == [{"value": "User01@Example.com"}]
    assert set(user) == {"schemas", "id", "emails"}


def test_excluded_attributes_cannot_drop_id(client: httpx.Client) -> None:
    user = client.get(f"/Users/{user_id(1)}", params={"excludedAttributes": "id,emails"}).json()
    assert user["id"] == user_id(1) and "emails" not in user and "userName" in user


def test_user_groups_are_derived(client: httpx.Client) -> None:
    user = client.get(f"/Users/{user_id(1)}").json()
    assert [g["value"] for g in user["groups"]] == [ENG]
    assert user["groups"][0]["display"] == "Engineering"
    assert "groups" not in client.get(f"/Users/{user_id(20)}").json()


def test_search_endpoint(client: httpx.Client) -> None:
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'userName sw "user0"',
        "attributes": ["userName"],
        "startIndex": 1,
        "count": 4,
    }
    result = client.post("/Users/.search", json=body).json()
    assert result["totalResults"] == 10
    assert len(result["Resources"]) == 4
    assert set(result["Resources"][0]) == {"schemas", "id", "userName"}


def test_churn_hook_is_optional(client: httpx.Client) -> None:
    """Without anthropic_sim.faults (or with it), listing works."""
    assert client.get("/Groups").status_code == 200


@pytest.mark.parametrize("count", [1, 2, 7, 22, 23, 24, 100])
def test_root_search_without_filter_pages_through_users_then_groups(
    client: httpx.Client, count: int
) -> None:
    whole = client.post("/.search", json={"count": 100}).json()
    assert whole["totalResults"] == len(whole["Resources"]) > N_USERS  # users, then groups
    ids: list[str] = []
    start = 1
    while True:
        body = client.post("/.search", json={"startIndex": start, "count": count}).json()
        assert body["totalResults"] == whole["totalResults"]
        if not body["Resources"]:
            break
        ids += [r["id"] for r in body["Resources"]]
        start += len(body["Resources"])
    assert ids == [r["id"] for r in whole["Resources"]]
    assert ids[:N_USERS] == [r["id"] for r in client.get("/Users").json()["Resources"]]
