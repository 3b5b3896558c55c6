"""Every Admin endpoint the pipeline reads, validated against Anthropic's own SDK types.

The official `anthropic` SDK is generated from Anthropic's API spec, so its response models
are the published shape. Each row names an endpoint and the SDK's record and page types; every
page of the simulator's answer is validated strictly (missing required fields, wrong types and
unknown enum values fail) and the pages are followed by the SDK's own paging rule. Fields the
SDK does not declare fail too unless the reference documents them for that endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from anthropic._models import FinalRequestOptions
from anthropic.pagination import SyncPage, SyncPageCursor
from anthropic.types.beta import BetaOrganization
from anthropic.types.beta.organization import (
    BetaAPIKey,
    BetaOrganizationInvite,
    BetaOrganizationUser,
    BetaRBACGroup,
    BetaRBACRole,
    BetaServiceAccount,
    BetaServiceAccountWorkspaceMember,
    BetaWorkspace,
    BetaWorkspaceMember,
)
from anthropic.types.beta.organization.federation import (
    BetaFederationIssuer,
    BetaFederationRule,
    BetaFederationRuleWorkspace,
)
from anthropic.types.beta.organization.rbac_groups import BetaRBACGroupMember
from anthropic.types.beta.organization.rbac_roles import BetaRBACRolePermission
from pydantic import BaseModel, ValidationError
from sim_helpers import Api

ID_CURSOR = SyncPage  # limit + after_id/before_id; first_id, last_id, has_more
PAGE_TOKEN = SyncPageCursor  # limit + page; next_page
# The reference (Admin API, pagination B) documents `has_more` on page-token answers too.
DOCUMENTED_PAGE_EXTRAS = {ID_CURSOR: set(), PAGE_TOKEN: {"has_more"}}


@dataclass(frozen=True)
class Endpoint:
    """One list (or object) endpoint and the SDK types its answer must satisfy."""

    name: str
    path: str  # `{parent}` is filled with each id the `parent` endpoint lists
    model: type[BaseModel]
    page: type[Any] | None = ID_CURSOR  # None: a single object, not a list
    params: dict[str, Any] = field(default_factory=dict)
    oauth: bool = False
    parent: str | None = None
    # Fields the reference documents but the SDK does not declare (dotted paths).
    documented_extras: frozenset[str] = frozenset()


CONSOLE = [
    Endpoint("organization", "/v1/organizations/me", BetaOrganization, page=None),
    Endpoint("users", "/v1/organizations/users", BetaOrganizationUser),
    Endpoint("invites", "/v1/organizations/invites", BetaOrganizationInvite),
    Endpoint(
        "workspaces",
        "/v1/organizations/workspaces",
        BetaWorkspace,
        params={"include_archived": "true", "include_default": "true"},
    ),
    Endpoint(
        "workspace_members",
        "/v1/organizations/workspaces/{parent}/members",
        BetaWorkspaceMember,
        parent="workspaces",
    ),
    # the deprecated `workspace_id` (reference: "emit both scope and the deprecated
    # workspace_id"; absent from the SDK)
    Endpoint(
        "api_keys",
        "/v1/organizations/api_keys",
        BetaAPIKey,
        documented_extras=frozenset({"workspace_id"}),
    ),
    Endpoint(
        "service_accounts",
        "/v1/organizations/service_accounts",
        BetaServiceAccount,
        page=PAGE_TOKEN,
        params={"include_archived": "true"},
        oauth=True,
    ),
    Endpoint(
        "service_account_memberships",
        "/v1/organizations/service_accounts/{parent}/workspaces",
        BetaServiceAccountWorkspaceMember,
        page=PAGE_TOKEN,
        oauth=True,
        parent="service_accounts",
    ),
    Endpoint(
        "federation_issuers",
        "/v1/organizations/federation_issuers",
        BetaFederationIssuer,
        page=PAGE_TOKEN,
        params={"include_archived": "true"},
        oauth=True,
    ),
    Endpoint(
        "federation_rules",
        "/v1/organizations/federation_rules",
        BetaFederationRule,
        page=PAGE_TOKEN,
        params={"include_archived": "true"},
        oauth=True,
    ),
    Endpoint(
        "federation_rule_workspaces",
        "/v1/organizations/federation_rules/{parent}/workspaces",
        BetaFederationRuleWorkspace,
        page=PAGE_TOKEN,
        oauth=True,
        parent="federation_rules",
    ),
]

ENTERPRISE = [
    # no `me`: Console-only (docs/simulator.md reading 21)
    Endpoint("users", "/v1/organizations/users", BetaOrganizationUser),
    Endpoint("invites", "/v1/organizations/invites", BetaOrganizationInvite),
    # `roles` is the guide's spelling of the schema's `role_ids`
    Endpoint(
        "rbac_groups",
        "/v1/organizations/rbac_groups",
        BetaRBACGroup,
        page=PAGE_TOKEN,
        documented_extras=frozenset({"roles"}),
    ),
    # `group_id` is the guide's spelling of the reference's `rbac_group_id`
    Endpoint(
        "rbac_group_members",
        "/v1/organizations/rbac_groups/{parent}/members",
        BetaRBACGroupMember,
        page=PAGE_TOKEN,
        parent="rbac_groups",
        documented_extras=frozenset({"group_id"}),
    ),
    Endpoint("rbac_roles", "/v1/organizations/rbac_roles", BetaRBACRole, page=PAGE_TOKEN),
    Endpoint(
        "rbac_role_permissions",
        "/v1/organizations/rbac_roles/{parent}/permissions",
        BetaRBACRolePermission,
        page=PAGE_TOKEN,
        parent="rbac_roles",
    ),
]


def undeclared_fields(model: BaseModel, prefix: str = "") -> Iterator[str]:
    """Dotted paths of every field in a validated model (nested ones too) the SDK does not
    declare (the SDK's models keep unknown fields as extras)."""
    for name in model.model_extra or {}:
        yield prefix + name
    for name in type(model).model_fields:
        value = getattr(model, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, BaseModel):
                yield from undeclared_fields(item, f"{prefix}{name}.")


def validate_page(endpoint: Endpoint, text: str) -> Any:
    """The answer validated strictly against the SDK's types (JSON strict mode: no coercion)."""
    page_type = endpoint.model if endpoint.page is None else endpoint.page[endpoint.model]
    parsed = page_type.model_validate_json(text, strict=True)
    if endpoint.page is not None:
        extras = set(parsed.model_extra or {}) - DOCUMENTED_PAGE_EXTRAS[endpoint.page]
        assert not extras, f"{endpoint.name}: page fields the SDK does not declare: {extras}"
    records = [parsed] if endpoint.page is None else parsed.data
    for record in records:
        extras = set(undeclared_fields(record)) - endpoint.documented_extras
        assert not extras, f"{endpoint.name}: fields the SDK does not declare: {sorted(extras)}"
    return parsed


def walk(client: httpx.Client, endpoint: Endpoint, path: str) -> list[dict[str, Any]]:
    """Every page of one list, validated, followed by the SDK page type's own paging rule."""
    query: dict[str, Any] = {**endpoint.params, "limit": 7}
    records: list[dict[str, Any]] = []
    for _ in range(10_000):
        response = client.get(path, params=query)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text}"
        page = validate_page(endpoint, response.text)
        if endpoint.page is None:
            return [response.json()]
        records += response.json()["data"]
        page._options = FinalRequestOptions.construct(method="get", url=path, params=query)
        if not page.has_next_page():
            return records
        query = {**query, **page.next_page_info().params}
    raise AssertionError(f"{path}: paging did not end")


