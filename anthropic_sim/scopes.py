"""Enterprise Admin key scopes (reference claude-org-products.md 1.2): a missing scope is a 403
with the documented message. Console credentials have no scopes and are never checked here."""

from __future__ import annotations

from starlette.requests import Request

from anthropic_sim.errors import ApiError

# `read:org_audit` allows every user-management GET (members, invites, roles, groups).
ORG_AUDIT = "read:org_audit"
USER_MANAGEMENT_READS = ("read:members", "read:rbac_groups")


def missing_scopes(got: tuple[str, ...], needed: tuple[str, ...], method: str) -> list[str]:
    audit = method in ("GET", "HEAD") and ORG_AUDIT in got
    return [
        scope
        for scope in needed
        if scope not in got and not (audit and scope in USER_MANAGEMENT_READS)
    ]


def require_scopes(request: Request, *needed: str) -> None:
    """403 `permission_error` when the calling Enterprise key lacks any of `needed`."""
    got: tuple[str, ...] | None = getattr(request.state, "scopes", None)
    if got is None:
        return
    if missing_scopes(got, needed, request.method):
        raise ApiError(
            403,
            f"Missing required scopes. Got: [{', '.join(got)}] Needed: [{', '.join(needed)}]",
        )
