"""Simulator fixtures for the extractor integration tests (a real HTTP server, never a mock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest


@pytest.fixture
def serve() -> Iterator[Callable[..., Any]]:
    """`serve(**SimConfig knobs)` starts a simulator on a free loopback port for this test."""
    server = pytest.importorskip(
        "anthropic_sim.server", reason="the simulator server is not built yet"
    )
    from anthropic_sim.config import SimConfig

    with ExitStack() as stack:

        def start(**knobs: Any) -> Any:
            return stack.enter_context(server.running_simulator(SimConfig(**knobs), port=0))

        yield start
