"""Activity sources (claude-org-products.md §4.4-4.6): who or what was active on which day.

There is no "last active" field anywhere; each documented source says, per day, who acted:

- `usage_report/claude_code` (Console): one UTC day per request, an actor's email or a key's
  NAME (no ids);
- `usage_report/messages` (Console): day buckets grouped by `api_key_id`, `account_id` and
  `service_account_id` (a dimension is null when a call has none);
- `analytics/users?date=` (Enterprise, `read:analytics`): per-user daily rows with the user id.

Every source is read over the same bounded window of whole UTC days and flattened to one
`ActivityRow` per (day, subject), folded as it is read into `SubjectDays`, each subject's days:
the mapping (ingest/mapping/activity.py) joins them to the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, Literal

from ingest.extract.models import Record
from ingest.extract.parsing import ParseResult, RecordIssue, parse_records

SubjectKind = Literal["user", "api_key", "service_account"]
MatchedBy = Literal["id", "email", "key_name"]

CLAUDE_CODE_ACTIVITY = "claude_code_activity"
MESSAGES_ACTIVITY = "messages_activity"
ANALYTICS_ACTIVITY = "analytics_activity"
CLAUDE_CODE_ENDPOINT = "/v1/organizations/usage_report/claude_code"
MESSAGES_ENDPOINT = "/v1/organizations/usage_report/messages"
ANALYTICS_ENDPOINT = "/v1/organizations/analytics/users"
# The largest pages the endpoints take: claude_code 1-1000 rows; messages 31 one-day buckets.
CLAUDE_CODE_LIMIT = 1000
ANALYTICS_LIMIT = 1000
MESSAGES_DAY_BUCKETS = 31
MESSAGES_GROUP_BY = ("api_key_id", "account_id", "service_account_id")
_MESSAGES_SUBJECTS: tuple[tuple[str, SubjectKind], ...] = (
    ("api_key_id", "api_key"),
    ("service_account_id", "service_account"),
    ("account_id", "user"),
)
DEFAULT_WINDOW_DAYS = 30


class ActivityRow(Record):
    """A subject seen active on one UTC day by one source."""

    day: str  # YYYY-MM-DD
    subject_kind: str  # SubjectKind
    subject: str  # an id, an email or a key name, as `matched_by` says
    matched_by: str  # MatchedBy
    id_fields: ClassVar[tuple[str, ...]] = ("day", "subject_kind", "subject")


@dataclass(frozen=True)
class ActivityWindow:
    """The whole UTC days read: `days` of them, ending with `last_day` (the day of `until`)."""

    days: int
    last_day: date

    @classmethod
    def ending(cls, days: int, until: datetime | None = None) -> ActivityWindow:
        if days < 1:
            raise ValueError("the activity window is at least one day")
        moment = until or datetime.now(UTC)
        return cls(days, moment.astimezone(UTC).date())

    @property
    def first_day(self) -> date:
        return self.last_day - timedelta(days=self.days - 1)

    def each_day(self) -> list[date]:
        """Newest first: the days most questions care about are read first."""
        return [self.last_day - timedelta(days=n) for n in range(self.days)]

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.first_day, datetime.min.time(), UTC)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), datetime.min.time(), UTC)


class SubjectDays(Record):
    """A subject one source saw active, and the UTC days it was (YYYY-MM-DD, oldest first)."""

    subject_kind: str  # SubjectKind
    subject: str  # an id, an email or a key name, as `matched_by` says
    matched_by: str  # MatchedBy
    days: tuple[str, ...]
    id_fields: ClassVar[tuple[str, ...]] = ("subject_kind", "subject", "matched_by")


class DaysSeen:
    """A source's rows folded into each subject's days as its pages are read. A source names a
    subject on every request or login, and only the days reach the graph, so neither the pages
    nor a row per day are kept: the large organization's 90 days are 340,000 rows, and 40,000
    subjects."""

    def __init__(self, family: str) -> None:
        self.family = family
        self._days: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self._day_texts: dict[str, str] = {}  # each day's text once, however often it is read
        self._issues: list[RecordIssue] = []

    def add(self, rows: Iterable[Any]) -> None:
        """Folds a page's rows. Rows that are plainly readable (the sources' own, almost
        always) are folded as they are; a page with any other row is read as `ActivityRow`s,
        which reports what cannot be read."""
        page = list(rows)
        if all(map(_plainly_readable, page)):
            for row in page:
                self._fold(row["day"], row["subject_kind"], row["subject"], row["matched_by"])
            return
        part = parse_records(ActivityRow, page, self.family)
        self._issues += part.issues
        for record in part.records:
            self._fold(record.day, record.subject_kind, record.subject, record.matched_by)

    def _fold(self, day: str, kind: str, subject: str, matched_by: str) -> None:
        self._days[(kind, subject, matched_by)].add(self._day_texts.setdefault(day, day))

    def result(self) -> ParseResult[SubjectDays]:
        found = ParseResult[SubjectDays](self.family, issues=self._issues)
        for (kind, subject, matched_by), days in self._days.items():
            ordered = tuple(sorted(days))
            found.records.append(
                SubjectDays(subject_kind=kind, subject=subject, matched_by=matched_by, days=ordered)
            )
        self._days.clear()
        return found


def _plainly_readable(row: Any) -> bool:
    """Whether `row` reads as an `ActivityRow` with nothing to report: every field a string,
    the identifying ones not empty."""
    return (
        type(row) is dict
        and all(type(row.get(name)) is str and row[name] for name in ActivityRow.id_fields)
        and type(row.get("matched_by")) is str
    )


def rfc3339(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _day_of(raw: Any, fallback: str) -> str:
    return raw[:10] if isinstance(raw, str) and len(raw) >= 10 else fallback


def _row(day: str, kind: SubjectKind, subject: Any, matched_by: MatchedBy) -> dict[str, Any]:
    return {"day": day, "subject_kind": kind, "subject": subject, "matched_by": matched_by}


def claude_code_rows(item: Any, day: str) -> Iterator[Any]:
    """A `claude_code` record's actor: a user's email or a key's name (anything else is
    handed on as it came, for parsing to report)."""
    actor = item.get("actor") if isinstance(item, Mapping) else None
    if not isinstance(actor, Mapping):
        yield item
        return
    on = _day_of(item.get("date"), day)
    if actor.get("type") == "user_actor":
        yield _row(on, "user", actor.get("email_address"), "email")
    elif actor.get("type") == "api_actor":
        yield _row(on, "api_key", actor.get("api_key_name"), "key_name")
    else:
        yield {"actor_type": actor.get("type")}


def messages_rows(bucket: Any, _: str) -> Iterator[Any]:
    """One row per subject dimension set in each result of a bucket."""
    if not isinstance(bucket, Mapping) or not isinstance(bucket.get("results"), list):
        yield bucket
        return
    on = _day_of(bucket.get("starting_at"), "")
    for result in bucket["results"]:
        if not isinstance(result, Mapping):
            yield result
            continue
        for dimension, kind in _MESSAGES_SUBJECTS:
            if result.get(dimension):
                yield _row(on, kind, result[dimension], "id")


def analytics_rows(item: Any, day: str) -> Iterator[Any]:
    """A user's daily row: by id, or by email when the id is missing."""
    user = item.get("user") if isinstance(item, Mapping) else None
    if not isinstance(user, Mapping):
        yield item
        return
    on = _day_of(item.get("date"), day)
    if user.get("id"):
        yield _row(on, "user", user["id"], "id")
    else:
        yield _row(on, "user", user.get("email_address"), "email")
