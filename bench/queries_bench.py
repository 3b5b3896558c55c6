"""Question timings on the simulator's LARGE organization (a script, not a test).

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... python bench/queries_bench.py --wipe
    python bench/queries_bench.py --no-sync          # time the graph already there

Syncs the simulated organization (about 20,000 members for `large`) into NEO4J_URI with the real
pipeline, then runs every question of cypher/queries through ingest.queries.runner: once cold
(the first run plans the query) and --warm more times; the table shows the first run and the
best, median and worst warm run (best: other work on a shared machine only slows a run
down). --top N times each question the way `idgraph report` asks it (its first N rows and the
server's count, ingest.queries.runner.run_counted) instead of fetching every row. The database
must be empty unless --wipe (which ERASES it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from neo4j import Driver, GraphDatabase

from anthropic_sim.config import SimConfig
from anthropic_sim.server import running_simulator
from ingest.extract import Credentials, ExtractConfig
from ingest.extract.config import EngineLimits
from ingest.extract.credentials import ScimCredentials
from ingest.load import GraphLoader
from ingest.queries.library import Query, load_library
from ingest.queries.runner import run_counted, run_query
from ingest.sync.pipeline import SyncOptions, run_sync

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.scratch_database
from tests.scratch_database import erase_or_exit

EPOCH = "2026-11-01T00:00:00Z"  # the simulator's clock
FAST = {"admin_rate": 5000.0, "admin_burst": 5000, "scim_rate": 5000.0, "scim_burst": 5000}


def sync_simulated(driver: Driver, database: str, size: str, seed: int) -> None:
    with running_simulator(SimConfig(seed=seed, size=size, **FAST)) as sim:  # type: ignore[arg-type]
        limits = EngineLimits(rate=5000.0, burst=5000)
        options = SyncOptions(
            credentials=Credentials(
                admin_key=sim.admin_key,  # type: ignore[arg-type]
                oauth_token=sim.oauth_token,  # type: ignore[arg-type]
                scim=ScimCredentials(sim.scim_url, sim.scim_token),  # type: ignore[arg-type]
            ),
            extract=ExtractConfig(
                admin_base_url=sim.base_url, scim_base_url=sim.scim_url, admin=limits, scim=limits
            ),
        )
        started = time.perf_counter()
        report = run_sync(GraphLoader(driver, database), options)
        print(
            f"synced {size} seed {seed}: {report.record_counts.get('users', 0):,} users, "
            f"{report.nodes_written:,} nodes, {report.rels_written:,} relationships "
            f"in {time.perf_counter() - started:.0f} s ({report.status})",
            flush=True,
        )


def time_query(
    driver: Driver, database: str, query: Query, warm: int, top: int | None
) -> dict[str, float]:
    params = {"as_of": EPOCH} if "as_of" in query.params else {}

    def ask() -> int:
        if top is None:
            return len(run_query(driver, database, query, params).rows)
        return run_counted(driver, database, query, params, top=top, group="org_id").count

    started = time.perf_counter()
    rows = ask()
    first = time.perf_counter() - started
    runs = []
    for _ in range(warm):
        started = time.perf_counter()
        ask()
        runs.append(time.perf_counter() - started)
    return {
        "rows": rows,
        "first": first,
        "best": min(runs),
        "median": statistics.median(runs),
        "worst": max(runs),
    }


def wipe(driver: Driver, database: str, uri: str, force: bool) -> bool:
    """Empty the database; False (and nothing done) when it holds data and not `force`."""
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS c", database_=database)
    if records[0]["c"] and not force:
        return False
    erase_or_exit(driver, database, uri)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", help="simulator size (default large)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm", type=int, default=5, help="warm runs per question")
    parser.add_argument("--no-sync", action="store_true", help="time the graph already there")
    parser.add_argument("--wipe", action="store_true", help="ERASE a non-empty database first")
    parser.add_argument("--top", type=int, help="fetch only N rows and count on the server")
    args = parser.parse_args()

    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    database = os.environ.get("NEO4J_DATABASE", "neo4j")
    with GraphDatabase.driver(uri, auth=auth) as driver:
        driver.verify_connectivity()
        if not args.no_sync:
            if not wipe(driver, database, uri, force=args.wipe):
                print(f"{uri} {database!r} is not empty; --wipe erases it", file=sys.stderr)
                return 2
            sync_simulated(driver, database, args.size, args.seed)
        print(f"{'question':<36} {'rows':>7} {'first':>8} {'best':>8} {'warm':>8} {'worst':>8}")
        for query in load_library():
            t = time_query(driver, database, query, args.warm, args.top)
            print(
                f"{query.id:<36} {t['rows']:>7,} {t['first'] * 1000:>6.0f}ms "
                f"{t['best'] * 1000:>6.0f}ms {t['median'] * 1000:>6.0f}ms "
                f"{t['worst'] * 1000:>6.0f}ms",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
