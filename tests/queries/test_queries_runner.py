"""The runner: read-only on the server side, JSON-friendly values, every file runs on an empty
database, and `idgraph query` through typer's CliRunner."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from neo4j.exceptions import ClientError
from typer.testing import CliRunner

from ingest.cli import app
from ingest.queries.cli import parse_params
from ingest.queries.library import ORG_COLUMNS, ORG_PARAM, get_query, load_library
from ingest.queries.runner import UnknownParameter, run_query

pytestmark = pytest.mark.neo4j


def _run(neo4j, cypher: str, **params):  # type: ignore[no-untyped-def]
    query = replace(get_query("stale-keys"), cypher=cypher, params=dict.fromkeys(params))
    return run_query(neo4j.driver, neo4j.database, query, params)


@pytest.mark.parametrize("query", load_library(), ids=lambda q: q.id)
def test_every_question_runs_on_an_empty_database(neo4j, query) -> None:  # type: ignore[no-untyped-def]
    result = run_query(neo4j.driver, neo4j.database, query)
    assert query.params[ORG_PARAM] is None, "every question takes an organization, null: all"
    assert result.columns[:2] == list(ORG_COLUMNS) and "id" in result.columns
    assert result.rows == []


def test_the_server_refuses_a_write(neo4j) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ClientError) as refused:
        _run(neo4j, "CREATE (n:RunnerProbe {id: 'x'}) RETURN n.id AS id")
    assert "AccessMode" in (refused.value.code or "") or "read" in str(refused.value).lower()
    assert neo4j.run("MATCH (n:RunnerProbe) RETURN count(n) AS n") == [{"n": 0}]


def test_unknown_parameters_are_refused(neo4j) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownParameter, match="no parameter days"):
        run_query(neo4j.driver, neo4j.database, get_query("stale-keys"), {"days": 3})


def test_values_become_json(neo4j) -> None:  # type: ignore[no-untyped-def]
    neo4j.run(
        "CREATE (:AnthropicUser {id: 'u1', email: 'a@x.example'})-[:HAS_ROLE {source: 'x'}]->"
        "(:AnthropicRole {id: 'r1', name: 'admin'})"
    )
    result = _run(
        neo4j,
        "MATCH path = (u:AnthropicUser)-[h:HAS_ROLE]->(r) "
        "RETURN u, h, path, datetime($at) AS at, date('2026-01-02') AS day, "
        "duration({days: 2}) AS span, point({x: 1, y: 2}) AS where, [1, 'a'] AS list, "
        "u.id AS id",
        at="2026-11-01T00:00:00Z",
    )
    row = result.rows[0]
    json.dumps(row)  # everything serialises
    assert row["u"] == {
        "labels": ["AnthropicUser"],
        "properties": {"id": "u1", "email": "a@x.example"},
    }
    assert row["h"] == {
        "type": "HAS_ROLE",
        "start": "u1",
        "end": "r1",
        "properties": {"source": "x"},
    }
    assert [step.get("type") or step["properties"]["id"] for step in row["path"]] == [
        "u1",
        "HAS_ROLE",
        "r1",
    ]
    assert row["at"].startswith("2026-11-01T00:00:00")
    assert row["day"] == "2026-01-02"
    assert row["span"] == "P2D"
    assert row["where"]["coordinates"] == [1.0, 2.0]
    assert result.columns == ["u", "h", "path", "at", "day", "span", "where", "list", "id"]


# ---- idgraph query -----------------------------------------------------------------------


@pytest.fixture
def cli_env(neo4j, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEO4J_URI", neo4j.uri)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j.auth[0])
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j.auth[1])
    monkeypatch.setenv("NEO4J_DATABASE", neo4j.database)
    return neo4j


def test_cli_list() -> None:
    result = CliRunner().invoke(app, ["query", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [q["id"] for q in listed] == [q.id for q in load_library()]
    table = CliRunner().invoke(app, ["query", "list"], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "effective-org-admins" in table.output


ORG = "CREATE (:AnthropicOrganization {id: $t, tenant_id: $t, name: $name})"
KEY = "CREATE (:AnthropicApiKey {id: $id, tenant_id: $t, name: $name, status: 'active'})"


def test_cli_run_formats(cli_env) -> None:  # type: ignore[no-untyped-def]
    cli_env.run(ORG, t="o1", name="One")
    cli_env.run(KEY, id="k1", t="o1", name="legacy, old")
    runner = CliRunner()
    as_json = runner.invoke(app, ["query", "run", "keys-without-owner", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert [r["id"] for r in json.loads(as_json.output)["rows"]] == ["k1"]
    as_csv = runner.invoke(app, ["query", "run", "keys-without-owner", "-f", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.output.splitlines()[0].startswith("org_id,org_name,id,")
    assert as_csv.output.splitlines()[1].startswith('o1,One,k1,"legacy, old"')
    table = runner.invoke(app, ["query", "run", "keys-without-owner"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "k1" in table.output


def test_cli_run_org_answers_for_that_organization_only(cli_env) -> None:  # type: ignore[no-untyped-def]
    for org, key in (("o1", "k1"), ("o2", "k2")):
        cli_env.run(ORG, t=org, name=f"Org {org}")
        cli_env.run(KEY, id=key, t=org, name="same name")
    args = ["query", "run", "keys-without-owner", "-f", "json"]
    every = CliRunner().invoke(app, args)
    assert every.exit_code == 0, every.output
    rows = json.loads(every.output)["rows"]
    assert [(r["org_id"], r["org_name"], r["id"]) for r in rows] == [
        ("o1", "Org o1", "k1"),
        ("o2", "Org o2", "k2"),
    ]
    one = CliRunner().invoke(app, [*args, "--org", "o2"])
    assert one.exit_code == 0, one.output
    assert [(r["org_id"], r["id"]) for r in json.loads(one.output)["rows"]] == [("o2", "k2")]
    nobody = CliRunner().invoke(app, [*args, "--org", "o3"])
    assert json.loads(nobody.output)["rows"] == []


def test_cli_run_with_params(cli_env) -> None:  # type: ignore[no-untyped-def]
    cli_env.run(ORG, t="o1", name="One")
    cli_env.run(
        "CREATE (:AnthropicApiKey {id: 'k2', tenant_id: 'o1', status: 'active', "
        "created_at: '2026-01-01T00:00:00Z', created_at_ms: 1767225600000})"
    )
    args = ["query", "run", "old-never-expiring-keys", "-f", "json"]
    as_of = ["--param", "as_of=2026-11-01T00:00:00Z"]
    old = CliRunner().invoke(app, [*args, *as_of, "--param", "days=30"])
    assert old.exit_code == 0, old.output
    assert [r["id"] for r in json.loads(old.output)["rows"]] == ["k2"]
    young = CliRunner().invoke(app, [*args, *as_of, "--param", "days=400"])
    assert json.loads(young.output)["rows"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "run", "no-such-question"], "unknown question"),
        (["query", "run", "stale-keys", "--param", "nonsense"], "name=value"),
        (["query", "run", "stale-keys", "--param", "=3"], "name=value"),
        (["query", "run", "stale-keys", "--param", "days=3"], "no parameter days"),
        (
            ["query", "run", "attack-paths", "--param", "ability=manage_member"],
            "ability 'manage_member' is not allowed "
            "(allowed: manage_members, create_keys, org_admin, workspace)",
        ),
    ],
)
def test_cli_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_neo4j_down_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = CliRunner().invoke(app, ["query", "run", "stale-keys"])
    assert result.exit_code == 3


def test_param_values_are_json_when_they_parse() -> None:
    pairs = ["a=3", "b=null", "c=x y", "d=[1,2]", 'e="q"', "f=2026-11-01T00:00:00Z"]
    assert parse_params(pairs) == {
        "a": 3,
        "b": None,
        "c": "x y",
        "d": [1, 2],
        "e": "q",
        "f": "2026-11-01T00:00:00Z",
    }
