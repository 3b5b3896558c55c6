"""HTTP plumbing shared by the SCIM routes: responses, the tier gate, auth, bodies, params."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from anthropic_sim.scim.errors import ScimError, bad_request
from anthropic_sim.state import Simulator

SCIM_MEDIA_TYPE = "application/scim+json"
ACCEPTED_MEDIA_TYPES = frozenset({"application/scim+json", "application/json"})

Handler = Callable[[Simulator, Request], Awaitable[Response]]


def scim_response(
    body: Any = None, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    content = b"" if body is None else json.dumps(body).encode()
    media = SCIM_MEDIA_TYPE if body is not None else None
    return Response(content, status_code=status, headers=headers, media_type=media)


def error_response(exc: ScimError) -> Response:
    headers = {"WWW-Authenticate": 'Bearer realm="SCIM"'} if exc.status == 401 else None
    return scim_response(exc.body(), exc.status, headers)


def base_url(request: Request) -> str:
    """The SCIM base URL (`.../scim/v2`) the request came in under, without a trailing slash."""
    root = str(request.scope.get("root_path", "")).rstrip("/")  # includes the Mount prefix
    return f"{request.url.scheme}://{request.url.netloc}{root}"


NOT_ON_PLAN = "SCIM provisioning is not available for this organization"
BAD_TOKEN = "A valid SCIM bearer token is required"
# config.scim_gate -> the answer to every SCIM call (docs/simulator.md, "SCIM engine")
GATES: dict[str, tuple[int, str]] = {
    "plan": (403, NOT_ON_PLAN),
    "revoked_token": (401, BAD_TOKEN),
    "no_directory": (404, "No SCIM directory at this URL"),
}


def gate(sim: Simulator, request: Request) -> None:
    """Tier first (a non-enterprise org has no SCIM at all), the `scim_gate` switch, then the
    bearer token."""
    if sim.org.tier != "enterprise":
        status = int(getattr(sim.config, "scim_unavailable_status", 403))
        raise ScimError(status, NOT_ON_PLAN)
    forced = GATES.get(getattr(sim.config, "scim_gate", "open"))
    if forced is not None:
        raise ScimError(*forced)
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    expected = sim.org.scim_token
    if scheme.lower() != "bearer" or not token.strip() or not expected:
        raise ScimError(401, BAD_TOKEN)
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise ScimError(401, BAD_TOKEN)


async def read_json(request: Request) -> Any:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type not in ACCEPTED_MEDIA_TYPES:
        raise ScimError(415, f"Unsupported media type {content_type}; send {SCIM_MEDIA_TYPE}")
    raw = await request.body()
    if not raw.strip():
        raise bad_request("invalidSyntax", "A JSON body is required")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise bad_request("invalidSyntax", f"The body is not valid JSON: {exc}") from exc


def int_param(raw: Any, name: str) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise bad_request("invalidValue", f"{name} must be an integer")
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise bad_request("invalidValue", f"{name} must be an integer, not {raw!r}") from exc


def endpoint(
    sim: Simulator, handlers: dict[str, Handler]
) -> Callable[[Request], Awaitable[Response]]:
    """One Starlette endpoint: gate, then the handler for the method, SCIM errors rendered."""

    async def run(request: Request) -> Response:
        try:
            gate(sim, request)
            handler = handlers.get(request.method)
            if handler is None:
                raise ScimError(405, f"{request.method} is not supported on {request.url.path}")
            return await handler(sim, request)
        except ScimError as exc:
            return error_response(exc)

    return run
