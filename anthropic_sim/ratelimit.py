"""Token-bucket rate limiting per (credential, engine), in front of both engines.

`admin` covers /v1, `scim` covers /scim; rates and bursts come from the config. Over the limit:
429 with `retry-after` (whole seconds until a token is back) and the engine's error body
(`rate_limit_error` envelope for the Admin API, a SCIM Error for SCIM). /_control is exempt.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from anthropic_sim.asgi import engine_of, header, send_error
from anthropic_sim.state import Simulator

LIMITED_ENGINES = ("admin", "scim")


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.lock = threading.Lock()
        self.buckets: dict[tuple[str, str], Bucket] = {}

    def reset(self) -> None:
        with self.lock:
            self.buckets.clear()

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
