"""The loader against a real Neo4j server: schema, idempotence, updates, cleanup, tenants."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ingest.graph.cypher import constraint_name, schema_statements, superseded_constraint_names
from ingest.graph.fingerprint import fingerprint
from ingest.graph.model import MODEL
from ingest.load import GraphLoader, MissingKeyError, UndeclaredPropertyError

pytestmark = pytest.mark.neo4j

ORG = MODEL.node("organization")
USER = MODEL.node("user")
ROLE = MODEL.node("role")
WORKSPACE = MODEL.node("workspace")
ORG_USER = MODEL.rel("RESOURCE", "organization", "user")
HAS_ROLE = MODEL.rel("HAS_ROLE", "user", "role")
MEMBER_OF = MODEL.rel("MEMBER_OF", "user", "workspace")


def users(tenant: str, n: int, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"id": f"{tenant}-u{i}", "email": f"U{i}@{tenant}.example", "role": "user", **extra}
        for i in range(n)
    ]


def load_org(loader: GraphLoader, ctx, n_users: int = 5) -> None:
    tenant = ctx.tenant_id
    loader.load_nodes(ORG, [{"id": tenant, "name": tenant.upper()}], ctx)
    loader.load_nodes(USER, users(tenant, n_users), ctx)
    loader.load_nodes(ROLE, [{"id": f"{tenant}/organization/user", "name": "user"}], ctx)
    loader.load_rels(
        ORG_USER, [{"start": tenant, "end": u["id"]} for u in users(tenant, n_users)], ctx
    )
    loader.load_rels(
        HAS_ROLE,
        [
            {"start": u["id"], "end": f"{tenant}/organization/user", "source": "organization"}
            for u in users(tenant, n_users)
        ],
        ctx,
    )


def count(neo4j, pattern: str, **params: Any) -> int:
    return neo4j.run(f"MATCH {pattern} RETURN count(*) AS c", **params)[0]["c"]


def test_constraints_and_indexes_exist_and_ensure_schema_is_repeatable(neo4j, loader) -> None:
    loader.ensure_schema()
    loader.ensure_schema()
    constraints = {
        r["name"]: r
        for r in neo4j.run("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")
    }
    for node in MODEL.nodes:
        found = constraints[constraint_name(node)]
        assert found["type"] == "UNIQUENESS"
        key = ["id", "tenant_id"] if node.tenant_scoped else ["id"]
        assert (found["labelsOrTypes"], found["properties"]) == ([node.label], key)
    indexes = {
        r["name"] for r in neo4j.run("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE'")
    }
    created = {s.name for s in schema_statements(MODEL) if not s.cypher.startswith("DROP")}
    assert created <= indexes
    superseded = {name for node in MODEL.nodes for name in superseded_constraint_names(node)}
    assert not superseded & constraints.keys()


def test_loading_the_same_batches_twice_leaves_an_identical_graph(neo4j, loader, new_ctx) -> None:
    load_org(loader, new_ctx())
    first = fingerprint(neo4j.driver, neo4j.database)
    load_org(loader, new_ctx())
    second = fingerprint(neo4j.driver, neo4j.database)
    assert first == second
    assert (first.nodes, first.rels) == (7, 10)


def test_timestamps_and_sync_stamps_say_when_an_element_last_changed(
    neo4j, loader, new_ctx
) -> None:
    one, two, three = new_ctx(), new_ctx(), new_ctx()
    load_org(loader, one, n_users=1)
    load_org(loader, two, n_users=1)  # unchanged: nothing rewritten
    [node] = neo4j.run("MATCH (n:AnthropicUser) RETURN properties(n) AS p, labels(n) AS l")
    assert sorted(node["l"]) == ["AnthropicUser", "UserAccount"]
    props = node["p"]
    assert (props["firstseen"], props["lastupdated"]) == (one.now_ms, one.now_ms)
    assert (props["sync_id"], props["tenant_id"]) == (one.sync_id, "org-a")
    [rel] = neo4j.run("MATCH ()-[r:HAS_ROLE]->() RETURN properties(r) AS p")
    # Relationships carry their declared properties and two timestamps, nothing else.
    assert rel["p"] == {
        "source": "organization",
        "firstseen": one.now_ms,
        "lastupdated": one.now_ms,
    }
    loader.load_nodes(USER, users("org-a", 1, name="Renamed"), three)
    [node] = neo4j.run("MATCH (n:AnthropicUser) RETURN properties(n) AS p")
    assert (node["p"]["firstseen"], node["p"]["lastupdated"]) == (one.now_ms, three.now_ms)
    assert (node["p"]["sync_id"], node["p"]["name"]) == (three.sync_id, "Renamed")


def test_a_changed_property_updates_in_place_and_none_removes_it(neo4j, loader, new_ctx) -> None:
    row = {"id": "u1", "email": "A@x.example", "name": "Ann", "role": "user"}
    loader.load_nodes(USER, [row], new_ctx())
    loader.load_nodes(USER, [{**row, "role": "developer", "name": None}], new_ctx())
    [found] = neo4j.run("MATCH (n:AnthropicUser {id: 'u1'}) RETURN properties(n) AS p")
    assert found["p"]["role"] == "developer"
    assert "name" not in found["p"]
    loader.load_nodes(USER, [{"id": "u1"}], new_ctx())  # a property absent from the row goes too
    [found] = neo4j.run("MATCH (n:AnthropicUser) RETURN properties(n) AS p")
    assert not {"email", "role"} & found["p"].keys()


def test_relationship_properties_update_and_none_removes_them(neo4j, loader, new_ctx) -> None:
    ctx = new_ctx()
    loader.load_nodes(USER, [{"id": "u1"}], ctx)
    loader.load_nodes(WORKSPACE, [{"id": "w1"}], ctx)
    rel = {"start": "u1", "end": "w1", "workspace_role": "workspace_user", "inherited": False}
    loader.load_rels(MEMBER_OF, [rel], ctx)
    loader.load_rels(
        MEMBER_OF, [{**rel, "workspace_role": "workspace_developer", "inherited": None}], new_ctx()
    )
    found = neo4j.run("MATCH ()-[r:MEMBER_OF]->() RETURN properties(r) AS p")
    assert len(found) == 1
    assert found[0]["p"]["workspace_role"] == "workspace_developer"
    assert "inherited" not in found[0]["p"]


def test_cleanup_after_a_complete_sync_removes_what_disappeared(neo4j, loader, new_ctx) -> None:
    load_org(loader, new_ctx(), n_users=5)
    ctx = new_ctx()
    load_org(loader, ctx, n_users=3)
    result = loader.cleanup("users", ctx)
    # 2 users; their 2 RESOURCE edges, and by DETACH DELETE their 2 HAS_ROLE edges.
    assert (result.nodes_deleted, result.rels_deleted) == (2, 4)
    assert count(neo4j, "(n:AnthropicUser)") == 3
    assert count(neo4j, "()-[:HAS_ROLE]->()") == 3
    assert loader.cleanup("users", ctx) == type(result)(0, 0)


def test_nothing_is_removed_when_a_family_is_not_cleaned(neo4j, loader, new_ctx) -> None:
    load_org(loader, new_ctx(), n_users=5)
    ctx = new_ctx()
    loader.load_nodes(ORG, [{"id": "org-a", "name": "ORG-A"}], ctx)
    loader.load_nodes(USER, users("org-a", 1), ctx)  # users read only partly: no cleanup call
    for family in ("organization", "roles", "role_grants", "workspaces", "api_keys"):
        loader.cleanup(family, ctx)
    assert count(neo4j, "(n:AnthropicUser)") == 5
    assert count(neo4j, "()-[:RESOURCE]->(:AnthropicUser)") == 5
    # role_grants was declared complete: the HAS_ROLE edges not rewritten are gone.
    assert count(neo4j, "()-[:HAS_ROLE]->()") == 0
    assert count(neo4j, "(n:AnthropicRole)") == 0  # roles complete, none written this sync


def test_cleanup_of_one_tenant_never_touches_another(neo4j, loader, new_ctx) -> None:
    load_org(loader, new_ctx("org-a"), n_users=4)
    load_org(loader, new_ctx("org-b"), n_users=4)
    before_b = neo4j.run(
        "MATCH (n {tenant_id: 'org-b'}) OPTIONAL MATCH (n)-[r]->() "
        "RETURN count(DISTINCT n) AS n, count(r) AS r"
    )
    ctx = new_ctx("org-a")
    loader.load_nodes(ORG, [{"id": "org-a", "name": "ORG-A"}], ctx)  # org-a now has no users
    for family in MODEL.families:
        if family not in MODEL.never_cleaned:
            loader.cleanup(family, ctx)
    after_b = neo4j.run(
        "MATCH (n {tenant_id: 'org-b'}) OPTIONAL MATCH (n)-[r]->() "
        "RETURN count(DISTINCT n) AS n, count(r) AS r"
    )
    assert after_b == before_b == [{"n": 6, "r": 8}]
    assert neo4j.run("MATCH (n {tenant_id: 'org-a'}) RETURN n.id AS id") == [{"id": "org-a"}]


def test_never_cleaned_family_is_refused(loader, new_ctx) -> None:
    with pytest.raises(ValueError, match="never cleaned"):
        loader.cleanup("sync_runs", new_ctx())
    with pytest.raises(ValueError, match="family"):
        loader.cleanup("no_such_family", new_ctx())


HOSTILE = [
    'O\'Brien "quoted"',
    "back`tick`` and \\backslash\\",
    "line\nbreak\r\ttab",
    "ünïcödé 名前 🙂 \u200b",
    "{braces} } { $param",
    "MATCH (n) DETACH DELETE n",
    "'}) MATCH (n) DETACH DELETE n //",
    "",
]


def test_hostile_strings_round_trip_unchanged(neo4j, loader, new_ctx) -> None:
    ctx = new_ctx()
    rows = [
        {"id": f"id-{i}-{text}", "name": text, "email": text, "role": text}
        for i, text in enumerate(HOSTILE)
    ]
    loader.load_nodes(USER, rows, ctx)
    loader.load_nodes(
        WORKSPACE, [{"id": text, "name": text, "tags": HOSTILE} for text in HOSTILE], ctx
    )
    written = loader.load_rels(
        MEMBER_OF,
        [{"start": r["id"], "end": r["name"], "workspace_role": r["name"]} for r in rows],
        ctx,
    )
    assert written == len(HOSTILE)
    found = neo4j.run(
        "MATCH (n:AnthropicUser) "
        "RETURN n.id AS id, n.name AS name, n.email AS email, n.role AS role"
    )
    assert sorted(found, key=lambda r: r["id"]) == sorted(rows, key=lambda r: r["id"])
    ws = neo4j.run("MATCH (w:AnthropicWorkspace) RETURN w.id AS id, w.name AS name, w.tags AS tags")
    assert sorted(w["id"] for w in ws) == sorted(HOSTILE)
    assert all(w["name"] == w["id"] and w["tags"] == HOSTILE for w in ws)
    rels = neo4j.run(
        "MATCH (u)-[r:MEMBER_OF]->(w) RETURN u.name AS u, w.id AS w, r.workspace_role AS role"
    )
    assert all(r["u"] == r["w"] == r["role"] for r in rels) and len(rels) == len(HOSTILE)


class CountingLoader(GraphLoader):
    """Records the size of every batch written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches: list[int] = []

    def write(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if "rows" in params:
            self.batches.append(len(params["rows"]))
        return super().write(query, params)


def user_rows(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"id": f"u{i}", "name": str(i)}


@pytest.mark.parametrize("lanes", [1, 2, 3])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 7, 9, 25])
def test_batches_smaller_and_larger_than_batch_size_and_generators(
    neo4j, new_ctx, n, lanes
) -> None:
    loader = CountingLoader(neo4j.driver, neo4j.database, batch_size=3, lanes=lanes)
    loader.ensure_schema()
    assert loader.load_nodes(USER, user_rows(n), new_ctx()) == n
    assert count(neo4j, "(n:AnthropicUser)") == n
    assert sum(loader.batches) == n and all(0 < size <= 3 for size in loader.batches)


