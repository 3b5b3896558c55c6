"""Default Admin API pacing per product, from the published rate limits.

Claude Enterprise allows 100 requests a minute per organization across its Admin endpoints
(claude-org-products.md §2.1), and its Analytics API 60 a minute per organization (§4.6), paced
as a route of its own; Claude Console publishes no number, so it keeps the configurable
default. Either way a 429 holds the engine back for its `retry-after` (ingest/extract/transport.py).
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import SecretStr

from ingest.extract.capabilities import Product, product_of_key
from ingest.extract.config import EngineLimits
from ingest.extract.credentials import admin_key_kind
from ingest.extract.errors import CredentialError

ENTERPRISE_ORG_REQUESTS = 100
ENTERPRISE_ORG_WINDOW_S = 60.0
ENTERPRISE_BURST = 5
ANALYTICS_ROUTE = "/v1/organizations/analytics/"
ANALYTICS_ORG_REQUESTS = 60


def within_window(requests: int, window_s: float, burst: int = ENTERPRISE_BURST) -> EngineLimits:
    """Pacing that never sends more than `requests` in any `window_s`, whatever the window's
    shape or alignment: a token bucket sends at most `burst + rate * window_s` in any stretch of
    that length. The whole allowance is used (docs/performance.md, "2026-12-02: Enterprise"):
    another client's share of it, or a late arrival, costs a 429 and its `retry-after`."""
    if requests <= burst:
        raise ValueError(f"a burst of {burst} leaves nothing of {requests} requests per window")
    return EngineLimits(rate=(requests - burst) / window_s, burst=burst)


def admin_limits(
    product: Product, rate: float | None = None, burst: int | None = None
) -> EngineLimits:
    """The product's default pacing, with `rate` and `burst` overriding it where set."""
    default = (
        within_window(ENTERPRISE_ORG_REQUESTS, ENTERPRISE_ORG_WINDOW_S)
        if product == "enterprise"
        else EngineLimits()
    )
    return replace(
        default,
        rate=default.rate if rate is None else rate,
        burst=default.burst if burst is None else burst,
    )


def admin_limits_for_key(
    key: SecretStr | str | None, rate: float | None = None, burst: int | None = None
) -> EngineLimits:
    """`admin_limits` for the product the admin key's prefix names: pacing is set before any
    request, so the prefix gives its first value. A key of no product paces as Console (the
    credentials check refuses it before any request)."""
    try:
        product = product_of_key(admin_key_kind(key or ""))
    except CredentialError:
        product = "console"
    return admin_limits(product, rate, burst)


def analytics_limits(rate: float | None = None, burst: int | None = None) -> EngineLimits:
    """The Analytics API's pacing, within its 60/min per organization; `rate` and `burst`
    override it where set."""
    default = within_window(ANALYTICS_ORG_REQUESTS, ENTERPRISE_ORG_WINDOW_S)
    return replace(
        default,
        rate=default.rate if rate is None else rate,
        burst=default.burst if burst is None else burst,
    )
