"""Usage and analytics: who was active when (claude-org-products.md §4.4-4.6).

Console: `usage_report/claude_code` (one UTC day per request, actors by email or key NAME) and
`usage_report/messages` (time buckets grouped by the requested dimensions). Enterprise:
`analytics/users?date=` behind `read:analytics`. The days come from `anthropic_sim.activity`;
the readings of what is undocumented are in docs/simulator.md ("Activity").
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim import render
from anthropic_sim.activity import Activity, activity_of
from anthropic_sim.errors import bad_request
from anthropic_sim.httputil import AdminJSON, query_list
from anthropic_sim.pagination import decode_token, encode_token, parse_limit
from anthropic_sim.scopes import require_scopes
from anthropic_sim.state import Org, Simulator

READ_ANALYTICS = "read:analytics"
ANALYTICS_START = date(2026, 1, 1)  # documented: the Analytics API's data starts here
GROUP_BY = (
    "account_id",
    "api_key_id",
    "service_account_id",
    "workspace_id",
    "model",
    "service_tier",
    "context_window",
    "inference_geo",
    "speed",
)
FILTERS = {
    "account_ids": "account_id",
    "api_key_ids": "api_key_id",
    "service_account_ids": "service_account_id",
    "workspace_ids": "workspace_id",
}
# bucket_width -> (length, default buckets per page, most buckets per page)
BUCKETS = {
    "1d": (timedelta(days=1), 7, 31),
    "1h": (timedelta(hours=1), 24, 168),
    "1m": (timedelta(minutes=1), 60, 1440),
}
MODEL = "claude-sonnet-4-5"


def _day(raw: str | None, name: str) -> date:
    if not raw:
        raise bad_request(f"{name}: Field required")
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"{name}: Input should be a valid date, got {raw!r}") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if moment.time() != datetime.min.time():
        raise bad_request(f"{name}: must be the start of a UTC day, got {raw!r}")
    return moment.date()


def _moment(raw: str | None, name: str) -> datetime:
    if not raw:
        raise bad_request(f"{name}: Field required")
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"{name}: Input should be a valid datetime, got {raw!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _offset_page(
    rows: list[dict[str, Any]], params: QueryParams, scope: str, maximum: int = 1000
) -> dict[str, Any]:
    """One page of `rows` by position; the opaque token names the listing it belongs to."""
    limit = parse_limit(params, maximum=maximum)
    start = 0
    token = params.get("page")
    if token:
        listing, _, offset = decode_token(token).rpartition("|")
        if listing != scope or not offset.isdigit():
            raise bad_request("page: the page token belongs to another query")
        start = int(offset)
    end = start + limit
    more = end < len(rows)
    return {
        "data": rows[start:end],
        "has_more": more,
        "next_page": encode_token(f"{scope}|{end}") if more else None,
    }


def _ago(now: datetime, day: date) -> int:
    return (now.date() - day).days


def _on(days_by_id: dict[str, tuple[int, ...]], ago: int) -> list[str]:
    return sorted(i for i, days in days_by_id.items() if ago in days)


def claude_code_rows(org: Org, activity: Activity, day: date, now: datetime) -> list[dict]:
    ago = _ago(now, day)
    base = {
        "date": render.ts(datetime.combine(day, datetime.min.time(), UTC)),
        "organization_id": org.id,
        "customer_type": "api",
        "subscription_type": None,
        "terminal_type": "vscode",
        "is_remote": False,
        "core_metrics": {
            "num_sessions": 1,
            "lines_of_code": {"added": 10, "removed": 2},
            "commits_by_claude_code": 0,
            "pull_requests_by_claude_code": 0,
        },
        "tool_actions": {
            tool: {"accepted": 1, "rejected": 0}
            for tool in ("edit_tool", "multi_edit_tool", "write_tool", "notebook_edit_tool")
        },
        "model_breakdown": [
            {"model": MODEL, "tokens": {"input": 100, "output": 50}, "estimated_cost": 1}
        ],
    }
    rows = [
        {**base, "actor": {"type": "user_actor", "email_address": org.users[u].email}}
        for u in _on(activity.users, ago)
        if u in org.users
    ]
    rows += [
        {**base, "actor": {"type": "api_actor", "api_key_name": org.api_keys[k].name}}
        for k in _on(activity.api_keys, ago)
        if k in activity.claude_code_keys and k in org.api_keys
    ]
    return rows


def _events(org: Org, activity: Activity, now: datetime) -> Iterable[tuple[datetime, dict]]:
    """Messages usage at the start of each active day: keys by id, service accounts (WIF)."""
    default = next((w.id for w in org.workspaces.values() if w.is_default), None)
    midnight = datetime.combine(now.date(), datetime.min.time(), UTC)
    for key_id, days in activity.api_keys.items():
        key = org.api_keys.get(key_id)
        workspace = key.workspace_id if key and key.workspace_id != default else None
        for ago in days:
            yield (
                midnight - timedelta(days=ago),
                {
                    "api_key_id": key_id,
                    "workspace_id": workspace,
                },
            )
    for account_id, days in activity.service_accounts.items():
        for ago in days:
            yield midnight - timedelta(days=ago), {"service_account_id": account_id}


def _result(dims: dict[str, Any], count: int) -> dict[str, Any]:
    return {
        **{name: dims.get(name) for name in GROUP_BY},
        "uncached_input_tokens": 1000 * count,
        "cache_read_input_tokens": 0,
        "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
        "output_tokens": 400 * count,
        "server_tool_use": {"web_search_requests": 0},
    }


def messages_report(org: Org, activity: Activity, params: QueryParams, now: datetime) -> dict:
    width = params.get("bucket_width") or "1d"
    if width not in BUCKETS:
        raise bad_request(f"bucket_width: Input should be one of {', '.join(BUCKETS)}")
    length, default_limit, most = BUCKETS[width]
    limit = parse_limit(params, default=default_limit, maximum=most)
    start = _moment(params.get("starting_at"), "starting_at")
    end = _moment(params["ending_at"], "ending_at") if params.get("ending_at") else None
    group_by = query_list(params, "group_by")
    unknown = [g for g in group_by if g not in GROUP_BY]
    if unknown:
        raise bad_request(f"group_by: unknown dimension(s) {', '.join(unknown)}")
    filters = {dim: set(query_list(params, name)) for name, dim in FILTERS.items()}
    asked = json.dumps(sorted((k, v) for k, v in params.multi_items() if k != "page"))
    token = params.get("page")
    if token:
        try:
            state = json.loads(decode_token(token))
            first = datetime.fromisoformat(state["at"])
        except (ValueError, KeyError, TypeError):
            raise bad_request(f"page: invalid page token {token!r}") from None
        if state.get("q") != asked:
            raise bad_request("page: the query parameters changed during pagination")
    else:
        first = start
    buckets: dict[datetime, dict[tuple, int]] = {}
    at = first
    # The bucket holding the clock's moment is the last one there is.
    while (end is None or at < end) and at <= now and len(buckets) < limit:
        buckets[at] = defaultdict(int)
        at += length
    for moment, dims in _events(org, activity, now):
        if any(wanted and dims.get(dim) not in wanted for dim, wanted in filters.items()):
            continue
        slot = first + length * ((moment - first) // length)
        if slot in buckets and slot <= moment:
            buckets[slot][tuple((g, dims.get(g)) for g in group_by)] += 1
    data = [
        {
            "starting_at": render.ts(slot),
            "ending_at": render.ts(slot + length),
            "results": [_result(dict(dims), n) for dims, n in sorted(results.items(), key=str)],
        }
        for slot, results in buckets.items()
    ]
    more = (end is None or at < end) and at <= now
    return {
        "data": data,
        "has_more": more,
        "next_page": encode_token(json.dumps({"at": at.isoformat(), "q": asked})) if more else None,
    }


def analytics_rows(org: Org, activity: Activity, day: date, now: datetime) -> list[dict]:
    ago = _ago(now, day)
    if day < ANALYTICS_START or ago < 1:  # about a day of lag (documented)
        return []
    return [
        {
            "date": day.isoformat(),
            "user": {"id": u, "email_address": org.users[u].email},
            "chat_metrics": {"conversation_count": 1, "message_count": 4},
            "claude_code_metrics": {"session_count": 0},
            "cowork_metrics": {"session_count": 0},
        }
        for u in _on(activity.users, ago)
        if u in org.users
    ]


def usage_routes(sim: Simulator) -> list[BaseRoute]:
    cached: dict[tuple, Activity] = {}

    def current() -> tuple[Activity, datetime]:
        """The activity as of now, drawn again only when the org changed (a large org's
        draws take a while and a sync asks one day at a time)."""
        org, now = sim.org, sim.now()
        key = (
            id(org),
            now,
            tuple((u.id, u.role) for u in org.users.values()),
            tuple((k.id, k.status, k.name) for k in org.api_keys.values()),
            tuple(org.service_accounts),
        )
        if key not in cached:
            cached.clear()
            cached[key] = activity_of(org, now)
        return cached[key], now

    async def claude_code(request: Request) -> Response:
        params = request.query_params
        day = _day(params.get("starting_at"), "starting_at")
        with sim.lock:
            activity, now = current()
            rows = claude_code_rows(sim.org, activity, day, now)
        return AdminJSON(_offset_page(rows, params, f"claude_code/{day}"))

    async def messages(request: Request) -> Response:
        with sim.lock:
            activity, now = current()
            return AdminJSON(messages_report(sim.org, activity, request.query_params, now))

    async def analytics_users(request: Request) -> Response:
        require_scopes(request, READ_ANALYTICS)
        params = request.query_params
        day = _day(params.get("date"), "date")
        with sim.lock:
            activity, now = current()
            rows = analytics_rows(sim.org, activity, day, now)
        return AdminJSON(_offset_page(rows, params, f"analytics/users/{day}"))

    base = "/v1/organizations"
    return [
        Route(f"{base}/usage_report/claude_code", claude_code, methods=["GET"]),
        Route(f"{base}/usage_report/messages", messages, methods=["GET"]),
        Route(f"{base}/analytics/users", analytics_users, methods=["GET"]),
    ]
