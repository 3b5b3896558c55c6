"""THE table of remediation actions: each through the engine and endpoint that own it.

A row says what the action does, for which products, through which engine (`admin`: the admin
key; `oauth`: the org:admin OAuth token; `scim`: the SCIM bearer token), the exact request (path
template filled from the target's graph properties, and body), what it needs (key scopes, SCIM
available), the graph label of its target, and how it is undone (or why it cannot be).
Facts: shared/reference/anthropic-admin-api.md §4–§9, claude-org-products.md §2 and §4,
scim.md §2.8. ingest/lifecycle_actions.py summarises this table on the organization node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ingest.extract.capabilities import Product

Engine = Literal["admin", "oauth", "scim"]

BOTH: tuple[Product, ...] = ("console", "enterprise")
WRITE_MEMBERS = "write:members"
WRITE_RBAC_GROUPS = "write:rbac_groups"
SIGN_OUT_BETA = {"anthropic-beta": "admin-user-sign-out-2026-10-08"}
SCIM_PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

_USERS = "/v1/organizations/users/{id}"
_KEYS = "/v1/organizations/api_keys/{id}"
_WORKSPACE_MEMBER = "/v1/organizations/workspaces/{workspace_id}/members/{user_id}"
_GROUP_MEMBER = "/v1/organizations/rbac_groups/{group_id}/members/{user_id}"


def _scim_active(active: bool) -> dict[str, Any]:
    return {
        "schemas": [SCIM_PATCH],
        "Operations": [{"op": "replace", "path": "active", "value": active}],
    }


@dataclass(frozen=True)
class Action:
    kind: str
    products: tuple[Product, ...]
    engine: Engine
    method: str
    path: str  # `{name}` is filled from the target's graph properties (`id`: its graph id)
    target: str  # the graph label of the target
    description: str
    body: dict[str, Any] | None = None  # `{"role": None}`: the value comes with the plan item
    read: str | None = None  # GET path that reads the target back (None: a GET of `path`)
    effect: dict[str, Any] = field(default_factory=dict)  # the target's state once done
    scopes: tuple[str, ...] = ()  # Enterprise key scopes it needs (claude-org-products.md §1.2)
    headers: dict[str, str] = field(default_factory=dict)
    undo: str | None = None  # the action that reverses it
    irreversible: str | None = None  # why it cannot be undone
    scim_managed_refusal: bool = False  # Enterprise refuses it while SCIM manages members
    lifecycle: str | None = None  # its name in the organization node's `lifecycle_actions`
    # The target's properties compared between planning and applying; None: its label's
    # (ingest/remediate/plan.py WATCHED).
    watched: tuple[str, ...] | None = None

    @property
    def needs_scim(self) -> bool:
        return self.engine == "scim"


ACTIONS: tuple[Action, ...] = (
    # ---- Claude Console, admin key (anthropic-admin-api.md §4, §5, §7, §8) ----
    Action(
        "remove_member", ("console",), "admin", "DELETE", _USERS, "AnthropicUser",
        "remove the member from the organization", effect={"gone": True},
        irreversible="a removed member must be invited again; their personal keys stay archived",
        lifecycle="remove_member",
    ),
    Action(
        "change_member_role", ("console",), "admin", "POST", _USERS, "AnthropicUser",
        "change the member's organization role", body={"role": None}, undo="change_member_role",
        lifecycle="change_member_role",
    ),
    Action(
        "remove_workspace_member", ("console",), "admin", "DELETE", _WORKSPACE_MEMBER,
        "AnthropicUser", "remove the member from the workspace", effect={"gone": True},
        irreversible="the member must be added to the workspace again, by hand",
        watched=(),  # the membership read back has no organization role to compare
    ),
    Action(
        "change_workspace_role", ("console",), "admin", "POST", _WORKSPACE_MEMBER,
        "AnthropicUser", "change the member's workspace role", body={"workspace_role": None},
        irreversible="the plan does not record the previous workspace role: set it by hand",
        watched=(),
    ),
    Action(
        "deactivate_key", ("console",), "admin", "POST", _KEYS, "AnthropicApiKey",
        "set the API key inactive", body={"status": "inactive"}, effect={"status": "inactive"},
        undo="reactivate_key",
    ),
    Action(
        "reactivate_key", ("console",), "admin", "POST", _KEYS, "AnthropicApiKey",
        "set the API key active again", body={"status": "active"}, effect={"status": "active"},
        undo="deactivate_key",
    ),
    Action(
        "archive_key", ("console",), "admin", "POST", _KEYS, "AnthropicApiKey",
        "archive the API key", body={"status": "archived"}, effect={"status": "archived"},
        irreversible="an archived key can never be changed again",
    ),
    Action(
        "delete_invite", ("console",), "admin", "DELETE", "/v1/organizations/invites/{id}",
        "AnthropicInvite", "delete the pending invite", effect={"gone": True},
        irreversible="a deleted invite must be sent again", lifecycle="withdraw_invite",
    ),
    # ---- Claude Console, org:admin OAuth token (anthropic-admin-api.md §9, §10) ----
    Action(
        "archive_service_account", ("console",), "oauth", "POST",
        "/v1/organizations/service_accounts/{id}/archive", "AnthropicServiceAccount",
        "archive the service account (its keys stop working)",
        read="/v1/organizations/service_accounts/{id}", effect={"archived": True},
        irreversible="archiving cannot be undone",
    ),
    Action(
        "archive_federation_rule", ("console",), "oauth", "POST",
        "/v1/organizations/federation_rules/{id}/archive", "AnthropicFederationRule",
        "archive the federation rule (no more tokens through it)",
        read="/v1/organizations/federation_rules/{id}", effect={"archived": True},
        irreversible="archiving cannot be undone",
    ),
    # ---- Claude Enterprise, scoped key (claude-org-products.md §2) ----
    Action(
        "remove_member", ("enterprise",), "admin", "DELETE", _USERS, "AnthropicUser",
        "remove the member from the organization", effect={"gone": True},
        scopes=(WRITE_MEMBERS,), scim_managed_refusal=True,
        irreversible="a removed member must be invited again", lifecycle="remove_member",
    ),
    Action(
        "change_member_role", ("enterprise",), "admin", "POST", _USERS, "AnthropicUser",
        "set the member's role to user or managed", body={"role": None},
        scopes=(WRITE_MEMBERS,), scim_managed_refusal=True, undo="change_member_role",
        lifecycle="change_member_role",
    ),
    Action(
        "sign_out_member", ("enterprise",), "admin", "POST", _USERS + "/sign_out",
        "AnthropicUser", "sign the member out everywhere (beta)", read=_USERS,
        scopes=(WRITE_MEMBERS,), headers=SIGN_OUT_BETA,
        irreversible="ended sessions stay ended; the member can sign in again",
        lifecycle="sign_out_member",
    ),
    Action(
        "delete_invite", ("enterprise",), "admin", "DELETE", "/v1/organizations/invites/{id}",
        "AnthropicInvite", "withdraw the pending invite", effect={"gone": True},
        scopes=(WRITE_MEMBERS,), scim_managed_refusal=True,
        irreversible="a withdrawn invite must be sent again", lifecycle="withdraw_invite",
    ),
    Action(
        "remove_group_member", ("enterprise",), "admin", "DELETE", _GROUP_MEMBER,
        "AnthropicUser", "remove the member from a direct group (SCIM groups are read-only)",
        read=_USERS, effect={"gone": True}, scopes=(WRITE_RBAC_GROUPS,), undo="add_group_member",
        lifecycle="change_group_membership",
    ),
    Action(
        "add_group_member", ("enterprise",), "admin", "POST",
        "/v1/organizations/rbac_groups/{group_id}/members", "AnthropicUser",
        "add the member to a direct group again", body={"user_id": None},
        read=_USERS, scopes=(WRITE_RBAC_GROUPS,), undo="remove_group_member",
    ),
    # ---- SCIM, bearer token (scim.md §2.8) ----
    Action(
        "scim_deactivate", BOTH, "scim", "PATCH", "/Users/{scim_id}", "ScimUser",
        "deactivate the person in the SCIM directory (Claude deprovisions the member)",
        body=_scim_active(False), effect={"active": False}, undo="scim_reactivate",
        lifecycle="scim_deactivate",
    ),
    Action(
        "scim_reactivate", BOTH, "scim", "PATCH", "/Users/{scim_id}", "ScimUser",
        "reactivate the person in the SCIM directory", body=_scim_active(True),
        effect={"active": True}, undo="scim_deactivate",
    ),
)  # fmt: skip

KINDS: tuple[str, ...] = tuple(dict.fromkeys(a.kind for a in ACTIONS))


class UnknownAction(KeyError):
    """No action of the table has this kind for this product."""


def action(kind: str, product: Product) -> Action:
    for candidate in ACTIONS:
        if candidate.kind == kind and product in candidate.products:
            return candidate
    raise UnknownAction(f"no action {kind!r} for {product} (known: {', '.join(KINDS)})")
