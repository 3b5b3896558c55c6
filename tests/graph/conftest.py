"""Fixtures for the graph tests: a loader on the wiped test database, sync contexts."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from ingest.load import GraphLoader, SyncContext

_clock = itertools.count(1_700_000_000_000, 60_000)


@pytest.fixture
def loader(neo4j) -> GraphLoader:
    graph_loader = GraphLoader(neo4j.driver, neo4j.database)
    graph_loader.ensure_schema()
    return graph_loader


@pytest.fixture
def new_ctx() -> Callable[..., SyncContext]:
    """new_ctx(tenant="org-a"): a fresh sync of that tenant, later than every earlier one."""
    counter = itertools.count(1)

    def make(tenant: str = "org-a") -> SyncContext:
        return SyncContext(tenant_id=tenant, sync_id=f"sync-{next(counter)}", now_ms=next(_clock))

    return make
