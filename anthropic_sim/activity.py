"""Who and what was active on which day: the truth behind the usage and analytics endpoints.

Never stored: each subject's active days (whole days before the simulator's clock) are drawn
from a random stream of the org's seed and the subject's id, so they stay the same across
requests and restarts. A few cases are forced so even a small org has each (planted truth,
measured by `anthropic_sim.planted` from these same days):

- the first admin (by id) never acts, the second last acted `STALE_DAY` days ago, the third
  yesterday;
- the first active API key is never used; the second was used today, the third two days ago;
- otherwise a subject never acts, acts recently or acts only long ago, by its draw.

No day falls before the subject existed (a user's `added_at`, a key's `created_at`).
Where the events show up (docs/simulator.md, readings 40-43): a user's days in
`usage_report/claude_code` (Console, by email) or `analytics/users` (Enterprise, by id); a key's
days in `usage_report/messages` grouped by `api_key_id`, and for every other key also in
`claude_code` by its name; a service account's days in `messages` grouped by
`service_account_id` (as WIF calls).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from anthropic_sim.state import Org
from anthropic_sim.status import ADMIN_ROLES, key_status

HISTORY_DAYS = 90
RECENT_DAYS = 3
STALE_DAY = 45
ENTERPRISE_ADMIN_ROLES = ("owner", "primary_owner", "membership_admin")


@dataclass(frozen=True)
class Activity:
    """Days (0 = the clock's day) each subject was active, newest first; absent: never."""

    users: dict[str, tuple[int, ...]]
    api_keys: dict[str, tuple[int, ...]]
    service_accounts: dict[str, tuple[int, ...]]
    # Keys whose Claude Code usage is reported under their name in usage_report/claude_code.
    claude_code_keys: frozenset[str]


def admin_ids(org: Org) -> list[str]:
    roles = ENTERPRISE_ADMIN_ROLES if org.product == "enterprise" else ADMIN_ROLES
    return sorted(u.id for u in org.users.values() if u.role in roles)


def _drawn(rng: random.Random) -> tuple[int, ...]:
    kind = rng.choices(("never", "recent", "stale"), weights=(2, 5, 3))[0]
    if kind == "never":
        return ()
    low = 0 if kind == "recent" else STALE_DAY - 10
    days = {rng.randrange(low, HISTORY_DAYS) for _ in range(rng.randint(1, 12))}
    if kind == "recent":
        days.add(rng.randrange(RECENT_DAYS))
    return tuple(sorted(days))


def _since(days: tuple[int, ...], born: datetime, now: datetime) -> tuple[int, ...]:
    age = (now - born).days
    return tuple(d for d in days if d <= age)


def activity_of(org: Org, now: datetime) -> Activity:
    def draw(subject: str) -> random.Random:
        return random.Random(f"activity-{org.seed}-{subject}")

    forced: dict[str, tuple[int, ...]] = {}
    admins = admin_ids(org)
    if admins:
        forced[admins[0]] = ()
    if len(admins) > 1:
        forced[admins[1]] = (STALE_DAY,)
    if len(admins) > 2:
        forced[admins[2]] = (1,)
    active_keys = sorted(k.id for k in org.api_keys.values() if key_status(k, now) == "active")
    if active_keys:
        forced[active_keys[0]] = ()
    if len(active_keys) > 1:
        forced[active_keys[1]] = (0,)
    if len(active_keys) > 2:  # last used two days ago: unused in a one-day window, not in 30
        forced[active_keys[2]] = (2,)

    def days(subject: str, born: datetime) -> tuple[int, ...]:
        chosen = forced[subject] if subject in forced else _drawn(draw(subject))
        return _since(chosen, born, now)

    users = {u.id: days(u.id, u.added_at) for u in org.users.values()}
    if org.product == "enterprise":  # the day's activity is not in the analytics data yet
        users = {u: tuple(d for d in ds if d > 0) for u, ds in users.items()}
    keys = {k.id: days(k.id, k.created_at) for k in org.api_keys.values()}
    accounts = {s.id: days(s.id, s.created_at) for s in org.service_accounts.values()}
    claude_code = frozenset(k for k in keys if k not in forced and draw(f"{k}/cc").random() < 0.5)
    return Activity(
        {k: v for k, v in users.items() if v},
        {k: v for k, v in keys.items() if v},
        {k: v for k, v in accounts.items() if v},
        claude_code,
    )


def unused_since(activity: dict[str, tuple[int, ...]], ids: list[str], days: int) -> list[str]:
    """The ids among `ids` with no active day in the last `days` days."""
    return sorted(i for i in ids if not any(d < days for d in activity.get(i, ())))
