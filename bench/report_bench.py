"""How long `idgraph report` takes on a large organization (a script, not a test).

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... python bench/report_bench.py --sync
    python bench/report_bench.py                # the graph already holds the organization

--sync ERASES the database, then syncs the simulator's organization of --size (default large,
about 20,000 users) with the real pipeline. The report is then built --repeat times (every
question of the library, top --top rows each) and rendered in every format; the best run is
reported, with the slowest questions, because other work on a shared machine only ever slows
a run down; the first run is the one a user sees right after a sync (cold plans and caches).
--clean ERASES the database afterwards (the test fixtures' wipe can run out of transaction
memory on a large org with a 1 GiB heap). Target (#18): the whole report under 5 s warm (the
best run), each question under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver, GraphDatabase

from anthropic_sim.config import SimConfig
from anthropic_sim.server import RunningSimulator, running_simulator
from ingest.extract import Credentials, ExtractConfig
from ingest.extract.config import EngineLimits
from ingest.extract.credentials import ScimCredentials
from ingest.load import GraphLoader
from ingest.report import FORMATS, Report, build_report, render
from ingest.sync.pipeline import SyncOptions, run_sync

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.scratch_database
from tests.scratch_database import erase_or_exit

TARGET_SECONDS = 5.0
FAST = {"admin_rate": 5000.0, "admin_burst": 5000, "scim_rate": 5000.0, "scim_burst": 5000}


@dataclass
class Run:
    build: float
    render: dict[str, float]
    report: Report

    @property
    def total(self) -> float:
        return self.build + sum(self.render.values())


def main() -> int:
    args = _arguments()
    driver = GraphDatabase.driver(
        os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
        auth=(os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")),
    )
    database = os.environ.get("NEO4J_DATABASE", "neo4j")
    try:
        if args.sync:
            _sync(driver, database, args.size, args.seed)
        print(f"graph: {_graph_size(driver, database)}")
        runs = [_run(driver, database, args.top) for _ in range(args.repeat)]
        if args.clean:
            _erase(driver, database)
    finally:
        driver.close()
    best = min(runs, key=lambda run: run.total)
    _print(best, runs)
    return 0 if best.total < TARGET_SECONDS else 1


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sync", action="store_true", help="ERASE the database, sync --size")
    parser.add_argument("--size", default="large", choices=("small", "medium", "large", "xl"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clean", action="store_true", help="ERASE the database afterwards")
    return parser.parse_args()


def _erase(driver: Driver, database: str) -> None:
    erase_or_exit(driver, database, os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))


def _sync(driver: Driver, database: str, size: str, seed: int) -> None:
    _erase(driver, database)
    started = time.perf_counter()
    with running_simulator(SimConfig(size=size, seed=seed, **FAST)) as running:  # type: ignore[arg-type]
        report = run_sync(GraphLoader(driver, database), _options(running))
    print(
        f"sync ({size}, seed {seed}): {report.status}, {report.nodes_written} nodes, "
        f"{report.rels_written} relationships in {time.perf_counter() - started:.1f} s"
    )


def _options(running: RunningSimulator) -> SyncOptions:
    limits = EngineLimits(rate=5000.0, burst=5000)
    credentials = Credentials(
        admin_key=running.admin_key,  # type: ignore[arg-type]
        oauth_token=running.oauth_token,  # type: ignore[arg-type]
        scim=ScimCredentials(running.scim_url, running.scim_token),  # type: ignore[arg-type]
    )
    config = ExtractConfig(
        admin_base_url=running.base_url, scim_base_url=running.scim_url, admin=limits, scim=limits
    )
    return SyncOptions(credentials=credentials, extract=config)


def _graph_size(driver: Driver, database: str) -> str:
    records, _, _ = driver.execute_query(
        "MATCH (u:AnthropicUser) WITH count(u) AS users "
        "MATCH (n) WITH users, count(n) AS nodes "
        "MATCH ()-[r]->() RETURN users, nodes, count(r) AS rels",
        database_=database,
    )
    row = records[0]
    return f"{row['users']} users, {row['nodes']} nodes, {row['rels']} relationships"


def _run(driver: Driver, database: str, top: int) -> Run:
    started = time.perf_counter()
    report = build_report(driver, database, browser_url="http://localhost:7474/browser/", top=top)
    build = time.perf_counter() - started
    timings: dict[str, float] = {}
    for fmt in FORMATS:
        started = time.perf_counter()
        render(report, fmt)
        timings[fmt] = time.perf_counter() - started
    return Run(build=build, render=timings, report=report)


def _print(best: Run, runs: list[Run]) -> None:
    report = best.report
    print(f"questions: {len(report.findings)}, failed: {len(report.failed)}")
    print("runs (total s): " + ", ".join(f"{run.total:.2f}" for run in runs))
    print(
        f"best: {best.total:.2f} s = questions and organization {best.build:.2f} s + rendering "
        + ", ".join(f"{fmt} {seconds * 1000:.0f} ms" for fmt, seconds in best.render.items())
    )
    slowest = sorted(report.findings, key=lambda f: f.duration_seconds, reverse=True)[:5]
    print(
        "slowest questions: "
        + ", ".join(f"{f.id} {f.duration_seconds:.2f} s ({f.count} rows)" for f in slowest)
    )
    verdict = "under" if best.total < TARGET_SECONDS else "OVER"
    print(f"target: {verdict} {TARGET_SECONDS:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
