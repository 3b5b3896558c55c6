"""The graph fingerprint: content-only, order-independent."""

from __future__ import annotations

import pytest

from ingest.graph.fingerprint import canonical_lines, fingerprint
from ingest.graph.model import MODEL

pytestmark = pytest.mark.neo4j

USER = MODEL.node("user")
ROLE = MODEL.node("role")
HAS_ROLE = MODEL.rel("HAS_ROLE", "user", "role")


def rows(n: int) -> list[dict]:
    return [{"id": f"u{i}", "name": f"n{i}", "role": "user"} for i in range(n)]


def test_empty_graph(neo4j) -> None:
    empty = fingerprint(neo4j.driver, neo4j.database)
    assert (empty.nodes, empty.rels) == (0, 0)


def test_load_order_and_sync_stamps_do_not_matter(neo4j, loader, new_ctx) -> None:
    loader.load_nodes(USER, rows(20), new_ctx())
    first = fingerprint(neo4j.driver, neo4j.database)
    neo4j.wipe()
    loader.load_nodes(USER, reversed(rows(20)), new_ctx())
    assert fingerprint(neo4j.driver, neo4j.database) == first


def test_content_changes_change_the_digest(neo4j, loader, new_ctx) -> None:
    ctx = new_ctx()
    loader.load_nodes(USER, rows(3), ctx)
    loader.load_nodes(ROLE, [{"id": "r"}], ctx)
    loader.load_rels(HAS_ROLE, [{"start": "u0", "end": "r", "source": "organization"}], ctx)
    base = fingerprint(neo4j.driver, neo4j.database)
    assert (base.nodes, base.rels) == (4, 1)
    loader.load_rels(HAS_ROLE, [{"start": "u0", "end": "r", "source": "workspace"}], ctx)
    rel_changed = fingerprint(neo4j.driver, neo4j.database)
    assert rel_changed.digest != base.digest
    neo4j.run("MATCH (n:AnthropicUser {id: 'u2'}) SET n.name = 'other'")
    assert fingerprint(neo4j.driver, neo4j.database).digest != rel_changed.digest


def test_canonical_lines_leave_out_volatile_properties(neo4j, loader, new_ctx) -> None:
    loader.load_nodes(USER, rows(1), new_ctx())
    [(kind, line)] = list(canonical_lines(neo4j.driver, neo4j.database))
    assert kind == "node"
    assert "firstseen" not in line and "lastupdated" not in line and "sync_id" not in line
    assert '"tenant_id":"org-a"' in line


def test_excluded_labels_leave_out_nodes_and_their_relationships(neo4j, loader, new_ctx) -> None:
    ctx = new_ctx()
    loader.load_nodes(USER, rows(2), ctx)
    loader.load_nodes(ROLE, [{"id": "r"}], ctx)
    loader.load_rels(HAS_ROLE, [{"start": "u0", "end": "r", "source": "organization"}], ctx)
    users_only = fingerprint(neo4j.driver, neo4j.database, exclude_labels=("AnthropicRole",))
    assert (users_only.nodes, users_only.rels) == (2, 0)
    neo4j.run("MATCH (r:AnthropicRole) SET r.name = 'changed'")
    again = fingerprint(neo4j.driver, neo4j.database, exclude_labels=("AnthropicRole",))
    assert again == users_only
