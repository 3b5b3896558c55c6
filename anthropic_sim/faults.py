"""Seeded fault injection: errors, slow answers, dropped connections, truncated bodies, churn.

Faults are configured per route regex (`config.faults`, a list of `FaultSpec`) and drawn from
`random.Random(config.fault_seed)`, so a given request sequence always sees the same faults.
`FaultMiddleware` sits in front of both engines (the control API is exempt). Churn is not a
transport fault: list handlers call `maybe_churn` after building a page, and the org changes
under the client's feet between pages.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anthropic_sim import mutations
from anthropic_sim.asgi import engine_of, send_error, state
from anthropic_sim.config import FaultSpec
from anthropic_sim.state import Simulator

FAULT_ENGINES = ("admin", "scim")
ERROR_MESSAGES = {
    400: "Invalid request",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Request timed out",
    529: "Overloaded",
}


@dataclass
class Decision:
    drop: bool = False
    error_status: int | None = None
    truncate: bool = False
    malformed: bool = False
    echo_credentials: bool = False
    slow_seconds: float = 0.0


class FaultInjector:
    """Draws faults for requests; keeps one seeded stream for transport faults and one for churn."""

    def __init__(self, specs: list[FaultSpec], seed: int) -> None:
        self.lock = threading.Lock()
        self.configure(specs, seed)

    def configure(self, specs: list[FaultSpec], seed: int) -> None:
        with self.lock:
            self.specs = list(specs)
            self.patterns = [re.compile(spec.route) for spec in self.specs]
            self.rng = random.Random(seed)
            self.churn_rng = random.Random(f"churn-{seed}")
            self.churn_pages_seen = [0] * len(self.specs)

    def matching(self, path: str) -> list[FaultSpec]:
        return [s for s, p in zip(self.specs, self.patterns, strict=True) if p.search(path)]

    def decide(self, path: str) -> Decision:
        decision = Decision()
        with self.lock:
            for spec in self.matching(path):
                # Always draw the same number of values per spec so streams stay reproducible.
                r_drop, r_err, r_trunc, r_slow = (self.rng.random() for _ in range(4))
                pick = self.rng.randrange(max(1, len(spec.error_statuses)))
                # Drawn only when configured, so older seeded streams stay as they were.
                r_malformed = self.rng.random() if spec.malformed_rate > 0 else 1.0
                if r_slow < spec.slow_rate:
                    decision.slow_seconds = max(decision.slow_seconds, spec.slow_seconds)
                if decision.drop or decision.error_status or decision.truncate:
                    continue
                if r_drop < spec.drop_rate:
                    decision.drop = True
                elif r_err < spec.error_rate and spec.error_statuses:
                    decision.error_status = int(spec.error_statuses[pick])
                    decision.echo_credentials = spec.echo_credentials
                elif r_trunc < spec.truncate_rate:
                    decision.truncate = True
                elif r_malformed < spec.malformed_rate:
                    decision.malformed = True
        return decision

    def churn_draws(self, path: str) -> int:
        """How many churn events to apply after a page of `path`."""
        with self.lock:
            events = 0
            for index, (spec, pattern) in enumerate(zip(self.specs, self.patterns, strict=True)):
                if not pattern.search(path):
                    continue
                seen = self.churn_pages_seen[index] = self.churn_pages_seen[index] + 1
                if spec.churn_pages is not None and seen > spec.churn_pages:
                    continue
                events += self.churn_rng.random() < spec.churn_rate
            return events


def _presented_credential(scope: Scope) -> str:
    headers = dict(scope.get("headers", []))
    value = headers.get(b"x-api-key") or headers.get(b"authorization") or b"none"
    return value.decode("latin-1")


def _close_connection(scope: Scope) -> bool:
    """Close the client connection without an answer (uvicorn's h11/httptools cycle)."""
    cycle: Any = getattr(state(scope).get("_raw_send"), "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        return False
    transport.close()
    if hasattr(cycle, "disconnected"):
        cycle.disconnected = True
    return True


class FaultMiddleware:
    def __init__(self, app: ASGIApp, sim: Simulator) -> None:
        self.app = app
        self.sim = sim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or engine_of(scope["path"]) not in FAULT_ENGINES:
            await self.app(scope, receive, send)
            return
        injector: FaultInjector = self.sim.faults
        decision = injector.decide(scope["path"])
        stats = self.sim.stats
        if decision.slow_seconds > 0:
            stats.record_fault("slow")
            await asyncio.sleep(decision.slow_seconds)
        if decision.drop:
            stats.record_fault("drop")
            state(scope)["fault"] = "drop"
            if _close_connection(scope):
                return
            # Not under uvicorn: the best we can do is an answer cut off after the headers.
            decision.truncate = True
        if decision.error_status is not None:
            status = decision.error_status
            stats.record_fault(f"error_{status}")
            state(scope)["fault"] = f"error_{status}"
            message = ERROR_MESSAGES.get(status, "Server error")
            if decision.echo_credentials:
                message += f"; credential presented: {_presented_credential(scope)}"
            await send_error(scope, send, status, message)
            return
        if decision.truncate:
            stats.record_fault("truncate")
            state(scope)["fault"] = "truncate"
            await self.app(scope, receive, _truncating(scope, send))
            return
        if decision.malformed:
            stats.record_fault("malformed")
            state(scope)["fault"] = "malformed"
            await self.app(scope, receive, _malforming(send))
            return
        await self.app(scope, receive, send)


MALFORMED_BODY = b'{"type": "surprise", "items": "not where a client expects them"}'

Finish = Callable[[Send, dict[str, Any], bytes], Awaitable[None]]


def _buffered(send: Send, finish: Finish) -> Send:
    """Hold the answer back until its body is complete, then let `finish` send it."""
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            await finish(send, start, b"".join(chunks))

    return wrapped


def _start_with_length(start: dict[str, Any], length: int) -> dict[str, Any]:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    return {**start, "headers": [*headers, (b"content-length", str(length).encode())]}


def _malforming(send: Send) -> Send:
    """Replace a successful answer's body with valid JSON of the wrong shape."""

    async def finish(send: Send, start: dict[str, Any], body: bytes) -> None:
        if start.get("status", 500) < 300:
            body = MALFORMED_BODY
        await send(_start_with_length(start, len(body)))
        await send({"type": "http.response.body", "body": body})

    return _buffered(send, finish)


def _truncating(scope: Scope, send: Send) -> Send:
    """Send the headers (true Content-Length) and half the body, then close the connection."""

    async def finish(send: Send, start: dict[str, Any], body: bytes) -> None:
        await send(_start_with_length(start, len(body)))
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        _close_connection(scope)

    return _buffered(send, finish)


# The roles of the members churn adds and removes (never an admin role), per product.
CHURN_ROLES = {
    "console": ("user", "developer", "claude_code_user"),
    "enterprise": ("user", "managed"),
}


def maybe_churn(sim: Simulator, engine: str, path: str) -> None:
    """Called by list handlers after building a page: per the matching specs' `churn_rate`,
    add a new member (with a matching SCIM user) and remove an existing non-admin member
    (with its workspace memberships and its SCIM user)."""
    injector: FaultInjector | None = sim.faults
    if injector is None or not injector.specs:
        return
    events = injector.churn_draws(path)
    for _ in range(events):
        churn_once(sim, engine)


def churn_once(sim: Simulator, engine: str) -> None:
    injector: FaultInjector = sim.faults
    with sim.lock, injector.lock:
        rng = injector.churn_rng
        name, email = mutations.new_person(sim, rng)
        plain = CHURN_ROLES[sim.org.product]
        role = rng.choice(plain)
        candidates = [u.id for u in sim.org.users.values() if u.role in plain]
        victim = rng.choice(candidates) if candidates else None
    with sim.lock:
        mutations.add_user(sim, email, name, role, with_scim=True)
        sim.stats.record_churn(f"{engine}_added")
        if victim is not None and victim in sim.org.users:
            mutations.remove_user(sim, victim, remove_scim=True)
            sim.stats.record_churn(f"{engine}_removed")