def test_parallel_lanes_write_every_relationship_once(neo4j, new_ctx) -> None:
    """Dense and sparse endpoints mixed, in more batches than lanes: nothing lost or doubled."""
    loader = CountingLoader(neo4j.driver, neo4j.database, batch_size=50, lanes=3)
    loader.ensure_schema()
    ctx = new_ctx()
    loader.load_nodes(USER, user_rows(300), ctx)
    workspaces = [{"id": f"w{i}", "name": f"w{i}"} for i in range(12)]
    loader.load_nodes(WORKSPACE, workspaces, ctx)
    rows = [
        {"start": f"u{u}", "end": f"w{w}", "workspace_role": "workspace_user"}
        for u in range(300)
        for w in range(12)
        if u < 20 or (u + w) % 5 == 0
    ]
    assert loader.load_rels(MEMBER_OF, rows, ctx) == len(rows)
    assert count(neo4j, "()-[:MEMBER_OF]->()") == len(rows)
    assert max(loader.batches) <= 50


def test_an_invalid_row_anywhere_writes_nothing(neo4j, new_ctx) -> None:
    loader = GraphLoader(neo4j.driver, neo4j.database, batch_size=3)
    loader.ensure_schema()
    rows = [*user_rows(10), {"id": "u10", "emial": "typo@x.example"}]
    with pytest.raises(UndeclaredPropertyError):
        loader.load_nodes(USER, rows, new_ctx())
    assert count(neo4j, "(n)") == 0


