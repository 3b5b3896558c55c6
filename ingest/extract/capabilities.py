"""What an organization's admin key may read: its product and, on Enterprise, its scopes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ingest.extract.credentials import AdminKeyKind
from ingest.extract.errors import ApiError

if TYPE_CHECKING:
    from ingest.extract.admin import AdminExtractor

Product = Literal["console", "enterprise"]

PRODUCT_NAMES: dict[Product, str] = {
    "console": "Claude Console",
    "enterprise": "Claude Enterprise",
}


@dataclass(frozen=True)
class Capabilities:
    product: Product
    scopes: frozenset[str] | None = None

    def permits(self, *needed: str) -> bool:
        return not missing_scopes(self, *needed)


ORG_AUDIT = "read:org_audit"
READ_MEMBERS = "read:members"
READ_RBAC_GROUPS = "read:rbac_groups"
READ_ANALYTICS = "read:analytics"
READ_COMPLIANCE_ACTIVITIES = "read:compliance_activities"
USER_MANAGEMENT_READS = frozenset({READ_MEMBERS, READ_RBAC_GROUPS})

# Held with the scopes probed when no probe was refused: the key holds at least the others, and
# perhaps more (only a 403 lists a key's scopes, and a key that may read everything gets none).
AT_LEAST = "(at least)"

# Any day answers the scope question; the Analytics API's data starts on this one (§4.6).
ANALYTICS_PROBE = {"date": "2026-01-01"}
# Cheap GETs of families that need a scope: the scope most often missing first, since the first
# 403 already lists every scope the key holds. Analytics last: its own rate limit, and a day to
# ask. What each needs is its read plan row's business.
_SCOPE_PROBES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("rbac_groups", "/v1/organizations/rbac_groups", {}),
    ("users", "/v1/organizations/users", {}),
    ("compliance_activity", "/v1/compliance/activities", {"limit": "1"}),
    ("analytics_activity", "/v1/organizations/analytics/users", ANALYTICS_PROBE),
)
_GOT = re.compile(r"Got: \[([^\]]*)\]")


def missing_scopes(capabilities: Capabilities, *needed: str) -> tuple[str, ...]:
    """The scopes of `needed` the key lacks (none for a Console key, which has no scopes);
    `read:org_audit` covers every user-management GET (claude-org-products.md §1.2)."""
    if capabilities.scopes is None:
        return ()
    held = capabilities.scopes
    audit = ORG_AUDIT in held
    return tuple(s for s in needed if s not in held and not (audit and s in USER_MANAGEMENT_READS))


def product_of_key(kind: AdminKeyKind) -> Product:
    """The product an admin key's prefix names: a first value (pacing is chosen before any
    request), which the API's answers then confirm."""
    return "enterprise" if kind is AdminKeyKind.ENTERPRISE else "console"


async def probe_scopes(
    admin: AdminExtractor, needs: Mapping[str, tuple[str, ...]]
) -> frozenset[str] | None:
    """The scopes of an Enterprise key, read from the documented 403 (`Missing required scopes.
    Got: [...] Needed: [...]`) of a probe it fails; when every probe succeeds, the scopes the
    probed families need (`needs`: family -> scopes, as the read plan declares) plus
    `AT_LEAST`. None for a Console key (it has no scopes), and when a probe fails for another
    reason (the scopes are then not known)."""
    if admin.admin_key_kind is not AdminKeyKind.ENTERPRISE:
        return None
    proven: set[str] = set()
    for family, endpoint, params in _SCOPE_PROBES:
        try:
            await admin.probe(family, endpoint, params)
        except ApiError as exc:
            got = _GOT.search(exc.message) if exc.status == 403 else None
            if got is None:
                # Not a scope answer (a server error, say): the scopes stay unknown and every
                # family is read, so each failure is the family's own, deleting nothing.
                return None
            return frozenset(s.strip() for s in got.group(1).split(",") if s.strip())
        proven.update(needs.get(family, ()))
    return frozenset({*proven, AT_LEAST})


async def detect_product(admin: AdminExtractor) -> Product:
    """The organization's product, by one documented request: Console answers
    `GET /v1/organizations/me`, Enterprise answers it 400 `organization_type_not_supported`
    (docs/simulator.md). The key's prefix only suggests which; the answer decides."""
    return await admin.product()


async def capabilities_of(
    admin: AdminExtractor, needs: Mapping[str, tuple[str, ...]]
) -> Capabilities:
    """The product and, on Enterprise, the key's scopes (`needs` as for `probe_scopes`): both
    by asking."""
    product = await detect_product(admin)
    scopes = await probe_scopes(admin, needs) if product == "enterprise" else None
    return Capabilities(product, scopes)
