"""The errors the extractors raise. None of their texts ever holds a secret."""

from __future__ import annotations

from typing import ClassVar


class ExtractError(Exception):
    """Base of every extraction failure."""


class CredentialError(ExtractError):
    """A credential is missing or of the wrong kind; raised before any request."""


class DeadlineExceeded(ExtractError):
    """The run's overall deadline passed; nothing more is fetched."""


class NetworkError(ExtractError):
    """A request kept failing at the transport level (connection, timeout, cut body)."""


class ApiError(ExtractError):
    """An HTTP error answer, with the documented error envelope read out of it."""

    def __init__(
        self,
        status: int,
        error_type: str | None,
        message: str,
        request_id: str | None = None,
        *,
        family: str | None = None,
        endpoint: str | None = None,
        error_code: str | None = None,
    ) -> None:
        self.status = status
        self.error_code = error_code  # `error.details.error_code`, where the API names one
        self.error_type = error_type
        self.message = message
        self.request_id = request_id
        self.family = family
        self.endpoint = endpoint
        where = f" [{family} {endpoint}]" if family or endpoint else ""
        rid = f" (request {request_id})" if request_id else ""
        super().__init__(f"HTTP {status} {error_type or 'error'}: {message}{rid}{where}")


class ServiceAccountPermissionError(ApiError):
    """403 on a service-account route: the OAuth token lacks the org:admin scope."""


class OrganizationMismatchError(ExtractError):
    """The anthropic-organization-id header disagrees with GET /v1/organizations/me."""


class MalformedPageError(ExtractError):
    """A list page could not be trusted; the family is incomplete and must not be cleaned up."""

    def __init__(self, family: str, endpoint: str, problem: str) -> None:
        self.family = family
        self.endpoint = endpoint
        self.problem = problem
        super().__init__(f"malformed page of {family} from {endpoint}: {problem}")


class ScimUnavailable(ExtractError):
    """403 on the first SCIM call: SCIM is not on this organization's plan.

    The sync skips SCIM and disables lifecycle remediation; it is not a failure.
    """

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(
            f"SCIM not available on this organization's plan (HTTP {status}): {reason}"
        )


class ScimRefused(ExtractError):
    """401 or 404 on the first SCIM call: this sync's SCIM token or URL is wrong.

    A failure, unlike ScimUnavailable: the organization has SCIM, the sync could not read it, so
    the SCIM graph stays as the last good sync left it and the sync exits 1 until it is fixed.
    """

    # HTTP status -> (the organization's scim_status, what to fix)
    KINDS: ClassVar[dict[int, tuple[str, str]]] = {
        401: (
            "credential_rejected",
            "the SCIM token was rejected (wrong or revoked): set ANTHROPIC_SCIM_TOKEN to the "
            "current token from the identity-provider setup",
        ),
        404: (
            "not_found",
            "the SCIM URL is wrong (nothing answers at its base): set ANTHROPIC_SCIM_URL "
            "exactly as the identity-provider setup shows it",
        ),
    }

    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail
        self.scim_status, fix = self.KINDS[status]
        super().__init__(f"{fix} (HTTP {status})")
