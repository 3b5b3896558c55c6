"""Several organizations in one `idgraph sync --orgs FILE`: each synced right, each its own
outcome, one's failure or removal never touching the others."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest

from anthropic_sim.server import RunningSimulator
from ingest.extract import AdminExtractor, Credentials, ExtractConfig
from ingest.extract.errors import OrganizationMismatchError
from tests.sync.oracle import assert_graph_matches
from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j
CANARY = "sk-ant-admin01-CANARYcanaryCANARY-do-not-leak-0123456789AA"


def orgs_toml(*tables: dict[str, object]) -> str:
    lines = []
    for table in tables:
        lines.append("[[organization]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def linked(running: RunningSimulator, n: int):
    """The n-th organization under the simulator's parent (0: its own)."""
    return list(running.sim.linked().orgs.values())[n]


def tenant_counts(neo4j, org_id: str) -> dict[str, int]:
    rows = neo4j.run(
        "MATCH (n {tenant_id: $t}) WHERE NOT n:SyncRun "
        "OPTIONAL MATCH (n)-[r]->(m) WHERE NOT m:SyncRun "
        "RETURN count(DISTINCT n) AS nodes, count(r) AS rels",
        t=org_id,
    )
    return rows[0]


def remove_member(running: RunningSimulator, org_id: str, user_id: str) -> None:
    response = httpx.post(
        f"{running.base_url}/_control/mutate",
        params={"organization_id": org_id},
        json={"op": "remove_user", "user_id": user_id},
        headers=running.control_headers(),
    )
    assert response.status_code == 200, response.text


def test_three_organizations_sync_in_one_run_and_stay_apart(neo4j, simulator, tmp_path):
    with (
        simulator(size="small", tier="enterprise", linked_orgs=["console"]) as first,
        simulator(size="small", seed=2, tier="team") as other,
    ):
        parent, sibling, third = first.sim, linked(first, 1), other.sim
        shared = {u.email for u in parent.org.users.values()} & {
            u.email for u in sibling.org.users.values()
        }
        assert shared, "the linked org shares people with the first"
        orgs = tmp_path / "idgraph.toml"
        orgs.write_text(
            orgs_toml(
                {
                    "name": "parent console",
                    "admin_key_env": "PARENT_KEY",
                    "oauth_token_env": "PARENT_OAUTH",
                    "scim_url": first.scim_url,
                    "scim_token_env": "PARENT_SCIM",
                    "base_url": first.base_url,
                },
                {
                    "name": "linked console",
                    "admin_key_env": "SIBLING_KEY",
                    "oauth_token_env": "SIBLING_OAUTH",
                    "organization_id": f"org_{sibling.org.id}",
                    "base_url": first.base_url,
                },
                {
                    "name": "other",
                    "admin_key_env": "OTHER_KEY",
                    "oauth_token_env": "OTHER_OAUTH",
                    "base_url": other.base_url,
                },
            )
        )
        env = env_for(
            neo4j,
            PARENT_KEY=first.admin_key,
            PARENT_OAUTH=first.oauth_token,
            PARENT_SCIM=first.scim_token,
            SIBLING_KEY=sibling.org.admin_key,
            SIBLING_OAUTH=sibling.org.oauth_token,
            OTHER_KEY=other.admin_key,
            OTHER_OAUTH=other.oauth_token,
        )
        result = invoke("sync", "--json", "--orgs", str(orgs), env=env)
        assert result.exit_code == 0, result.output
        run = json.loads(result.stdout)
        assert [o["name"] for o in run["organizations"]] == [
            "parent console",
            "linked console",
            "other",
        ]
        assert [o["organization"]["id"] for o in run["organizations"]] == [
            parent.org.id,
            sibling.org.id,
            third.org.id,
        ]
        assert len({o["sync_id"] for o in run["organizations"]}) == 3
        assert_graph_matches(neo4j, parent.org)
        assert_graph_matches(neo4j, sibling.org, with_scim=False)
        assert_graph_matches(neo4j, third.org, with_scim=False)

        leaver = next(u for u in sibling.org.users.values() if u.email in shared)
        untouched = {o.org.id: tenant_counts(neo4j, o.org.id) for o in (parent, third)}
        remove_member(first, sibling.org.id, leaver.id)
        again = invoke("sync", "--json", "--orgs", str(orgs), env=env)
        assert again.exit_code == 0, again.output
        removed = [o["removed"]["members"] for o in json.loads(again.stdout)["organizations"]]
        assert removed == [[], [leaver.id], []]
        assert_graph_matches(neo4j, sibling.org, with_scim=False)
        assert_graph_matches(neo4j, parent.org)
        assert_graph_matches(neo4j, third.org, with_scim=False)
        assert {o.org.id: tenant_counts(neo4j, o.org.id) for o in (parent, third)} == untouched
        still_there = neo4j.run(
            "MATCH (u:AnthropicUser {email: $e}) RETURN u.tenant_id AS t", e=leaver.email
        )
        assert {r["t"] for r in still_there} == {parent.org.id}


