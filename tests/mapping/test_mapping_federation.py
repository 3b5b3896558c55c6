"""A federation rule can be assumed through only while neither it nor its issuer is archived,
and its claims read as 'name=value' strings."""

from __future__ import annotations

from ingest.extract.models import FederationIssuer, FederationRule
from ingest.mapping.federation import CAN_ASSUME, TRUSTED_BY, map_federation_rules

ARCHIVED = "2026-10-01T00:00:00Z"


def _rule(rule_id: str, issuer_id: str, archived_at: str | None = None) -> FederationRule:
    return FederationRule.model_validate(
        {
            "id": rule_id,
            "issuer_id": issuer_id,
            "match": {"claims": {"repo": "acme/infra", "env": "prod"}},
            "target": {"type": "service_account", "service_account_id": "svac_1"},
            "oauth_scope": "org:admin",
            "archived_at": archived_at,
        }
    )


def test_only_usable_rules_can_assume_their_service_account() -> None:
    issuers = [
        FederationIssuer.model_validate({"id": "fdis_live"}),
        FederationIssuer.model_validate({"id": "fdis_old", "archived_at": ARCHIVED}),
    ]
    rules = [
        _rule("fdrl_live", "fdis_live"),
        _rule("fdrl_archived", "fdis_live", ARCHIVED),
        _rule("fdrl_old_issuer", "fdis_old"),
        _rule("fdrl_unknown_issuer", "fdis_unlisted"),
    ]
    rows = map_federation_rules("org-1", issuers, rules)
    found = dict(rows.iter_rels())
    assert [(r["start"], r["end"]) for r in found[CAN_ASSUME]] == [("fdrl_live", "svac_1")]
    assert len(found[TRUSTED_BY]) == 4  # every rule names the issuer it trusts
    (nodes,) = [found for node, found in rows.iter_nodes()]
    usable = {n["id"]: n["usable"] for n in nodes}
    assert usable == {
        "fdrl_live": True,
        "fdrl_archived": False,
        "fdrl_old_issuer": False,
        "fdrl_unknown_issuer": False,
    }
    assert nodes[0]["claims"] == ["env=prod", "repo=acme/infra"]
