"""`idgraph simulator ...`: run the simulated organization as a real HTTP server."""

from __future__ import annotations

import json
from typing import Annotated, get_args

import typer

simulator_app = typer.Typer(help="Run a simulated Anthropic organization (Admin API + SCIM).")


@simulator_app.callback()
def simulator() -> None:
    """A simulated Anthropic organization on loopback."""


@simulator_app.command()
def serve(
    port: Annotated[int, typer.Option(help="TCP port (0 picks a free one).")] = 8700,
    seed: Annotated[int, typer.Option(help="Generation seed (same seed, same org).")] = 1,
    size: Annotated[str, typer.Option(help="small|medium|large|xl, or a user count.")] = "small",
    tier: Annotated[str, typer.Option(help="enterprise (SCIM on) or standard.")] = "enterprise",
    product: Annotated[
        str, typer.Option(help="console (Claude Console) or enterprise (Claude Enterprise).")
    ] = "console",
    linked: Annotated[
        list[str] | None, typer.Option(help="Product of a further linked org (repeatable).")
    ] = None,
    scim_gate: Annotated[
        str, typer.Option(help="open | plan (403) | revoked_token (401) | no_directory (404).")
    ] = "open",
    host: Annotated[str, typer.Option(help="Bind address; loopback unless told.")] = "127.0.0.1",
    rate: Annotated[float | None, typer.Option(help="Admin API requests/second.")] = None,
    burst: Annotated[int | None, typer.Option(help="Admin API bucket size.")] = None,
    scim_rate: Annotated[float | None, typer.Option(help="SCIM requests/second.")] = None,
    scim_burst: Annotated[int | None, typer.Option(help="SCIM bucket size.")] = None,
    rate_limit: Annotated[
        bool, typer.Option("--rate-limit/--no-rate-limit", help="Throttle like the real API.")
    ] = True,
    control_token: Annotated[str | None, typer.Option(help="x-control-token value.")] = None,
    fault_seed: Annotated[int, typer.Option(help="Seed of the fault streams.")] = 0,
    wall_clock: Annotated[bool, typer.Option(help="Use wall time instead of the epoch.")] = False,
) -> None:
    """Generate the organization and serve the Admin API, SCIM and /_control until Ctrl-C."""
    import socket
    import time

    import uvicorn

    from anthropic_sim.app import create_simulator
    from anthropic_sim.config import Product, ScimGate, SimConfig
    from anthropic_sim.control import credentials
    from anthropic_sim.server import freeze_heap, uvicorn_config

    if size not in ("small", "medium", "large", "xl") and not size.isdigit():
        raise typer.BadParameter("size must be small, medium, large, xl or a number")
    if tier not in ("enterprise", "standard"):
        raise typer.BadParameter("tier must be enterprise or standard")
    products = get_args(Product)
    if product not in products or any(p not in products for p in linked or []):
        raise typer.BadParameter(f"products are {', '.join(products)}")
    if scim_gate not in get_args(ScimGate):
        raise typer.BadParameter(f"scim-gate must be one of {', '.join(get_args(ScimGate))}")
    config = SimConfig(seed=seed, size=size, tier=tier, host=host, fault_seed=fault_seed)  # type: ignore[arg-type]
    config.scim_gate = scim_gate  # type: ignore[assignment]
    config.product = product  # type: ignore[assignment]
    config.linked_orgs = list(linked or [])  # type: ignore[arg-type]
    config.wall_clock = wall_clock
    config.rate_limit_enabled = rate_limit
    if rate is not None:
        config.admin_rate = rate
    if burst is not None:
        config.admin_burst = burst
    if scim_rate is not None:
        config.scim_rate = scim_rate
    if scim_burst is not None:
        config.scim_burst = scim_burst
    if control_token:
        config.control_token = control_token
    started = time.monotonic()
    sim = create_simulator(config)
    freeze_heap()
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    base = f"http://{shown}:{bound}"
    info = credentials(sim, base)
    info["control_token"] = config.control_token
    info["ready_after_s"] = round(time.monotonic() - started, 3)
    typer.echo(f"Simulated organization {sim.org.name} ({sim.org.id}), {len(sim.org.users)} users")
    typer.echo(f"  Admin API : {base}/v1/organizations")
    typer.echo(f"  SCIM      : {base}/scim/v2")
    typer.echo(f"  Control   : {base}/_control  (x-control-token: {config.control_token})")
    typer.echo(json.dumps(info, indent=2), nl=True)
    uvicorn.Server(uvicorn_config(sim, host, bound, "warning")).run(sockets=[sock])
