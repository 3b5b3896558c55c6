"""Several organizations in one graph, each right: nodes are keyed by (tenant_id, id), so two
organizations sharing people (the same user ids, as linked organizations do) each keep their
own member nodes, roles and relationships, and one organization's sync or cleanup never
touches the other's. Two simulators of one seed, the second serving another organization id."""

from __future__ import annotations

import pytest

from anthropic_sim.server import RunningSimulator
from ingest.graph.cypher import constraint_name, superseded_constraint_names
from ingest.graph.model import MODEL
from tests.simulated import mutate

pytestmark = pytest.mark.neo4j

ORG_B = "00000000-0000-4000-8000-00000000000b"


def _graph_of(neo4j, tenant: str) -> list[dict]:
    """Every node of the tenant and every relationship leaving one, with all properties."""
    return neo4j.run(
        "MATCH (n {tenant_id: $t}) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN elementId(n) AS n, properties(n) AS p, type(r) AS r, properties(r) AS rp, "
        "elementId(m) AS m, m.tenant_id AS mt ORDER BY n, r, m",
        t=tenant,
    )


def _member(neo4j, tenant: str, user_id: str) -> list[dict]:
    return neo4j.run(
        "MATCH (u:AnthropicUser {tenant_id: $t, id: $id}) "
        "OPTIONAL MATCH (u)-[:HAS_ROLE]->(r:AnthropicRole {scope: 'organization'}) "
        "RETURN u.role AS role, u.email_lower AS email, collect(r.id) AS roles",
        t=tenant,
        id=user_id,
    )


def _a_plain_user(running: RunningSimulator) -> str:
    return next(u.id for u in running.sim.org.users.values() if u.role == "user")


def test_another_org_serving_the_same_ids_retags_nothing_of_the_first(neo4j, simulator, sync):
    """The proxy case: org B's sync serves every id org A already has."""
    with simulator(seed=3, size="12") as org_a, simulator(seed=3, size="12", org_id=ORG_B) as b:
        tenant_a = sync(org_a).org_id
        before = _graph_of(neo4j, tenant_a)
        assert sync(b).org_id == ORG_B != tenant_a
        after = _graph_of(neo4j, tenant_a)
    assert after == before
    assert all(row["mt"] in (None, tenant_a) for row in after)  # no edge into org B
    # Org B has a node of its own for each of A's (its sync runs aside): same ids, two nodes.
    counts = neo4j.run(
        "MATCH (n) WHERE NOT n:SyncRun RETURN n.tenant_id AS t, count(*) AS c, "
        "count(DISTINCT n.id) AS ids ORDER BY t"
    )
    assert {row["t"] for row in counts} == {tenant_a, ORG_B}
    assert counts[0]["c"] == counts[1]["c"] == counts[0]["ids"]
    # Every relationship stays within one organization, so the questions' joins (along
    # relationships, e.g. a key's principal_id against its OWNED_BY end) never mix two.
    crossing = "MATCH (a)-[r]->(b) WHERE a.tenant_id <> b.tenant_id RETURN count(r) AS n"
    assert neo4j.run(crossing) == [{"n": 0}]


def test_shared_people_keep_their_own_roles_and_leaving_one_org_leaves_the_other_intact(
    neo4j, simulator, sync
):
    with simulator(seed=3, size="12") as org_a, simulator(seed=3, size="12", org_id=ORG_B) as b:
        person = _a_plain_user(org_a)
        mutate(b, op="change_role", user_id=person, role="developer")
        tenant_a = sync(org_a).org_id
        sync(b)
        in_a, in_b = _member(neo4j, tenant_a, person), _member(neo4j, ORG_B, person)
        assert in_a == [
            {"role": "user", "email": in_a[0]["email"], "roles": [f"{tenant_a}/organization/user"]}
        ]
        assert in_b == [
            {
                "role": "developer",
                "email": in_a[0]["email"],
                "roles": [f"{ORG_B}/organization/developer"],
            }
        ]

        before_a = _graph_of(neo4j, tenant_a)
        mutate(b, op="remove_user", user_id=person)
        report = sync(b)
        after_a = _graph_of(neo4j, tenant_a)

    assert person in report.removed_member_ids
    assert _member(neo4j, ORG_B, person) == []  # gone from B ...
    assert after_a == before_a  # ... and A, its node and its relationships untouched
    assert _member(neo4j, tenant_a, person) == in_a


def test_a_graph_of_the_single_key_version_is_upgraded_by_the_next_sync(neo4j, simulator, sync):
    """The previous version's `<Label>_id_unique` constraints forbid a second organization's
    node of the same id: the schema setup drops them, then both organizations sync."""
    for node in MODEL.nodes:
        old = superseded_constraint_names(node)[0]
        neo4j.run(f"DROP CONSTRAINT `{constraint_name(node)}` IF EXISTS")
        neo4j.run(
            f"CREATE CONSTRAINT `{old}` IF NOT EXISTS FOR (n:`{node.label}`) REQUIRE n.id IS UNIQUE"
        )
    with simulator(seed=3, size="12") as org_a, simulator(seed=3, size="12", org_id=ORG_B) as b:
        tenant_a = sync(org_a).org_id
        report_b = sync(b)
    assert report_b.status == "success", report_b
    names = {row["name"] for row in neo4j.run("SHOW CONSTRAINTS YIELD name")}
    for node in MODEL.nodes:
        assert not set(superseded_constraint_names(node)) & names
        assert constraint_name(node) in names
    person = _a_plain_user(org_a)
    assert _member(neo4j, tenant_a, person)[0]["role"] == "user"
    assert _member(neo4j, ORG_B, person)[0]["role"] == "user"
