"""The hand-written Admin models read what Anthropic's SDK declares, and know its enums.

Our models are deliberately lenient (one odd record never stops a sync), so they cannot be the
SDK's models; these checks keep them from falling behind the published shape instead: a field
the SDK declares that we do not read must be named here with the reason, and our enums must
hold exactly the SDK's values (an unknown value is only tolerated, never mapped).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, get_args

import pytest
from anthropic.types.beta import BetaOrganization, BetaOrganizationRole
from anthropic.types.beta.organization import (
    BetaAPIKey,
    BetaAPIKeyCreatedBy,
    BetaOrganizationInvite,
    BetaOrganizationUser,
    BetaServiceAccount,
    BetaServiceAccountWorkspaceMember,
    BetaWorkspace,
    BetaWorkspaceMember,
    BetaWorkspaceRole,
)
from anthropic.types.beta.organization.beta_api_key import Principal, Scope
from anthropic.types.beta.organization.beta_rbac_group import BetaRBACGroup
from anthropic.types.beta.organization.beta_rbac_role import BetaRBACRole
from anthropic.types.beta.organization.federation import (
    BetaFederationIssuer,
    BetaFederationIssuerPollStatus,
    BetaFederationRule,
    BetaFederationRuleMatch,
    BetaFederationRuleWorkspace,
    BetaServiceAccountTarget,
)
from anthropic.types.beta.organization.federation.beta_federation_issuer import JWKS
from anthropic.types.beta.organization.rbac_groups.beta_rbac_group_member import (
    BetaRBACGroupMember,
)
from anthropic.types.beta.organization.rbac_roles.beta_rbac_role_permission import (
    BetaRBACRolePermission,
    Resource,
)
from pydantic import BaseModel

from ingest.extract import models
from ingest.extract.enums import (
    ActorType,
    ApiKeyStatus,
    FederationTargetType,
    InviteStatus,
    JwksType,
    OrgRole,
    ServiceAccountRole,
    WorkspaceRole,
)
from tests.test_packaging import _third_party_imports

# `type` is each object's constant tag: the family already says it.
NOT_READ: dict[type[BaseModel], set[str]] = {
    models.Organization: set(),
    models.User: {"type"},
    models.Invite: {"type"},
    # the user profile and inference data privacy grant no access to anyone
    models.Workspace: {"type", "user_profile_id", "inference_data_privacy"},
    models.WorkspaceMember: {"type"},
    models.ApiKey: {"type"},
    models.ServiceAccount: {"type"},
    models.ServiceAccountMembership: {"type"},
    models.RbacGroup: {"type"},
    models.RbacGroupMember: {"type"},
    models.RbacRole: {"type"},
    models.RbacRolePermission: {"type"},
    models.FederationIssuer: {"type"},
    models.PollStatus: set(),
    # `attributes`: "not yet supported; always null"
    models.FederationRule: {"type", "attributes"},
    models.RuleMatch: set(),
    models.RuleTarget: set(),
    models.FederationRuleWorkspace: {"type"},
}
SDK_MODEL: dict[type[BaseModel], type[BaseModel]] = {
    models.Organization: BetaOrganization,
    models.User: BetaOrganizationUser,
    models.Invite: BetaOrganizationInvite,
    models.Workspace: BetaWorkspace,
    models.WorkspaceMember: BetaWorkspaceMember,
    models.ApiKey: BetaAPIKey,
    models.ServiceAccount: BetaServiceAccount,
    models.ServiceAccountMembership: BetaServiceAccountWorkspaceMember,
    models.RbacGroup: BetaRBACGroup,
    models.RbacGroupMember: BetaRBACGroupMember,
    models.RbacRole: BetaRBACRole,
    models.RbacRolePermission: BetaRBACRolePermission,
    models.FederationIssuer: BetaFederationIssuer,
    models.PollStatus: BetaFederationIssuerPollStatus,
    models.FederationRule: BetaFederationRule,
    models.RuleMatch: BetaFederationRuleMatch,
    models.RuleTarget: BetaServiceAccountTarget,
    models.FederationRuleWorkspace: BetaFederationRuleWorkspace,
}


def literal_values(annotation: Any) -> set[str]:
    """Every string of a Literal, also inside Optional/Union/Annotated."""
    args = get_args(annotation)
    if all(isinstance(arg, str) for arg in args):
        return set(args)
    return set().union(*(literal_values(arg) for arg in args))


def union_tags(alias: Any) -> set[str]:
    """The `type` tags of a discriminated union of SDK models."""
    members = get_args(get_args(alias)[0])  # Annotated[Union[...], discriminator]
    return set().union(*(sdk_enum(m, "type") for m in members if m is not type(None)))


def sdk_enum(model: type[BaseModel], name: str) -> set[str]:
    return literal_values(model.model_fields[name].annotation)


@pytest.mark.parametrize("ours", list(SDK_MODEL), ids=lambda m: m.__name__)
def test_every_sdk_field_is_read_or_named(ours: type[BaseModel]) -> None:
    declared = set(SDK_MODEL[ours].model_fields)
    assert declared - set(ours.model_fields) == NOT_READ[ours]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (OrgRole, literal_values(BetaOrganizationRole)),
        (WorkspaceRole, literal_values(BetaWorkspaceRole)),
        (InviteStatus, sdk_enum(BetaOrganizationInvite, "status")),
        (ApiKeyStatus, sdk_enum(BetaAPIKey, "status")),
        (ServiceAccountRole, sdk_enum(BetaServiceAccount, "organization_role")),
        (ActorType, sdk_enum(BetaAPIKeyCreatedBy, "type")),
        (JwksType, union_tags(JWKS)),
        (FederationTargetType, sdk_enum(BetaServiceAccountTarget, "type")),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_enums_hold_the_sdk_values(ours: type[StrEnum], theirs: set[str]) -> None:
    assert {member.value for member in ours} == theirs


def test_key_principal_and_scope_shapes_are_known() -> None:
    for raw_type in union_tags(Principal):
        raw = {"type": raw_type, "user_id": "u", "service_account_id": "u"}
        principal = models.Principal.model_validate(raw)
        assert principal.kind is not None and principal.id == "u", raw_type
    # the mapping (ingest/mapping/admin.py) reads "organization" and otherwise a workspace
    assert union_tags(Scope) == {"organization", "workspace"}


def test_every_jwks_kind_is_read_but_its_keys_and_ca() -> None:
    """The inline keys and a custom CA certificate grant nothing: not kept."""
    for kind in get_args(get_args(JWKS)[0]):
        assert set(kind.model_fields) - set(models.Jwks.model_fields) <= {"keys", "ca_cert_pem"}
    unknown = models.Jwks.model_validate({"type": "spiffe_bundle"})
    assert unknown.type == "spiffe_bundle"


def test_every_permission_resource_field_is_read() -> None:
    """Each kind of permission resource the SDK declares is read whole (its `type` included);
    a kind the SDK adds later is kept as data, its type as sent."""
    for kind in get_args(get_args(Resource)[0]):
        assert set(kind.model_fields) <= set(models.RbacResource.model_fields), kind.__name__
    unknown = {"action": "use", "resource": {"type": "new_kind"}, "rbac_role_id": "r"}
    assert models.RbacRolePermission.model_validate(unknown).resource.type == "new_kind"
    role = models.RbacRole.model_validate({"id": "r", "source": {"type": "new_source"}})
    assert role.source is not None and role.source.type == "new_source"


def test_the_sdk_is_a_test_oracle_only() -> None:
    """The product reads with its own client (docs/architecture.md, "The Admin API client"),
    and the simulator follows the reference, not the SDK: neither imports it."""
    assert _third_party_imports().get("anthropic", set()) == set()
