"""The extractors against the simulator: exact results, at every page size, through faults."""

from __future__ import annotations

import gc
from typing import Any

import httpx
import pytest

from ingest.extract import (
    SCIM_GROUPS,
    SCIM_USERS,
    AdminExtractor,
    ApiError,
    CredentialError,
    Credentials,
    DeadlineExceeded,
    EngineLimits,
    ExtractConfig,
    ExtractError,
    ScimExtractor,
    ScimRefused,
    ScimUnavailable,
    scim_credentials,
)
from ingest.sync.extraction import Extraction
from ingest.sync.plan import PLAN, Engine, Engines, ReadPlan

pytestmark = pytest.mark.asyncio

QUICK = EngineLimits(rate=500, burst=100, backoff_base=0.01, backoff_cap=0.05, max_attempts=10)
ROOMY = {"admin_rate": 2000.0, "admin_burst": 2000, "scim_rate": 2000.0, "scim_burst": 2000}


def config(handle: Any, page_size: int = 1000, **overrides: Any) -> ExtractConfig:
    knobs: dict[str, Any] = {
        "admin_base_url": handle.base_url,
        "admin": QUICK,
        "scim": QUICK,
        "admin_page_size": page_size,
        "service_account_page_size": min(page_size, 100),
        "scim_page_size": page_size,
        "request_timeout": 10.0,
        "deadline": 120.0,
    }
    knobs.update(overrides)
    return ExtractConfig(**knobs)


def credentials(handle: Any, oauth: bool = True) -> Credentials:
    org = handle.sim.org
    return Credentials(
        admin_key=org.admin_key,
        oauth_token=org.oauth_token if oauth else None,
        scim=scim_credentials(handle.scim_url, org.scim_token),
    )


def secrets_of(handle: Any) -> list[str]:
    org = handle.sim.org
    return [org.admin_key, org.oauth_token, org.scim_token, org.inference_key]


def assert_no_secret(exc: BaseException, handle: Any) -> None:
    for text in (str(exc), repr(exc), *(str(a) for a in exc.args)):
        for secret in secrets_of(handle):
            assert secret not in text
            assert secret[12:40] not in text


def served_requests(handle: Any) -> int:
    """How many requests the simulator served, from its own counters."""
    stats = getattr(handle, "stats", None) or getattr(handle.sim, "stats", None)
    return int(stats.snapshot()["total_requests"])


def expected(org: Any) -> dict[str, set[str]]:
    """What a complete extraction must find, from the simulator's truth."""
    default_id = org.default_workspace().id
    live_sas = [sa for sa in org.service_accounts.values() if sa.archived_at is None]
    sa_rows = {f"{sa.id}:{default_id}" for sa in live_sas}
    for (sa_id, ws_id), _ in org.sa_memberships.items():
        sa, ws = org.service_accounts.get(sa_id), org.workspaces.get(ws_id)
        if sa and ws and sa.archived_at is None and ws.archived_at is None:
            sa_rows.add(f"{sa_id}:{ws_id}")
    return {
        "users": set(org.users),
        "invites": {i.id for i in org.invites.values() if i.status != "deleted"},
        "workspaces": set(org.workspaces),
        "workspace_members": {f"{ws}:{user}" for ws, user in org.members},
        "api_keys": set(org.api_keys),
        "service_accounts": set(org.service_accounts),
        "service_account_memberships": sa_rows,
        SCIM_USERS: set(org.scim_users),
        SCIM_GROUPS: set(org.scim_groups),
    }


async def read_by_plan(
    admin: AdminExtractor, scim: ScimExtractor | None = None, only: Engine | None = None
) -> Extraction:
    """Every row of the sync's read plan (of one engine, with `only`), each read whole."""
    plan = ReadPlan(row for row in PLAN if only is None or row.engine == only)
    extraction = Extraction(plan, Engines(admin, scim), streaming=False)
    extraction.start()
    try:
        await extraction.finished()
    finally:
        extraction.cancel()
    return extraction


async def keys_of(extraction: Extraction, family: str) -> set[str]:
    return {record.key for record in await extraction.records(family)}


