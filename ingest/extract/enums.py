"""The documented enums, and a field type that keeps values it does not know.

An unknown value (the API "may add new values") is kept as its raw string and noted in
the validation context, so `parse_records` can report it; the record survives. The
enums are `StrEnum`s, so a known member still compares equal to its string.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, ValidationInfo

NOTES_KEY = "notes"  # the validation-context list unknown values are reported into


class OrgRole(StrEnum):
    ADMIN = "admin"
    BILLING = "billing"
    CLAUDE_CODE_USER = "claude_code_user"
    DEVELOPER = "developer"
    MANAGED = "managed"
    MEMBERSHIP_ADMIN = "membership_admin"
    OWNER = "owner"
    PRIMARY_OWNER = "primary_owner"
    USER = "user"


class WorkspaceRole(StrEnum):
    WORKSPACE_ADMIN = "workspace_admin"
    WORKSPACE_BILLING = "workspace_billing"
    WORKSPACE_DEVELOPER = "workspace_developer"
    WORKSPACE_RESTRICTED_DEVELOPER = "workspace_restricted_developer"
    WORKSPACE_USER = "workspace_user"


class ApiKeyStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ARCHIVED = "archived"
    EXPIRED = "expired"


class InviteStatus(StrEnum):
    ACCEPTED = "accepted"
    DELETED = "deleted"
    EXPIRED = "expired"
    PENDING = "pending"


class ServiceAccountRole(StrEnum):
    ADMIN = "admin"
    DEVELOPER = "developer"


class ActorType(StrEnum):
    USER = "user"
    SERVICE_ACCOUNT = "service_account"


class JwksType(StrEnum):
    DISCOVERY = "discovery"
    EXPLICIT_URL = "explicit_url"
    INLINE = "inline"


class FederationTargetType(StrEnum):
    SERVICE_ACCOUNT = "service_account"


def note(info: ValidationInfo, text: str) -> None:
    """Report a tolerated oddity into the validation context, when one is given."""
    context = info.context if isinstance(info.context, dict) else None
    if context is not None:
        context.setdefault(NOTES_KEY, []).append(text)


def _as_text(value: StrEnum | str | None) -> str | None:
    return None if value is None else str(value)


def _lenient(enum: type[StrEnum]) -> Any:
    def validate(value: Any, info: ValidationInfo) -> StrEnum | str | None:
        if value is None or isinstance(value, enum):
            return value
        try:
            return enum(value)
        except ValueError:
            note(info, f"{info.field_name}={str(value)!r} is not a known {enum.__name__}; kept")
            return str(value)

    return Annotated[enum | str, PlainValidator(validate), PlainSerializer(_as_text)]


LenientOrgRole = _lenient(OrgRole)
LenientWorkspaceRole = _lenient(WorkspaceRole)
LenientApiKeyStatus = _lenient(ApiKeyStatus)
LenientInviteStatus = _lenient(InviteStatus)
LenientServiceAccountRole = _lenient(ServiceAccountRole)
LenientActorType = _lenient(ActorType)
LenientJwksType = _lenient(JwksType)
LenientFederationTargetType = _lenient(FederationTargetType)
