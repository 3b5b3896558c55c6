"""An activity source is mapped in units of subjects, not all at once: one source covers over
100,000 subjects at 50,000 members (docs/performance.md)."""

from __future__ import annotations

from datetime import date

from ingest.extract.activity import ActivityWindow, SubjectDays
from ingest.graph.model import ANALYTICS_ACTIVITY
from ingest.mapping.activity import Subjects, map_activity

ORG = "org_units"
WINDOW = ActivityWindow(30, date(2026, 10, 31))


def test_a_source_is_mapped_a_unit_of_subjects_at_a_time_and_the_units_hold_every_subject() -> None:
    members = [f"user_{i:02d}" for i in range(5)]
    found = [
        SubjectDays(subject_kind="user", subject=member, matched_by="id", days=("2026-10-30",))
        for member in members[:3]
    ]
    units, issues = map_activity(
        ORG, ANALYTICS_ACTIVITY, WINDOW, found, Subjects(user_ids=set(members)), chunk=2
    )
    sizes, mapped = [], {}
    for unit in units:
        [rows] = unit.nodes.values()
        sizes.append(len(rows))
        mapped.update({row["subject_id"]: row["days_active"] for row in rows})
        assert unit.rel_count() == 2 * len(rows)  # RESOURCE and ACTIVITY_OF, in the same unit
    assert issues == []
    assert sizes == [2, 2, 1]
    # Active members and the covered ones with no recorded day ("inactive", not "unknown").
    assert mapped == {"user_00": 1, "user_01": 1, "user_02": 1, "user_03": 0, "user_04": 0}
