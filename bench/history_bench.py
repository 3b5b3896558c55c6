"""Benchmark: what change history costs a re-sync (docs/performance.md, "Change history").

For each round and mode (history kept, IDGRAPH_HISTORY_RETENTION_DAYS=0): wipe, sync the
simulated organization (the baseline), change it (`churn` control events), then time the
re-sync. The simulator runs in this process without rate limits, so the time is the pipeline's.

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=idgraph-local \
        python bench/history_bench.py --size medium --churn 50 --rounds 3

The target database is wiped first: point it at a scratch server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
from neo4j import Driver, GraphDatabase

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.*
from anthropic_sim.config import SimConfig
from anthropic_sim.server import running_simulator
from ingest.load import GraphLoader
from ingest.sync.pipeline import run_sync
from tests.conftest import FAST
from tests.scratch_database import erase_or_exit
from tests.simulated import options_for


def resync_seconds(driver: Driver, database: str, size: str, churn: int, days: int) -> float:
    erase_or_exit(driver, database, os.environ["NEO4J_URI"])
    loader = GraphLoader(driver, database, history_days=days)
    with running_simulator(SimConfig(size=size, seed=1, **FAST)) as running:
        options = options_for(running)
        run_sync(loader, options)
        httpx.post(
            f"{running.base_url}/_control/mutate",
            json={"op": "churn", "count": churn},
            headers=running.control_headers(),
        ).raise_for_status()
        started = time.perf_counter()
        run_sync(loader, options)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="medium")
    parser.add_argument("--churn", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    auth = ("neo4j", os.environ.get("NEO4J_PASSWORD", ""))
    database = os.environ.get("NEO4J_DATABASE", "neo4j")
    modes = {"history kept (90 days)": 90, "no history (0)": 0}
    times: dict[str, list[float]] = {label: [] for label in modes}
    with GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth) as driver:
        for _ in range(args.rounds):  # interleaved: the load of a shared machine hits both
            for label, days in modes.items():
                times[label].append(resync_seconds(driver, database, args.size, args.churn, days))
                changes = driver.execute_query(
                    "MATCH (c:AnthropicChange) RETURN count(c) AS n", database_=database
                ).records[0]["n"]
                print(f"{label}: {times[label][-1]:.2f} s, {changes} change records")
    for label, measured in times.items():
        print(
            f"{label}: re-sync median {statistics.median(measured):.2f} s "
            f"(min {min(measured):.2f}, max {max(measured):.2f})"
        )


if __name__ == "__main__":
    main()
