"""Read raw API items into records, one at a time, so one bad item never sinks its siblings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from ingest.extract.enums import NOTES_KEY
from ingest.extract.models import Record

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class RecordIssue:
    """Something wrong with one record; `record_id` is None when it could not be read."""

    family: str
    record_id: str | None
    problem: str


@dataclass(frozen=True)
class Unsettled:
    """A listing that kept changing under its cursor through every walk of it: what was read
    is kept, but a record that moved each time may be missing, so the family was not read
    completely (nothing of it may be cleaned up on this reading)."""

    walks: int

    def __str__(self) -> str:
        return (
            f"the listing kept changing through {self.walks} walks of it; "
            "a record that moved each time may be missing"
        )


@dataclass
class ParseResult(Generic[R]):
    """The records of a family that could be read, and what was wrong with the rest."""

    family: str
    records: list[R] = field(default_factory=list)
    issues: list[RecordIssue] = field(default_factory=list)
    # Records handed to their consumer instead of kept in `records`: how many distinct ones.
    streamed: int | None = None
    # Set when the listing never held still while it was read: the family is incomplete.
    unsettled: Unsettled | TemporarilyUnavailable | None = None

    def count(self) -> int:
        return self.streamed if self.streamed is not None else len(self.records)

    def ids(self) -> set[str]:
        return {record.key for record in self.records}

    def extend(self, other: ParseResult[R]) -> None:
        self.records.extend(other.records)
        self.issues.extend(other.issues)


@dataclass(frozen=True)
class TemporarilyUnavailable:
    """Data the API said was temporarily unavailable through every bounded retry: what was
    read is kept, but the family was not read completely."""

    what: str
    attempts: int

    def __str__(self) -> str:
        return f"{self.what} stayed temporarily unavailable through {self.attempts} reads"


# Where a streamed family's records go, page by page, as they are read.
OnRecords = Callable[[list[Any]], Awaitable[None]]


class HandOver(Generic[R]):
    """A family read page by page whose records go to `on_records` as each page is read, and
    are not kept: only their ids (for the distinct count) and issues stay here. A record
    that appears on two pages is handed over twice."""

    def __init__(self, family: str, on_records: OnRecords) -> None:
        self.family = family
        self._on_records = on_records
        self._issues: dict[RecordIssue, None] = {}
        # Hashes, not the ids: the id strings would outlive their records (~100 bytes each).
        self._ids: set[int] = set()

    async def __call__(self, part: ParseResult[R]) -> None:
        self._issues.update(dict.fromkeys(part.issues))
        self._ids.update(hash(record.key) for record in part.records)
        await self._on_records(part.records)

    def result(self) -> ParseResult[R]:
        """The issues, and in `streamed` how many distinct records were handed over."""
        return ParseResult(self.family, issues=list(self._issues), streamed=len(self._ids))


def parse_records(
    model: type[R],
    raw_items: Iterable[Any],
    family: str,
    defaults: Mapping[str, Any] | None = None,
) -> ParseResult[R]:
    """Read every raw item as `model`; keep what can be read, report the rest.

    An item whose identifying fields are readable is kept even when other fields are
    missing, unreadable (dropped to their default) or hold unknown enum values (kept as
    text); each such problem is a `RecordIssue`. An item without a readable id is reported
    and skipped. `defaults` fill fields an item lacks (e.g. the workspace of a member list).
    """
    result: ParseResult[R] = ParseResult(family)
    for index, raw in enumerate(raw_items):
        record, issues = _parse_one(model, raw, family, index, defaults or {})
        result.issues.extend(issues)
        if record is not None:
            result.records.append(record)
    return result


def _parse_one(
    model: type[R], raw: Any, family: str, index: int, defaults: Mapping[str, Any]
) -> tuple[R | None, list[RecordIssue]]:
    if not isinstance(raw, Mapping):
        problem = f"item #{index} is a {type(raw).__name__}, not an object; skipped"
        return None, [RecordIssue(family, None, problem)]
    data = {**defaults, **{k: v for k, v in raw.items() if isinstance(k, str)}}
    record_id = model.record_id(data)
    if record_id is None:
        wanted = " and ".join(model.id_fields)
        problem = f"item #{index} has no readable {wanted}; skipped"
        return None, [RecordIssue(family, None, problem)]

    problems = [f"missing field {name!r}" for name in sorted(model.expected_fields - data.keys())]
    context: dict[str, list[str]] = {NOTES_KEY: []}
    record: R | None = None
    while record is None:
        context[NOTES_KEY].clear()
        try:
            record = model.model_validate(data, context=context)
        except ValidationError as exc:
            unreadable = _unreadable_fields(exc)
            if not unreadable or set(unreadable) & set(model.id_fields):
                problems.append(f"unreadable record ({exc.error_count()} errors); skipped")
                return None, [RecordIssue(family, record_id, p) for p in problems]
            for name, message in sorted(unreadable.items()):
                problems.append(f"field {name!r} unreadable ({message}); dropped")
                data.pop(name, None)
    problems.extend(context[NOTES_KEY])
    return record, [RecordIssue(family, record_id, p) for p in problems]


def _unreadable_fields(exc: ValidationError) -> dict[str, str]:
    """The top-level fields a validation error is about, with the first message for each."""
    found: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        if error["loc"] and isinstance(error["loc"][0], str):
            found.setdefault(error["loc"][0], error["msg"])
    return found
