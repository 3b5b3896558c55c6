"""The Admin API engine: every documented `/v1/organizations/...` route (reference 3-9)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim import render
from anthropic_sim.admin_federation import federation_routes
from anthropic_sim.admin_keys import api_key_routes
from anthropic_sim.admin_rbac import rbac_routes
from anthropic_sim.admin_service_accounts import service_account_routes
from anthropic_sim.admin_usage import usage_routes
from anthropic_sim.admin_users import user_routes
from anthropic_sim.admin_workspaces import workspace_routes
from anthropic_sim.compliance_feed import compliance_routes
from anthropic_sim.httputil import AdminJSON
from anthropic_sim.state import Simulator


def admin_routes(sim: Simulator) -> list[BaseRoute]:
    async def me(request: Request) -> Response:
        return AdminJSON(render.organization(sim.org))

    return [
        Route("/v1/organizations/me", me, methods=["GET"]),
        *user_routes(sim),
        *workspace_routes(sim),
        *api_key_routes(sim),
        *service_account_routes(sim),
        *federation_routes(sim),
        *rbac_routes(sim),
        *usage_routes(sim),
        *compliance_routes(sim),
    ]
