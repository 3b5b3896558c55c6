"""Enterprise key scopes (placeholder: the Enterprise-credentials branch supplies the checks)."""

from __future__ import annotations

from starlette.requests import Request


def require_scopes(request: Request, *needed: str) -> None:
    """403 "Missing required scopes" for an Enterprise key lacking one of `needed`."""
    return None
