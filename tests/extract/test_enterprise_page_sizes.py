"""Enterprise listings are read in the largest pages the API allows (`limit` 1000, reference
claude-org-products.md §2.1), so the request count is the floor the rate limit is measured on."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from anthropic_sim.stats import route_template
from ingest.extract import AdminExtractor, Credentials, EngineLimits, ExtractConfig

pytestmark = pytest.mark.asyncio

LARGEST_PAGE = 1000
QUICK = EngineLimits(rate=500, burst=100)


class RecordingTransport(httpx.AsyncBaseTransport):
    """Real loopback HTTP; notes each request's route and `limit` on the way."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        limit = parse_qs(request.url.query.decode()).get("limit", ["0"])[0]
        self.seen.append((route_template(request.url.path), int(limit)))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def pages(n: int) -> int:
    return max(1, math.ceil(n / LARGEST_PAGE))


async def test_enterprise_families_are_read_in_pages_of_1000(serve: Any) -> None:
    handle = serve(seed=2, size="medium", product="enterprise", org_request_limit=100_000)
    org = handle.sim.org
    recording = RecordingTransport()
    config = ExtractConfig(admin_base_url=handle.base_url, admin=QUICK, deadline=120.0)
    credentials = Credentials(admin_key=org.admin_key)
    async with AdminExtractor(credentials, config, transport=recording) as admin:
        users = await admin.users()
        invites = await admin.invites()
        groups = await admin.rbac_groups()
        await admin.rbac_group_members(groups.records)
        roles = await admin.rbac_roles()
        await admin.rbac_role_permissions(roles.records)

    assert len(users.records) > LARGEST_PAGE  # the member listing spans pages
    listings = [(route, limit) for route, limit in recording.seen]
    assert {limit for _, limit in listings} == {LARGEST_PAGE}
    requests = Counter(route for route, _ in listings)
    base = "/v1/organizations"
    memberships = sum(pages(len(g.members)) for g in org.rbac.groups.values())
    assert requests == {
        f"{base}/users": pages(len(users.records)),
        f"{base}/invites": pages(len(invites.records)),
        f"{base}/rbac_groups": pages(len(groups.records)),
        f"{base}/rbac_groups/{{id}}/members": memberships,
        f"{base}/rbac_roles": pages(len(roles.records)),
        f"{base}/rbac_roles/{{id}}/permissions": len(roles.records),
    }
