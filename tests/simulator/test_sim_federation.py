"""Workload identity federation: OAuth only, Console only, page tokens for issuers and rules,
one unpaginated answer for a rule's workspaces, and the planted cases present."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim_helpers import Api, assert_error

ISSUERS = "/v1/organizations/federation_issuers"
RULES = "/v1/organizations/federation_rules"


def _walk(api: Api, path: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    query: dict[str, Any] = {**params, "limit": limit}
    while True:
        r = api.oauth.get(path, params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"data", "has_more", "next_page"}
        out += body["data"]
        if not body["has_more"]:
            assert body["next_page"] is None
            return out
        query["page"] = body["next_page"]


def test_admin_key_is_refused_even_for_reads(ro: Api) -> None:
    rule = next(iter(ro.org.federation_rules))
    issuer = next(iter(ro.org.federation_issuers))
    for path in (
        ISSUERS,
        f"{ISSUERS}/{issuer}",
        RULES,
        f"{RULES}/{rule}",
        f"{RULES}/{rule}/workspaces",
    ):
        assert_error(ro.admin.get(path), 403, "permission_error")


def test_lists_page_by_token_and_hide_archived_unless_asked(ro: Api) -> None:
    org = ro.org
    for path, items in ((ISSUERS, org.federation_issuers), (RULES, org.federation_rules)):
        live = sorted(i for i, x in items.items() if x.archived_at is None)
        assert len(live) < len(items), f"{path}: nothing archived planted"
        for limit in (1, 2, 100):
            assert [x["id"] for x in _walk(ro, path, limit)] == live
        everything = [x["id"] for x in _walk(ro, path, 2, include_archived="true")]
        assert everything == sorted(items)
        for bad in ("0", "101"):
            assert_error(ro.oauth.get(path, params={"limit": bad}), 400, "invalid_request_error")


def test_rules_carry_their_match_target_and_workspaces(ro: Api) -> None:
    org = ro.org
    rules = {r["id"]: r for r in _walk(ro, RULES, 100, include_archived="true")}
    admin_rules = [
        r
        for r in rules.values()
        if "org:admin" in r["oauth_scope"].split() and r["archived_at"] is None
    ]
    assert admin_rules, "no live org:admin rule planted"
    for rule in admin_rules:
        target = org.service_accounts[rule["target"]["service_account_id"]]
        assert target.organization_role == "admin"  # an org:admin rule needs an admin account
        assert rule["applies_to_all_workspaces"] is True
    specific = [r for r in rules.values() if not r["applies_to_all_workspaces"]]
    assert specific, "no rule enabled for specific workspaces"
    for rule in specific:
        r = ro.oauth.get(f"{RULES}/{rule['id']}/workspaces", params={"limit": 1})
        body = r.json()
        assert body["has_more"] is False and body["next_page"] is None  # unpaginated
        listed = [row["workspace_id"] for row in body["data"]]
        assert listed == rule["workspace_ids"] and listed
        for row in body["data"]:
            assert row["federation_rule_id"] == rule["id"]
            assert row["workspace_name"] == org.workspaces[row["workspace_id"]].name
            assert (rule["target"]["service_account_id"], row["workspace_id"]) in org.sa_memberships
    filtered = _walk(ro, RULES, 100, issuer_id=admin_rules[0]["issuer_id"])
    assert {r["issuer_id"] for r in filtered} == {admin_rules[0]["issuer_id"]}


def test_enterprise_does_not_offer_federation(make_api: Callable[..., Api]) -> None:
    enterprise = make_api(seed=7, size="small", product="enterprise")
    assert not enterprise.org.federation_rules
    body = assert_error(enterprise.admin.get(RULES), 400, "invalid_request_error")
    assert body["error"]["details"]["error_code"] == "organization_type_not_supported"