def test_undeclared_property_is_a_clear_error(neo4j, loader, new_ctx) -> None:
    with pytest.raises(UndeclaredPropertyError, match=r"node type 'user'.*'emial'"):
        loader.load_nodes(USER, [{"id": "u1", "emial": "typo@x.example"}], new_ctx())
    with pytest.raises(UndeclaredPropertyError, match=r"HAS_ROLE.*'level'"):
        loader.load_rels(HAS_ROLE, [{"start": "u1", "end": "r1", "level": 3}], new_ctx())
    with pytest.raises(UndeclaredPropertyError, match="tenant_id"):
        loader.load_nodes(USER, [{"id": "u1", "tenant_id": "other-org"}], new_ctx())
    with pytest.raises(MissingKeyError):
        loader.load_nodes(USER, [{"email": "no-id@x.example"}], new_ctx())
    with pytest.raises(MissingKeyError):
        loader.load_rels(HAS_ROLE, [{"start": "u1"}], new_ctx())
    assert count(neo4j, "(n)") == 0


def test_relationships_to_missing_endpoints_are_reported(neo4j, loader, new_ctx) -> None:
    ctx = new_ctx()
    loader.load_nodes(USER, users("org-a", 2), ctx)
    loader.load_nodes(ROLE, [{"id": "r1"}], ctx)
    rows = [
        {"start": "org-a-u0", "end": "r1", "source": "organization"},
        {"start": "org-a-u1", "end": "missing-role", "source": "organization"},
        {"start": "missing-user", "end": "r1", "source": "organization"},
        {"start": "org-a-u1", "end": "r1", "source": "workspace"},
    ]
    assert loader.load_rels(HAS_ROLE, rows, ctx) == 2
    assert count(neo4j, "()-[:HAS_ROLE]->()") == 2
    assert count(neo4j, "(n)") == 3  # no endpoint was invented