async def extract_everything(handle: Any, cfg: ExtractConfig) -> dict[str, set[str]]:
    creds = credentials(handle)
    assert creds.scim is not None
    async with AdminExtractor(creds, cfg) as admin, ScimExtractor(creds.scim, cfg) as scim:
        organization = await admin.organization()
        extraction = await read_by_plan(admin, scim)
    assert extraction.failed == {} and extraction.skipped == {}
    assert organization.id == handle.sim.org.id
    default = [w for w in await extraction.records("workspaces") if w.is_default]
    assert [w.id for w in default] == [handle.sim.org.default_workspace().id]
    return {
        family: await keys_of(extraction, family)
        for family in extraction.counts()
        if family != "scim_probe"
    }


@pytest.mark.parametrize("page_size", [1, 7, 1000])
async def test_every_family_matches_the_simulator(serve: Any, page_size: int) -> None:
    handle = serve(seed=3, size="small", **ROOMY)
    found = await extract_everything(handle, config(handle, page_size))
    truth = expected(handle.sim.org)
    for family, ids in truth.items():
        assert found[family] == ids, family
        assert ids, f"the simulated org has no {family}"


async def test_inference_key_refused_before_any_request(serve: Any) -> None:
    handle = serve(seed=4)
    before = served_requests(handle)
    with pytest.raises(CredentialError) as caught:
        Credentials(admin_key=handle.sim.org.inference_key)
    assert "Admin API key (sk-ant-admin01-…)" in str(caught.value)
    assert_no_secret(caught.value, handle)
    assert served_requests(handle) == before


async def test_service_accounts_skipped_without_oauth(serve: Any) -> None:
    handle = serve(seed=5, **ROOMY)
    async with AdminExtractor(credentials(handle, oauth=False), config(handle)) as admin:
        extraction = await read_by_plan(admin, only="admin")
        with pytest.raises(CredentialError, match="ANTHROPIC_OAUTH_TOKEN"):
            await admin.service_accounts()
        with pytest.raises(CredentialError, match="ANTHROPIC_OAUTH_TOKEN"):
            await admin.federation_rules()
    assert set(extraction.skipped) == {
        "service_accounts",
        "service_account_memberships",
        "federation_issuers",
        "federation_rules",
        "federation_rule_workspaces",
    }
    assert "ANTHROPIC_OAUTH_TOKEN" in extraction.skipped["service_accounts"]
    assert extraction.skipped["federation_rules"] == extraction.skipped["service_accounts"]
    assert await keys_of(extraction, "users") == set(handle.sim.org.users)


async def test_wrong_admin_key_fails_cleanly_without_echo(serve: Any) -> None:
    handle = serve(seed=6)
    wrong = "sk-ant-admin01-" + "W" * 86
    async with AdminExtractor(Credentials(admin_key=wrong), config(handle)) as admin:
        with pytest.raises(ApiError) as caught:
            await admin.organization()
    assert caught.value.status == 401
    assert wrong not in str(caught.value) and wrong[15:40] not in str(caught.value)
    assert_no_secret(caught.value, handle)


async def test_scim_plan_gate_is_unavailable_not_a_failure(serve: Any) -> None:
    handle = serve(seed=7, tier="standard")
    creds = credentials(handle)
    assert creds.scim is not None
    cfg = config(handle)
    async with AdminExtractor(creds, cfg) as admin, ScimExtractor(creds.scim, cfg) as scim:
        with pytest.raises(ScimUnavailable) as caught:
            await scim.probe()
        extraction = await read_by_plan(admin, scim, only="scim")
    assert caught.value.status == 403
    probe = extraction.failed.pop("scim_probe")
    assert isinstance(probe, ScimUnavailable) and probe.status == 403
    assert extraction.failed == {} and extraction.counts() == {}
    assert set(extraction.skipped) == {"scim_users", "scim_groups"}
    assert_no_secret(caught.value, handle)


