"""The simulator's ASGI application: Admin API, SCIM (mounted at /scim/v2) and /_control,
for each linked organization (`LinkedOrgRouter` picks the org a request addresses).

Middleware of each org's app, outermost first: request context (request-id, stats, org header,
crash guard) -> faults -> rate limiting -> Admin API authentication -> Starlette routing.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from anthropic_sim import linked
from anthropic_sim.admin_api import admin_routes
from anthropic_sim.asgi import engine_of, header, send_error, send_json, state
from anthropic_sim.auth import AdminAuthMiddleware
from anthropic_sim.config import SimConfig
from anthropic_sim.context import RequestContextMiddleware
from anthropic_sim.control import control_routes
from anthropic_sim.errors import ApiError, admin_error_body, error_type_for, scim_error_body
from anthropic_sim.faults import FaultMiddleware
from anthropic_sim.httputil import AdminJSON
from anthropic_sim.ratelimit import RateLimitMiddleware
from anthropic_sim.state import Simulator

try:
    from anthropic_sim.scim.routes import scim_routes
except ImportError:  # the SCIM engine is built separately; without it nothing is mounted
    scim_routes = None  # type: ignore[assignment]


def create_simulator(config: SimConfig | None = None) -> Simulator:
    """Generate the org for `config` (and its linked orgs) and wire the engines' shared parts."""
    return linked.create_simulator(config or SimConfig())


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def _error(
    request: Request,
    status: int,
    message: str,
    error_type: str | None = None,
    details: dict[str, Any] | None = None,
) -> Response:
    engine = engine_of(request.url.path)
    if engine == "scim":
        return JSONResponse(
            scim_error_body(status, message), status, media_type="application/scim+json"
        )
    if engine == "admin":
        body = admin_error_body(
            error_type or error_type_for(status), message, _request_id(request), details
        )
        return AdminJSON(body, status)
    return JSONResponse({"error": message}, status)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error(request, exc.status, exc.message, exc.error_type, exc.details)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"Not found: {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"Method {request.method} not allowed for {request.url.path}"
    else:
        message = str(exc.detail)
    return _error(request, exc.status_code, message)


class SimulatorApp(Starlette):
    """Starlette, keeping the server's own `send` so faults can drop the connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state(scope)["_raw_send"] = send
        await super().__call__(scope, receive, send)


def _org_app(sim: Simulator) -> Starlette:
    routes: list[BaseRoute] = [*admin_routes(sim), *control_routes(sim)]
    if scim_routes is not None:
        routes.append(Mount("/scim/v2", routes=scim_routes(sim)))
    app = SimulatorApp(
        routes=routes,
        middleware=[
            Middleware(RequestContextMiddleware, sim=sim),
            Middleware(FaultMiddleware, sim=sim),
            Middleware(RateLimitMiddleware, sim=sim),
            Middleware(AdminAuthMiddleware, sim=sim),
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.sim = sim
    return app


class LinkedOrgRouter:
    """Sends each request to the app of the organization it addresses.

    Admin API: the org named by the `organization_id` query parameter (a UUID, bare or
    `org_`-prefixed), which the key must reach (its own org, or any Enterprise org of the parent
    for a key created for all linked orgs); without it, the org the key was created in.
    Control API: `organization_id` picks the linked org, default the first. SCIM: the first.
    """

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.apps: dict[int, tuple[Simulator, Starlette]] = {}

    def app_for(self, target: Simulator) -> Starlette:
        cached = self.apps.get(id(target))
        if cached is None or cached[0] is not target:
            cached = self.apps[id(target)] = (target, _org_app(target))
        return cached[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = self.sim
        engine = engine_of(scope.get("path", "")) if scope["type"] == "http" else "other"
        if engine in ("admin", "control"):
            parent = self.sim.linked()
            wanted = QueryParams(scope.get("query_string", b"")).get("organization_id")
            org_id = linked.organization_uuid(wanted) if wanted else None
            if wanted and org_id is None:
                await self._refuse(scope, send, 400, "organization_id: not an organization id")
                return
            key = parent.keys.get(header(scope, "x-api-key") or "")
            if engine == "admin" and key is not None:
                org_id = org_id or key.home_org
                if not key.reaches(org_id, parent.orgs) or org_id not in parent.orgs:
                    await self._refuse(scope, send, 404, f"Organization {wanted} not found")
                    return
            if org_id is not None:
                if org_id not in parent.orgs:
                    await self._refuse(scope, send, 404, f"Organization {wanted} not found")
                    return
                target = parent.orgs[org_id]
        await self.app_for(target)(scope, receive, send)

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str) -> None:
        request_id = self.sim.new_request_id()
        state(scope)["request_id"] = request_id
        if engine_of(scope["path"]) == "control":
            await send_json(send, status, {"error": message})
            return
        await send_error(scope, send, status, message, headers=[("request-id", request_id)])


def build_app(sim: Simulator) -> ASGIApp:
    """The simulator's app: Admin API, SCIM at /scim/v2 (when present), and /_control, for
    the org of `sim` and its linked orgs."""
    return LinkedOrgRouter(sim)
