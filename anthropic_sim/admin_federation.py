"""Admin API: workload identity federation (claude-org-products.md 4.3): reads, and archiving a
rule or an issuer (`POST .../{id}/archive`, the service accounts' shape: docs/simulator.md,
"Writes (remediation)").

Issuers and rules list with page tokens (`limit` 1-100, `page`, `include_archived`); a rule's
workspaces come in one unpaginated answer. Every route accepts only the org:admin OAuth bearer.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim import render
from anthropic_sim.auth import oauth_actor, require_oauth
from anthropic_sim.errors import bad_request, not_found
from anthropic_sim.httputil import AdminJSON, query_bool
from anthropic_sim.pagination import parse_limit, token_page
from anthropic_sim.state import FederationIssuer, FederationRule, Simulator

ISSUERS = "/v1/organizations/federation_issuers"
RULES = "/v1/organizations/federation_rules"


def refuse_while_live_rules(sim: Simulator, referenced_id: str) -> None:
    """Archiving an issuer or a service account is a 400 while a live rule references it."""
    live = sorted(
        r.id
        for r in sim.org.federation_rules.values()
        if r.archived_at is None and referenced_id in (r.issuer_id, r.service_account_id)
    )
    if live:
        raise bad_request(
            f"{referenced_id} is still referenced by live federation rules: {', '.join(live)}; "
            "archive them first"
        )


def federation_routes(sim: Simulator) -> list[BaseRoute]:
    def get_issuer(issuer_id: str) -> FederationIssuer:
        issuer = sim.org.federation_issuers.get(issuer_id)
        if issuer is None:
            raise not_found(f"Federation issuer {issuer_id} not found")
        return issuer

    def get_rule(rule_id: str) -> FederationRule:
        rule = sim.org.federation_rules.get(rule_id)
        if rule is None:
            raise not_found(f"Federation rule {rule_id} not found")
        return rule

    async def list_issuers(request: Request) -> Response:
        require_oauth(request)
        include_archived = query_bool(request.query_params, "include_archived")
        with sim.lock:
            items = sorted(
                (
                    i
                    for i in sim.org.federation_issuers.values()
                    if include_archived or i.archived_at is None
                ),
                key=lambda i: i.id,
            )
            page, meta = token_page(items, lambda i: i.id, request.query_params)
            data = [render.federation_issuer(i) for i in page]
        return AdminJSON({"data": data, **meta})

    async def retrieve_issuer(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            return AdminJSON(render.federation_issuer(get_issuer(request.path_params["id"])))

    async def list_rules(request: Request) -> Response:
        require_oauth(request)
        params = request.query_params
        include_archived = query_bool(params, "include_archived")
        issuer_id = params.get("issuer_id") or None
        with sim.lock:
            items = sorted(
                (
                    r
                    for r in sim.org.federation_rules.values()
                    if (include_archived or r.archived_at is None)
                    and (issuer_id is None or r.issuer_id == issuer_id)
                ),
                key=lambda r: r.id,
            )
            page, meta = token_page(items, lambda r: r.id, params)
            data = [render.federation_rule(r, sim.org) for r in page]
        return AdminJSON({"data": data, **meta})

    async def retrieve_rule(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            rule = get_rule(request.path_params["id"])
            return AdminJSON(render.federation_rule(rule, sim.org))

    async def list_rule_workspaces(request: Request) -> Response:
        """All enablements in one answer; `limit` is checked but has no effect (SDK docs)."""
        require_oauth(request)
        parse_limit(request.query_params, maximum=100)
        with sim.lock:
            rule = get_rule(request.path_params["id"])
            rows = sorted(
                (
                    row
                    for (rule_id, _), row in sim.org.federation_rule_workspaces.items()
                    if rule_id == rule.id
                ),
                key=lambda row: row.workspace_id,
            )
            data = [render.federation_rule_workspace(row, sim.org) for row in rows]
        return AdminJSON({"data": data, "has_more": False, "next_page": None})

    def archive(record: FederationIssuer | FederationRule) -> None:
        """Idempotent: archiving again keeps the first `archived_at` and actor."""
        if record.archived_at is None:
            record.archived_at = record.updated_at = sim.now()
            record.archived_by_actor_id = record.updated_by_actor_id = oauth_actor(sim)

    async def archive_issuer(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            issuer = get_issuer(request.path_params["id"])
            refuse_while_live_rules(sim, issuer.id)
            archive(issuer)
            return AdminJSON(render.federation_issuer(issuer))

    async def archive_rule(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            rule = get_rule(request.path_params["id"])
            archive(rule)
            return AdminJSON(render.federation_rule(rule, sim.org))

    return [
        Route(ISSUERS, list_issuers, methods=["GET"]),
        Route(f"{ISSUERS}/{{id}}/archive", archive_issuer, methods=["POST"]),
        Route(f"{RULES}/{{id}}/archive", archive_rule, methods=["POST"]),
        Route(f"{ISSUERS}/{{id}}", retrieve_issuer, methods=["GET"]),
        Route(RULES, list_rules, methods=["GET"]),
        Route(f"{RULES}/{{id}}", retrieve_rule, methods=["GET"]),
        Route(f"{RULES}/{{id}}/workspaces", list_rule_workspaces, methods=["GET"]),
    ]
