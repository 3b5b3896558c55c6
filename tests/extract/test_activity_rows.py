"""An activity source's rows are folded into each subject's days as its pages are read: a feed
of 100,000 logins is a few thousand member-days, and only the days reach the graph."""

from __future__ import annotations

from ingest.extract.activity import DaysSeen


def _login(day: str, user: object) -> dict[str, object]:
    return {"day": day, "subject_kind": "user", "subject": user, "matched_by": "id"}


def _days(seen: DaysSeen) -> dict[str, tuple[str, ...]]:
    return {found.key: found.days for found in seen.result().records}


def test_each_subject_keeps_its_days_once_across_pages():
    seen = DaysSeen("compliance_activity")
    seen.add([_login("2026-11-30", "user_a")] * 3 + [_login("2026-11-29", "user_a")])
    seen.add([_login("2026-11-30", "user_a"), _login("2026-11-30", "user_b")])

    assert _days(seen) == {
        "user:user_a:id": ("2026-11-29", "2026-11-30"),
        "user:user_b:id": ("2026-11-30",),
    }


def test_the_same_subject_named_two_ways_is_kept_under_each():
    seen = DaysSeen("claude_code_activity")
    by_name = {"day": "2026-11-30", "subject_kind": "api_key", "subject": "ci"}
    seen.add([{**by_name, "matched_by": "key_name"}, {**by_name, "matched_by": "id"}])

    assert set(_days(seen)) == {"api_key:ci:key_name", "api_key:ci:id"}


def test_unreadable_rows_are_reported_every_time_and_kept_nowhere():
    seen = DaysSeen("compliance_activity")
    seen.add(["not an object", _login("2026-11-30", {"not": "text"})])
    seen.add(["not an object"])

    result = seen.result()

    assert result.records == []
    assert len(result.issues) == 3


def test_a_page_with_an_unreadable_row_keeps_its_readable_rows():
    seen = DaysSeen("analytics_activity")
    seen.add([_login("2026-11-30", "user_a"), _login("2026-11-30", ""), _login("2026-11-29", 7)])

    result = seen.result()

    assert [(found.key, found.days) for found in result.records] == [
        ("user:user_a:id", ("2026-11-30",))
    ]
    assert len(result.issues) == 2
