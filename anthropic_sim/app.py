"""The simulator's ASGI application: Admin API, SCIM (mounted at /scim/v2) and /_control.

Middleware, outermost first: request context (request-id, stats, org header, crash guard) ->
faults -> rate limiting -> Admin API authentication -> Starlette routing.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.types import Receive, Scope, Send

from anthropic_sim.admin_api import admin_routes
from anthropic_sim.asgi import engine_of, state
from anthropic_sim.auth import AdminAuthMiddleware
from anthropic_sim.config import SimConfig
from anthropic_sim.context import RequestContextMiddleware
from anthropic_sim.control import control_routes
from anthropic_sim.errors import ApiError, admin_error_body, error_type_for, scim_error_body
from anthropic_sim.faults import FaultInjector, FaultMiddleware
from anthropic_sim.generator import generate
from anthropic_sim.httputil import AdminJSON
from anthropic_sim.ratelimit import RateLimiter, RateLimitMiddleware
from anthropic_sim.state import Org, Simulator

try:
    from anthropic_sim.scim.routes import scim_routes
except ImportError:  # the SCIM engine is built separately; without it nothing is mounted
    scim_routes = None  # type: ignore[assignment]


def create_simulator(config: SimConfig | None = None) -> Simulator:
    """Generate the org for `config` (seed, size, tier) and wire the engines' shared parts."""
    config = config or SimConfig()
    org = _generate(config)
    sim = Simulator(org=org, config=config)
    sim.faults = FaultInjector(config.faults, config.fault_seed)
    sim.rate_limiter = RateLimiter(sim)
    return sim


def reset_simulator(sim: Simulator, config: SimConfig) -> Simulator:
    """Swap a fresh org (from `config`) and `config` into a running simulator, in place."""
    org = _generate(config)
    with sim.lock:
        sim.org = org
        sim.config = config
        sim.ids = None
        sim.request_ids = None
        sim.__post_init__()
        sim.tombstones = set()
        sim.org_header_answers = 0
        sim.stats.reset()
        sim.faults.configure(config.faults, config.fault_seed)
        sim.rate_limiter.reset()
    return sim


def _generate(config: SimConfig) -> Org:
    org = generate(config.seed, config.size, config.tier)
    if config.org_id:
        org.id = config.org_id
    return org


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def _error(request: Request, status: int, message: str, error_type: str | None = None) -> Response:
    engine = engine_of(request.url.path)
    if engine == "scim":
        return JSONResponse(
            scim_error_body(status, message), status, media_type="application/scim+json"
        )
    if engine == "admin":
        body = admin_error_body(error_type or error_type_for(status), message, _request_id(request))
        return AdminJSON(body, status)
    return JSONResponse({"error": message}, status)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error(request, exc.status, exc.message, exc.error_type)


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


def build_app(sim: Simulator) -> Starlette:
    """The simulator's app: Admin API, SCIM at /scim/v2 (when present), and /_control."""
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
