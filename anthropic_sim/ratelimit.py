"""Rate limiting in front of both engines.

Console (and SCIM): a token bucket per (credential, engine); `admin` covers /v1, `scim` covers
/scim; rates and bursts come from the config. Enterprise Admin API (documented): at most
`org_request_limit` requests per `org_request_window_s` for the organization, whatever the key,
and `invite_limit` invite creations per `invite_window_s`; a sliding window. Over the limit:
429 with `retry-after` (whole seconds until a token is back) and the engine's error body
(`rate_limit_error` envelope for the Admin API, a SCIM Error for SCIM). /_control is exempt.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from anthropic_sim.asgi import engine_of, header, send_error
from anthropic_sim.state import Simulator

LIMITED_ENGINES = ("admin", "scim")
INVITES = "/v1/organizations/invites"
# The Analytics API's own documented limit (60 requests/min per organization), reading A5.
ANALYTICS = "/v1/organizations/analytics/"


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.lock = threading.Lock()
        self.buckets: dict[tuple[str, str], Bucket] = {}
        self.windows: dict[str, deque[float]] = {}

    def reset(self) -> None:
        with self.lock:
            self.buckets.clear()
            self.windows.clear()

    def take_window(self, name: str, limit: int, window: float, now: float | None = None) -> float:
        """Count one request in the sliding window `name`; 0.0 when allowed, else the seconds
        until the oldest counted request leaves the window."""
        now = time.monotonic() if now is None else now
        with self.lock:
            times = self.windows.setdefault(name, deque())
            while times and times[0] <= now - window:
                times.popleft()
            if len(times) < limit:
                times.append(now)
                return 0.0
            return times[0] + window - now

    def take_enterprise(self, method: str, path: str) -> float:
        """The documented Enterprise limits: per organization, then invite creations (an
        invite refused for the hourly limit still counted as one of the org's requests)."""
        config = self.sim.config
        now = time.monotonic()
        if path.startswith(ANALYTICS):
            limit, window = config.analytics_request_limit, config.analytics_window_s
            return self.take_window("analytics", limit, window, now)
        wait = self.take_window("org", config.org_request_limit, config.org_request_window_s, now)
        if wait <= 0 and method == "POST" and path.rstrip("/") == INVITES:
            wait = self.take_window("invites", config.invite_limit, config.invite_window_s, now)
        return wait

    def limits(self, engine: str) -> tuple[float, float]:
        config = self.sim.config
        if engine == "scim":
            return float(config.scim_rate), float(config.scim_burst)
        return float(config.admin_rate), float(config.admin_burst)

    def take(self, credential: str, engine: str, now: float | None = None) -> float:
        """Take one token; 0.0 when allowed, else the seconds until a token is available."""
        rate, burst = self.limits(engine)
        if rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self.lock:
            bucket = self.buckets.get((credential, engine))
            if bucket is None:
                bucket = self.buckets[(credential, engine)] = Bucket(max(burst, 1.0), now)
            bucket.tokens = min(max(burst, 1.0), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate


def credential_of(scope: Scope) -> str:
    for name in ("x-api-key", "authorization"):
        value = header(scope, name)
        if value:
            return f"{name}:{value}"
    client = scope.get("client") or ("anonymous", 0)
    return f"client:{client[0]}"


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, sim: Simulator) -> None:
        self.app = app
        self.sim = sim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        engine = engine_of(scope.get("path", "")) if scope["type"] == "http" else "other"
        if engine not in LIMITED_ENGINES or not self.sim.config.rate_limit_enabled:
            await self.app(scope, receive, send)
            return
        limiter: RateLimiter = self.sim.rate_limiter
        if engine == "admin" and self.sim.org.product == "enterprise":
            wait = limiter.take_enterprise(scope["method"], scope["path"])
        else:
            wait = limiter.take(credential_of(scope), engine)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        self.sim.stats.record_rate_limited(engine)
        retry_after = str(max(1, math.ceil(wait)))
        message = (
            "Number of requests has exceeded your rate limit. "
            f"Please try again in {retry_after} second(s)."
        )
        await send_error(
            scope,
            send,
            429,
            message,
            "rate_limit_error",
            headers=[("retry-after", retry_after)],
        )
