"""Turn HTTP failures into extraction errors whose texts hold no secret."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from pydantic import SecretStr

from ingest.extract.credentials import redact
from ingest.extract.errors import ApiError, NetworkError


def api_error(
    response: httpx.Response,
    secrets: Sequence[SecretStr],
    *,
    family: str | None = None,
    endpoint: str | None = None,
    error_class: type[ApiError] = ApiError,
    prefix: str = "",
) -> ApiError:
    """Read the documented error envelope (`{"type":"error","error":{type,message},
    "request_id"}`), falling back to the status line and the request-id header."""
    error_type, message, request_id = None, "", response.headers.get("request-id")
    error_code = None
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            error_type = _text(error.get("type"))
            message = _text(error.get("message")) or ""
            details = error.get("details")
            if isinstance(details, dict):
                error_code = _text(details.get("error_code"))
        request_id = _text(body.get("request_id")) or request_id
        if not message:  # a SCIM error, or another envelope
            message = _text(body.get("detail")) or _text(body.get("message")) or ""
    if not message:
        message = response.reason_phrase or "no error message"
    message = redact(prefix + message[:500], secrets)
    return error_class(
        response.status_code,
        error_type,
        message,
        request_id,
        family=family,
        endpoint=endpoint,
        error_code=error_code,
    )


def network_error(
    exc: httpx.HTTPError, secrets: Sequence[SecretStr], *, family: str, endpoint: str
) -> NetworkError:
    """A transport failure that outlasted every retry. The httpx exception is not chained:
    it carries the request, headers included."""
    text = f"{family}: GET {endpoint} failed after retries: {type(exc).__name__}: {exc}"
    return NetworkError(redact(text, secrets))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