@pytest.mark.parametrize(
    ("knobs", "status", "scim_status", "fix"),
    [
        ({"tier": "standard", "scim_unavailable_status": 401}, 401, "credential_rejected", "TOKEN"),
        ({"scim_gate": "revoked_token"}, 401, "credential_rejected", "TOKEN"),
        ({"tier": "standard", "scim_unavailable_status": 404}, 404, "not_found", "URL"),
        ({"scim_gate": "no_directory"}, 404, "not_found", "URL"),
    ],
)
async def test_scim_refusing_the_token_or_url_is_a_failure_that_says_what_to_fix(
    serve: Any, knobs: dict[str, Any], status: int, scim_status: str, fix: str
) -> None:
    handle = serve(seed=7, **knobs)
    creds = credentials(handle)
    assert creds.scim is not None
    cfg = config(handle)
    async with AdminExtractor(creds, cfg) as admin, ScimExtractor(creds.scim, cfg) as scim:
        with pytest.raises(ScimRefused) as caught:
            await scim.probe()
        extraction = await read_by_plan(admin, scim, only="scim")
    assert (caught.value.status, caught.value.scim_status) == (status, scim_status)
    assert f"ANTHROPIC_SCIM_{fix}" in str(caught.value)
    assert set(extraction.failed) == {"scim_probe", "scim_users", "scim_groups"}
    assert all(isinstance(e, ScimRefused) for e in extraction.failed.values())
    assert extraction.skipped == {}
    assert_no_secret(caught.value, handle)


async def test_429_storm_with_a_tiny_bucket(serve: Any) -> None:
    handle = serve(seed=8, admin_rate=4.0, admin_burst=2, scim_rate=4.0, scim_burst=2)
    storm = EngineLimits(rate=50, burst=50, max_attempts=6, max_throttled_attempts=60)
    cfg = config(handle, 50, admin=storm, scim=storm)
    found = await extract_everything(handle, cfg)
    truth = expected(handle.sim.org)
    for family, ids in truth.items():
        assert found[family] == ids, family
    assert handle.sim.stats.snapshot()["rate_limited_total"] > 0


@pytest.mark.parametrize(
    "fault",
    [
        {"error_rate": 0.3, "error_statuses": (500, 502, 503, 504, 529)},
        {"drop_rate": 0.25},
        {"truncate_rate": 0.25},
        {"error_rate": 0.1, "drop_rate": 0.1, "truncate_rate": 0.1},
    ],
    ids=["5xx", "dropped", "truncated", "mixed"],
)
async def test_faults_still_yield_exact_results(serve: Any, fault: dict[str, Any]) -> None:
    from anthropic_sim.config import FaultSpec

    handle = serve(seed=9, faults=[FaultSpec(route=".*", **fault)], fault_seed=11, **ROOMY)
    found = await extract_everything(handle, config(handle, 7))
    truth = expected(handle.sim.org)
    for family, ids in truth.items():
        assert found[family] == ids, family
    assert handle.sim.stats.snapshot()["faults_total"] > 0


async def test_permanent_500_fails_that_family_cleanly(serve: Any) -> None:
    from anthropic_sim.config import FaultSpec

    broken = FaultSpec(route=r"^/v1/organizations/users$", error_rate=1.0, error_statuses=(500,))
    handle = serve(seed=10, faults=[broken], **ROOMY)
    async with AdminExtractor(credentials(handle), config(handle)) as admin:
        with pytest.raises(ApiError) as caught:
            await admin.users()
        extraction = await read_by_plan(admin, only="admin")
        assert admin.stats.status_counts[500] >= QUICK.max_attempts
    assert caught.value.status == 500 and caught.value.family == "users"
    assert_no_secret(caught.value, handle)
    assert set(extraction.failed) == {"users"}
    assert isinstance(extraction.failed["users"], ApiError)
    assert await keys_of(extraction, "api_keys") == set(handle.sim.org.api_keys)


