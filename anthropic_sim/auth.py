"""Who is calling the Admin API: this org's Admin key, its org:admin OAuth token, or nobody.

- `x-api-key: sk-ant-admin01-...` (this org's Admin key) or `authorization: Bearer <oauth>`
  are accepted on every admin route;
- this org's inference key (`sk-ant-api...`) is recognised and refused with 403;
- anything else (missing, malformed, unknown, another org's) is a 401.
Service-account routes additionally require the OAuth bearer (see `require_oauth`).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from anthropic_sim.asgi import engine_of, header, send_error, state
from anthropic_sim.errors import ApiError
from anthropic_sim.state import Simulator

ADMIN_KEY = "admin_key"
OAUTH = "oauth"


@dataclass
class AuthResult:
    kind: str | None  # ADMIN_KEY | OAUTH when accepted
    status: int = 200
    message: str = ""


def classify(sim: Simulator, api_key: str | None, authorization: str | None) -> AuthResult:
    org = sim.org
    if api_key is not None and api_key != "":
        if api_key == org.admin_key:
            return AuthResult(ADMIN_KEY)
        if api_key == org.inference_key:
            return AuthResult(
                None,
                403,
                "This endpoint requires an Admin API key (sk-ant-admin...); "
                "standard API keys cannot use the Admin API.",
            )
        return AuthResult(None, 401, "invalid x-api-key")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip() == org.oauth_token:
            return AuthResult(OAUTH)
        return AuthResult(None, 401, "Invalid bearer token")
    return AuthResult(None, 401, "x-api-key header is required")


class AdminAuthMiddleware:
    """Authenticates every /v1 request before it reaches a handler."""

    def __init__(self, app: ASGIApp, sim: Simulator) -> None:
        self.app = app
        self.sim = sim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or engine_of(scope["path"]) != "admin":
            await self.app(scope, receive, send)
            return
        result = classify(self.sim, header(scope, "x-api-key"), header(scope, "authorization"))
        if result.kind is None:
            if result.status == 403:
                state(scope)["authenticated"] = True  # the key is this org's; it lacks permission
            await send_error(scope, send, result.status, result.message)
            return
        st = state(scope)
        st["authenticated"] = True
        st["credential"] = result.kind
        if self.sim.config.require_anthropic_version and not header(scope, "anthropic-version"):
            await send_error(scope, send, 400, "anthropic-version: header is required")
            return
        await self.app(scope, receive, send)


def require_oauth(request: Request) -> None:
    """Service-account (and federation) routes accept only the org:admin OAuth bearer."""
    if getattr(request.state, "credential", None) != OAUTH:
        raise ApiError(
            403,
            "This endpoint requires an OAuth access token with the org:admin scope; "
            "Admin API keys are not accepted.",
        )
