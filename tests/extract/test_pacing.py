"""The Admin API pacing per product: an Enterprise read uses the organization's documented
request limit (100/min, here a faster window of the simulator's) and meets no 429."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.extract import AdminExtractor, Credentials, EngineLimits, ExtractConfig
from ingest.extract.pacing import (
    ANALYTICS_ORG_REQUESTS,
    ENTERPRISE_ORG_REQUESTS,
    ENTERPRISE_ORG_WINDOW_S,
    admin_limits,
    admin_limits_for_key,
    analytics_limits,
    within_window,
)

LIMIT, WINDOW_S = 12, 1.0


def test_enterprise_pacing_fits_the_published_limit_and_settings_override_it() -> None:
    enterprise = admin_limits("enterprise")
    assert enterprise.rate <= ENTERPRISE_ORG_REQUESTS / ENTERPRISE_ORG_WINDOW_S
    most_in_a_window = enterprise.burst + enterprise.rate * ENTERPRISE_ORG_WINDOW_S
    # the whole documented allowance and no more: a sync's floor is requests ÷ 100/min
    assert most_in_a_window == pytest.approx(ENTERPRISE_ORG_REQUESTS)
    assert admin_limits("console") == EngineLimits()
    assert admin_limits("enterprise", rate=3.0).rate == 3.0
    assert admin_limits("enterprise", burst=9).burst == 9
    assert admin_limits_for_key("sk-ant-api01-" + "x" * 40) == enterprise
    assert admin_limits_for_key("sk-ant-admin01-" + "x" * 40) == EngineLimits()
    assert admin_limits_for_key(None) == EngineLimits()
    analytics = analytics_limits()
    assert analytics.burst + analytics.rate * 60 == pytest.approx(ANALYTICS_ORG_REQUESTS)
    assert analytics_limits(rate=2.0, burst=3) == EngineLimits(rate=2.0, burst=3)


@pytest.mark.asyncio
async def test_an_enterprise_read_never_meets_the_organization_limit(serve: Any) -> None:
    handle = serve(
        seed=5,
        size="small",
        product="enterprise",
        org_request_limit=LIMIT,
        org_request_window_s=WINDOW_S,
    )
    config = ExtractConfig(
        admin_base_url=handle.base_url,
        # two requests short of the server's limit: a request that arrives late on a loaded
        # machine must not turn the next window's first ones into a 429 here
        admin=within_window(LIMIT - 2, WINDOW_S, burst=2),
        admin_page_size=1,
        deadline=120.0,
    )
    async with AdminExtractor(Credentials(admin_key=handle.admin_key), config) as admin:
        users = await admin.users()
    assert len(users.records) == len(handle.sim.org.users)
    assert admin.stats.api_calls >= 3 * LIMIT  # spans several windows
    assert admin.stats.status_counts.get(429, 0) == 0
    assert handle.stats.snapshot()["rate_limited_total"] == 0


@pytest.mark.parametrize("paced", [True, False])
@pytest.mark.asyncio
async def test_the_analytics_api_is_paced_under_its_own_limit(serve: Any, paced: bool) -> None:
    # The simulator's analytics window, scaled down: 12 requests a second per organization.
    handle = serve(
        seed=5,
        size="small",
        product="enterprise",
        analytics_request_limit=LIMIT,
        analytics_window_s=WINDOW_S,
    )
    fast = EngineLimits(rate=2000.0, burst=2000, max_throttled_attempts=60)
    config = ExtractConfig(
        admin_base_url=handle.base_url,
        admin=fast,
        analytics=within_window(LIMIT - 2, WINDOW_S, burst=2) if paced else fast,
        activity_days=3 * LIMIT,  # one request a day: several windows
        deadline=120.0,
    )
    async with AdminExtractor(Credentials(admin_key=handle.admin_key), config) as admin:
        activity = await admin.analytics_activity()
    assert activity.records  # read whole either way
    refused = admin.stats.status_counts.get(429, 0)
    # Paced on its own route, the read never meets the limit; paced as the rest of the
    # Admin API (here: not at all), it does.
    assert (refused == 0) is paced, refused