async def test_deadline_exceeded(serve: Any) -> None:
    from anthropic_sim.config import FaultSpec

    slow = FaultSpec(route=".*", slow_rate=1.0, slow_seconds=1.0)
    handle = serve(seed=12, faults=[slow], **ROOMY)
    async with AdminExtractor(credentials(handle), config(handle, 1, deadline=1.5)) as admin:
        with pytest.raises(DeadlineExceeded) as caught:
            await read_by_plan(admin, only="admin")
    assert_no_secret(caught.value, handle)
    creds = credentials(handle)
    assert creds.scim is not None
    async with ScimExtractor(creds.scim, config(handle, 1, deadline=0.5)) as scim:
        with pytest.raises(DeadlineExceeded):
            await scim.users()


async def test_errors_never_hold_secrets(serve: Any) -> None:
    from anthropic_sim.config import FaultSpec

    handle = serve(
        seed=13, faults=[FaultSpec(route=".*", error_rate=1.0, error_statuses=(503,))], **ROOMY
    )
    creds = credentials(handle)
    failures: list[BaseException] = []
    async with AdminExtractor(creds, config(handle)) as admin:
        for call in (admin.organization, admin.users, admin.service_accounts):
            try:
                await call()
            except ExtractError as exc:
                failures.append(exc)
    assert creds.scim is not None
    async with ScimExtractor(creds.scim, config(handle)) as scim:
        try:
            await scim.users()
        except ExtractError as exc:
            failures.append(exc)
    assert len(failures) == 4
    for exc in failures:
        assert_no_secret(exc, handle)
        assert exc.__cause__ is None  # httpx errors carry the request: never chained


async def test_churn_between_pages_never_duplicates(serve: Any) -> None:
    from anthropic_sim.config import FaultSpec

    handle = serve(seed=14, faults=[FaultSpec(route=".*", churn_rate=0.5)], fault_seed=3, **ROOMY)
    org = handle.sim.org
    before = {"users": set(org.users), SCIM_USERS: set(org.scim_users)}
    creds = credentials(handle)
    async with AdminExtractor(creds, config(handle, 7)) as admin:
        users = await admin.users()
    assert creds.scim is not None
    async with ScimExtractor(creds.scim, config(handle, 7)) as scim:
        scim_users = await scim.users()
    for family, result in (("users", users), (SCIM_USERS, scim_users)):
        ids = [r.id for r in result.records]
        assert len(ids) == len(set(ids)), family
        after = set(org.users) if family == "users" else set(org.scim_users)
        assert set(ids) <= before[family] | after | set(handle.sim.tombstones)
        unsure = result.unsettled is not None
        assert unsure or before[family] & after <= set(ids), family  # survivors all found
    assert handle.sim.stats.snapshot()["churn"], "no churn happened"