class StatementLog(GraphLoader):
    """Records the first line of every write statement that carried rows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements: list[tuple[str, int]] = []

    def write(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if "rows" in params:
            verb = "CREATE" if "CREATE (a)" in query else "MERGE"
            self.statements.append((verb, len(params["rows"])))
        return super().write(query, params)


def test_a_first_load_creates_relationships_and_equals_a_merged_load(neo4j, new_ctx) -> None:
    """Nothing of the type exists yet: CREATE, with repeated rows and nulls written as MERGE
    would; the next sync of the same rows merges and changes nothing."""
    loader = StatementLog(neo4j.driver, neo4j.database, batch_size=4)
    loader.ensure_schema()
    ctx = new_ctx()
    loader.load_nodes(USER, users("org-a", 6), ctx)
    loader.load_nodes(WORKSPACE, [{"id": f"w{i}", "name": f"w{i}"} for i in range(3)], ctx)
    rows = [
        {"start": f"org-a-u{u}", "end": f"w{w}", "workspace_role": None if u == 0 else "user"}
        for u in range(6)
        for w in range(3)
    ]
    repeated = {**rows[1], "workspace_role": "workspace_admin"}
    assert loader.load_rels(MEMBER_OF, [*rows, repeated], ctx) == len(rows) + 1
    assert ("CREATE", 4) in loader.statements and ("MERGE", 1) in loader.statements
    assert count(neo4j, "()-[:MEMBER_OF]->()") == len(rows)
    [again] = neo4j.run(
        "MATCH (:AnthropicUser {id: $u})-[r:MEMBER_OF]->(:AnthropicWorkspace {id: $w}) "
        "RETURN r.workspace_role AS role",
        u=repeated["start"],
        w=repeated["end"],
    )
    assert again["role"] == "workspace_admin"
    nulls = "MATCH ()-[r:MEMBER_OF]->() WHERE r.workspace_role IS NULL RETURN count(*) AS c"
    assert neo4j.run(nulls)[0]["c"] == 2  # u0's three, but the repeated row set one
    created = fingerprint(neo4j.driver, neo4j.database)

    loader.statements.clear()
    loader.load_rels(MEMBER_OF, [*rows, repeated], new_ctx())
    assert {verb for verb, _ in loader.statements} == {"MERGE"}
    assert fingerprint(neo4j.driver, neo4j.database) == created


@pytest.mark.parametrize("chunk", [2, 20_000])  # snapshots read in several chunks, or one
def test_a_second_sync_writes_only_what_changed_and_deletes_only_what_went(
    neo4j, new_ctx, chunk, monkeypatch
) -> None:
    monkeypatch.setattr("ingest.load.loader.SNAPSHOT_CHUNK", chunk)
    loader = StatementLog(neo4j.driver, neo4j.database)
    loader.ensure_schema()
    load_org(loader, new_ctx(), n_users=5)
    before = fingerprint(neo4j.driver, neo4j.database)
    loader.statements.clear()
    load_org(loader, new_ctx(), n_users=5)
    assert loader.statements == []
    assert fingerprint(neo4j.driver, neo4j.database) == before

    ctx = new_ctx()
    loader.statements.clear()
    changed = [*users("org-a", 4), {**users("org-a", 5)[4], "role": "developer"}]
    loader.load_nodes(USER, [*changed, {"id": "org-a-new", "email": "N@org-a.example"}], ctx)
    loader.load_rels(
        HAS_ROLE,
        [
            {"start": "org-a-u0", "end": "org-a/organization/user", "source": "workspace"},
            {"start": "org-a-new", "end": "org-a/organization/user", "source": "organization"},
            *(
                {"start": f"org-a-u{i}", "end": "org-a/organization/user", "source": "organization"}
                for i in (1, 2)
            ),
        ],
        ctx,
    )
    assert loader.statements == [("MERGE", 2), ("CREATE", 1), ("MERGE", 1)]
    removed = loader.cleanup("role_grants", ctx)
    assert removed.rels_deleted == 2  # u3's and u4's grants were not in this sync
    sources = neo4j.run(
        "MATCH (u:AnthropicUser)-[r:HAS_ROLE]->() RETURN u.id AS u, r.source AS s ORDER BY u"
    )
    assert [(r["u"], r["s"]) for r in sources] == [
        ("org-a-new", "organization"),
        ("org-a-u0", "workspace"),
        ("org-a-u1", "organization"),
        ("org-a-u2", "organization"),
    ]
    assert count(neo4j, "()-[:HAS_ROLE]->()") == 4


def test_a_node_two_tenants_share_never_doubles_their_relationships(neo4j, loader, new_ctx):
    """Each tenant's sync moves the shared node's tenant_id, so each sees it as changed and
    takes its relationships into account rather than creating them again."""
    shared = {"id": "shared-user", "email": "S@x.example", "role": "user"}

    def sync(tenant: str) -> None:
        ctx = new_ctx(tenant)
        loader.load_nodes(ORG, [{"id": tenant, "name": tenant}], ctx)
        loader.load_nodes(USER, [shared], ctx)
        loader.load_nodes(ROLE, [{"id": f"{tenant}/organization/user", "name": "user"}], ctx)
        rows = [{"start": shared["id"], "end": f"{tenant}/organization/user"}]
        loader.load_rels(HAS_ROLE, rows, ctx)

    for tenant in ("org-a", "org-b", "org-a", "org-b", "org-a"):
        sync(tenant)
    assert (
        count(
            neo4j, "(:AnthropicUser)-[:HAS_ROLE]->(:AnthropicRole {id: 'org-a/organization/user'})"
        )
        == 1
    )


def test_prepared_writes_write_nothing_until_executed_in_order(neo4j, loader, new_ctx) -> None:
    """What the sync's writer does: the next unit is prepared while the previous one runs."""
    ctx = new_ctx()
    tenant = ctx.tenant_id
    nodes = loader.prepare_nodes(USER, users(tenant, 4), ctx)
    org = loader.prepare_nodes(ORG, [{"id": tenant, "name": "Org"}], ctx)
    edges = loader.prepare_rels(
        ORG_USER, [{"start": tenant, "end": u["id"]} for u in users(tenant, 4)], ctx
    )
    assert count(neo4j, "(n)") == 0
    assert [loader.execute(p) for p in (nodes, org, edges)] == [4, 1, 4]
    assert count(neo4j, "(:AnthropicOrganization)-[:RESOURCE]->(:AnthropicUser)") == 4
    # The snapshot counted the prepared rows as written: the same rows again are "again", MERGEd.
    again = loader.prepare_rels(
        ORG_USER, [{"start": tenant, "end": u["id"]} for u in users(tenant, 4)], ctx
    )
    assert loader.execute(again) == 4
    assert count(neo4j, "()-[:RESOURCE]->()") == 4
