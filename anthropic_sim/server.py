"""Run the simulator over real HTTP on loopback: `serve` (blocking) and `running_simulator`
(a background thread for tests, demos and benchmarks)."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import uvicorn

from anthropic_sim.app import build_app, create_simulator
from anthropic_sim.config import SimConfig
from anthropic_sim.state import Simulator
from anthropic_sim.stats import Stats

STARTUP_TIMEOUT_S = 30.0


@dataclass
class RunningSimulator:
    base_url: str  # e.g. http://127.0.0.1:54321 (Admin API at /v1/..., control at /_control/...)
    scim_url: str  # base_url + /scim/v2
    sim: Simulator
    port: int
    host: str
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def stats(self) -> Stats:
        return self.sim.stats

    @property
    def admin_key(self) -> str:
        return self.sim.org.admin_key

    @property
    def oauth_token(self) -> str:
        return self.sim.org.oauth_token

    @property
    def scim_token(self) -> str:
        return self.sim.org.scim_token

    @property
    def inference_key(self) -> str:
        return self.sim.org.inference_key

    @property
    def control_token(self) -> str:
        return str(self.sim.config.control_token)

    def admin_headers(self) -> dict[str, str]:
        return {"x-api-key": self.admin_key, "anthropic-version": "2023-06-01"}

    def oauth_headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.oauth_token}", "anthropic-version": "2023-06-01"}

    def scim_headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.scim_token}"}

    def control_headers(self) -> dict[str, str]:
        return {"x-control-token": self.control_token}


def uvicorn_config(sim: Simulator, host: str, port: int, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        build_app(sim),
        host=host,
        port=port,
        http="h11",  # fault injection closes connections through the h11 protocol's transport
        lifespan="off",
        log_level=log_level,
        access_log=False,
        timeout_keep_alive=30,
    )


def freeze_heap() -> None:
    """For a process that serves one simulator: a large organization is millions of
    long-lived objects, and without this every full collection rescans them all (a
    SCIM page of the large organization took 4x longer)."""
    gc.collect()
    gc.freeze()


def serve(config: SimConfig, port: int = 8700, sim: Simulator | None = None) -> None:
    """Serve until interrupted, on `config.host` (loopback unless told otherwise)."""
    sim = sim or create_simulator(config)
    freeze_heap()
    uvicorn.Server(uvicorn_config(sim, config.host, port, "info")).run()


@contextmanager
def running_simulator(
    config: SimConfig | None = None, port: int = 0, log_level: str = "warning"
) -> Iterator[RunningSimulator]:
    """Start the simulator in a background thread on a free loopback port; stop it on exit."""
    config = config or SimConfig()
    sim = create_simulator(config)
    server = uvicorn.Server(uvicorn_config(sim, config.host, port, log_level))
    thread = threading.Thread(target=server.run, name="anthropic-sim", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the simulator server failed to start")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the simulator server did not start in time")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()
    host = "127.0.0.1" if config.host in ("0.0.0.0", "") else config.host
    base_url = f"http://{host}:{bound[1]}"
    running = RunningSimulator(
        base_url=base_url,
        scim_url=f"{base_url}/scim/v2",
        sim=sim,
        port=int(bound[1]),
        host=host,
        server=server,
        thread=thread,
    )
    _wait_until_answering(running)
    try:
        yield running
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _wait_until_answering(running: RunningSimulator) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            httpx.get(
                f"{running.base_url}/_control/summary",
                headers=running.control_headers(),
                timeout=2,
            )
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
