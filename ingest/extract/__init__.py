"""Extractors: every identity of a Claude organization, from the Admin API and SCIM 2.0.

Typical use:

    credentials = Credentials.from_env()            # CredentialError before any request
    config = ExtractConfig()
    deadline = Deadline(config.deadline)            # one deadline for both engines
    async with AdminExtractor(credentials, config, deadline=deadline) as admin:
        users = await admin.users()                 # ParseResult: records and issues
    if credentials.scim is not None:
        async with ScimExtractor(credentials.scim, config, deadline=deadline) as scim:
            await scim.probe()                      # ScimUnavailable when not on the plan
            groups = await scim.groups()

A family method that raises `ExtractError` was not read and must not be cleaned up. The sync
reads every family through its read plan (ingest/sync/plan.py).
"""

from ingest.extract.admin import ADMIN_FAMILIES, AdminExtractor
from ingest.extract.config import EngineLimits, ExtractConfig
from ingest.extract.credentials import (
    AdminKeyKind,
    Credentials,
    ScimCredentials,
    Secret,
    admin_key,
    oauth_token,
    redact,
    scim_credentials,
)
from ingest.extract.deadline import Deadline
from ingest.extract.enums import (
    ActorType,
    ApiKeyStatus,
    InviteStatus,
    OrgRole,
    ServiceAccountRole,
    WorkspaceRole,
)
from ingest.extract.errors import (
    ApiError,
    CredentialError,
    DeadlineExceeded,
    ExtractError,
    MalformedPageError,
    NetworkError,
    OrganizationMismatchError,
    ScimRefused,
    ScimUnavailable,
    ServiceAccountPermissionError,
)
from ingest.extract.models import (
    Actor,
    ApiKey,
    ApiKeyScope,
    DataResidency,
    Invite,
    Organization,
    Principal,
    Record,
    ScimGroup,
    ScimUser,
    ServiceAccount,
    ServiceAccountMembership,
    User,
    Workspace,
    WorkspaceMember,
)
from ingest.extract.parsing import ParseResult, RecordIssue, parse_records
from ingest.extract.scim import SCIM_GROUPS, SCIM_USERS, ScimExtractor, ScimService
from ingest.extract.token_bucket import TokenBucket
from ingest.extract.transport import EngineStats, ResilientTransport

__all__ = [
    "ADMIN_FAMILIES",
    "SCIM_GROUPS",
    "SCIM_USERS",
    "Actor",
    "ActorType",
    "AdminExtractor",
    "AdminKeyKind",
    "ApiError",
    "ApiKey",
    "ApiKeyScope",
    "ApiKeyStatus",
    "CredentialError",
    "Credentials",
    "DataResidency",
    "Deadline",
    "DeadlineExceeded",
    "EngineLimits",
    "EngineStats",
    "ExtractConfig",
    "ExtractError",
    "Invite",
    "InviteStatus",
    "MalformedPageError",
    "NetworkError",
    "OrgRole",
    "Organization",
    "OrganizationMismatchError",
    "ParseResult",
    "Principal",
    "Record",
    "RecordIssue",
    "ResilientTransport",
    "ScimCredentials",
    "ScimExtractor",
    "ScimGroup",
    "ScimRefused",
    "ScimService",
    "ScimUnavailable",
    "ScimUser",
    "Secret",
    "ServiceAccount",
    "ServiceAccountMembership",
    "ServiceAccountPermissionError",
    "ServiceAccountRole",
    "TokenBucket",
    "User",
    "Workspace",
    "WorkspaceMember",
    "WorkspaceRole",
    "admin_key",
    "oauth_token",
    "parse_records",
    "redact",
    "scim_credentials",
]
