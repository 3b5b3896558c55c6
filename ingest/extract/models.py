"""Typed records of every identity family the extractors read.

Tolerance rules (see `parsing.parse_records`):
- only the identifying fields (`id_fields`) are required; every other field may be
  missing or unreadable and is then None (or empty), with the problem reported;
- enums keep values they do not know as raw strings (reported, never fatal);
- extra fields the API adds later are ignored.

Default Workspace rule: the list endpoint returns the Default Workspace only with
`include_default=true`. The extractor lists workspaces twice (with and without
`include_default`, both with `include_archived=true`) and marks `is_default` on the
workspace(s) present only in the first listing. Names are not trusted (a workspace may
be called "Default Workspace"); when the API predates `include_default`, no workspace is
marked and API keys whose deprecated `workspace_id` is null point at the default one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from ingest.extract.enums import (
    ActorType,
    LenientActorType,
    LenientApiKeyStatus,
    LenientFederationTargetType,
    LenientInviteStatus,
    LenientJwksType,
    LenientOrgRole,
    LenientServiceAccountRole,
    LenientWorkspaceRole,
    note,
)


class Record(BaseModel):
    """A record of one family. `id_fields` identify it; `expected_fields` should be present."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id_fields: ClassVar[tuple[str, ...]] = ("id",)
    expected_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def record_id(cls, raw: Mapping[str, Any]) -> str | None:
        """The record's identity ("a:b" for composite ones), or None when unreadable."""
        parts = [raw.get(name) for name in cls.id_fields]
        if not all(isinstance(part, str) and part for part in parts):
            return None
        return ":".join(parts)  # type: ignore[arg-type]

    @property
    def key(self) -> str:
        return ":".join(getattr(self, name) for name in self.id_fields)


class Organization(Record):
    id: str
    name: str | None = None
    type: str | None = None
    expected_fields = frozenset({"name"})


class User(Record):
    id: str
    email: str | None = None
    name: str | None = None
    role: LenientOrgRole | None = None
    added_at: datetime | None = None
    expected_fields = frozenset({"email", "name", "role", "added_at"})


class Invite(Record):
    id: str
    email: str | None = None
    role: LenientOrgRole | None = None
    status: LenientInviteStatus | None = None
    invited_at: datetime | None = None
    expires_at: datetime | None = None
    accepted_at: datetime | None = None
    rbac_group_ids: list[str] = Field(default_factory=list)
    expected_fields = frozenset({"email", "role", "status", "invited_at", "expires_at"})


