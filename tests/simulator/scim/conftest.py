"""A small hand-built org behind the SCIM routes, served by uvicorn on a free loopback port.

One server per session; each test gets a fresh org and config swapped into the same
`Simulator` (the routes read `sim.org` and `sim.config` at request time).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from scim_fixtures import SCIM_TOKEN, build_org
from starlette.applications import Starlette
from starlette.routing import Mount

from anthropic_sim.config import SimConfig
from anthropic_sim.scim.routes import scim_routes
from anthropic_sim.state import Simulator


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="session")
def _server() -> Iterator[tuple[Simulator, str]]:
    sim = Simulator(org=build_org(), config=SimConfig())
    app = Starlette(routes=[Mount("/scim/v2", routes=scim_routes(sim))])
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    yield sim, f"http://127.0.0.1:{port}/scim/v2"
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()


@pytest.fixture
def sim(_server: tuple[Simulator, str]) -> Simulator:
    """The served simulator, with a fresh org and default config for this test."""
    simulator = _server[0]
    with simulator.lock:
        simulator.org = build_org()
        simulator.config = SimConfig()
    return simulator


@pytest.fixture
def base_url(_server: tuple[Simulator, str], sim: Simulator) -> str:
    return _server[1]


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {SCIM_TOKEN}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as http:
        yield http


@pytest.fixture
def anon(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        yield http
