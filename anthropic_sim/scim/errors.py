"""SCIM errors (RFC 7644 §3.12): one exception type, rendered as the SCIM Error envelope."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    """An HTTP status, an optional `scimType` and a human `detail`."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.detail, self.scim_type)


def error_body(status: int, detail: str, scim_type: str | None = None) -> dict[str, Any]:
    """The Error message; `status` is the HTTP code as a string, as the RFC requires."""
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


def bad_request(scim_type: str, detail: str) -> ScimError:
    return ScimError(400, detail, scim_type)


def not_found(detail: str) -> ScimError:
    return ScimError(404, detail)
