"""Benchmark: list users and API keys with the project's extractor, then with Anthropic's SDK.

Runs the simulator in its own process with its rate limiting off, then each client in a fresh
process of its own (so the peak memory is that client's), and prints per client: records,
requests the simulator answered, wall time, CPU time (and the simulator's), peak RSS (and the
RSS before listing, so the difference is the listing's), and the peak of Python allocations
while listing (a second, traced run, so tracing does not slow the timed one).

    python bench/sdk_vs_own_client.py --size medium [--limit 1000]

Clients:
- own: `AdminExtractor.users` / `.api_keys`, records handed over page by page (the sync's way),
  with the project's pacing, retries and deadline at their defaults;
- sdk: `AsyncAnthropic(...).beta.organization.users.list(...)` auto-pagination (one page held at
  a time), SDK retries off; the SDK builds its records without validating them (its default);
- sdk-strict: the same with `_strict_response_validation=True` (each page validated).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

import httpx
from sync_bench import (
    CONTROL_TOKEN,
    control,
    cpu_seconds,
    own_cpu_seconds,
    served_requests,
    start_simulator,
)

CLIENTS = ("own", "sdk", "sdk-strict")


async def list_with_own(base: str, admin_key: str, limit: int) -> int:
    from ingest.extract import AdminExtractor, Credentials, ExtractConfig

    counted = 0

    async def count(records: list[Any]) -> None:
        nonlocal counted
        counted += len(records)

    config = ExtractConfig(admin_base_url=base, admin_page_size=limit)
    async with AdminExtractor(Credentials(admin_key=admin_key), config) as admin:
        await admin.users(on_records=count)
        await admin.api_keys(on_records=count)
    return counted


async def list_with_sdk(base: str, admin_key: str, limit: int, strict: bool) -> int:
    from anthropic import AsyncAnthropic

    # The SDK sends `api_key` as `Authorization: Bearer`; Admin keys go in `x-api-key`.
    client = AsyncAnthropic(
        base_url=base,
        max_retries=0,
        default_headers={"x-api-key": admin_key},
        _strict_response_validation=strict,
    )
    counted = 0
    async with client:
        organization = client.beta.organization
        async for _user in organization.users.list(limit=limit):
            counted += 1
        async for _key in organization.api_keys.list(limit=limit):
            counted += 1
    return counted


def run_client(name: str, base: str, admin_key: str, limit: int, traced: bool) -> dict[str, Any]:
    """One client's listing, in this (fresh) process."""
    import anthropic  # noqa: F401  (both clients pay their imports before the measurement)

    import ingest.extract  # noqa: F401

    listing = (
        list_with_own(base, admin_key, limit)
        if name == "own"
        else list_with_sdk(base, admin_key, limit, strict=name == "sdk-strict")
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if traced:
        tracemalloc.start()
    cpu_before = own_cpu_seconds()
    started = time.monotonic()
    records = asyncio.run(listing)
    if traced:
        return {"traced_peak_mb": round(tracemalloc.get_traced_memory()[1] / 2**20, 2)}
    return {
        "records": records,
        "wall_seconds": round(time.monotonic() - started, 3),
        "cpu_seconds": round(own_cpu_seconds() - cpu_before, 3),
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def in_fresh_process(*args: Any) -> dict[str, Any]:
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(run_client, *args).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=1000, help="page size asked (1..1000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per client (best kept)")
    args = parser.parse_args()

    process, base = start_simulator(args.size, args.seed)
    headers = {"x-control-token": CONTROL_TOKEN}
    try:
        httpx.put(
            f"{base}/_control/config", headers=headers, json={"rate_limit_enabled": False}
        ).raise_for_status()
        admin_key = control(base, "credentials")["admin_key"]
        results: dict[str, Any] = {}
        for name in CLIENTS:
            runs = []
            for _ in range(args.repeat):
                httpx.post(f"{base}/_control/stats/reset", headers=headers).raise_for_status()
                simulator_before = cpu_seconds(process.pid)
                run = in_fresh_process(name, base, admin_key, args.limit, False)
                simulator_after = cpu_seconds(process.pid)
                if simulator_before is not None and simulator_after is not None:
                    run["simulator_cpu_seconds"] = round(simulator_after - simulator_before, 3)
                run["requests"] = served_requests(control(base, "stats")).get("admin", 0)
                runs.append(run)
            best = min(runs, key=lambda run: run["wall_seconds"])
            best.update(in_fresh_process(name, base, admin_key, args.limit, True))
            results[name] = best
        print(json.dumps({"size": args.size, "page_size": args.limit, **results}, indent=2))
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
