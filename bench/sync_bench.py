"""Benchmark: `idgraph`'s sync of a simulated organization at the simulator's rate limit.

Runs the simulator in its own process (so its memory is not counted), syncs it into NEO4J_URI
with the pipeline's default client settings, and prints: requests needed per family, wall time,
the rate-limit floor (requests needed ÷ allowed rate, per engine, the engines running side by
side), their ratio, graph elements written per second, and the peak memory of the sync process.

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=idgraph-local \
        python bench/sync_bench.py --size large [--product enterprise]

Console (the default) is served at the simulator's default bucket, 20 requests/s with bursts of
40 per engine. Enterprise is served at its documented limits, 100 Admin API requests per minute
per organization (claude-org-products.md §2.1) and 60 a minute for its Analytics API (§4.6):
the floor is the largest of requests ÷ rate over those buckets, an analytics request counting
in both (the client paces it through its route's bucket and then the engine's).

A Console organization carries the generator's federation rules (read with its org:admin
token). `--activity-days N` reads N days of activity up to the simulator's clock (it holds 90);
`--feed-events N` adds N Compliance feed events before the sync (issue #17's benchmark: the
large organization, 90 days of activity, 100,000 feed events).

The target database is wiped first: point it at a scratch server.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from neo4j import GraphDatabase

from ingest.extract import Credentials, ExtractConfig
from ingest.extract.credentials import ScimCredentials
from ingest.extract.pacing import ANALYTICS_ROUTE, admin_limits_for_key, analytics_limits
from ingest.load import GraphLoader
from ingest.sync.pipeline import SyncOptions, run_sync

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.scratch_database
from tests.scratch_database import erase_or_exit

CONTROL_TOKEN = "bench-control-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_simulator(size: str, seed: int, product: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "simulator", "serve", "--size", size,
         "--seed", str(seed), "--port", str(port), "--control-token", CONTROL_TOKEN,
         "--product", product],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/_control/summary", headers={"x-control-token": CONTROL_TOKEN})
            return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the simulator did not start")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a local process so far (Linux), or None."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def local_neo4j_pid(uri: str) -> int | None:
    """The process listening on the URI's port on this machine, when one does (for its CPU
    time): with several local servers, any Neo4j process would count another's work."""
    port = urlsplit(uri).port or 7687
    found = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=False
    )
    pid = re.search(r"pid=(\d+)", found.stdout)
    return int(pid.group(1)) if pid else None


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def control(base: str, path: str) -> dict:
    response = httpx.get(f"{base}/_control/{path}", headers={"x-control-token": CONTROL_TOKEN})
    response.raise_for_status()
    return response.json()


def served_requests(stats: dict) -> dict[str, int]:
    """Requests the simulator answered (anything but a 429), per engine."""
    counts: dict[str, int] = {}
    for row in stats["routes"]:
        if row["status"] != 429:
            counts[row["engine"]] = counts.get(row["engine"], 0) + row["count"]
    return counts


def requests_per_family(stats: dict) -> dict[str, int]:
    """Requests the simulator answered (anything but a 429), per engine and route."""
    counts: dict[str, int] = {}
    for row in stats["routes"]:
        if row["status"] != 429 and row["engine"] in ("admin", "scim"):
            route = row["route"].removeprefix("/v1/organizations/").removeprefix("/scim/v2/")
            name = f"{row['engine']} {route}"
            counts[name] = counts.get(name, 0) + row["count"]
    return dict(sorted(counts.items()))


def admin_floor(served: int, config: dict) -> tuple[float, Any]:
    """Seconds the Admin API's limit needs for `served` requests, and the limit as printed.
    Enterprise: the documented per-organization rate (requests ÷ rate); Console: the
    simulator's bucket (requests/s, burst), whose burst is free."""
    if config["product"] == "enterprise":
        per_second = config["org_request_limit"] / config["org_request_window_s"]
        limit = {"requests": config["org_request_limit"], "per_s": config["org_request_window_s"]}
        return served / per_second, limit
    limit = [config["admin_rate"], config["admin_burst"]]
    return max(0.0, (served - config["admin_burst"]) / config["admin_rate"]), limit


def analytics_floor(stats: dict, config: dict) -> float:
    """Seconds the Analytics API's own limit needs for the analytics requests answered."""
    served = sum(
        row["count"]
        for row in stats["routes"]
        if row["status"] != 429 and row["route"].startswith(ANALYTICS_ROUTE)
    )
    return served / (config["analytics_request_limit"] / config["analytics_window_s"])


def floors_per_bucket(stats: dict, config: dict) -> dict[str, float]:
    """The rate-limit floor of each bucket; the sync's floor is the largest."""
    served = served_requests(stats)
    floors = {
        "admin": admin_floor(served.get("admin", 0), config)[0],
        "scim": max(0.0, (served.get("scim", 0) - config["scim_burst"]) / config["scim_rate"]),
    }
    if config["product"] == "enterprise":
        floors[f"admin {ANALYTICS_ROUTE}"] = analytics_floor(stats, config)
    return floors


