"""The Console actions the other remediation tests do not send: archive a key, delete an invite,
archive a federation rule and then a service account, change and remove a workspace
membership. Each is planned from a question, applied once against the simulator, and the next
sync shows its effect."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.queries.library import get_query
from ingest.remediate.apply import ALREADY, APPLIED
from ingest.remediate.plan import make_plan
from tests.remediate.test_apply import apply, outcomes

pytestmark = pytest.mark.neo4j
EPOCH = "2026-11-01T00:00:00Z"  # the generated organizations' clock

MEMBERSHIP = (
    "MATCH (u:AnthropicUser {id: $user})-[m:MEMBER_OF]->(w:AnthropicWorkspace {id: $ws}) "
    "WHERE coalesce(m.inherited, false) = false "
    "OPTIONAL MATCH (u)-[h:HAS_ROLE {source: 'workspace'}]->(r:AnthropicRole)-[:SCOPED_TO]->(w) "
    "RETURN count(DISTINCT m) AS memberships, collect(r.name) AS roles"
)


def planned(neo4j: Any, question: str, kind: str | None = None, **values: str) -> list[dict]:
    # Expiry is decided as of the simulator's clock, which the writes are judged by too.
    plan = make_plan(
        neo4j.driver,
        neo4j.database,
        get_query(question),
        {"as_of": EPOCH} if "as_of" in get_query(question).params else None,
        kind=kind,
        values=values,
        has_oauth=True,
    )
    assert plan.refused == []
    return plan.items


def test_key_invite_rule_and_workspace_membership_actions(neo4j, simulator, sync) -> None:
    with simulator(size="small", seed=3) as running:
        sync(running)
        org = running.sim.org
        [key] = planned(neo4j, "stale-keys")[:1]
        [invite] = planned(neo4j, "pending-privileged-invites")[:1]
        [rule] = planned(neo4j, "federation-privileged-issuers", "archive_federation_rule")[:1]
        # A direct, non-admin workspace member of a live workspace: the membership actions.
        user, ws = next(
            (m.user_id, m.workspace_id)
            for m in org.members.values()
            if org.users[m.user_id].role not in ("admin", "billing")
            and org.workspaces[m.workspace_id].archived_at is None
            and m.workspace_role != "workspace_admin"
        )
        rows = planned(
            neo4j,
            "blast-radius",
            "change_workspace_role",
            workspace_id=ws,
            workspace_role="workspace_admin",
        )
        [promote] = [i for i in rows if i["target"]["id"] == user]
        [remove] = [
            i
            for i in planned(neo4j, "blast-radius", "remove_workspace_member", workspace_id=ws)
            if i["target"]["id"] == user
        ]
        done = [key, invite, rule, promote]
        report = apply(running, done, execute=True)
        assert outcomes(report) == [APPLIED] * 4, [o.reason for o in report.outcomes]
        assert outcomes(apply(running, [key, invite, rule], execute=True)) == [ALREADY] * 3
        # A service account no live rule targets can be archived (arranged: the rules of the
        # non-admin accounts are archived; the admin ones are never planned).
        with running.sim.lock:
            for r in org.federation_rules.values():
                if org.service_accounts[r.service_account_id].organization_role != "admin":
                    r.archived_at = r.archived_at or org.epoch
        live = {r.service_account_id for r in org.federation_rules.values() if not r.archived_at}
        [account] = [
            i
            for i in planned(neo4j, "service-accounts")
            if i["target"]["id"] not in live and i["target"]["state"].get("archived_at") is None
        ][:1]
        assert outcomes(apply(running, [account], execute=True)) == [APPLIED]
        sync(running)
        promoted = [{"memberships": 1, "roles": ["workspace_admin"]}]
        assert neo4j.run(MEMBERSHIP, user=user, ws=ws) == promoted
        assert outcomes(apply(running, [remove], execute=True)) == [APPLIED]
        sync(running)
    [status] = neo4j.run(
        "MATCH (k:AnthropicApiKey {id: $id}) RETURN k.status AS s", id=key["target"]["id"]
    )
    assert status == {"s": "archived"}
    assert (
        neo4j.run("MATCH (i:AnthropicInvite {id: $id}) RETURN i", id=invite["target"]["id"]) == []
    )
    [archived] = neo4j.run(
        "MATCH (r:AnthropicFederationRule {id: $id}) RETURN r.archived_at IS NOT NULL AS a",
        id=rule["target"]["id"],
    )
    assert archived == {"a": True}
    [gone] = neo4j.run(
        "MATCH (s:AnthropicServiceAccount {id: $id}) RETURN s.archived_at IS NOT NULL AS a",
        id=account["target"]["id"],
    )
    assert gone == {"a": True}
    assert neo4j.run(MEMBERSHIP, user=user, ws=ws) == [{"memberships": 0, "roles": []}]
