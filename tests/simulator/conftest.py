"""Fixtures: real simulators on loopback (no mocks), talked to with plain httpx."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from sim_helpers import Api

from anthropic_sim.config import SimConfig
from anthropic_sim.linked import regenerate
from anthropic_sim.server import RunningSimulator, running_simulator


@pytest.fixture(scope="session")
def ro() -> Iterator[Api]:
    """A shared small org that tests must not change (rate limiting off)."""
    config = SimConfig(seed=7, size="small", rate_limit_enabled=False)
    with running_simulator(config) as rs:
        api = Api(rs)
        yield api
        api.close()


@pytest.fixture(scope="session")
def _pool() -> Iterator[RunningSimulator]:
    """One server for the tests that need their own org: each gets a fresh org swapped in."""
    with running_simulator(SimConfig(seed=1, size="small", rate_limit_enabled=False)) as rs:
        yield rs


@pytest.fixture
def make_api(_pool: RunningSimulator) -> Iterator[Callable[..., Api]]:
    """A simulator with a fresh org for the given SimConfig fields (the pool server, reset)."""
    stack = ExitStack()

    def start(**fields: Any) -> Api:
        fields.setdefault("rate_limit_enabled", False)
        regenerate(_pool.sim, SimConfig(**fields))
        api = Api(_pool)
        stack.callback(api.close)
        return api

    with stack:
        yield start


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    """A fresh small org a test may change."""
    return make_api(seed=11, size="small")


@pytest.fixture
def clients() -> Iterator[Callable[[Api, str], httpx.Client]]:
    """Admin API clients for other keys of a running simulator (closed after the test)."""
    opened: list[httpx.Client] = []

    def client(api: Api, key: str) -> httpx.Client:
        headers = {"x-api-key": key, "anthropic-version": "2023-06-01"}
        opened.append(httpx.Client(base_url=api.rs.base_url, headers=headers, timeout=10))
        return opened[-1]

    yield client
    for c in opened:
        c.close()