def add_feed_events(base: str, count: int) -> None:
    """`count` logins of the organization's admins spread over the last 90 days, in chunks."""
    if count <= 0:
        return
    admins = control(base, "planted")["org_admins"]
    for start in range(0, count, 10_000):
        events = [
            {
                "type": "sso_login_succeeded",
                "user_id": admins[n % len(admins)],
                "seconds_ago": (n * 7_777) % (90 * 86_400) + 60,
            }
            for n in range(start, min(count, start + 10_000))
        ]
        httpx.post(
            f"{base}/_control/mutate",
            json={"op": "append_activities", "events": events},
            headers={"x-control-token": CONTROL_TOKEN},
            timeout=120,
        ).raise_for_status()


def _first_sync(options: SyncOptions, uri: str, auth: tuple[str, str], database: str) -> None:
    with GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF") as driver:
        run_sync(GraphLoader(driver, database), options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--product", choices=("console", "enterprise"), default="console")
    parser.add_argument("--activity-days", type=int, default=None, help="days of activity read")
    parser.add_argument("--feed-events", type=int, default=0, help="Compliance events to add")
    parser.add_argument(
        "--resync",
        action="store_true",
        help="time a second sync of the unchanged organization (the hourly case), not the first",
    )
    args = parser.parse_args()

    process, base = start_simulator(args.size, args.seed, args.product)
    try:
        creds = control(base, "credentials")
        config = control(base, "config")
        enterprise = args.product == "enterprise"
        add_feed_events(base, args.feed_events)
        activity: dict[str, Any] = {}
        if args.activity_days is not None:
            epoch = control(base, "summary")["epoch"]
            activity = {
                "activity_days": args.activity_days,
                "activity_until": datetime.fromisoformat(epoch.replace("Z", "+00:00")),
            }
        options = SyncOptions(
            credentials=Credentials(
                admin_key=creds["admin_key"],
                # Enterprise has no service accounts: its admins hold no org:admin token.
                oauth_token=None if enterprise else creds["oauth_token"],
                scim=ScimCredentials(base_url=f"{base}/scim/v2", token=creds["scim_token"]),  # type: ignore[arg-type]
            ),
            extract=ExtractConfig(
                admin_base_url=base,
                scim_base_url=f"{base}/scim/v2",
                admin=admin_limits_for_key(creds["admin_key"]),  # as `idgraph sync` sets it
                **activity,
            ),
        )
        uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
        auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        database = os.environ.get("NEO4J_DATABASE", "neo4j")
        # As `idgraph sync` does: a first sync reads properties no node has yet.
        driver = GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
        erase_or_exit(driver, database, uri)
        loader = GraphLoader(driver, database)
        loader.ensure_schema()
        if args.resync:
            # The first sync in a child process, so this one's peak memory is the second's.
            child = multiprocessing.get_context("spawn").Process(
                target=_first_sync, args=(options, uri, auth, database)
            )
            child.start()
            child.join()
            headers = {"x-control-token": CONTROL_TOKEN}
            httpx.post(f"{base}/_control/stats/reset", headers=headers).raise_for_status()
            # let the simulator's token buckets fill up, or the organization's window pass
            time.sleep(config["org_request_window_s"] + 1 if enterprise else 3)

        watched = {"simulator": process.pid, "neo4j": local_neo4j_pid(uri)}
        cpu_before = {name: cpu_seconds(pid) for name, pid in watched.items() if pid}
        own_before = own_cpu_seconds()
        started = time.monotonic()
        report = run_sync(loader, options)
        wall = time.monotonic() - started
        cpu = {"sync": round(own_cpu_seconds() - own_before, 1)}
        for name, before in cpu_before.items():
            after = cpu_seconds(watched[name])  # type: ignore[arg-type]
            if before is not None and after is not None:
                cpu[name] = round(after - before, 1)
        driver.close()

        stats = control(base, "stats")
        served = served_requests(stats)
        floors = floors_per_bucket(stats, config)
        floor = max(floors.values())
        elements = report.nodes_written + report.rels_written
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures = {
            "size": args.size,
            "product": args.product,
            "sync": "second, unchanged organization" if args.resync else "first, empty database",
            "records": report.record_counts,
            "status": report.status,
            "requests": served,
            "requests_per_family": requests_per_family(stats),
            "rate_limit": {
                "admin": admin_floor(0, config)[1],
                "scim": [config["scim_rate"], config["scim_burst"]],
                **(
                    {
                        f"admin {ANALYTICS_ROUTE}": {
                            "requests": config["analytics_request_limit"],
                            "per_s": config["analytics_window_s"],
                        }
                    }
                    if enterprise
                    else {}
                ),
            },
            "activity_days": options.extract.activity_days,
            "feed_events_added": args.feed_events,
            "client_pacing": {
                "admin": [round(options.extract.admin.rate, 4), options.extract.admin.burst],
                "analytics": [round(analytics_limits().rate, 4), analytics_limits().burst],
                "scim": [options.extract.scim.rate, options.extract.scim.burst],
            },
            "rate_limited_429": stats["rate_limited"],
            "wall_seconds": round(wall, 2),
            "floor_seconds": {k: round(v, 2) for k, v in floors.items()},
            "wall_over_floor": round(wall / floor, 3) if floor else None,
            "elements_written": elements,
            "elements_per_second": round(elements / wall),
            "throttled_seconds": round(report.throttled_seconds, 2),
            "retries": report.retries,
            "peak_memory_mb": round(peak_mb, 1),
            "cpu_seconds": cpu,
            "cores": os.cpu_count(),
        }
        print(json.dumps(figures, indent=2))
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
