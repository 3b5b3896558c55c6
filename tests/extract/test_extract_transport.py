"""The resilient transport around a scripted inner transport (no API is imitated here:
these check retry, pacing, truncation and deadline mechanics of the wrapper itself)."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from ingest.extract import DeadlineExceeded, EngineLimits, ResilientTransport
from ingest.extract.deadline import Deadline
from ingest.extract.transport import FAN_OUT, PRIORITY, full_jitter, parse_retry_after

FAST = EngineLimits(rate=1000, burst=1000, max_attempts=4, backoff_base=0.01, backoff_cap=0.02)
OK = {"data": [], "has_more": False}


def scripted(*answers: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return answer(request)

    return httpx.MockTransport(handler)


def status(code: int, headers: dict[str, str] | None = None) -> Callable[..., httpx.Response]:
    return lambda request: httpx.Response(code, json={"error": code}, headers=headers)


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=OK)


def drop(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("Server disconnected without sending a response.")


def cut(request: httpx.Request) -> httpx.Response:
    body = json.dumps(OK).encode()
    return httpx.Response(
        200,
        content=body[:5],
        headers={"content-type": "application/json", "content-length": str(len(body))},
    )


def garbled(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b'{"data": [', headers={"content-type": "application/json"})


def client(
    inner: httpx.AsyncBaseTransport, **kwargs: object
) -> tuple[httpx.AsyncClient, ResilientTransport]:
    transport = ResilientTransport(
        inner,
        engine="test",
        limits=kwargs.pop("limits", FAST),
        rng=random.Random(1),
        **kwargs,  # type: ignore[arg-type]
    )
    return httpx.AsyncClient(transport=transport, base_url="http://sim.test"), transport


def test_parse_retry_after() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("0.5") == 0.5
    assert parse_retry_after(format_datetime(now + timedelta(seconds=7), usegmt=True), now) == 7
    assert parse_retry_after(format_datetime(now - timedelta(seconds=7), usegmt=True), now) == 0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None


def test_full_jitter_bounds() -> None:
    limits = EngineLimits(backoff_base=1.0, backoff_cap=5.0)
    rng = random.Random(0)
    for attempt in range(1, 8):
        delays = [full_jitter(attempt, limits, rng) for _ in range(50)]
        assert all(0 <= d <= min(5.0, 2 ** (attempt - 1)) for d in delays)


@pytest.mark.asyncio
async def test_429_waits_retry_after_then_succeeds() -> None:
    http, transport = client(scripted(status(429, {"retry-after": "0.2"}), ok))
    async with http:
        response = await http.get("/x")
    assert response.status_code == 200 and response.json() == OK
    stats = transport.stats
    assert stats.api_calls == 2 and stats.retries == 1
    assert stats.status_counts == {429: 1, 200: 1}
    assert stats.throttled_seconds >= 0.19


@pytest.mark.asyncio
async def test_5xx_and_drops_and_cut_bodies_are_retried() -> None:
    inner = scripted(status(503), drop, cut, garbled, status(529), ok)
    http, transport = client(
        inner,
        limits=EngineLimits(
            rate=1000, burst=1000, max_attempts=6, backoff_base=0.001, backoff_cap=0.002
        ),
    )
    async with http:
        response = await http.get("/x")
    assert response.json() == OK
    assert transport.stats.api_calls == 6 and transport.stats.retries == 5
    assert transport.stats.transport_errors == 3


@pytest.mark.asyncio
async def test_attempts_are_bounded() -> None:
    http, transport = client(scripted(status(500)))
    async with http:
        response = await http.get("/x")
    assert response.status_code == 500 and transport.stats.api_calls == 4
    http, transport = client(scripted(drop))
    async with http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/x")
    assert transport.stats.api_calls == 4


@pytest.mark.asyncio
async def test_other_4xx_are_not_retried() -> None:
    for code in (400, 401, 403, 404, 409):
        http, transport = client(scripted(status(code), ok))
        async with http:
            response = await http.get("/x")
        assert response.status_code == code and transport.stats.api_calls == 1


@pytest.mark.asyncio
async def test_non_idempotent_requests_not_retried_on_5xx() -> None:
    http, transport = client(scripted(status(503), ok))
    async with http:
        response = await http.post("/x", json={})
    assert response.status_code == 503 and transport.stats.api_calls == 1


@pytest.mark.asyncio
async def test_deadline_on_long_retry_after_and_on_pacing() -> None:
    http, _ = client(scripted(status(429, {"retry-after": "30"})), deadline=Deadline(1.0))
    async with http:
        with pytest.raises(DeadlineExceeded):
            await http.get("/x")
    slow = EngineLimits(rate=1, burst=1)
    http, _ = client(scripted(ok), limits=slow, deadline=Deadline(0.3))
    async with http:
        await http.get("/x")
        with pytest.raises(DeadlineExceeded):
            await http.get("/x")


def one_per_window(window: float) -> httpx.MockTransport:
    """A server whose bucket holds one token: the first request to arrive in each window is
    answered, every other one gets 429 with retry-after = the window."""
    free_at = [0.0]

    async def handler(request: httpx.Request) -> httpx.Response:
        now = time.monotonic()
        await asyncio.sleep(window / 10)  # the answer takes a round trip
        if now >= free_at[0]:
            free_at[0] = now + window
            return httpx.Response(200, json=OK)
        return httpx.Response(429, json={"error": 429}, headers={"retry-after": str(window)})

    return httpx.MockTransport(handler)


@pytest.mark.asyncio
async def test_a_refused_fan_out_request_is_not_starved_by_page_chains() -> None:
    # After each retry-after the whole herd goes at once and the server takes only the first.
    # Page chains go before fan-out requests, so without ageing a fan-out request refused
    # again and again would lose every race until its attempts ran out.
    limits = EngineLimits(rate=1000, burst=1000, max_throttled_attempts=6)
    http, _ = client(one_per_window(0.02), limits=limits)
    fan_out = {PRIORITY: FAN_OUT}
    stop = asyncio.Event()

    async def chain() -> None:
        while not stop.is_set():
            await http.get("/chain")
            await asyncio.sleep(0.002)  # reading the page

    async with http:
        chains = [asyncio.create_task(chain()) for _ in range(4)]
        await asyncio.sleep(0.05)  # the chains are hammering the server
        try:
            response = await http.get("/fan-out", extensions=fan_out)
        finally:
            stop.set()
            await asyncio.gather(*chains, return_exceptions=True)
    assert response.status_code == 200