@pytest.mark.parametrize("read_ahead", [0, 3])
@pytest.mark.parametrize("page_size", [1, 7, 1000])
async def test_scim_users_handed_over_page_by_page(
    serve: Any, page_size: int, read_ahead: int
) -> None:
    handle = serve(seed=15, **ROOMY)
    creds = credentials(handle)
    assert creds.scim is not None
    pages: list[list[str]] = []

    async def hand_over(records: list[Any]) -> None:
        pages.append([r.id for r in records])

    cfg = config(handle, page_size, scim_read_ahead=read_ahead)
    async with ScimExtractor(creds.scim, cfg) as scim:
        streamed = await scim.users(hand_over)
        listed = await scim.users()
    handed = [scim_id for page in pages for scim_id in page]
    assert sorted(handed) == sorted(set(handle.sim.org.scim_users))  # each once, none missing
    assert len(pages) > 1 or page_size == 1000
    assert max(len(page) for page in pages) <= page_size
    assert streamed.records == [] and streamed.count() == listed.count() == len(handed)
    assert set(streamed.issues) == set(listed.issues)
    # Read-ahead asks for no page twice and none past the end: two walks, same requests.
    pages_per_walk = -(-len(handed) // max(page_size - 1, 1)) if page_size > 1 else len(handed)
    assert served_requests(handle) <= 2 * (pages_per_walk + 2) + 2


@pytest.mark.parametrize("page_size", [1, 7, 1000])
async def test_admin_families_handed_over_page_by_page(serve: Any, page_size: int) -> None:
    handle = serve(seed=16, **ROOMY)
    truth = expected(handle.sim.org)
    pages: dict[str, list[list[str]]] = {"users": [], "api_keys": [], "workspace_members": []}

    def collect(family: str) -> Any:
        async def hand_over(records: list[Any]) -> None:
            pages[family].append([r.key for r in records])

        return hand_over

    async with AdminExtractor(credentials(handle), config(handle, page_size)) as admin:
        workspaces = (await admin.workspaces()).records
        streamed = {
            "users": await admin.users(collect("users")),
            "api_keys": await admin.api_keys(collect("api_keys")),
            "workspace_members": await admin.workspace_members(
                workspaces, collect("workspace_members")
            ),
        }
        listed = {
            "users": await admin.users(),
            "api_keys": await admin.api_keys(),
            "workspace_members": await admin.workspace_members(workspaces),
        }
    for family, result in streamed.items():
        handed = [key for page in pages[family] for key in page]
        assert sorted(handed) == sorted(truth[family]), family  # each once, none missing
        assert max(len(page) for page in pages[family]) <= page_size, family
        pages_needed = -(-len(truth[family]) // page_size)
        assert len(pages[family]) >= min(pages_needed, 2), family  # as read, not at the end
        assert result.records == [], family
        assert result.count() == listed[family].count() == len(handed), family
        assert set(result.issues) == set(listed[family].issues), family


async def test_a_malformed_page_stops_a_handed_over_walk(serve: Any) -> None:
    from anthropic_sim.config import FaultSpec

    fault = FaultSpec(route="/v1/organizations/api_keys", malformed_rate=0.2)
    handle = serve(seed=17, faults=[fault], fault_seed=5, **ROOMY)
    handed: list[str] = []

    async def hand_over(records: list[Any]) -> None:
        handed.extend(r.id for r in records)

    async with AdminExtractor(credentials(handle), config(handle, 7)) as admin:
        with pytest.raises(ExtractError) as caught:
            await admin.api_keys(hand_over)
    assert caught.value.family == "api_keys"
    assert 0 < len(handed) < len(handle.sim.org.api_keys)  # what was read went on; no more


@pytest.mark.parametrize("page_size", [1, 7, 1000])
async def test_scim_groups_handed_over_page_by_page(serve: Any, page_size: int) -> None:
    handle = serve(seed=18, **ROOMY)
    creds = credentials(handle)
    assert creds.scim is not None
    pages: list[list[tuple[str, tuple[str, ...]]]] = []

    async def hand_over(records: list[Any]) -> None:
        pages.append([(g.id, tuple(g.member_ids)) for g in records])

    async with ScimExtractor(creds.scim, config(handle, page_size)) as scim:
        streamed = await scim.groups(hand_over)
        listed = await scim.groups()
    handed = [group for page in pages for group in page]
    assert sorted(handed) == sorted((g.id, tuple(g.member_ids)) for g in listed.records)
    assert len(handed) == len(handle.sim.org.scim_groups)  # each once, none missing
    assert max(len(page) for page in pages) <= page_size
    assert streamed.records == [] and streamed.count() == listed.count()
    assert set(streamed.issues) == set(listed.issues)


async def test_read_pages_are_freed_at_once_not_left_to_the_cyclic_collector(serve: Any) -> None:
    """A sync runs the cyclic collector rarely, so a page kept alive by a reference cycle
    (httpx binds each response's stream to the response) stays until it runs: megabyte pages
    piled up by the dozen. With the collector off, no read response may outlive its read."""
    handle = serve(seed=3, size="small", **ROOMY)
    creds = credentials(handle)
    assert creds.scim is not None
    cfg = config(handle, page_size=7)
    async with AdminExtractor(creds, cfg) as admin, ScimExtractor(creds.scim, cfg) as scim:
        gc.collect()
        gc.disable()
        try:
            users = await admin.users()
            scim_users = await scim.users()
            left = [o for o in gc.get_objects() if isinstance(o, httpx.Response)]
        finally:
            gc.enable()
    assert users.count() > 7 and scim_users.count() > 7  # several pages each
    assert left == []
