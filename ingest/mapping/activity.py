"""Activity rows of one source -> one activity node per subject it covers, joined to the graph.

A source names its subjects by id, by email (claude_code: joined lower-cased to a member) or by
key NAME (claude_code: joined to every key of the organization with that name, each marked
`name_shared` when there are several). A subject the source covers gets a node whether it was
found active or not, so "inactive" (a node, no date) stays apart from "unknown" (no node: the
source was not read). What the source names but the graph does not hold (a departed member's
email, a deleted key's name) is reported, never guessed at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ingest.batching import batched
from ingest.extract.activity import ActivityWindow, SubjectDays, SubjectKind
from ingest.extract.enums import ActorType
from ingest.extract.models import ApiKey
from ingest.extract.parsing import RecordIssue
from ingest.graph.model import (
    ACTIVE_DAYS,
    ANALYTICS_ACTIVITY,
    CLAUDE_CODE_ACTIVITY,
    COMPLIANCE_ACTIVITY,
    LAST_ACTIVE_AT,
    LAST_USED_AT,
    MESSAGES_ACTIVITY,
    MODEL,
)
from ingest.graph.schema import NodeType
from ingest.mapping.rows import GraphRows, text, timestamp
from ingest.mapping.scim import EmailIndex

# The subject kinds each source speaks for: every one of them gets a node, found or not.
COVERS: dict[str, tuple[SubjectKind, ...]] = {
    CLAUDE_CODE_ACTIVITY.family: ("user", "api_key"),
    MESSAGES_ACTIVITY.family: ("api_key", "service_account"),
    ANALYTICS_ACTIVITY.family: ("user",),
    COMPLIANCE_ACTIVITY.family: ("user",),
}
SERVICE_ACCOUNT = "service_account"


@dataclass
class Subjects:
    """What the graph holds that activity can be joined to."""

    user_ids: set[str] = field(default_factory=set)
    emails: EmailIndex = field(default_factory=EmailIndex)
    key_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    key_ids: set[str] = field(default_factory=set)
    service_account_ids: set[str] = field(default_factory=set)

    def add_keys(self, keys: Iterable[ApiKey]) -> None:
        """Keys and the service accounts they are bound to or were created by."""
        for key in keys:
            if key.id in self.key_ids:
                continue
            self.key_ids.add(key.id)
            if key.name:
                self.key_names[key.name].append(key.id)
            bound, creator = key.principal, key.created_by
            if bound is not None and bound.kind is ActorType.SERVICE_ACCOUNT and bound.id:
                self.service_account_ids.add(bound.id)
            if creator is not None and text(creator.type) == SERVICE_ACCOUNT and creator.id:
                self.service_account_ids.add(creator.id)

    def shared_names(self) -> set[str]:
        """Ids of the keys whose name another key of the organization also has."""
        return {i for ids in self.key_names.values() if len(ids) > 1 for i in ids}

    def ids_of(self, kind: str) -> set[str]:
        return {
            "user": self.user_ids,
            "api_key": self.key_ids,
            "service_account": self.service_account_ids,
        }[kind]

    def resolve(self, row: SubjectDays) -> list[str]:
        if row.matched_by == "email":
            found = self.emails.folded.get(row.subject.strip().lower())
            return [found] if found else []
        if row.matched_by == "key_name":
            return list(self.key_names.get(row.subject, ()))
        return [row.subject] if row.subject in self.ids_of(row.subject_kind) else []


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC)


def map_activity(
    org_id: str,
    node_type: NodeType,
    window: ActivityWindow,
    found: Iterable[SubjectDays],
    subjects: Subjects,
    *,
    chunk: int,
) -> tuple[Iterator[GraphRows], list[RecordIssue]]:
    """The source's subjects joined to the graph, and what could not be: the rows come in
    units of `chunk` subjects, each mapped only when it is taken."""
    family = node_type.family
    days: dict[tuple[str, str], set[date]] = defaultdict(set)
    how: dict[tuple[str, str], str] = {}
    issues: list[RecordIssue] = []
    joined = {
        rel.end.name for rel in MODEL.rels if rel.type == "ACTIVITY_OF" and rel.start == node_type
    }
    for seen in found:
        if seen.subject_kind not in joined:
            issues.append(
                RecordIssue(family, seen.key, f"a {seen.subject_kind} is not expected here")
            )
            continue
        active: set[date] = set()
        for day in seen.days:
            try:
                active.add(date.fromisoformat(day))
            except ValueError:
                issues.append(RecordIssue(family, seen.key, f"day {day!r} is not a date; skipped"))
        subject_ids = subjects.resolve(seen)
        if not subject_ids:
            problem = f"no {seen.subject_kind} of this organization matches its {seen.matched_by}"
            issues.append(RecordIssue(family, seen.key, problem))
        for subject_id in subject_ids:
            days[(seen.subject_kind, subject_id)] |= active
            how[(seen.subject_kind, subject_id)] = seen.matched_by
    for kind in COVERS[family]:
        for subject_id in subjects.ids_of(kind):
            days.setdefault((kind, subject_id), set())
    return _rows(org_id, node_type, window, days, how, subjects, chunk), issues


def _rows(
    org_id: str,
    node_type: NodeType,
    window: ActivityWindow,
    days: Mapping[tuple[str, str], set[date]],
    how: Mapping[tuple[str, str], str],
    subjects: Subjects,
    chunk: int,
) -> Iterator[GraphRows]:
    """The rows of `chunk` subjects at a time, each unit mapped only when it is taken."""
    family = node_type.family
    resource = MODEL.rel("RESOURCE", "organization", node_type.name)
    shared = subjects.shared_names()
    keeps_days = ACTIVE_DAYS in node_type.property_names
    window_start, window_end = timestamp(window.starts_at), timestamp(window.ends_at)
    for unit in batched(sorted(days.items()), chunk):
        out = GraphRows()
        for (kind, subject_id), active in unit:
            node_id = f"{org_id}/{family}/{subject_id}"
            last = timestamp(_midnight(max(active))) if active else None
            matched_by = how.get((kind, subject_id))
            out.node(
                node_type,
                {
                    "id": node_id,
                    "source": family,
                    "subject_kind": kind,
                    "subject_id": subject_id,
                    LAST_ACTIVE_AT: last if kind == "user" else None,
                    LAST_USED_AT: last if kind != "user" else None,
                    "days_active": len(active),
                    "window_days": window.days,
                    "window_start": window_start,
                    "window_end": window_end,
                    "matched_by": matched_by,
                    "name_shared": matched_by == "key_name" and subject_id in shared,
                    **({ACTIVE_DAYS: sorted(d.isoformat() for d in active)} if keeps_days else {}),
                },
            )
            out.rel(resource, org_id, node_id)
            out.rel(MODEL.rel("ACTIVITY_OF", family, kind), node_id, subject_id)
        yield out
