"""Workload identity federation: issuers, the rules that trust them, and what a rule lets a
token become (family federation_issuers, federation_rules, federation_rule_workspaces).

A rule can be used only while neither it nor its issuer is archived: only such a rule gets the
CAN_ASSUME edge to its service account, so every question walking it sees live paths only.
"""

from __future__ import annotations

from collections.abc import Iterable

from ingest.extract.models import FederationIssuer, FederationRule, FederationRuleWorkspace
from ingest.graph.model import FEDERATION_ISSUER, FEDERATION_RULE, MODEL
from ingest.mapping.declared import as_declared
from ingest.mapping.fill import RecordFill
from ingest.mapping.rows import GraphRows, timestamp

TRUSTED_BY = MODEL.rel("TRUSTED_BY", "federation_issuer", "federation_rule")
CAN_ASSUME = MODEL.rel("CAN_ASSUME", "federation_rule", "service_account")
RULE_SCOPED_TO = MODEL.rel("SCOPED_TO", "federation_rule", "workspace")
RESOURCE = {rel.end.name: rel for rel in MODEL.rels if rel.type == "RESOURCE"}
RULE_FILL = RecordFill(FEDERATION_RULE)

map_federation_issuers = as_declared(FEDERATION_ISSUER, RESOURCE["federation_issuer"])


def map_federation_rules(
    org_id: str, issuers: Iterable[FederationIssuer], rules: Iterable[FederationRule]
) -> GraphRows:
    """Rule nodes with their match conditions, the issuer each trusts and, for usable rules,
    the service account it can assume. A rule whose issuer was not listed is not usable."""
    live_issuers = {i.id for i in issuers if i.archived_at is None}
    rows = GraphRows()
    for rule in rules:
        claims = (rule.match.claims if rule.match else None) or {}
        usable = not rule.archived and rule.issuer_id in live_issuers
        rows.node(
            FEDERATION_RULE,
            RULE_FILL(
                rule,
                id=rule.id,
                claims=[f"{name}={value}" for name, value in sorted(claims.items())],
                oauth_scopes=rule.scopes,
                usable=usable,
            ),
        )
        rows.rel(RESOURCE["federation_rule"], org_id, rule.id)
        if rule.issuer_id:
            rows.rel(TRUSTED_BY, rule.issuer_id, rule.id)
        account = rule.target.service_account_id if rule.target else None
        if usable and account:
            rows.rel(
                CAN_ASSUME,
                rule.id,
                account,
                oauth_scope=rule.oauth_scope,
                token_lifetime_seconds=rule.token_lifetime_seconds,
                applies_to_all_workspaces=bool(rule.applies_to_all_workspaces),
            )
    return rows


def map_federation_rule_workspaces(
    org_id: str, enabled: Iterable[FederationRuleWorkspace]
) -> GraphRows:
    rows = GraphRows()
    for row in enabled:
        rows.rel(
            RULE_SCOPED_TO,
            row.federation_rule_id,
            row.workspace_id,
            created_at=timestamp(row.created_at),
            created_by_actor_id=row.created_by_actor_id,
        )
    return rows
