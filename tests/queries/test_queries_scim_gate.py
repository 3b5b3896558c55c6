"""Without SCIM, the SCIM questions say so instead of answering an empty, all-clear list."""

from __future__ import annotations

import pytest

from tests.queries.conftest import ask

pytestmark = pytest.mark.neo4j

SCIM_QUESTIONS = (
    "scim-deactivated-still-member",
    "unmanaged-accounts",
    "scim-users-without-account",
    "scim-groups-without-active-members",
    "workspaces-only-deactivated-admins",
)


@pytest.mark.parametrize("query_id", SCIM_QUESTIONS)
def test_standard_tier_says_scim_was_unavailable(neo4j, simulator, sync, query_id: str) -> None:  # type: ignore[no-untyped-def]
    with simulator(size="small", tier="standard") as running:
        report = sync(running)
    assert report.scim_status == "unavailable"
    rows = ask(neo4j, query_id).rows
    assert len(rows) == 1
    assert rows[0]["id"] is None
    assert rows[0]["finding"].startswith("SCIM not available on organization ")
    assert rows[0]["finding"].split(": ", 1)[1]  # why


def test_not_configured_says_so_too(neo4j, simulator, sync) -> None:  # type: ignore[no-untyped-def]
    with simulator(size="small") as running:
        sync(running, scim=False)
    for query_id in SCIM_QUESTIONS:
        (row,) = ask(neo4j, query_id).rows
        assert "SCIM not available" in row["finding"]
        assert "ANTHROPIC_SCIM_URL" in row["finding"]
