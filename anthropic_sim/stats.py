"""Counters of everything the simulator served and injected, and the log of every write request
(read through the control API)."""

from __future__ import annotations

import re
import threading
from collections import Counter, deque
from typing import Any

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_LOG_LIMIT = 10_000  # the oldest entries go first; a test resets the stats before it reads
_ID_SEGMENT = re.compile(
    r"^(?:[a-z]+(?:_[a-z]+)*_01[0-9A-Za-z]{20,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)


def route_template(path: str) -> str:
    """`/v1/organizations/users/user_01abc...` -> `/v1/organizations/users/{id}`."""
    return "/".join("{id}" if _ID_SEGMENT.match(part) else part for part in path.split("/"))


def is_write(engine: str, method: str, path: str) -> bool:
    """A request that may change the org: any non-read method, except SCIM's POST searches."""
    if method.upper() in READ_METHODS:
        return False
    return not (engine == "scim" and path.rstrip("/").endswith("/.search"))


class Stats:
    """Request counts by engine, route and status; faults and 429s injected; every write request
    in order (method, path, status, request id). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests: Counter[tuple[str, str, str, int]] = Counter()
            self.faults: Counter[str] = Counter()
            self.rate_limited: Counter[str] = Counter()
            self.churn: Counter[str] = Counter()
            self.writes: deque[dict[str, Any]] = deque(maxlen=WRITE_LOG_LIMIT)
            # Each answered Compliance feed page: its cursor parameter and how many events.
            self.feed_reads: list[dict[str, Any]] = []

    def record_request(
        self, engine: str, method: str, path: str, status: int, request_id: str = ""
    ) -> None:
        with self._lock:
            self.requests[(engine, method, route_template(path), status)] += 1
            if is_write(engine, method, path):
                self.writes.append(
                    {
                        "engine": engine,
                        "method": method,
                        "path": path,
                        "status": status,
                        "request_id": request_id,
                    }
                )

    def record_feed_read(self, cursor: str | None, events: int) -> None:
        with self._lock:
            self.feed_reads.append({"cursor": cursor, "events": events})

    def record_fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def record_rate_limited(self, engine: str) -> None:
        with self._lock:
            self.rate_limited[engine] += 1

    def record_churn(self, kind: str) -> None:
        with self._lock:
            self.churn[kind] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            by_engine: Counter[str] = Counter()
            by_status: Counter[str] = Counter()
            routes = []
            for (engine, method, route, status), n in sorted(self.requests.items()):
                by_engine[engine] += n
                by_status[str(status)] += n
                routes.append(
                    {
                        "engine": engine,
                        "method": method,
                        "route": route,
                        "status": status,
                        "count": n,
                    }
                )
            return {
                "total_requests": sum(by_engine.values()),
                "compliance_feed_reads": list(self.feed_reads),
                "by_engine": dict(by_engine),
                "by_status": dict(by_status),
                "routes": routes,
                "faults": dict(self.faults),
                "faults_total": sum(self.faults.values()),
                "rate_limited": dict(self.rate_limited),
                "rate_limited_total": sum(self.rate_limited.values()),
                "churn": dict(self.churn),
                "writes": list(self.writes),
            }
