"""An Enterprise key's scopes, found by asking the simulator (never from the prefix), and what
they let a sync read."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ingest.extract import AdminExtractor, Credentials, EngineLimits, ExtractConfig
from ingest.extract.capabilities import AT_LEAST, Capabilities, capabilities_of, probe_scopes
from ingest.sync.plan import PLAN

pytestmark = pytest.mark.asyncio

QUICK = EngineLimits(rate=500, burst=100, backoff_base=0.01, backoff_cap=0.05)


def enterprise_key(handle: Any, scopes: list[str]) -> str:
    response = httpx.post(
        f"{handle.base_url}/_control/mutate",
        json={"op": "add_admin_key", "scopes": scopes, "all_linked": True},
        headers=handle.control_headers(),
    )
    assert response.status_code == 200, response.text
    return str(response.json()["result"]["key"])


async def capabilities(handle: Any, key: str | None = None) -> Capabilities:
    config = ExtractConfig(admin_base_url=handle.base_url, admin=QUICK, deadline=30.0)
    credentials = Credentials(admin_key=key or handle.admin_key)
    async with AdminExtractor(credentials, config) as admin:
        return await capabilities_of(admin, PLAN.scopes())


async def test_a_full_key_reads_every_enterprise_family(serve: Any) -> None:
    handle = serve(seed=5, size="small", product="enterprise")
    found = await capabilities(handle)
    # Nothing was refused, so no 403 listed the key's scopes: at least the probed ones.
    probed = {"read:members", "read:rbac_groups", "read:analytics", "read:compliance_activities"}
    assert found == Capabilities("enterprise", frozenset({*probed, AT_LEAST}))
    assert PLAN.not_permitted(found) == []
    assert PLAN.access(found, "workspaces") is None  # not offered by Enterprise


async def test_a_key_without_group_scope_gets_its_scopes_from_the_403(serve: Any) -> None:
    handle = serve(seed=5, size="small", product="enterprise")
    key = enterprise_key(handle, ["read:members", "write:members"])
    found = await capabilities(handle, key)
    assert found.scopes == frozenset({"read:members", "write:members"})
    assert PLAN.not_permitted(found) == [
        "rbac_groups",
        "rbac_group_members",
        "analytics_activity",
        "compliance_activity",
    ]
    assert PLAN.access(found, "rbac_groups") == ("read:rbac_groups",)
    assert PLAN.access(found, "rbac_roles") == ()


async def test_org_audit_alone_reads_every_user_management_family(serve: Any) -> None:
    handle = serve(seed=5, size="small", product="enterprise")
    key = enterprise_key(handle, ["read:org_audit"])
    found = await capabilities(handle, key)
    assert found.permits("read:members", "read:rbac_groups")
    # Analytics and the Compliance feed are not user management: read:org_audit does not cover
    # them (§1.2).
    assert PLAN.not_permitted(found) == ["analytics_activity", "compliance_activity"]
    # Told by a 403, the org_audit scope alone covers every user-management read.
    audit = Capabilities("enterprise", frozenset({"read:org_audit"}))
    assert audit.permits("read:members", "read:rbac_groups")
    assert not audit.permits("write:members")


async def test_a_console_key_has_no_scopes_and_is_not_probed(serve: Any) -> None:
    handle = serve(seed=5, size="small")
    before = int(handle.stats.snapshot()["total_requests"])
    config = ExtractConfig(admin_base_url=handle.base_url, admin=QUICK, deadline=30.0)
    async with AdminExtractor(Credentials(admin_key=handle.admin_key), config) as admin:
        assert await probe_scopes(admin, PLAN.scopes()) is None
    assert int(handle.stats.snapshot()["total_requests"]) == before
