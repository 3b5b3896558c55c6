"""What an organization's product offers and what its admin key may read, found by asking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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
    # an Enterprise key's scopes as found; None: not known / Console (no scopes)
    scopes: frozenset[str] | None = None

    def permits(self, *needed: str) -> bool:
        return self.scopes is None or all(scope in self.scopes for scope in needed)


async def detect_product(admin: AdminExtractor) -> Product:
    """The organization's product, by one documented request: Console answers
    `GET /v1/organizations/me`, Enterprise answers it 400 `organization_type_not_supported`
    (docs/simulator.md). The key's prefix only suggests which; the answer decides."""
    return await admin.product()
