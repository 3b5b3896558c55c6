"""The lifecycle actions, summarised from the remediation actions (ingest/remediate/actions.py):
what each needs of the product, the key and SCIM.

Read by the sync (the organization node's `lifecycle_actions`) and by `idgraph doctor`; what
`idgraph remediate` offers is the gate's (ingest/remediate/gate.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.extract.capabilities import AT_LEAST, Capabilities, Product, missing_scopes
from ingest.remediate.actions import ACTIONS


@dataclass(frozen=True)
class LifecycleAction:
    name: str
    products: tuple[Product, ...]
    description: str
    scopes: tuple[str, ...] = ()  # Enterprise key scopes it needs (claude-org-products.md §1.2)
    needs_scim: bool = False  # SCIM must be `available` (the organization's scim_status)


# The remediation actions that have a lifecycle name, once per name, products and needs.
LIFECYCLE_ACTIONS: tuple[LifecycleAction, ...] = tuple(
    dict.fromkeys(
        LifecycleAction(a.lifecycle, a.products, a.description, a.scopes, a.needs_scim)
        for a in ACTIONS
        if a.lifecycle is not None
    )
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
