"""The Compliance Activity Feed (claude-org-products.md §3.2), read incrementally.

`GET /v1/compliance/activities` lists events newest first: `after_id` steps back in time,
`before_id` forward. Only what the graph uses is asked for (`activity_types[]`): a member's
successful logins and the role changes they made, each flattened to one `ActivityRow` (the
acting `user_actor`'s id and the event's UTC day); nothing else of an event (its ip address,
user agent or payload) is kept.

The first read takes the activity window (`created_at.gte`, stepping back). The graph then
holds the newest event id read (the organization node, written after the rows) and each
member's active days: the next read asks only for what is newer (`before_id`, stepping
forward) and adds it to the stored days still in the window. A cursor the API no longer knows
(400) restarts the read from the window, the stored days set aside.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ingest.extract.activity import ActivityWindow

COMPLIANCE_ACTIVITY = "compliance_activity"
COMPLIANCE_ENDPOINT = "/v1/compliance/activities"
COMPLIANCE_LIMIT = 5000  # the largest page the feed takes
LOGIN_TYPES = ("sso_login_succeeded", "magic_link_login_succeeded", "social_login_succeeded")
ROLE_CHANGE_TYPES = ("claude_user_role_updated",)
COMPLIANCE_TYPES = (*LOGIN_TYPES, *ROLE_CHANGE_TYPES)


@dataclass
class ComplianceFeed:
    """The feed's state for one sync: what the graph held before (`stored_cursor`,
    `stored_days`: member id -> YYYY-MM-DD days) and what the read found (`newest_id`;
    `restarted`: why a stored cursor was dropped)."""

    stored_cursor: str | None = None
    stored_days: dict[str, list[str]] = field(default_factory=dict)
    newest_id: str | None = None
    restarted: str | None = None
    read_new: int = 0  # events read by this sync

    def stored_rows(self, window: ActivityWindow) -> list[dict[str, Any]]:
        first, last = window.first_day.isoformat(), window.last_day.isoformat()
        return [
            _row(day, user_id)
            for user_id, days in sorted(self.stored_days.items())
            for day in days
            if first <= day <= last
        ]

    @property
    def cursor(self) -> str | None:
        """The cursor to store: the newest event read, else the one stored before."""
        return self.newest_id or self.stored_cursor


def _row(day: str, user_id: Any) -> dict[str, Any]:
    return {"day": day, "subject_kind": "user", "subject": user_id, "matched_by": "id"}


def compliance_rows(event: Any) -> Iterator[Any]:
    """A member's login or role change on its UTC day; events by anything other than a
    member (a key, the directory sync, the system) say nothing of a member's activity."""
    actor = event.get("actor") if isinstance(event, Mapping) else None
    created = event.get("created_at") if isinstance(event, Mapping) else None
    if not isinstance(actor, Mapping) or not isinstance(created, str) or len(created) < 10:
        yield event
        return
    if actor.get("type") == "user_actor":
        yield _row(created[:10], actor.get("user_id"))
