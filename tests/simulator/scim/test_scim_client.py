"""An independent client, the official `scim2-client`, reads and writes the simulator over HTTP.

scim2-client 0.13 ships its network engine on `httpx2`, which is not installed here; the
engine is a thin shell (`request` + `_parse_json`), so this file declares the same shell
over `httpx`. Everything else (discovery, validation of every payload against the
published schemas, pagination, ETags) is the library's own code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from scim2_client.client import BaseSyncSCIMClient
from scim2_models import (
    EnterpriseUser,
    Error,
    Group,
    ListResponse,
    ResourceType,
    ScimProvider,
    SearchRequest,
    User,
)
from scim2_models.base import Context
from scim_fixtures import ENG, N_USERS, SCIM_TOKEN, user_id

from anthropic_sim.state import Simulator


class HttpxSCIMClient(BaseSyncSCIMClient):
    """scim2-client's SyncSCIMClient, on httpx instead of httpx2."""

    def __init__(self, client: httpx.Client, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client = client

    def _parse_json(self, response: Any) -> Any:
        return response.json()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, url, **kwargs)


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {SCIM_TOKEN}"}
    with httpx.Client(base_url=base_url + "/", headers=headers, timeout=10) as client:
        yield client


@pytest.fixture
def discovered(http: httpx.Client) -> HttpxSCIMClient:
    """A client that learns everything (schemas, resource types, config) from the server."""
    scim = HttpxSCIMClient(http)
    scim.discover()
    return scim


@pytest.fixture
def typed(http: httpx.Client) -> HttpxSCIMClient:
    """A client with scim2-models' own User[EnterpriseUser] and Group models."""
    provider = ScimProvider(
        models=[User, EnterpriseUser, Group],
        resource_types=[
            ResourceType.from_resource(User[EnterpriseUser]),
            ResourceType.from_resource(Group),
        ],
    )
    scim = HttpxSCIMClient(http, provider=provider)
    scim.discover()
    return scim


def test_discovery(discovered: HttpxSCIMClient) -> None:
    config = discovered.provider.config
    assert config is not None
    assert config.patch.supported and not config.bulk.supported
    assert config.filter.max_results == 100
    assert config.etag.supported
    assert {rt.name for rt in discovered.provider.resource_types} == {"User", "Group"}
    assert discovered.get_resource_model("User") is not None


def test_discovered_models_read_users_and_groups(discovered: HttpxSCIMClient) -> None:
    user_model = discovered.get_resource_model("User")
    group_model = discovered.get_resource_model("Group")
    assert user_model is not None and group_model is not None
    users = discovered.query(user_model, query_parameters={"count": 100})
    assert isinstance(users, ListResponse)
    assert users.total_results == N_USERS and len(users.resources or []) == N_USERS
    groups = discovered.query(group_model)
    assert isinstance(groups, ListResponse) and groups.total_results == 3


def page_all(scim: HttpxSCIMClient, model: Any, count: int) -> list[Any]:
    seen: dict[str, Any] = {}
    start = 1
    while True:
        page = scim.query(model, query_parameters={"startIndex": start, "count": count})
        assert isinstance(page, ListResponse)
        resources = page.resources or []
        if not resources:
            return list(seen.values())
        for resource in resources:
            assert resource.id not in seen
            seen[resource.id] = resource
        start += len(resources)


def test_paginated_query(typed: HttpxSCIMClient) -> None:
    users = page_all(typed, User[EnterpriseUser], 4)
    assert sorted(u.id for u in users) == sorted(user_id(i) for i in range(N_USERS))
    by_id = {u.id: u for u in users}
    one = by_id[user_id(1)]
    assert one.user_name == "User01@Example.com"
    assert one.emails[0].value.lower() == "user01@example.com"  # the model folds domains
    assert one.name.family_name == "Family01"
    assert one.meta.version == 'W/"1"'
    assert [g.value for g in one.groups] == [ENG]
    assert by_id[user_id(7)].active is False
    groups = page_all(typed, Group, 2)
    assert {g.display_name for g in groups} == {"Engineering", "Sales", "Empty"}


def test_filter_and_get_by_id(typed: HttpxSCIMClient) -> None:
    found = typed.query(
        User[EnterpriseUser], query_parameters={"filter": 'userName eq "user02@example.com"'}
    )
    assert isinstance(found, ListResponse) and found.total_results == 1
    user = typed.query(User[EnterpriseUser], user_id(2))
    assert isinstance(user, User) and user.id == user_id(2)
    group = typed.query(Group, ENG, query_parameters={"excludedAttributes": "members"})
    assert isinstance(group, Group) and group.display_name == "Engineering" and not group.members
    searched = typed.search(SearchRequest(filter='displayName eq "sales"'))
    assert isinstance(searched, ListResponse) and searched.total_results == 1


def test_conditional_get_returns_the_same_object(typed: HttpxSCIMClient) -> None:
    user = typed.query(User[EnterpriseUser], user_id(3))
    assert isinstance(user, User)
    again = typed.query(user)  # If-None-Match with meta.version → 304 → same object
    assert again is user


def test_create_replace_delete(typed: HttpxSCIMClient, sim: Simulator) -> None:
    model = User[EnterpriseUser]
    new = model(
        user_name="client.made@example.com",
        external_id="00uCLIENT",
        display_name="Client Made",
        active=True,
        emails=[User.Emails(value="client.made@example.com", type="work", primary=True)],
    )
    new[EnterpriseUser] = EnterpriseUser(department="QA")
    created = typed.create(new)
    assert isinstance(created, User) and created.id.startswith("directory_user_")
    assert created[EnterpriseUser].department == "QA"
    assert created.meta.location.endswith(f"/Users/{created.id}")

    created.display_name = "Client Renamed"
    replaced = typed.replace(created)  # sends If-Match with the version it read
    assert isinstance(replaced, User)
    assert replaced.display_name == "Client Renamed" and replaced.meta.version == 'W/"2"'
    assert sim.org.scim_users[created.id]["displayName"] == "Client Renamed"

    stale = created  # still carries W/"1"
    refused = typed.replace(stale, raise_scim_errors=False)
    assert isinstance(refused, Error) and refused.status == 412  # If-Match: W/"1" is stale

    duplicate = typed.create(model(user_name="CLIENT.MADE@example.com"), raise_scim_errors=False)
    assert isinstance(duplicate, Error) and duplicate.status == 409

    typed.delete(replaced)
    assert created.id not in sim.org.scim_users
    missing = typed.query(model, created.id, raise_scim_errors=False)
    assert isinstance(missing, Error) and missing.status == 404


def test_error_bodies_validate(typed: HttpxSCIMClient) -> None:
    error = typed.query(
        User[EnterpriseUser],
        query_parameters={"filter": "userName eq"},
        check_request_payload=False,  # the library would refuse the filter before sending it
        raise_scim_errors=False,
    )
    assert isinstance(error, Error) and error.status == 400 and error.scim_type == "invalidFilter"


def test_payloads_validate_in_response_context(http: httpx.Client) -> None:
    """Every user page validates as a ListResponse[User[EnterpriseUser]] in response context."""
    body = http.get("Users", params={"count": 100}).json()
    parsed = ListResponse[User[EnterpriseUser]].model_validate(
        body, scim_ctx=Context.RESOURCE_QUERY_RESPONSE
    )
    assert parsed.total_results == N_USERS
