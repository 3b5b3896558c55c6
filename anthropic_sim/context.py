"""Outermost middleware: a `req_` id for every request, response headers, request stats."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anthropic_sim.asgi import engine_of, send_error, state
from anthropic_sim.state import Simulator

log = logging.getLogger("anthropic_sim")


class RequestContextMiddleware:
    """Adds `request-id` to every response and `anthropic-organization-id` to authenticated
    Admin API responses (never `anthropic-workspace-id` on admin routes), and counts requests
    by engine, route and status, logging every write request."""

    def __init__(self, app: ASGIApp, sim: Simulator) -> None:
        self.app = app
        self.sim = sim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        st = state(scope)
        request_id = self.sim.new_request_id()
        st["request_id"] = request_id
        st.setdefault("_raw_send", send)
        engine = engine_of(scope["path"])
        seen: dict[str, int] = {}

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"request-id", request_id.encode()))
                if engine == "admin" and st.get("authenticated"):
                    org_id = self.sim.organization_header()
                    headers.append((b"anthropic-organization-id", org_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        except Exception:
            log.exception("unhandled error in the simulator")
            if "status" in seen:
                raise
            await send_error(scope, wrapped, 500, "Internal server error")
        finally:
            if engine != "control":
                status = seen.get("status", 0)  # 0: the connection was dropped unanswered
                self.sim.stats.record_request(
                    engine, scope["method"], scope["path"], status, request_id
                )
