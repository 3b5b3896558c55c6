"""Loader throughput against the engine's own ceiling (a script, not a test).

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... python bench/loader_bench.py --n 100000
    python bench/loader_bench.py --n 100000 --sweep        # try several batch sizes

Needs an empty database (or --wipe, which ERASES it). For each batch size it measures:
  ceiling: server-side `UNWIND range() CREATE` of N nodes of the same shape (same labels, same
           property count, same constraint and indexes), then 2N relationships by MATCH on id;
  loader:  GraphLoader.load_nodes / load_rels of the same N nodes and 2N relationships, sent from
           Python, on a bench-only declaration built with the project's machinery;
  reload:  the loader again over the unchanged data (the steady state of a daily sync): it
           compares and skips every element, writing none.
Rates are elements (nodes + relationships) per second; with --repeat R the best of R runs is
shown for each column, because other work on a shared machine only ever slows a run down.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from neo4j import Driver, GraphDatabase

from ingest.graph import cypher
from ingest.graph.schema import GraphModel, NodeType, Prop, RelType
from ingest.load import GraphLoader, SyncContext

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.scratch_database
from tests.scratch_database import erase_or_exit

# The shape of AnthropicUser: six declared string properties (+ id and the four the loader adds).
PROPS = ("email", "email_lower", "name", "role", "added_at", "email_domain")
SWEEP = (1_000, 2_000, 5_000, 10_000, 20_000)
OFFSETS = (1, 2)  # each node i links to i+1 and i+2: 2N relationships


def bench_model(label: str) -> GraphModel:
    node = NodeType(
        name=label.lower(),
        label=label,
        extra_labels=(f"{label}Extra",),
        family="bench",
        description="Benchmark node.",
        properties=tuple(Prop(p, "string", p) for p in PROPS),
    )
    link = RelType(
        type="BENCH_LINK",
        start=node,
        end=node,
        family="bench",
        description="Benchmark relationship.",
        properties=(Prop("kind", "string", "kind"),),
    )
    return GraphModel(nodes=(node,), rels=(link,), families=("bench",))


RAW = bench_model("BenchRaw")
LOADED = bench_model("BenchLoaded")

RAW_NODES = (
    "UNWIND range($lo, $hi) AS i "
    "CREATE (:BenchRaw:BenchRawExtra {id: 'n' + i, "
    + ", ".join(f"{p}: '{p}-' + i" for p in PROPS)
    + ", tenant_id: $tenant_id, sync_id: $sync_id, firstseen: $now, lastupdated: $now})"
)
RAW_RELS = (
    "UNWIND range($lo, $hi) AS i "
    "MATCH (a:BenchRaw {id: 'n' + i}) "
    "MATCH (b:BenchRaw {id: 'n' + ((i + $offset) % $n)}) "
    "CREATE (a)-[:BENCH_LINK {kind: 'k', firstseen: $now, lastupdated: $now, sync_id: $sync_id}]"
    "->(b)"
)


def node_rows(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"id": f"n{i}", **{p: f"{p}-{i}" for p in PROPS}}


def rel_rows(n: int, offset: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"start": f"n{i}", "end": f"n{(i + offset) % n}", "kind": "k"}


def ceiling(
    driver: Driver, database: str, n: int, batch: int, ctx: SyncContext
) -> tuple[float, float]:
    params = {"tenant_id": ctx.tenant_id, "sync_id": ctx.sync_id, "now": ctx.now_ms, "n": n}
    t0 = time.perf_counter()
    for lo in range(0, n, batch):
        hi = min(lo + batch, n) - 1
        driver.execute_query(RAW_NODES, {**params, "lo": lo, "hi": hi}, database_=database)
    t1 = time.perf_counter()
    for offset in OFFSETS:
        for lo in range(0, n, batch):
            hi = min(lo + batch, n) - 1
            query_params = {**params, "lo": lo, "hi": hi, "offset": offset}
            driver.execute_query(RAW_RELS, query_params, database_=database)
    return t1 - t0, time.perf_counter() - t1


def load(loader: GraphLoader, n: int, ctx: SyncContext, written: int) -> tuple[float, float]:
    """Loads the N nodes and 2N relationships; `written` of each N are expected to be written
    (all of them the first time, none when reloaded unchanged: the loader skips those)."""
    [node] = loader.model.nodes
    [link] = loader.model.rels
    t0 = time.perf_counter()
    assert loader.load_nodes(node, node_rows(n), ctx) == written
    t1 = time.perf_counter()
    for offset in OFFSETS:
        assert loader.load_rels(link, rel_rows(n, offset), ctx) == written
    return t1 - t0, time.perf_counter() - t1


def wipe(driver: Driver, database: str, label: str | None = None) -> None:
    match = f"MATCH (n:{cypher.quote(label)})" if label else "MATCH (n)"
    with driver.session(database=database) as session:
        session.run(
            f"{match} CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


def drop_schema(driver: Driver, database: str, model: GraphModel) -> None:
    for statement in cypher.schema_statements(model):
        kind = "CONSTRAINT" if statement.cypher.startswith("CREATE CONSTRAINT") else "INDEX"
        driver.execute_query(
            f"DROP {kind} {cypher.quote(statement.name)} IF EXISTS", database_=database
        )


def run_one(driver: Driver, database: str, n: int, batch: int) -> dict[str, float]:
    ctx = SyncContext("bench-tenant", f"bench-{batch}", int(time.time() * 1000))
    raw_nodes, raw_rels = ceiling(driver, database, n, batch, ctx)
    wipe(driver, database, "BenchRaw")
    loader = GraphLoader(driver, database, batch_size=batch, model=LOADED)
    node_seconds, rel_seconds = load(loader, n, ctx, written=n)
    reload_ctx = SyncContext(ctx.tenant_id, f"{ctx.sync_id}-again", ctx.now_ms + 1)
    reload_nodes, reload_rels = load(loader, n, reload_ctx, written=0)
    wipe(driver, database, "BenchLoaded")
    elements = 3 * n
    return {
        "batch": batch,
        "ceiling": elements / (raw_nodes + raw_rels),
        "ceiling_nodes": n / raw_nodes,
        "ceiling_rels": 2 * n / raw_rels,
        "loader": elements / (node_seconds + rel_seconds),
        "loader_nodes": n / node_seconds,
        "loader_rels": 2 * n / rel_seconds,
        "reload": elements / (reload_nodes + reload_rels),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="nodes (relationships: 2N)")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--sweep", action="store_true", help=f"try batch sizes {SWEEP}")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; best is shown")
    parser.add_argument("--wipe", action="store_true", help="ERASE a non-empty database first")
    args = parser.parse_args()

    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    database = os.environ.get("NEO4J_DATABASE", "neo4j")
    from ingest.load.loader import DEFAULT_BATCH_SIZE

    sizes = SWEEP if args.sweep else (args.batch_size or DEFAULT_BATCH_SIZE,)
    with GraphDatabase.driver(uri, auth=auth) as driver:
        driver.verify_connectivity()
        records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS c", database_=database)
        if records[0]["c"] and not args.wipe:
            print(f"{uri} database {database!r} is not empty; --wipe erases it", file=sys.stderr)
            return 2
        erase_or_exit(driver, database, uri)
        for model in (RAW, LOADED):
            GraphLoader(driver, database, model=model).ensure_schema()
        print(f"N={args.n:,} nodes + {2 * args.n:,} relationships, {uri}")
        print(
            "batch  ceiling/s  loader/s  ratio | ceiling nodes/s rels/s | loader nodes/s rels/s"
            " | reload/s"
        )
        try:
            for batch in sizes:
                runs = [run_one(driver, database, args.n, batch) for _ in range(args.repeat)]
                r = {k: max(run[k] for run in runs) for k in runs[0]}
                print(
                    f"{batch:>6,} {r['ceiling']:>9,.0f} {r['loader']:>9,.0f} "
                    f"{r['loader'] / r['ceiling']:>6.2f} | {r['ceiling_nodes']:>15,.0f} "
                    f"{r['ceiling_rels']:>6,.0f} | {r['loader_nodes']:>14,.0f} "
                    f"{r['loader_rels']:>6,.0f} | {r['reload']:>8,.0f}",
                    flush=True,
                )
        finally:
            wipe(driver, database)
            for model in (RAW, LOADED):
                drop_schema(driver, database, model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
