"""The Compliance Activity Feed, `GET /v1/compliance/activities` (claude-org-products.md §3.2).

Callable by Console Admin keys and by Enterprise keys holding `read:compliance_activities`.
Events come from the org: a login (`sso_login_succeeded`, `magic_link_login_succeeded` or
`social_login_succeeded`, a `user_actor`) on each day `anthropic_sim.activity` has the user
active, a failed SSO login now and then, a `claude_user_role_updated` by the system when a
user joined, an `api_key_created` by its creator and a `group_member_added` by the directory
sync for SCIM group members; the control API's `append_activities` adds more. Seeded, never
stored: the same org answers the same events. Ids sort in time order (ULID-like), so the feed
is newest first by id. Readings of what is undocumented: docs/simulator.md, F1-F4.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim.activity import HISTORY_DAYS, activity_of
from anthropic_sim.errors import ApiError, bad_request
from anthropic_sim.httputil import AdminJSON, query_list
from anthropic_sim.pagination import id_page
from anthropic_sim.scopes import require_scopes
from anthropic_sim.state import Org, Simulator

READ_COMPLIANCE_ACTIVITIES = "read:compliance_activities"
DEFAULT_LIMIT = 100
MAX_LIMIT = 5000
LOGIN_TYPES = ("sso_login_succeeded", "magic_link_login_succeeded", "social_login_succeeded")
FAILED_LOGIN_SHARE = 0.1
BOUNDS = ("gte", "gt", "lte", "lt")
_LISTINGS_KEPT = 16  # filters whose result a feed keeps for the pages after the first
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_USER_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15"


def _base32(value: int, width: int) -> str:
    out = []
    for _ in range(width):
        value, digit = divmod(value, 32)
        out.append(_CROCKFORD[digit])
    return "".join(reversed(out))


def event_id(at: datetime, rng: random.Random) -> str:
    millis = int(at.timestamp() * 1000)
    return f"activity_{_base32(millis, 10)}{_base32(rng.getrandbits(80), 16)}"


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def user_actor(org: Org, user_id: str, rng: random.Random) -> dict[str, Any]:
    user = org.users.get(user_id) or org.departed_users.get(user_id)
    return {
        "type": "user_actor",
        "user_id": user_id,
        "email_address": user.email if user else None,
        "ip_address": f"203.0.113.{rng.randrange(1, 255)}",
        "user_agent": _USER_AGENT,
    }


def make_event(
    org: Org, at: datetime, kind: str, actor: dict[str, Any], rng: random.Random, **fields: Any
) -> dict[str, Any]:
    # Logins and Compliance calls carry no organization_id (§3.2).
    in_org = not (kind.endswith(("_login_succeeded", "_login_failed")) or kind.startswith("comp"))
    return {
        "id": event_id(at, rng),
        "created_at": _stamp(at),
        "type": kind,
        "organization_id": f"org_{org.id}" if in_org else None,
        "organization_uuid": org.id,
        "actor": actor,
        **fields,
    }


def _moment_on(now: datetime, ago: int, rng: random.Random) -> datetime | None:
    """A seeded moment on the UTC day `ago` days before `now`, never after `now`."""
    start = datetime.combine((now - timedelta(days=ago)).date(), datetime.min.time(), UTC)
    span = min(86_400.0, (now - start).total_seconds())
    return start + timedelta(seconds=rng.uniform(0, span)) if span >= 1 else None


def generated_events(org: Org, now: datetime) -> list[dict[str, Any]]:
    rng = random.Random(f"compliance-feed-{org.seed}")
    activity = activity_of(org, now)
    since = now - timedelta(days=HISTORY_DAYS)
    events: list[dict[str, Any]] = []
    for user in sorted(org.users.values(), key=lambda u: u.id):
        for ago in activity.users.get(user.id, ()):
            if (at := _moment_on(now, ago, rng)) is not None:
                actor = user_actor(org, user.id, rng)
                events.append(make_event(org, at, rng.choice(LOGIN_TYPES), actor, rng))
        if rng.random() < FAILED_LOGIN_SHARE:
            at = now - timedelta(seconds=rng.uniform(60, HISTORY_DAYS * 86_400))
            actor = {
                "type": "unauthenticated_user_actor",
                "unauthenticated_email_address": user.email,
            }
            events.append(make_event(org, at, "sso_login_failed", actor, rng))
        if since <= user.added_at < now:
            system = {"type": "system_actor"}
            events.append(make_event(org, user.added_at, "claude_user_role_updated", system, rng))
    for key in sorted(org.api_keys.values(), key=lambda k: k.id):
        creator = key.created_by or {}
        if since <= key.created_at < now and creator.get("type") == "user":
            actor = user_actor(org, creator["id"], rng)
            events.append(make_event(org, key.created_at, "api_key_created", actor, rng))
    for group in sorted(org.scim_groups.values(), key=lambda g: str(g.get("id"))):
        for _ in group.get("members", ()):
            at = now - timedelta(seconds=rng.uniform(60, HISTORY_DAYS * 86_400))
            sync = {"type": "scim_directory_sync_actor", "directory_id": "directory_sim"}
            events.append(make_event(org, at, "group_member_added", sync, rng))
    return events


def append_activities(sim: Simulator, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Control API: new events, `{"type", "user_id"?, "seconds_ago"?}` each, at the clock
    (minus `seconds_ago`); a `user_id` makes a `user_actor`, none a `system_actor`."""
    org, now = sim.org, sim.now()
    rng = random.Random(f"compliance-feed-{org.seed}-appended-{len(org.appended_activities)}")
    added = []
    for spec in specs:
        at = now - timedelta(seconds=float(spec.get("seconds_ago", 0)))
        user_id = spec.get("user_id")
        actor = user_actor(org, user_id, rng) if user_id else {"type": "system_actor"}
        added.append(make_event(org, at, str(spec["type"]), actor, rng))
    org.appended_activities.extend(added)
    return added


