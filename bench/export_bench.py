"""Export speed and memory on a large organization (a script, not a test).

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... python bench/export_bench.py --wipe
    python bench/export_bench.py --skip-sync          # the database already holds the org

Syncs the simulator's organization of --size (default large, about 20,000 users) into NEO4J_URI
with the real pipeline (--wipe ERASES the database first), then exports each format from a fresh
child process, twice: once timed (wall clock and VmHWM, the peak resident set of the whole
process), once under tracemalloc (the peak of Python allocations, which is what would grow if an
export kept the graph in memory). A child that only imports and connects gives the baseline RSS.
Prints a Markdown table to paste under "## Exports" in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from neo4j import Driver, GraphDatabase

from ingest.export import ExportFormat, export_graph
from ingest.extract import Credentials, ExtractConfig
from ingest.extract.config import EngineLimits
from ingest.extract.credentials import ScimCredentials
from ingest.load import GraphLoader
from ingest.sync.pipeline import SyncOptions, run_sync

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.scratch_database
from tests.scratch_database import erase_or_exit

FAST = {"admin_rate": 5000.0, "admin_burst": 5000, "scim_rate": 5000.0, "scim_burst": 5000}


def connect() -> tuple[Driver, str]:
    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    return GraphDatabase.driver(uri, auth=auth), os.environ.get("NEO4J_DATABASE", "neo4j")


def sync(size: str, seed: int, wipe: bool) -> None:
    from anthropic_sim.config import SimConfig
    from anthropic_sim.server import running_simulator

    driver, database = connect()
    with driver:
        if wipe:
            erase_or_exit(driver, database, os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))
        loader = GraphLoader(driver, database)
        started = time.perf_counter()
        with running_simulator(SimConfig(seed=seed, size=size, **FAST)) as running:  # type: ignore[arg-type]
            report = run_sync(loader, sync_options(running))
        print(
            f"synced {size} org: {report.nodes_written} nodes, {report.rels_written} "
            f"relationships in {time.perf_counter() - started:.0f} s ({report.status})",
            file=sys.stderr,
        )


def sync_options(running: Any) -> SyncOptions:
    limits = EngineLimits(rate=5000.0, burst=5000, backoff_base=0.01, backoff_cap=0.2)
    credentials = Credentials(
        admin_key=running.admin_key,
        oauth_token=running.oauth_token,
        scim=ScimCredentials(running.scim_url, running.scim_token),
    )
    config = ExtractConfig(
        admin_base_url=running.base_url, scim_base_url=running.scim_url, admin=limits, scim=limits
    )
    return SyncOptions(credentials=credentials, extract=config)


def child(fmt: str, out: Path, traced: bool) -> None:
    """One measurement, in this (fresh) process; prints a JSON line."""
    driver, database = connect()
    with driver:
        driver.verify_connectivity()
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        nodes = rels = 0
        if fmt != "baseline":
            result = export_graph(driver, database, ExportFormat(fmt), out)
            nodes, rels = result.nodes, result.rels
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else None
    size = sum(p.stat().st_size for p in out.glob("*")) if out.exists() else 0
    rss_kb = peak_rss_kb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "nodes": nodes,
                "rels": rels,
                "bytes": size,
                "peak_rss_mb": rss_kb / 1024,
                "traced_peak_mb": (peak or 0) / 2**20,
            }
        )
    )


def peak_rss_kb() -> int:
    """VmHWM, the peak resident set of this process. Not ru_maxrss: Linux carries the parent's
    peak into a child across fork and exec, so a child of a big parent would report the parent."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(fmt: str, out: Path, traced: bool) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", fmt, "--out", str(out)]
    done = subprocess.run(
        [*args, "--traced"] if traced else args, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{fmt} child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-sync", action="store_true")
    parser.add_argument("--wipe", action="store_true", help="ERASE the database before syncing")
    parser.add_argument("--out", type=Path, default=Path(".bench/export"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.out, args.traced)
        return 0
    if not args.skip_sync:
        sync(args.size, args.seed, args.wipe)
    baseline = measure("baseline", args.out / "baseline", traced=False)
    print(f"baseline (imports + driver): peak RSS {baseline['peak_rss_mb']:.0f} MB\n")
    print(
        "| format | nodes | relationships | seconds | elements/s | output MB | "
        "peak RSS MB | tracemalloc peak MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for fmt in ExportFormat:
        timed = measure(fmt.value, args.out / fmt.value, traced=False)
        traced = measure(fmt.value, args.out / f"{fmt.value}-traced", traced=True)
        elements = timed["nodes"] + timed["rels"]
        print(
            f"| {fmt.value} | {timed['nodes']:,} | {timed['rels']:,} | {timed['seconds']:.1f} | "
            f"{elements / timed['seconds']:,.0f} | {timed['bytes'] / 2**20:.1f} | "
            f"{timed['peak_rss_mb']:.0f} | {traced['traced_peak_mb']:.1f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