class DataResidency(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    workspace_geo: str | None = None
    # a list of geos ("global", "us"), or the string "unrestricted"
    allowed_inference_geos: list[str] | str | None = None
    default_inference_geo: str | None = None


class Workspace(Record):
    id: str
    name: str | None = None
    created_at: datetime | None = None
    archived_at: datetime | None = None
    display_color: str | None = None
    data_residency: DataResidency | None = None
    compartment_id: str | None = None
    external_key_id: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    is_default: bool = False  # set by the extractor, see the module docstring
    expected_fields = frozenset({"name", "created_at"})

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class WorkspaceMember(Record):
    """An explicit user membership of a workspace (inherited access is not listed)."""

    workspace_id: str
    user_id: str
    workspace_role: LenientWorkspaceRole | None = None
    id_fields = ("workspace_id", "user_id")
    expected_fields = frozenset({"workspace_role"})


class Actor(BaseModel):
    """`created_by` of an API key: who made it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str | None = None
    type: LenientActorType | None = None


class ApiKeyScope(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    type: str | None = None  # "workspace" | "organization"
    workspace_id: str | None = None


_PRINCIPAL_KINDS = {
    "user_actor": (ActorType.USER, "user_id"),
    "service_account_actor": (ActorType.SERVICE_ACCOUNT, "service_account_id"),
    # legacy {id, type} shapes
    "user": (ActorType.USER, "id"),
    "service_account": (ActorType.SERVICE_ACCOUNT, "id"),
}


class Principal(BaseModel):
    """Whom a key is bound to, read from any of its shapes.

    Current: `{"type": "user_actor", "user_id"}` / `{"type": "service_account_actor",
    "service_account_id"}`; legacy: `{"id", "type": "user"}`. `kind` is None when the
    shape is unknown (then `raw_type` tells what was sent).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    kind: ActorType | None = None
    id: str | None = None
    raw_type: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalize(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, Mapping) or "raw_type" in value or "kind" in value:
            return value
        raw_type = value.get("type")
        kind, id_field = _PRINCIPAL_KINDS.get(str(raw_type), (None, None))
        if kind is None:
            note(info, f"principal type {str(raw_type)!r} is not known; kept")
            found = next(
                (value.get(k) for k in ("user_id", "service_account_id", "id") if value.get(k)),
                None,
            )
            return {"kind": None, "id": found, "raw_type": raw_type}
        return {"kind": kind, "id": value.get(id_field) or value.get("id"), "raw_type": raw_type}


class ApiKey(Record):
    id: str
    name: str | None = None
    created_at: datetime | None = None
    created_by: Actor | None = None  # null for legacy, WIF-federated or system-created keys
    expires_at: datetime | None = None  # null: never expires
    partial_key_hint: str | None = None
    status: LenientApiKeyStatus | None = None
    scope: ApiKeyScope | None = None
    principal: Principal | None = None
    workspace_id: str | None = None  # deprecated: null for the Default Workspace and org keys
    expected_fields = frozenset({"name", "created_at", "status"})

    @property
    def scope_workspace_id(self) -> str | None:
        """The workspace the key works in (the real id, also for the Default Workspace),
        from `scope` when present, else the deprecated `workspace_id` (None = default/org)."""
        if self.scope is not None:
            return self.scope.workspace_id
        return self.workspace_id


class ServiceAccount(Record):
    id: str
    name: str | None = None
    description: str | None = None
    organization_role: LenientServiceAccountRole | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived_at: datetime | None = None
    created_by_actor_id: str | None = None
    updated_by_actor_id: str | None = None
    archived_by_actor_id: str | None = None
    expected_fields = frozenset({"name", "organization_role", "created_at"})

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class ServiceAccountMembership(Record):
    service_account_id: str
    workspace_id: str
    workspace_role: LenientWorkspaceRole | None = None
    implicit: bool | None = None  # True for the implicit Default Workspace membership
    created_by_actor_id: str | None = None
    id_fields = ("service_account_id", "workspace_id")
    expected_fields = frozenset({"workspace_role"})


# ---- workload identity federation (reference claude-org-products.md 4.3) ----


class Jwks(BaseModel):
    """Where an issuer's signing keys come from; the inline keys themselves are not kept."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    type: LenientJwksType | None = None
    url: str | None = None  # explicit_url
    discovery_base: str | None = None  # discovery, when not the issuer URL


class PollStatus(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    consecutive_failures: int | None = None
    last_fetched_at: datetime | None = None
    next_poll_at: datetime | None = None


class FederationIssuer(Record):
    id: str
    name: str | None = None
    issuer_url: str | None = None
    jwks: Jwks | None = None
    check_jti: bool | None = None
    max_jwt_lifetime_seconds: int | None = None
    jwks_polling_disabled_at: datetime | None = None
    poll_status: PollStatus | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived_at: datetime | None = None
    created_by_actor_id: str | None = None
    updated_by_actor_id: str | None = None
    archived_by_actor_id: str | None = None
    expected_fields = frozenset({"name", "issuer_url", "jwks"})


class RuleMatch(BaseModel):
    """The conditions a JWT must meet; every one that is set must hold."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    subject_prefix: str | None = None  # a trailing * makes it a prefix match
    audience: str | None = None
    claims: dict[str, str] | None = None
    condition: str | None = None  # CEL


class RuleTarget(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    type: LenientFederationTargetType | None = None
    service_account_id: str | None = None
    service_account_name: str | None = None


class FederationRule(Record):
    id: str
    name: str | None = None
    description: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    match: RuleMatch | None = None
    target: RuleTarget | None = None
    oauth_scope: str | None = None  # space-separated
    token_lifetime_seconds: int | None = None
    applies_to_all_workspaces: bool | None = None
    workspace_ids: list[str] = Field(default_factory=list)
    workspace_id: str | None = None  # legacy single-workspace binding, not in workspace_ids
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived_at: datetime | None = None
    created_by_actor_id: str | None = None
    updated_by_actor_id: str | None = None
    archived_by_actor_id: str | None = None
    expected_fields = frozenset({"name", "issuer_id", "match", "target", "oauth_scope"})

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def scopes(self) -> list[str]:
        return (self.oauth_scope or "").split()


class FederationRuleWorkspace(Record):
    """A workspace a rule is explicitly enabled for."""

    federation_rule_id: str
    workspace_id: str
    workspace_name: str | None = None
    created_at: datetime | None = None
    created_by_actor_id: str | None = None
    id_fields = ("federation_rule_id", "workspace_id")


class ScimUser(Record):
    """A SCIM user (WorkOS directory). Join to Admin users on `primary_email`, exactly."""

    id: str
    user_name: str | None = None
    primary_email: str | None = None  # primary email, else first, else userName if email-like
    emails: list[str] = Field(default_factory=list)
    active: bool | None = None
    external_id: str | None = None
    display_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    department: str | None = None  # enterprise extension
    manager_id: str | None = None  # enterprise extension: the manager's SCIM id
    group_ids: list[str] = Field(default_factory=list)  # readOnly `groups` when sent
    expected_fields = frozenset({"user_name"})


class ScimGroup(Record):
    id: str
    display_name: str | None = None
    external_id: str | None = None
    member_ids: list[str] = Field(default_factory=list)  # every member value, users and groups
    nested_group_ids: list[str] = Field(default_factory=list)  # members typed "Group"
    expected_fields = frozenset({"display_name"})


# ---- Claude Enterprise groups and custom roles (reference claude-org-products.md 2.6-2.7) ----


class RbacGroup(Record):
    """A group; `role_ids` is None when the API said the role data is temporarily unavailable
    (null). The guide spells the field `roles`, the schema `role_ids`: either is read."""

    id: str
    name: str | None = None  # not unique
    source_type: str | None = None  # direct | scim; a new value is kept as sent
    created_at: datetime | None = None
    updated_at: datetime | None = None
    role_ids: list[str] | None = None
    expected_fields = frozenset({"name", "source_type"})

    @model_validator(mode="before")
    @classmethod
    def _either_role_field(cls, value: Any) -> Any:
        if isinstance(value, Mapping) and "role_ids" not in value and "roles" in value:
            return {**value, "role_ids": value["roles"]}
        return value


class RbacGroupMember(Record):
    """A current member of a group; the group id is `rbac_group_id` (schema) or `group_id`
    (guide), and the extractor supplies it from the listing otherwise."""

    rbac_group_id: str
    user_id: str
    email: str | None = None
    created_at: datetime | None = None
    id_fields = ("rbac_group_id", "user_id")

    @classmethod
    def record_id(cls, raw: Mapping[str, Any]) -> str | None:
        return super().record_id(_with_group_id(raw))

    @model_validator(mode="before")
    @classmethod
    def _either_group_field(cls, value: Any) -> Any:
        return _with_group_id(value) if isinstance(value, Mapping) else value


def _with_group_id(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    if raw.get("group_id") and not raw.get("rbac_group_id"):
        return {**raw, "rbac_group_id": raw["group_id"]}
    return raw


class RbacRoleSource(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    type: str | None = None  # built_in | custom; more values may be added (kept as sent)


class RbacRole(Record):
    """A role of the organization's catalog, built-in or custom. Keyed on `id`: built-in
    names can change. Older answers carried `name` instead of `display_name`."""

    id: str
    display_name: str | None = None
    name: str | None = None
    source: RbacRoleSource | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    expected_fields = frozenset({"source", "created_at"})


class RbacResource(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    type: str | None = None  # organization | connector_tool | connector_scope | connector | ...
    organization_id: str | None = None
    connector_id: str | None = None
    tool_name: str | None = None
    scope: str | None = None


class RbacRolePermission(Record):
    """One permission row of a role. Rows have no id: one is made of the role, the action
    and the resource, so two rows differing only in their resource stay two."""

    rbac_role_id: str
    action: str
    resource: RbacResource | None = None
    id_fields = ("rbac_role_id", "action")

    @classmethod
    def record_id(cls, raw: Mapping[str, Any]) -> str | None:
        base = super().record_id(raw)
        if base is None:
            return None
        resource = raw.get("resource")
        return f"{base}:{_resource_key(resource if isinstance(resource, Mapping) else {})}"

    @property
    def key(self) -> str:
        resource = self.resource.model_dump() if self.resource is not None else {}
        return f"{self.rbac_role_id}:{self.action}:{_resource_key(resource)}"


def _resource_key(resource: Mapping[str, Any]) -> str:
    fields = ("type", "organization_id", "connector_id", "tool_name", "scope")
    return "/".join(str(resource.get(name) or "") for name in fields)