def _moment(raw: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"{name}: Input should be a valid datetime, got {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Listing:
    """The events a filter keeps, oldest first, and their ids."""

    events: list[dict[str, Any]]
    ids: list[str]


class _Feed:
    """Every event of one org at one moment, oldest first (by id, which is time order), with
    what each request would otherwise work out again over all of them: the ids, the moments,
    and what each filter keeps (a walk asks the same filter on every page)."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.events = sorted(events, key=lambda e: e["id"])
        self.known = {event["id"] for event in self.events}
        self.moments = [_moment(event["created_at"], "created_at") for event in self.events]
        self._listings: dict[tuple[Any, ...], _Listing] = {}

    def listing(self, params: Any) -> _Listing:
        types = frozenset(query_list(params, "activity_types"))
        excluded = frozenset(query_list(params, "exclude_activity_types"))
        if types and excluded:
            raise bad_request("activity_types and exclude_activity_types cannot both be given")
        actors = frozenset(query_list(params, "actor_ids"))
        bounds = tuple(
            (b, _moment(raw, f"created_at.{b}"))
            for b in BOUNDS
            if (raw := params.get(f"created_at.{b}"))
        )
        asked = (types, excluded, actors, bounds)
        if asked not in self._listings:
            if len(self._listings) >= _LISTINGS_KEPT:
                self._listings.clear()
            limits = dict(bounds)
            kept = [
                event
                for event, at in zip(self.events, self.moments, strict=True)
                if _keeps(event, at, types, excluded, actors, limits)
            ]
            self._listings[asked] = _Listing(kept, [event["id"] for event in kept])
        return self._listings[asked]


def _keeps(
    event: dict[str, Any],
    at: datetime,
    types: frozenset[str],
    excluded: frozenset[str],
    actors: frozenset[str],
    bounds: dict[str, datetime],
) -> bool:
    return (
        (not types or event["type"] in types)
        and event["type"] not in excluded
        and (not actors or event["actor"].get("user_id") in actors)
        and ("gte" not in bounds or at >= bounds["gte"])
        and ("gt" not in bounds or at > bounds["gt"])
        and ("lte" not in bounds or at <= bounds["lte"])
        and ("lt" not in bounds or at < bounds["lt"])
    )


def compliance_routes(sim: Simulator) -> list[BaseRoute]:
    cached: dict[tuple[int, datetime, int], _Feed] = {}

    def feed() -> _Feed:
        """The org's events now: generated ones (seeded, the same for the same org and clock)
        and those the control API appended, which only ever grow."""
        org, now = sim.org, sim.now()
        key = (id(org), now, len(org.appended_activities))
        if key not in cached:
            cached.clear()
            cached[key] = _Feed([*generated_events(org, now), *org.appended_activities])
        return cached[key]

    async def activities(request: Request) -> Response:
        require_scopes(request, READ_COMPLIANCE_ACTIVITIES)
        if getattr(request.state, "credential", None) != "admin_key":
            raise ApiError(403, "The Compliance Activity Feed needs an Admin key.")
        if not sim.config.compliance_api_enabled:
            raise ApiError(403, "The Compliance API is not enabled for this organization.")
        with sim.lock:
            every = feed()
            listing = every.listing(request.query_params)
        page, meta = id_page(
            listing.events,
            lambda e: e["id"],
            request.query_params,
            every.known.__contains__,
            newest_first=True,
            default_limit=DEFAULT_LIMIT,
            max_limit=MAX_LIMIT,
            keys=listing.ids,
        )
        params = request.query_params
        cursor = next((c for c in ("after_id", "before_id") if params.get(c)), None)
        sim.stats.record_feed_read(cursor, len(page))
        return AdminJSON({"data": page, **meta})

    return [Route("/v1/compliance/activities", activities, methods=["GET"])]
