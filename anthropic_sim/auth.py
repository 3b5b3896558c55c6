"""Who is calling the Admin API, and whether the organization's product offers the endpoint.

- an Admin key of the parent's registry that reaches this org: a Console Admin key
  (`sk-ant-admin01-`, no scopes) or an Enterprise Admin key (`sk-ant-api01-`, scopes fixed at
  creation, recorded in `request.state.scopes` for `anthropic_sim.scopes.require_scopes`);
- `authorization: Bearer <org:admin OAuth token>`, on a Console org;
- this org's inference key (`sk-ant-api03-`), or the OAuth token on an Enterprise org, is
  recognised and refused with 403; anything else (missing, malformed, unknown) is a 401.
An endpoint the org's product does not offer answers 400 `organization_type_not_supported`
(docs/simulator.md, reading 21). Service-account routes also require OAuth (`require_oauth`).
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
ORGANIZATIONS = "/v1/organizations/"
ANALYTICS = "/v1/organizations/analytics/"
# The first path segment under /v1/organizations/ of each product's own families (reference
# claude-org-products.md 1.3); `me` is Console-only by reading.
CONSOLE_ONLY = frozenset(
    {
        "me",
        "workspaces",
        "api_keys",
        "service_accounts",
        "federation_issuers",
        "federation_rules",
        "usage_report",
        "cost_report",
        "rate_limits",
        "external_keys",
    }
)
ENTERPRISE_ONLY = frozenset({"rbac_groups", "rbac_roles", "spend_limits", "analytics"})
KEY_TO_CREATE = {
    "console": "an Admin API key (sk-ant-admin01-), created in the Claude Console under "
    "Settings > Admin keys",
    "enterprise": "an Enterprise Admin API key (sk-ant-api01-), created by the primary owner in "
    "claude.ai under Organization settings > API",
}


@dataclass
class AuthResult:
    kind: str | None  # ADMIN_KEY | OAUTH when accepted
    status: int = 200
    message: str = ""
    scopes: tuple[str, ...] | None = None  # an Enterprise key's scopes


def classify(sim: Simulator, api_key: str | None, authorization: str | None) -> AuthResult:
    org = sim.org
    needed = KEY_TO_CREATE[org.product]
    if api_key is not None and api_key != "":
        key = sim.linked().keys.get(api_key)
        if key is not None and key.reaches(org.id, sim.linked().orgs):
            return AuthResult(ADMIN_KEY, scopes=key.scopes)
        if api_key == org.inference_key:
            return AuthResult(
                None,
                403,
                f"This endpoint requires {needed}; standard API keys cannot use the Admin API.",
            )
        return AuthResult(None, 401, "invalid x-api-key")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip() == org.oauth_token:
            if org.product == "enterprise":
                return AuthResult(None, 403, f"This organization's Admin API needs {needed}.")
            return AuthResult(OAUTH)
        return AuthResult(None, 401, "Invalid bearer token")
    return AuthResult(None, 401, "x-api-key header is required")


def offered(product: str, path: str) -> bool:
    """Whether an organization of `product` offers the Admin API endpoint at `path`."""
    if not path.startswith(ORGANIZATIONS):
        return True
    parts = path[len(ORGANIZATIONS) :].split("/")
    if product == "enterprise":
        return parts[0] not in CONSOLE_ONLY
    sign_out = parts[0] == "users" and parts[-1] == "sign_out"
    return parts[0] not in ENTERPRISE_ONLY and not sign_out


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
        if result.status == 401 and scope["path"].startswith(ANALYTICS):
            # Documented for the Analytics API: a bad key is answered 404.
            await send_error(scope, send, 404, "Not found")
            return
        if result.kind is None:
            if result.status == 403:
                state(scope)["authenticated"] = True  # the key is this org's; it lacks permission
            await send_error(scope, send, result.status, result.message)
            return
        st = state(scope)
        st["authenticated"] = True
        st["credential"] = result.kind
        st["scopes"] = result.scopes
        if self.sim.config.require_anthropic_version and not header(scope, "anthropic-version"):
            await send_error(scope, send, 400, "anthropic-version: header is required")
            return
        product = self.sim.org.product
        if not offered(product, scope["path"]):
            name = "Claude Enterprise" if product == "enterprise" else "Claude Console"
            await send_error(
                scope,
                send,
                400,
                f"This endpoint does not support {name} organizations.",
                details={"error_code": "organization_type_not_supported"},
            )
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


def oauth_actor(sim: Simulator) -> str | None:
    """The user behind the org:admin OAuth token: the primary owner (the `*_by_actor_id`)."""
    return next((u.id for u in sim.org.users.values() if u.role == "primary_owner"), None)
