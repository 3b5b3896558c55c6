"""THE table of lifecycle actions: what each needs of the product, the key and SCIM.

Read by the sync (the organization node's `lifecycle_actions`), by `idgraph doctor`, and meant
for remediation: an action is offered only where this table says the organization allows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.extract.capabilities import AT_LEAST, Capabilities, Product, missing_scopes


@dataclass(frozen=True)
class LifecycleAction:
    name: str
    products: tuple[Product, ...]
    description: str
    scopes: tuple[str, ...] = ()  # Enterprise key scopes it needs (claude-org-products.md §1.2)
    needs_scim: bool = False  # SCIM must be `available` (the organization's scim_status)


LIFECYCLE_ACTIONS: tuple[LifecycleAction, ...] = (
    LifecycleAction(
        "scim_deactivate",
        ("console", "enterprise"),
        "deactivate the person in the identity provider's SCIM directory",
        needs_scim=True,
    ),
    LifecycleAction("remove_member", ("console",), "remove a member with the Console admin key"),
    LifecycleAction(
        "change_member_role", ("console",), "change a member's role with the Console admin key"
    ),
    LifecycleAction(
        "withdraw_invite", ("console",), "delete a pending invite with the Console admin key"
    ),
    LifecycleAction(
        "remove_member",
        ("enterprise",),
        "remove a member (not owners, membership admins or the primary owner)",
        scopes=("write:members",),
    ),
    LifecycleAction(
        "change_member_role",
        ("enterprise",),
        "set a member's role to user or managed",
        scopes=("write:members",),
    ),
    LifecycleAction(
        "withdraw_invite", ("enterprise",), "withdraw a pending invite", scopes=("write:members",)
    ),
    LifecycleAction(
        "sign_out_member",
        ("enterprise",),
        "sign a member out everywhere (beta)",
        scopes=("write:members",),
    ),
    LifecycleAction(
        "change_group_membership",
        ("enterprise",),
        "add people to or remove them from direct (not SCIM) groups",
        scopes=("write:rbac_groups",),
    ),
)


def blocked_by(action: LifecycleAction, capabilities: Capabilities, scim_status: str) -> str | None:
    """Why `action` is not possible for this organization, or None when it is."""
    if capabilities.product not in action.products:
        return f"not offered by {capabilities.product}"
    if action.needs_scim and scim_status != "available":
        return f"SCIM is {scim_status}"
    missing = missing_scopes(capabilities, *action.scopes)
    if missing and AT_LEAST in (capabilities.scopes or ()):
        return f"{', '.join(missing)} not seen (no probe was refused, so no 403 listed the scopes)"
    if missing:
        return f"the key lacks {', '.join(missing)}"
    return None


def possible_actions(capabilities: Capabilities, scim_status: str) -> list[str]:
    """The lifecycle actions this organization's key and SCIM allow, by name."""
    return sorted(
        {a.name for a in LIFECYCLE_ACTIONS if blocked_by(a, capabilities, scim_status) is None}
    )
