"""Cleanup never reaches another organization: every statement that reads elements for cleanup
or deletes them is scoped to the syncing tenant, checked on the generated Cypher for every type
of the model, and on a database holding two organizations."""

from __future__ import annotations

import re

import pytest

from ingest.graph import cypher
from ingest.graph.model import MODEL
from ingest.graph.schema import TENANT_ID, NodeType, RelType

NODE_TYPES = [n for n in MODEL.nodes if n.tenant_scoped]
REL_TYPES = list(MODEL.rels)


def _where_of(statement: str, binding: str) -> str:
    """The WHERE clause that follows the MATCH holding `binding` (a pattern fragment)."""
    match = re.search(re.escape(binding) + r"[^\n]*\n?\s*WHERE ([^\n]*)", statement)
    assert match, f"no WHERE after {binding!r} in:\n{statement}"
    return match.group(1)


def _requires_tenant(where: str, variable: str) -> bool:
    """`variable.tenant_id = $tenant_id` as a conjunct (an OR would let other tenants in)."""
    conjuncts = [c.strip() for c in re.split(r"\bAND\b", where)]
    wanted = rf"{variable}\.`?{TENANT_ID}`? = \$tenant_id"
    return " OR " not in f" {where.upper()} " and any(re.fullmatch(wanted, c) for c in conjuncts)


def _node_binding(node: NodeType) -> str:
    return f"(n:`{node.label}`)"


def _rel_binding(rel: RelType) -> str:
    return f"(a:`{rel.start.label}`)-[r:`{rel.type}`]->"


@pytest.mark.parametrize("node", NODE_TYPES, ids=lambda n: n.name)
def test_node_delete_and_snapshot_match_only_the_tenant(node: NodeType) -> None:
    for statement in (cypher.node_delete(node), cypher.node_snapshot(node)):
        assert _requires_tenant(_where_of(statement, _node_binding(node)), "n"), statement


@pytest.mark.parametrize("rel", REL_TYPES, ids=lambda r: r.pattern)
def test_rel_delete_and_snapshot_match_only_the_tenant_of_the_start_node(rel: RelType) -> None:
    assert rel.start.tenant_scoped  # a relationship belongs to its start node's tenant
    for statement in (cypher.rel_delete(rel), cypher.rel_snapshot(rel)):
        assert _requires_tenant(_where_of(statement, _rel_binding(rel)), "a"), statement


def test_the_check_itself_refuses_an_unscoped_or_widened_filter() -> None:
    assert _requires_tenant("id(n) = i AND n.tenant_id = $tenant_id", "n")
    assert not _requires_tenant("id(n) = i", "n")
    assert not _requires_tenant("id(r) = i AND b.tenant_id = $tenant_id", "a")
    assert not _requires_tenant("id(n) = i OR n.tenant_id = $tenant_id", "n")


def _graph_of(neo4j, tenant: str) -> list[dict]:
    """Every node of the tenant and every relationship leaving one, with all properties."""
    return neo4j.run(
        "MATCH (n {tenant_id: $t}) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN elementId(n) AS n, properties(n) AS p, type(r) AS r, properties(r) AS rp, "
        "elementId(m) AS m ORDER BY n, r, m",
        t=tenant,
    )


@pytest.mark.neo4j
def test_delete_statements_given_another_tenants_elements_delete_nothing(
    neo4j, simulator, sync
) -> None:
    """Two organizations in one database; org A's delete statements are handed the internal ids
    of every element of org B (what a wrong snapshot would hand them): not one goes."""
    with simulator(seed=1, size="12") as org_a, simulator(seed=2, size="12") as org_b:
        tenant_a, tenant_b = sync(org_a).org_id, sync(org_b).org_id
    assert tenant_a != tenant_b
    before = _graph_of(neo4j, tenant_b)

    def ids_of_b(match: str, owner: str, element: str) -> list[int]:
        query = f"MATCH {match} WHERE {owner}.tenant_id = $t RETURN id({element}) AS i"
        return [row["i"] for row in neo4j.run(query, t=tenant_b)]

    def run(statement: str, ids: list[int], tenant: str):
        history = {"history": True, "now": 0, "sync_id": "s", "at": "t"}  # change records too
        return neo4j.driver.execute_query(
            statement, ids=ids, tenant_id=tenant, **history, database_=neo4j.database
        ).summary.counters

    targets = [
        (cypher.rel_delete(rel), ids_of_b(f"{_rel_binding(rel)}(:`{rel.end.label}`)", "a", "r"))
        for rel in REL_TYPES
    ] + [(cypher.node_delete(node), ids_of_b(_node_binding(node), "n", "n")) for node in NODE_TYPES]
    assert sum(bool(ids) for _, ids in targets) >= len(NODE_TYPES)  # B has most types
    for statement, ids in targets:
        counters = run(statement, ids, tenant_a)
        assert (counters.nodes_deleted, counters.relationships_deleted) == (0, 0), statement
    assert _graph_of(neo4j, tenant_b) == before

    # The same ids under B's own tenant do delete: the attempts above aimed at live elements.
    statement, ids = next((s, i) for s, i in targets if "DETACH" in s and i)
    assert run(statement, ids, tenant_b).nodes_deleted == len(ids)
