"""The capability gate: which actions an organization's recorded capabilities allow, and why not.

Pure: it reads the organization as the last sync recorded it (product, key scopes, SCIM status)
and whether an org:admin OAuth token is at hand, and asks nothing of any API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ingest.extract.capabilities import AT_LEAST, Capabilities, Product, missing_scopes
from ingest.remediate.actions import ACTIONS, Action

# Why SCIM actions are refused, by the organization's recorded `scim_status`.
SCIM_REFUSALS: dict[str, str] = {
    "unavailable": "SCIM is not available on this plan (HTTP 403): no SCIM lifecycle action",
    "credential_rejected": (
        "the SCIM token was rejected (HTTP 401): fix the token (ANTHROPIC_SCIM_TOKEN) and sync"
    ),
    "not_found": "the SCIM URL answers 404: fix ANTHROPIC_SCIM_URL and sync",
    "not_configured": "SCIM is not configured (ANTHROPIC_SCIM_URL, ANTHROPIC_SCIM_TOKEN)",
}
SCIM_MANAGES_MEMBERS = (
    "SCIM manages this Enterprise organization's members and roles: the API refuses removals, "
    "invites and role changes (400); deactivate the person in the identity provider instead"
)
NO_OAUTH = "needs an org:admin OAuth token (ANTHROPIC_OAUTH_TOKEN)"


@dataclass(frozen=True)
class OrgCapabilities:
    """An organization as the last sync recorded it on its node."""

    id: str
    name: str | None
    product: Product
    scopes: frozenset[str] | None  # None: a Console key (no scopes)
    scim_status: str

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> OrgCapabilities:
        product: Product = "enterprise" if node.get("product") == "enterprise" else "console"
        scopes = frozenset(node.get("key_scopes") or ()) if product == "enterprise" else None
        return cls(
            id=node["id"],
            name=node.get("name"),
            product=product,
            scopes=scopes,
            scim_status=node.get("scim_status") or "not_configured",
        )

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(self.product, self.scopes)

    @property
    def scim_manages_members(self) -> bool:
        # A directory the sync could read on Enterprise means SCIM mode (claude-org-products.md
        # §5): removals, invites and role changes then answer 400.
        return self.product == "enterprise" and self.scim_status == "available"


@dataclass(frozen=True)
class Offer:
    action: Action
    refused: str | None  # None: offered

    @property
    def offered(self) -> bool:
        return self.refused is None


def refusal(action: Action, org: OrgCapabilities, has_oauth: bool) -> str | None:
    """Why `action` is not offered to `org`, or None when it is (the product must offer it)."""
    if action.needs_scim and org.scim_status != "available":
        return SCIM_REFUSALS.get(org.scim_status, f"SCIM could not be read ({org.scim_status})")
    if action.engine == "oauth" and not has_oauth:
        return NO_OAUTH
    missing = missing_scopes(org.capabilities, *action.scopes)
    if missing and AT_LEAST in (org.scopes or ()):
        return (
            f"the key's {', '.join(missing)} was never seen (no probe was refused, so no 403 "
            "listed the key's scopes)"
        )
    if missing:
        return f"the key lacks {', '.join(missing)}"
    if action.scim_managed_refusal and org.scim_manages_members:
        return SCIM_MANAGES_MEMBERS
    return None


def gate(org: OrgCapabilities, has_oauth: bool) -> list[Offer]:
    """Every action of the organization's product, offered or refused with the reason."""
    return [Offer(a, refusal(a, org, has_oauth)) for a in ACTIONS if org.product in a.products]


def offered(org: OrgCapabilities, has_oauth: bool) -> dict[str, Action]:
    """The actions offered to the organization, by kind."""
    return {o.action.kind: o.action for o in gate(org, has_oauth) if o.offered}


def describe(org: OrgCapabilities, has_oauth: bool) -> str:
    """One line for `idgraph doctor`: what is offered, and why the rest is not."""
    offers = gate(org, has_oauth)
    yes = sorted({o.action.kind for o in offers if o.offered})
    no = sorted({f"{o.action.kind} ({o.refused})" for o in offers if not o.offered})
    text = f"offered: {', '.join(yes) or 'none'}"
    return text + (f"; refused: {'; '.join(no)}" if no else "")
