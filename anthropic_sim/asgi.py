"""Raw ASGI helpers: scope state, JSON answers from middleware, and engine of a path."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Scope, Send

from anthropic_sim.errors import admin_error_body, error_type_for, scim_error_body

ADMIN_PREFIX = "/v1/"
SCIM_PREFIX = "/scim/"
CONTROL_PREFIX = "/_control"


def engine_of(path: str) -> str:
    """`admin` for /v1, `scim` for /scim, `control` for /_control, else `other`."""
    if path.startswith(ADMIN_PREFIX) or path == "/v1":
        return "admin"
    if path.startswith(SCIM_PREFIX) or path == "/scim":
        return "scim"
    if path.startswith(CONTROL_PREFIX):
        return "control"
    return "other"


def state(scope: Scope) -> dict[str, Any]:
    """The per-request state dict (the same one Starlette exposes as `request.state`)."""
    return scope.setdefault("state", {})


def header(scope: Scope, name: str) -> str | None:
    wanted = name.lower().encode("latin-1")
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None


async def send_json(
    send: Send,
    status: int,
    body: Any,
    headers: list[tuple[str, str]] | None = None,
    content_type: str = "application/json",
) -> None:
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    raw_headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(payload)).encode()),
    ]
    raw_headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers or []]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload, "more_body": False})


async def send_error(
    scope: Scope,
    send: Send,
    status: int,
    message: str,
    error_type: str | None = None,
    headers: list[tuple[str, str]] | None = None,
    scim_type: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """The documented error answer for the engine the path belongs to."""
    if engine_of(scope.get("path", "")) == "scim":
        body = scim_error_body(status, message, scim_type)
        await send_json(send, status, body, headers, "application/scim+json")
        return
    request_id = state(scope).get("request_id", "")
    body = admin_error_body(error_type or error_type_for(status), message, request_id, details)
    await send_json(send, status, body, headers)
