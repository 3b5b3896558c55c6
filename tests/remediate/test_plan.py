"""Plans made from the question library on a synced simulated organization (real Neo4j)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.queries.library import get_query
from ingest.remediate.plan import PROTECTED_ROLES, PlanError, make_plan, read_allowlist

pytestmark = pytest.mark.neo4j


def test_protected_identities_and_the_allowlist_are_never_in_a_plan(
    neo4j, simulator, sync, tmp_path: Path
):
    with simulator(size="small", tier="enterprise") as running:
        sync(running)
        roles = {u.id: u.role for u in running.sim.org.users.values()}
    query = get_query("unmanaged-accounts")
    first = make_plan(neo4j.driver, neo4j.database, query)
    protected = [x for x in first.excluded if x["reason"].startswith("protected")]
    assert protected, "the simulated org has admins among the findings"
    assert all(roles[x["id"]] in PROTECTED_ROLES for x in protected)
    assert first.items and all(roles[i["target"]["id"]] not in PROTECTED_ROLES for i in first.items)
    spared = first.items[0]["target"]
    allowlist = tmp_path / "never.txt"
    allowlist.write_text(f"# people we keep\n{spared['name'].upper()}  # by email\n")
    second = make_plan(neo4j.driver, neo4j.database, query, allowlist=read_allowlist(allowlist))
    assert spared["id"] not in {i["target"]["id"] for i in second.items}
    assert {"id": spared["id"], "reason": "on the allowlist"}.items() <= next(
        x for x in second.excluded if x["id"] == spared["id"]
    ).items()
    assert [i["id"] for i in second.items] == [i["id"] for i in first.items[1:]]  # stable ids
    item = second.items[0]
    assert item["request"] == {
        "method": "DELETE",
        "path": f"/v1/organizations/users/{item['target']['id']}",
        "body": None,
        "headers": {},
    }
    assert item["engine"] == "admin" and item["irreversible"]
    assert item["target"]["state"]["role"] == roles[item["target"]["id"]]
    # A state the API refuses to change is left out, saying so; an unknown org is an error.
    invites = make_plan(
        neo4j.driver, neo4j.database, get_query("expired-invites"), kind="delete_invite"
    )
    # (pending in the graph but past expiry by the wall clock: the API still takes those)
    assert all(i["target"]["state"]["status"] == "pending" for i in invites.items)
    assert invites.excluded
    assert {x["reason"] for x in invites.excluded} <= {
        "status is expired: the API refuses to change it",
        "status is accepted: the API refuses to change it",
    }
    with pytest.raises(PlanError, match="not in the graph"):
        make_plan(neo4j.driver, neo4j.database, query, org_id="org_nowhere")
