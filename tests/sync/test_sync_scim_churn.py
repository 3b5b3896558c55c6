"""A SCIM directory that changes while it is paged (RFC 7644 promises no consistency between
pages): a listing that never holds still through its walks is loaded but not counted complete,
so nothing of it is deleted and the report says why; one that settles on a re-walk is."""

from __future__ import annotations

from typing import Any

import pytest

from anthropic_sim.config import FaultSpec
from tests.report.helpers import mutate
from tests.simulated import reconfigure
from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j

# Every page of the SCIM user listing is followed by one member joining and one leaving.
NEVER_SETTLES = FaultSpec(route=r"/scim/v2/Users$", churn_rate=1.0)
PAGE = 5  # small pages: many pages per walk, so a leaver before the cursor is certain

SCIM_USER_IDS = "MATCH (s:ScimUser) RETURN collect(s.scim_id) AS ids"
SCIM_GROUPS = (
    "MATCH (g:ScimGroup) OPTIONAL MATCH (s:ScimUser)-[:MEMBER_OF]->(g) "
    "RETURN g.scim_id AS group, collect(s.scim_id) AS members"
)


def scim_user_ids(neo4j) -> set[str]:
    return set(neo4j.run(SCIM_USER_IDS)[0]["ids"])


def scim_groups(neo4j) -> dict[str, set[str]]:
    return {row["group"]: set(row["members"]) for row in neo4j.run(SCIM_GROUPS)}


def member_with_scim_user(org: Any) -> tuple[str, str]:
    """A plain member provisioned through SCIM: (member id, SCIM id)."""
    by_email = {str(r["userName"]).lower(): scim_id for scim_id, r in org.scim_users.items()}
    member = next(u for u in org.users.values() if u.role == "user" and u.email.lower() in by_email)
    return member.id, by_email[member.email.lower()]


def test_a_first_sync_under_churn_that_never_settles_loads_every_stable_user_and_says_why(
    neo4j, simulator
):
    with simulator(size="small", seed=4, scim_max_results=PAGE, faults=[NEVER_SETTLES]) as r:
        before = set(r.sim.org.scim_users)
        result = invoke("sync", env=env_for(neo4j, r))
        stable = before & set(r.sim.org.scim_users)
        churned = r.sim.stats.snapshot()["churn"]
    assert churned["scim_removed"] > 2 * 50 // PAGE  # more pages than two walks: a third ran
    assert stable <= scim_user_ids(neo4j)
    assert result.exit_code == 1, result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("warning: scim_users:")]
    assert line == (
        "warning: scim_users: not cleaned up: the listing kept changing through 3 walks of it; "
        "a record that moved each time may be missing"
    )
    assert "Traceback" not in result.output


def test_a_resync_under_churn_that_never_settles_deletes_nothing_of_scim(neo4j, simulator, sync):
    with simulator(size="small", seed=4) as running:
        assert sync(running, scim_page_size=PAGE).status == "success"
        users_before, groups_before = scim_user_ids(neo4j), scim_groups(neo4j)
        leaver, gone = member_with_scim_user(running.sim.org)
        mutate(running, op="remove_user", user_id=leaver, remove_scim=True)
        reconfigure(running, faults=[NEVER_SETTLES])
        report = sync(running, scim_page_size=PAGE)
    # No SCIM user went, the leaver's included; every membership of the others stayed.
    assert gone in scim_user_ids(neo4j)
    assert users_before <= scim_user_ids(neo4j)
    after = scim_groups(neo4j)
    assert all(members - {gone} <= after[group] for group, members in groups_before.items())
    assert report.status == "partial" and int(report.exit_code) == 1
    assert list(report.read_incompletely) == ["scim_users"]
    assert report.to_json()["read_incompletely"]["scim_users"].startswith(
        "the listing kept changing through 3 walks"
    )
    assert "scim_users" in report.families_incomplete
    # Group memberships end at SCIM users: with the user listing incomplete they are not
    # cleaned up either (a membership of a user the walk missed would otherwise go).
    assert "scim_groups" not in report.families_complete
    # The Admin side was read completely and cleaned up as usual: the leaver's member is gone.
    assert {"users", "workspaces", "workspace_members", "api_keys"} <= set(report.families_complete)
    assert neo4j.run("MATCH (u:AnthropicUser {id: $id}) RETURN u.id", id=leaver) == []


def test_churn_that_settles_on_a_re_walk_is_complete_and_cleaned_up(neo4j, simulator, sync):
    with simulator(size="small", seed=4) as running:
        sync(running, scim_page_size=PAGE)
        leaver, gone = member_with_scim_user(running.sim.org)
        mutate(running, op="remove_user", user_id=leaver, remove_scim=True)
        # Churn after the first walk's first pages only: the second walk holds still.
        reconfigure(
            running, faults=[FaultSpec(route=r"/scim/v2/Users$", churn_rate=1.0, churn_pages=4)]
        )
        report = sync(running, scim_page_size=PAGE, scim_read_ahead=0)
        now = set(running.sim.org.scim_users)
    assert report.status == "success", report.read_incompletely
    rewalked = [i for i in report.issues if i.family == "scim_users" and "passes" in i.problem]
    assert [i.problem for i in rewalked] == ["rows moved while paging; merged 2 passes"]
    assert {"scim_users", "scim_groups"} <= set(report.families_complete)
    assert gone not in scim_user_ids(neo4j)
    assert now <= scim_user_ids(neo4j)
