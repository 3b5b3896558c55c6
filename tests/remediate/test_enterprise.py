"""Enterprise actions through the scoped key, on a simulated Enterprise organization."""

from __future__ import annotations

import pytest

from anthropic_sim.config import FULL_KEY_SCOPES
from ingest.queries.library import get_query
from ingest.remediate.apply import ALREADY, APPLIED
from ingest.remediate.audit import AuditTrail, entries
from ingest.remediate.gate import SCIM_MANAGES_MEMBERS
from ingest.remediate.plan import make_plan
from ingest.remediate.undo import undo_item
from tests.remediate.test_apply import apply, outcomes

pytestmark = pytest.mark.neo4j
# Without read:analytics the analytics probe's 403 lists the key's scopes, write ones included.
SCOPES = [s for s in FULL_KEY_SCOPES if s != "read:analytics"]
MEMBERSHIP = (
    "MATCH (u:AnthropicUser {id: $id})-[:MEMBER_OF]->(g:AnthropicRbacGroup {source_type: 'direct'})"
    " RETURN g.id AS id LIMIT 1"
)


def test_sign_out_group_removal_and_member_removal_then_the_next_sync(neo4j, simulator, sync):
    question = get_query("external-domain-accounts")
    with simulator(size="small", product="enterprise", key_scopes=SCOPES) as running:
        sync(running, scim=False)

        def plan(kind: str, **values: str) -> list[dict]:
            made = make_plan(neo4j.driver, neo4j.database, question, kind=kind, values=values)
            assert made.refused == []
            return made.items

        signed = plan("sign_out_member")
        assert signed and signed[0]["request"]["headers"] == {
            "anthropic-beta": "admin-user-sign-out-2026-10-08"
        }
        assert outcomes(apply(running, signed, execute=True)) == [APPLIED] * len(signed)

        user = signed[0]["target"]["id"]
        [group] = neo4j.run(MEMBERSHIP, id=user) or [None]
        if group is not None:
            [leave] = [
                i
                for i in plan("remove_group_member", group_id=group["id"])
                if i["target"]["id"] == user
            ]
            assert outcomes(apply(running, [leave], execute=True)) == [APPLIED]
            assert outcomes(apply(running, [leave], execute=True)) == [ALREADY]

        removals = plan("remove_member")
        assert outcomes(apply(running, removals, execute=True)) == [APPLIED] * len(removals)
        assert outcomes(apply(running, removals, execute=True)) == [ALREADY] * len(removals)
        sync(running, scim=False)
    gone = [i["target"]["id"] for i in removals]
    assert neo4j.run("MATCH (u:AnthropicUser) WHERE u.id IN $ids RETURN u.id", ids=gone) == []


def test_scim_deactivation_and_its_undo_on_an_org_in_scim_mode(neo4j, simulator, sync, tmp_path):
    question = get_query("scim-users-without-account")
    with simulator(size="small", product="enterprise", key_scopes=SCOPES) as running:
        sync(running)
        refused = make_plan(
            neo4j.driver,
            neo4j.database,
            get_query("external-domain-accounts"),
            kind="remove_member",
        )
        assert [r["reason"] for r in refused.refused] == [SCIM_MANAGES_MEMBERS]
        made = make_plan(neo4j.driver, neo4j.database, question, kind="scim_deactivate")
        [item] = made.items[:1]
        assert item["engine"] == "scim" and item["request"]["method"] == "PATCH"
        trail = AuditTrail(tmp_path / "log.jsonl", None)
        assert outcomes(apply(running, [item], execute=True, trail=trail)) == [APPLIED]
        assert outcomes(apply(running, [item], execute=True)) == [ALREADY]
        sync(running)
        [row] = neo4j.run(
            "MATCH (s:ScimUser {id: $id}) RETURN s.active AS a", id=item["target"]["id"]
        )
        assert row["a"] is False
        [entry] = entries(tmp_path / "log.jsonl")
        assert outcomes(apply(running, [undo_item(entry)], execute=True)) == [APPLIED]
        sync(running)
    [row] = neo4j.run("MATCH (s:ScimUser {id: $id}) RETURN s.active AS a", id=item["target"]["id"])
    assert row["a"] is True


def test_a_role_change_and_an_invite_withdrawal_then_the_next_sync(neo4j, simulator, sync):
    with simulator(size="small", product="enterprise", key_scopes=SCOPES) as running:
        sync(running, scim=False)
        epoch = running.sim.org.epoch.isoformat().replace("+00:00", "Z")

        def plan(question: str, kind: str, params: dict | None = None, **values: str) -> list:
            query = get_query(question)
            made = make_plan(neo4j.driver, neo4j.database, query, params, kind=kind, values=values)
            assert made.refused == []
            return made.items

        members = plan("external-domain-accounts", "change_member_role", role="managed")
        [demote] = [i for i in members if i["target"]["state"]["role"] == "user"][:1]
        # Expiry is judged as of the simulator's clock, as its writes are.
        invites = plan(
            "pending-invites-outside-identity-provider", "delete_invite", {"as_of": epoch}
        )
        [withdraw] = invites[:1]
        assert outcomes(apply(running, [demote, withdraw], execute=True)) == [APPLIED] * 2
        assert outcomes(apply(running, [demote, withdraw], execute=True)) == [ALREADY] * 2
        sync(running, scim=False)
    role = "MATCH (u:AnthropicUser {id: $id}) RETURN u.role AS role"
    assert neo4j.run(role, id=demote["target"]["id"]) == [{"role": "managed"}]
    invite = "MATCH (i:AnthropicInvite {id: $id}) RETURN i.id"
    assert neo4j.run(invite, id=withdraw["target"]["id"]) == []
