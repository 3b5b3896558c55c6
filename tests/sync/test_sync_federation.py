"""Workload identity federation synced from the simulator: issuers, rules with their match
conditions, what each usable rule can assume and where; without an OAuth token the families
are not read and nothing of them is deleted; Enterprise does not offer them."""

from __future__ import annotations

import pytest

from anthropic_sim.generate_federation import ORG_ADMIN
from ingest.sync.plan import OAUTH_TOKEN

pytestmark = pytest.mark.neo4j

FEDERATION = ("federation_issuers", "federation_rules", "federation_rule_workspaces")


def _graph(neo4j, tenant: str) -> dict[str, set]:
    def ids(query: str) -> set:
        return {tuple(row.values()) for row in neo4j.run(query, t=tenant)}

    return {
        "issuers": ids("MATCH (i:AnthropicFederationIssuer {tenant_id: $t}) RETURN i.id"),
        "rules": ids("MATCH (r:AnthropicFederationRule {tenant_id: $t}) RETURN r.id"),
        "trusted_by": ids(
            "MATCH (i:AnthropicFederationIssuer {tenant_id: $t})-[:TRUSTED_BY]->"
            "(r:AnthropicFederationRule) RETURN i.id, r.id"
        ),
        "can_assume": ids(
            "MATCH (r:AnthropicFederationRule {tenant_id: $t})-[c:CAN_ASSUME]->"
            "(s:AnthropicServiceAccount) RETURN r.id, s.id, c.oauth_scope, c.token_lifetime_seconds"
        ),
        "scoped_to": ids(
            "MATCH (r:AnthropicFederationRule {tenant_id: $t})-[:SCOPED_TO]->"
            "(w:AnthropicWorkspace) RETURN r.id, w.id"
        ),
    }


def test_federation_is_synced_and_only_usable_rules_can_assume(neo4j, simulator, sync) -> None:
    with simulator(size="small", seed=11) as running:
        report = sync(running)
        org = running.sim.org
    assert report.status == "success", report.extraction_failures
    graph = _graph(neo4j, org.id)
    assert graph["issuers"] == {(i,) for i in org.federation_issuers}
    assert graph["rules"] == {(r,) for r in org.federation_rules}
    assert graph["trusted_by"] == {(r.issuer_id, r.id) for r in org.federation_rules.values()}
    usable = {
        (r.id, r.service_account_id, r.oauth_scope, r.token_lifetime_seconds)
        for r in org.federation_rules.values()
        if r.archived_at is None and org.federation_issuers[r.issuer_id].archived_at is None
    }
    archived = [r for r in org.federation_rules.values() if r.archived_at is not None]
    assert archived and usable and len(usable) < len(org.federation_rules)
    assert graph["can_assume"] == usable  # archived rules (and archived issuers') excluded
    assert graph["scoped_to"] == set(org.federation_rule_workspaces)

    admin_rule = next(
        r
        for r in org.federation_rules.values()
        if r.archived_at is None and ORG_ADMIN in r.oauth_scope.split()
    )
    (row,) = neo4j.run(
        "MATCH (r:AnthropicFederationRule {id: $id}) RETURN r.claims AS claims, "
        "r.subject_prefix AS subject, r.audience AS audience, r.oauth_scopes AS scopes, "
        "r.usable AS usable, r.applies_to_all_workspaces AS everywhere",
        id=admin_rule.id,
    )
    assert row["claims"] == [f"{k}={v}" for k, v in sorted(admin_rule.match["claims"].items())]
    assert row["subject"] == admin_rule.match["subject_prefix"]
    assert row["audience"] == admin_rule.match["audience"]
    assert row["scopes"] == [ORG_ADMIN] and row["usable"] is True and row["everywhere"] is True


def test_without_an_oauth_token_federation_is_not_read_and_nothing_is_deleted(
    neo4j, simulator, sync
) -> None:
    with simulator(size="small", seed=11) as running:
        assert sync(running).status == "success"
        tenant = running.sim.org.id
        before = _graph(neo4j, tenant)
        report = sync(running, oauth=False)
    for family in FEDERATION:
        assert report.extraction_failures[family] == f"skipped: {OAUTH_TOKEN.skipped_because}"
        assert "not read: needs an org:admin OAuth token" in report.extraction_failures[family]
        assert family not in report.families_complete
    assert all(before.values())
    assert _graph(neo4j, tenant) == before


def test_enterprise_does_not_offer_federation(neo4j, simulator, sync) -> None:
    with simulator(size="small", seed=7, product="enterprise") as running:
        report = sync(running)
        tenant = running.sim.org.id
    assert report.status == "success", report.extraction_failures
    assert not report.read_incompletely
    assert not any(_graph(neo4j, tenant).values())