def test_one_organization_failing_never_stops_the_others(neo4j, simulator, tmp_path):
    with simulator(size="small", tier="team") as running:
        orgs = tmp_path / "orgs.toml"
        orgs.write_text(
            orgs_toml(
                {"name": "unset", "admin_key_env": "NOT_SET_ANYWHERE"},
                {"name": "refused", "admin_key_env": "WRONG_KEY", "base_url": running.base_url},
                {
                    "name": "good",
                    "admin_key_env": "GOOD_KEY",
                    "oauth_token_env": "GOOD_OAUTH",
                    "base_url": running.base_url,
                },
            )
        )
        wrong = "sk-ant-admin01-" + "x" * 93 + "AA"
        env = env_for(
            neo4j, WRONG_KEY=wrong, GOOD_KEY=running.admin_key, GOOD_OAUTH=running.oauth_token
        )
        result = invoke("sync", "--orgs", str(orgs), env=env)
        assert result.exit_code == 2, result.output
        assert "[unset] credentials: NOT_SET_ANYWHERE is not set" in result.output
        assert "check WRONG_KEY of 'refused'" in result.output
        assert "[good] sync_finished success" in result.output
        assert wrong not in result.output and running.admin_key not in result.output
        assert_graph_matches(neo4j, running.sim.org, with_scim=False)

        logged = invoke("sync", "--log-format", "json", "--orgs", str(orgs), env=env)
        lines = [json.loads(line) for line in logged.stderr.splitlines() if line.startswith("{")]
        assert {line.get("organization") for line in lines} == {"unset", "refused", "good"}

        as_json = invoke("sync", "--json", "--orgs", str(orgs), env=env)
        run = json.loads(as_json.stdout)
        assert run["exit_code"] == 2
        assert [(o["name"], o["exit_code"]) for o in run["organizations"]] == [
            ("unset", 2),
            ("refused", 2),
            ("good", 0),
        ]


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ({"name": "a"}, "organization[0].admin_key_env: Field required"),
        ({"name": "a", "admin_key_env": "K", "admin_key": CANARY}, "organization[0]: admin_key:"),
        ({"name": "a", "admin_key_env": "K", "scim_tokn_env": "T"}, "[0].scim_tokn_env: Extra"),
        ({"name": "a", "admin_key_env": "K-EY"}, "organization[0].admin_key_env: not an env"),
        ({"name": "a", "admin_key_env": "K", "organization_id": "acme"}, "organization_id"),
        ({"name": "a", "admin_key_env": "K", "base_url": "http://example.com"}, "base_url"),
    ],
)
def test_a_configuration_error_names_the_file_and_the_field(neo4j, tmp_path, table, named):
    orgs = tmp_path / "bad.toml"
    orgs.write_text(orgs_toml(table))
    result = invoke("sync", "--orgs", str(orgs), env=env_for(neo4j, IDGRAPH_ORGS_FILE=""))
    assert result.exit_code == 2
    assert str(orgs) in result.output
    assert named in result.output
    assert CANARY not in result.output
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_repeated_names_are_a_configuration_error(neo4j, tmp_path):
    orgs = tmp_path / "twice.toml"
    orgs.write_text(orgs_toml(*[{"name": "a", "admin_key_env": "K"}] * 2))
    result = invoke("sync", "--json", "--orgs", str(orgs), env=env_for(neo4j))
    assert result.exit_code == 2
    assert "organization names repeat: a" in json.loads(result.stdout)["message"]


def test_neo4j_unreachable_stops_the_run_before_any_organization(neo4j, simulator, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with simulator(size="small", tier="team") as running:
        orgs = tmp_path / "orgs.toml"
        orgs.write_text(
            orgs_toml({"name": "one", "admin_key_env": "KEY", "base_url": running.base_url})
        )
        env = env_for(neo4j, KEY=running.admin_key, NEO4J_URI=f"bolt://127.0.0.1:{port}")
        result = invoke("sync", "--orgs", str(orgs), "--wait-neo4j", "0", env=env)
        requests = sum(running.sim.stats.requests.values())
    assert result.exit_code == 3
    assert requests == 0


def test_the_file_may_come_from_the_environment(neo4j, simulator, tmp_path):
    with simulator(size="small", tier="team") as running:
        orgs = tmp_path / "orgs.toml"
        orgs.write_text(
            orgs_toml({"name": "only", "admin_key_env": "KEY", "base_url": running.base_url})
        )
        env = env_for(neo4j, IDGRAPH_ORGS_FILE=str(orgs), KEY=running.admin_key)
        result = invoke("sync", "--json", env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["organizations"][0]["name"] == "only"


# ---- a parent-level Enterprise key reaching a linked organization --------------------------


def read_members(running: RunningSimulator, organization_id: str | None, **knobs):
    async def read():
        config = ExtractConfig(
            admin_base_url=running.base_url, organization_id=organization_id, **knobs
        )
        async with AdminExtractor(Credentials(admin_key=running.admin_key), config) as admin:
            return await admin.users()

    return asyncio.run(read())


def test_one_enterprise_key_reads_each_linked_organization(simulator):
    with simulator(size="small", product="enterprise", linked_orgs=["enterprise"]) as running:
        own, sibling = linked(running, 0), linked(running, 1)
        for org, addressed in (
            (own, None),
            (sibling, sibling.org.id),
            (sibling, f"org_{sibling.org.id}"),
        ):
            members = read_members(running, addressed)
            assert {u.id for u in members.records} == set(org.org.users)
            assert {(u.id, u.role.value) for u in members.records} == {
                (u.id, u.role) for u in org.org.users.values()
            }


def test_an_answer_from_another_organization_than_the_configured_one_is_refused(simulator):
    with simulator(size="small", product="enterprise", linked_orgs=["enterprise"]) as running:
        sibling = linked(running, 1)
        sibling.config.foreign_org_after = 1
        with pytest.raises(OrganizationMismatchError, match="belongs to organization"):
            read_members(running, sibling.org.id, admin_page_size=10)
