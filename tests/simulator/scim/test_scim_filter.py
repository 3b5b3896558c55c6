"""Filters, through the HTTP API and directly against the parser/evaluator."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from scim_fixtures import EMPTY, ENG, N_USERS, SALES, user_id

from anthropic_sim.scim.errors import ScimError
from anthropic_sim.scim.filter import parse_filter
from anthropic_sim.scim.schema import GROUP, USER


def ids(client: httpx.Client, endpoint: str, expression: str) -> list[str]:
    response = client.get(endpoint, params={"filter": expression})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["totalResults"] == len(body["Resources"])
    return [r["id"] for r in body["Resources"]]


def test_eq_user_name_is_case_insensitive(client: httpx.Client) -> None:
    assert ids(client, "/Users", 'userName eq "user03@example.COM"') == [user_id(3)]
    assert ids(client, "/Users", 'USERNAME EQ "User03@Example.com"') == [user_id(3)]


def test_external_id_is_case_exact(client: httpx.Client) -> None:
    assert ids(client, "/Users", 'externalId eq "00uOKTA04"') == [user_id(4)]
    assert ids(client, "/Users", 'externalId eq "00uokta04"') == []


def test_id_is_case_exact(client: httpx.Client) -> None:
    assert ids(client, "/Users", f'id eq "{user_id(2)}"') == [user_id(2)]
    assert ids(client, "/Users", f'id eq "{user_id(2).upper()}"') == []


def test_and_or_not_and_precedence(client: httpx.Client) -> None:
    expression = 'userName eq "user01@example.com" or userName eq "user02@example.com"'
    assert ids(client, "/Users", expression) == [user_id(1), user_id(2)]
    # and binds tighter than or
    expression = (
        'userName eq "user01@example.com" or userName eq "user02@example.com" and active eq false'
    )
    assert ids(client, "/Users", expression) == [user_id(1)]
    expression = (
        '(userName eq "user01@example.com" or userName eq "user07@example.com") and active eq false'
    )
    assert ids(client, "/Users", expression) == [user_id(7)]
    assert ids(client, "/Users", "not (active eq true)") == [user_id(7)]
    assert len(ids(client, "/Users", "not (active eq false)")) == N_USERS - 1


def test_present(client: httpx.Client) -> None:
    assert user_id(9) not in ids(client, "/Users", "emails pr")
    assert len(ids(client, "/Users", "emails pr")) == N_USERS - 1
    assert len(ids(client, "/Users", "title pr")) == 0
    assert ids(client, "/Groups", "members pr") == [ENG, SALES]


def test_co_sw_ew(client: httpx.Client) -> None:
    assert ids(client, "/Users", 'userName co "R22@"') == [user_id(22)]
    assert len(ids(client, "/Users", 'userName sw "user1"')) == 10
    assert len(ids(client, "/Users", 'emails.value ew "@EXAMPLE.com"')) == N_USERS - 1
    assert ids(client, "/Users", 'name.familyName eq "family05"') == [user_id(5)]


def test_display_name_on_groups(client: httpx.Client) -> None:
    assert ids(client, "/Groups", 'displayName eq "engineering"') == [ENG]
    assert ids(client, "/Groups", 'displayName eq "Nope"') == []
    assert ids(client, "/Groups", f'members.value eq "{user_id(6)}"') == [SALES]
    assert ids(client, "/Groups", f'members[value eq "{user_id(6)}"]') == [SALES]
    assert ids(client, "/Groups", 'externalId eq "ext-Empty"') == [EMPTY]


def test_meta_last_modified_is_compared_as_datetime(client: httpx.Client) -> None:
    everyone = ids(client, "/Users", 'meta.lastModified gt "2000-01-01T00:00:00Z"')
    assert len(everyone) == N_USERS
    # user i was created 100-i days before the epoch and modified (i % 5) days after that
    late = ids(client, "/Users", 'meta.lastModified ge "2025-10-26T12:00:00+00:00"')
    assert user_id(22) in late and user_id(0) not in late
    assert ids(client, "/Users", 'meta.lastModified gt "2030-01-01T00:00:00Z"') == []
    assert len(ids(client, "/Users", 'meta.created lt "2030-01-01T00:00:00.000Z"')) == N_USERS


def test_complex_value_filter(client: httpx.Client) -> None:
    expression = 'emails[type eq "work" and value co "user11@"]'
    assert ids(client, "/Users", expression) == [user_id(11)]
    assert ids(client, "/Users", 'emails[type eq "home"]') == []
    expression = 'emails[type eq "work"].value eq "user12@example.com"'  # Entra's matching
    assert ids(client, "/Users", expression) == [user_id(12)]


def test_urn_qualified_names(client: httpx.Client) -> None:
    expression = 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "user03@example.com"'
    assert ids(client, "/Users", expression) == [user_id(3)]
    expression = 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "given0"'
    assert len(ids(client, "/Users", expression)) == 10


def test_no_match_is_200_empty(client: httpx.Client) -> None:
    body = client.get("/Users", params={"filter": 'userName eq "nobody@x.com"'}).json()
    assert body["totalResults"] == 0 and body["Resources"] == []


@pytest.mark.parametrize(
    "expression",
    [
        'userName eq "unterminated',
        "userName eq",
        'userName zz "x"',
        'userName eq "a" and',
        '(userName eq "a"',
        'userName eq "a")',
        "userName eq bareword",
        'emails[type eq "work"',
        "active gt true",
        'userName eq "a" userName eq "b"',
        'meta.lastModified gt "yesterday"',
        'urn:unknown:schema:attr eq "x"',
        "",
    ],
)
def test_malformed_filter_is_invalid_filter(client: httpx.Client, expression: str) -> None:
    response = client.get("/Users", params={"filter": expression})
    assert response.status_code == 400, expression
    body = response.json()
    assert body["scimType"] == "invalidFilter"
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


# ---- the parser/evaluator directly


def match(expression: str, resource: dict[str, Any], kind: Any = USER) -> bool:
    return parse_filter(expression, kind).matches(resource, kind)


USER_DOC = {
    "id": "abc",
    "userName": "Ann@X.com",
    "active": True,
    "title": "Staff",
    "emails": [
        {"value": "ann@x.com", "type": "work", "primary": True},
        {"value": "ann@home.org", "type": "home"},
    ],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D"},
    "meta": {"lastModified": "2025-06-01T10:00:00Z", "version": 'W/"4"'},
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('title ne "staff"', False),
        ('title ne "boss"', True),
        ('nickName ne "x"', True),
        ("nickName eq null", True),
        ("title eq null", False),
        ('emails co "home.org"', True),
        ('emails[type eq "home" and primary eq true]', False),
        ('emails[type eq "work" and primary eq true]', True),
        ('emails[not (type eq "work")]', True),
        ('emails.primary eq "True"', True),
        ('title gt "A" and title lt "Z"', True),
        (
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d"',
            True,
        ),
        ('meta.version eq "w/\\"4\\""', False),
        ('meta.version eq "W/\\"4\\""', True),
        ('meta.lastModified lt "2025-06-01T11:30:00+01:00"', True),
        ('meta.lastModified eq "2025-06-01T10:00:00.000Z"', True),
        ('not title eq "Staff" or active eq true', True),
        ('unknownAttr eq "x"', False),
    ],
)
def test_evaluator(expression: str, expected: bool) -> None:
    assert match(expression, USER_DOC) is expected


def test_group_kind_uses_group_schema() -> None:
    group = {"id": "g", "displayName": "Eng", "members": [{"value": "U1"}]}
    assert match('members[value eq "U1"]', group, GROUP)
    assert not match('members[value eq "u1"]', group, GROUP)  # member ids are case-exact


def test_parser_errors_are_scim_errors() -> None:
    with pytest.raises(ScimError) as info:
        parse_filter('emails[type eq "work"] eq "x"', USER)
    assert info.value.status == 400 and info.value.scim_type == "invalidFilter"


def test_filter_on_derived_groups(client: httpx.Client) -> None:
    assert ids(client, "/Users", f'groups.value eq "{ENG}"') == [user_id(i) for i in range(5)]
    assert ids(client, "/Users", f'groups[value eq "{SALES}"]') == [user_id(i) for i in (5, 6, 7)]


def test_root_search_spans_users_and_groups(client: httpx.Client) -> None:
    body = {"filter": 'displayName sw "sales" or userName eq "user01@example.com"'}
    result = client.post("/.search", json=body).json()
    assert [r["id"] for r in result["Resources"]] == [user_id(1), SALES]