def check_endpoint(api: Api, rows: list[Endpoint], name: str) -> None:
    by_name = {row.name: row for row in rows}
    endpoint = by_name[name]
    client = api.oauth if endpoint.oauth else api.admin
    if endpoint.parent is None:
        records = walk(client, endpoint, endpoint.path)
    else:
        parent = by_name[endpoint.parent]
        parents = walk(api.oauth if parent.oauth else api.admin, parent, parent.path)
        assert parents, f"no {parent.name} to list {name} of"
        records = []
        for record in parents:
            records += walk(client, endpoint, endpoint.path.format(parent=record["id"]))
    assert records, f"{name}: nothing listed, so nothing was checked"


@pytest.mark.parametrize("name", [row.name for row in CONSOLE])
def test_console_answers_match_sdk_types(ro: Api, name: str) -> None:
    check_endpoint(ro, CONSOLE, name)


@pytest.mark.parametrize("name", [row.name for row in ENTERPRISE])
def test_enterprise_answers_match_sdk_types(make_api: Callable[..., Api], name: str) -> None:
    check_endpoint(make_api(seed=7, size="small", product="enterprise"), ENTERPRISE, name)


def test_oracle_rejects_what_the_sdk_would_not_accept(ro: Api) -> None:
    """The check itself is strict: a missing required field, an unknown enum value, a
    string where a datetime belongs and an undeclared field each fail."""
    users = CONSOLE[1]
    body = ro.admin.get(users.path, params={"limit": 4}).json()
    validate_page(users, json.dumps(body))
    first, second, third, fourth = body["data"]
    del first["email"]
    second["role"] = "superuser"
    third["added_at"] = 5
    with pytest.raises(ValidationError) as caught:
        validate_page(users, json.dumps(body))
    problems = {(e["loc"][-1], e["type"]) for e in caught.value.errors()}
    assert problems == {
        ("email", "missing"),
        ("role", "literal_error"),
        ("added_at", "datetime_type"),
    }
    fourth["nickname"] = "x"
    with pytest.raises(AssertionError, match="nickname"):
        validate_page(users, json.dumps({**body, "data": [fourth]}))
