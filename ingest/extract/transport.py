"""Rate limiting and resilience as an httpx transport, shared by the Admin and SCIM engines.

`ResilientTransport` wraps any `httpx.AsyncBaseTransport`:
- every attempt first takes a token from the engine's `TokenBucket`, and before it one from
  its route's own bucket when the route has a limit of its own (`routes`: path prefix → limits);
- 429 → wait `retry-after` (seconds or HTTP date; jittered backoff when absent) and retry;
  the wait empties the bucket that paced the request (its route's, else the whole engine's)
  so concurrent requests under the same limit hold off too;
- 500/502/503/504/529, transport errors (connect errors, dropped connections, read
  timeouts) and cut bodies → exponential backoff with full jitter, then retry;
- the body is read inside the transport, so a body shorter than its Content-Length, or a
  JSON body that does not parse, is detected here and retried like a dropped connection;
- every attempt and every wait is bounded by the run's `Deadline` (`DeadlineExceeded`).
Only idempotent methods are retried after a failure that may have reached the server.
Headers are never logged.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import orjson

from ingest.extract.config import EngineLimits
from ingest.extract.deadline import Deadline
from ingest.extract.token_bucket import TokenBucket

log = logging.getLogger(__name__)

# Request extension: the request's place in the token bucket's queue. A listing walked page
# after page waits for each answer, so its next page goes first (CHAIN); listings fanned out
# over many parents (FAN_OUT) take the tokens the chains leave between their pages.
PRIORITY = "idgraph.priority"
CHAIN, FAN_OUT = 0, 1
_PARSED = "idgraph.parsed_json"  # response extension: the body, parsed by the transport
RETRY_STATUSES = frozenset({500, 502, 503, 504, 529})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRYABLE_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.DecodingError,
)


class TruncatedBody(httpx.RemoteProtocolError):
    """The body was shorter than its Content-Length, or its JSON did not parse."""


@dataclass
class EngineStats:
    """What one engine did: requests sent, retries, and time spent held back."""

    engine: str
    api_calls: int = 0  # attempts that went out on the wire
    retries: int = 0  # attempts that were repeats of an earlier one
    throttled_seconds: float = 0.0  # waiting in the token bucket or on retry-after
    backoff_seconds: float = 0.0  # sleeping between attempts after 5xx or transport errors
    transport_errors: int = 0  # connection failures, timeouts, dropped or cut answers
    status_counts: Counter[int] = field(default_factory=Counter)

    def summary(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "api_calls": self.api_calls,
            "retries": self.retries,
            "throttled_seconds": round(self.throttled_seconds, 3),
            "backoff_seconds": round(self.backoff_seconds, 3),
            "transport_errors": self.transport_errors,
            "status_counts": dict(sorted(self.status_counts.items())),
        }


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def full_jitter(attempt: int, limits: EngineLimits, rng: random.Random) -> float:
    """Backoff before retry number `attempt` (1-based): uniform in [0, min(cap, base·2^(n-1))]."""
    return rng.uniform(0.0, min(limits.backoff_cap, limits.backoff_base * 2 ** (attempt - 1)))


class ResilientTransport(httpx.AsyncBaseTransport):
    """Paces, retries and bounds every request that goes through it."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        engine: str,
        limits: EngineLimits,
        deadline: Deadline | None = None,
        stats: EngineStats | None = None,
        rng: random.Random | None = None,
        routes: Mapping[str, EngineLimits] | None = None,
    ) -> None:
        self.inner = inner
        self.limits = limits
        self.deadline = deadline or Deadline(None)
        self.bucket = TokenBucket(limits.rate, limits.burst)
        self.route_buckets = {
            prefix: TokenBucket(own.rate, own.burst) for prefix, own in (routes or {}).items()
        }
        self.stats = stats or EngineStats(engine)
        self.rng = rng or random.Random()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        doing = f"{request.method} {request.url.path}"
        retryable = request.method in IDEMPOTENT_METHODS
        route = self._route_bucket(request.url.path)
        failures = throttles = 0
        while True:
            if failures or throttles:
                self.stats.retries += 1
            # A request refused by a 429 moves up a rank each time, so the herd released after
            # every retry-after cannot keep leaving the same request last.
            await self._pace(doing, request.extensions.get(PRIORITY, CHAIN) - throttles, route)
            self.stats.api_calls += 1
            try:
                async with self.deadline.bound(doing):
                    response = await self._attempt(request)
            except RETRYABLE_ERRORS as exc:
                self.stats.transport_errors += 1
                failures += 1
                log.info("%s failed (%s), attempt %d", doing, type(exc).__name__, failures)
                if not retryable or failures >= self.limits.max_attempts:
                    raise
                await self._back_off(failures, None, doing)
                continue

            status = response.status_code
            self.stats.status_counts[status] += 1
            log.debug("%s -> %d", doing, status)
            if status == 429:
                throttles += 1
                if throttles >= self.limits.max_throttled_attempts:
                    return response
                self._hold(response, throttles, route or self.bucket)
                continue
            if status in RETRY_STATUSES and retryable:
                failures += 1
                if failures >= self.limits.max_attempts:
                    return response
                await self._back_off(failures, response, doing)
                continue
            return response

    def _route_bucket(self, path: str) -> TokenBucket | None:
        return next((b for p, b in self.route_buckets.items() if path.startswith(p)), None)

    async def _pace(self, doing: str, priority: int, route: TokenBucket | None) -> None:
        async with self.deadline.bound(f"waiting for the rate limit before {doing}"):
            if route is not None:
                self.stats.throttled_seconds += await route.acquire(priority)
            self.stats.throttled_seconds += await self.bucket.acquire(priority)

    async def _attempt(self, request: httpx.Request) -> httpx.Response:
        """Send once and read the whole body, refusing a cut or unparsable one."""
        response = await self.inner.handle_async_request(request)
        if response.is_stream_consumed:  # in-memory transports answer with a read body
            raw, complete = response.content, response
        else:
            response.request = request
            try:
                raw = b"".join([chunk async for chunk in response.aiter_raw()])
            finally:
                await response.aclose()
            complete = httpx.Response(
                response.status_code,
                headers=response.headers,
                content=raw,
                extensions=response.extensions,
                request=request,
            )
        declared = response.headers.get("content-length")
        if declared is not None and declared.isdigit() and len(raw) < int(declared):
            raise TruncatedBody(f"body cut at {len(raw)} of {declared} bytes", request=request)
        if _claims_json(complete) and complete.content:
            try:
                complete.extensions[_PARSED] = parse_json(complete.content)
            except ValueError as exc:
                raise TruncatedBody("JSON body does not parse", request=request) from exc
        return complete

    def _hold(self, response: httpx.Response, throttles: int, bucket: TokenBucket) -> None:
        """After a 429, hold `bucket` back for retry-after (or a jittered backoff)."""
        delay = parse_retry_after(response.headers.get("retry-after"))
        if delay is None:
            delay = full_jitter(throttles, self.limits, self.rng)
        delay = min(delay, self.limits.retry_after_cap)
        left = self.deadline.remaining()
        if left is not None and delay >= left:
            raise self.deadline.exceeded("waiting out a 429 retry-after")
        bucket.hold_until(time.monotonic() + delay)

    async def _back_off(self, failures: int, response: httpx.Response | None, doing: str) -> None:
        delay = full_jitter(failures, self.limits, self.rng)
        if response is not None:
            advised = parse_retry_after(response.headers.get("retry-after"))
            if advised is not None:
                delay = min(advised, self.limits.retry_after_cap)
        self.stats.backoff_seconds += delay
        await self.deadline.sleep(delay, f"backing off before retrying {doing}")

    async def aclose(self) -> None:
        await self.inner.aclose()


def parse_json(content: bytes) -> Any:
    """orjson, and the standard library for what only it reads (integers beyond 64 bits)."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


def unbound(response: httpx.Response) -> httpx.Response:
    """The read response without its stream. httpx binds every response's stream to the
    response, a reference cycle, so a page is freed only by the cyclic collector, which a sync
    runs rarely (`_fewer_collections` in ingest/sync/pipeline.py): on the 90-day benchmark
    dozens of megabyte pages waited for it at once. The body is read; nothing streams it again."""
    response.stream = httpx.ByteStream(response.content)
    return response


def json_body(response: httpx.Response) -> Any:
    """The body as parsed: once, by the transport, for a response that came through one."""
    if _PARSED in response.extensions:
        return response.extensions[_PARSED]
    return parse_json(response.content)


def _claims_json(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")
