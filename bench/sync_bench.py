"""Benchmark: `idgraph`'s sync of a simulated organization at the simulator's default rate limit.

Runs the simulator in its own process (so its memory is not counted), syncs it into NEO4J_URI
with the pipeline's default client settings, and prints: wall time, the rate-limit floor
(requests needed ÷ allowed rate, per engine, the engines running side by side), their ratio,
graph elements written per second, and the peak memory of the sync process.

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=idgraph-local \
        python bench/sync_bench.py --size large

The target database is wiped first: point it at a scratch server.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from neo4j import GraphDatabase

from ingest.extract import Credentials, ExtractConfig
from ingest.extract.credentials import ScimCredentials
from ingest.load import GraphLoader
from ingest.sync.pipeline import SyncOptions, run_sync

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.scratch_database
from tests.scratch_database import erase_or_exit

CONTROL_TOKEN = "bench-control-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_simulator(size: str, seed: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "simulator", "serve", "--size", size,
         "--seed", str(seed), "--port", str(port), "--control-token", CONTROL_TOKEN],
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


def local_neo4j_pid() -> int | None:
    """The local Neo4j server's process, when it runs on this machine (for its CPU time)."""
    found = subprocess.run(["pgrep", "-f", "org.neo4j"], capture_output=True, text=True)
    pids = found.stdout.split()
    return int(pids[0]) if pids else None


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


def _first_sync(options: SyncOptions, uri: str, auth: tuple[str, str], database: str) -> None:
    with GraphDatabase.driver(uri, auth=auth) as driver:
        run_sync(GraphLoader(driver, database), options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--resync",
        action="store_true",
        help="time a second sync of the unchanged organization (the hourly case), not the first",
    )
    args = parser.parse_args()

    process, base = start_simulator(args.size, args.seed)
    try:
        creds = control(base, "credentials")
        config = control(base, "config")
        options = SyncOptions(
            credentials=Credentials(
                admin_key=creds["admin_key"],
                oauth_token=creds["oauth_token"],
                scim=ScimCredentials(base_url=f"{base}/scim/v2", token=creds["scim_token"]),  # type: ignore[arg-type]
            ),
            extract=ExtractConfig(admin_base_url=base, scim_base_url=f"{base}/scim/v2"),
        )
        uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
        auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        database = os.environ.get("NEO4J_DATABASE", "neo4j")
        driver = GraphDatabase.driver(uri, auth=auth)
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
            time.sleep(3)  # let the simulator's token buckets fill up again

        watched = {"simulator": process.pid, "neo4j": local_neo4j_pid()}
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

        served = served_requests(control(base, "stats"))
        floors = {
            "admin": max(
                0.0, (served.get("admin", 0) - config["admin_burst"]) / config["admin_rate"]
            ),
            "scim": max(0.0, (served.get("scim", 0) - config["scim_burst"]) / config["scim_rate"]),
        }
        floor = max(floors.values())
        elements = report.nodes_written + report.rels_written
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures = {
            "size": args.size,
            "sync": "second, unchanged organization" if args.resync else "first, empty database",
            "records": report.record_counts,
            "status": report.status,
            "requests": served,
            "rate_limit": {
                "admin": [config["admin_rate"], config["admin_burst"]],
                "scim": [config["scim_rate"], config["scim_burst"]],
            },
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
