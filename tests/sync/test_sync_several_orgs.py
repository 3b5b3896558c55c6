"""Several organizations in one `idgraph sync --orgs FILE`: each synced right, each its own
outcome, one's failure or removal never touching the others."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest

from anthropic_sim.server import RunningSimulator
from anthropic_sim.state import Org
from ingest.extract import AdminExtractor, Credentials, ExtractConfig
from ingest.extract.errors import OrganizationMismatchError
from tests.simulated import mutate
from tests.sync.enterprise_oracle import assert_enterprise_graph_equals
from tests.sync.oracle import assert_graph_matches
from tests.sync.test_sync_cli import env_for, invoke
from tests.sync.test_sync_enterprise import ENTERPRISE

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


def person_in_orgs(neo4j, email: str) -> set[tuple[str, ...]]:
    """Each organization's node of the person: (tenant, user id, organization role, groups)."""
    rows = neo4j.run(
        "MATCH (u:AnthropicUser {email_lower: $e}) "
        "OPTIONAL MATCH (u)-[:HAS_ROLE]->(r:AnthropicRole {scope: 'organization'}) "
        "OPTIONAL MATCH (u)-[:MEMBER_OF]->(g:AnthropicRbacGroup) "
        "RETURN u.tenant_id AS t, u.id AS id, collect(DISTINCT r.id) AS roles, "
        "collect(DISTINCT g.id) AS groups",
        e=email.lower(),
    )
    return {(r["t"], r["id"], *r["roles"], tuple(sorted(r["groups"]))) for r in rows}


def expected_person(org: Org, email: str) -> tuple[str, ...]:
    [user] = [u for u in org.users.values() if u.email == email]
    groups = org.rbac.groups.values() if org.rbac else ()
    in_groups = tuple(sorted(g.id for g in groups if user.id in g.members))
    return (org.id, user.id, f"{org.id}/organization/{user.role}", in_groups)


def join_a_direct_group(running: RunningSimulator, org: Org, user_id: str) -> None:
    """Through the Admin API, with the parent's key for all linked orgs (write:rbac_groups)."""
    group = next(
        g
        for g in org.rbac.groups.values()
        if g.source_type == "direct" and user_id not in g.members
    )
    response = httpx.post(
        f"{running.base_url}/v1/organizations/rbac_groups/{group.id}/members",
        params={"organization_id": org.id},
        json={"user_id": user_id},
        headers={"x-api-key": running.admin_key, "anthropic-version": "2023-06-01"},
    )
    assert response.status_code == 200, response.text


PRODUCT_LABELS = [
    "AnthropicRbacGroup",
    "AnthropicRbacRole",
    "AnthropicWorkspace",
    "AnthropicApiKey",
    "ScimUser",
]


def labels_of(neo4j, org_id: str) -> set[str]:
    rows = neo4j.run(
        "MATCH (n {tenant_id: $t}) UNWIND labels(n) AS label WITH label WHERE label IN $labels "
        "RETURN DISTINCT label",
        t=org_id,
        labels=PRODUCT_LABELS,
    )
    return {r["label"] for r in rows}


def test_two_enterprise_orgs_and_a_console_org_sync_in_one_run_each_right(
    neo4j, simulator, tmp_path
):
    """A company's parent with two Claude Enterprise orgs, read with the primary owner's one
    key for all linked orgs (`organization_id` names the second), and a Console org with its own
    Admin key; one person in all three with another role in each."""
    with simulator(size="12", seed=2, linked_orgs=["enterprise", "console"], **ENTERPRISE) as run:
        first, sibling, console = (linked(run, n).org for n in range(3))
        assert [o.product for o in (first, sibling, console)] == [
            "enterprise",
            "enterprise",
            "console",
        ]
        [email, *_] = sorted(
            {u.email for u in first.users.values()}
            & {u.email for u in sibling.users.values()}
            & {u.email for u in console.users.values()}
        )
        for org, role in ((first, "owner"), (sibling, "user"), (console, "admin")):
            user_id = next(u.id for u in org.users.values() if u.email == email)
            mutate(run, org.id, op="change_role", user_id=user_id, role=role)
            if org.product == "enterprise":
                join_a_direct_group(run, org, user_id)
        orgs = tmp_path / "idgraph.toml"
        orgs.write_text(
            orgs_toml(
                {
                    "name": "enterprise",
                    "admin_key_env": "ENTERPRISE_KEY",
                    "scim_url": run.scim_url,
                    "scim_token_env": "SCIM_TOKEN",
                    "base_url": run.base_url,
                },
                {
                    "name": "console",
                    "admin_key_env": "CONSOLE_KEY",
                    "oauth_token_env": "CONSOLE_OAUTH",
                    "organization_id": console.id,
                    "base_url": run.base_url,
                },
                {
                    "name": "enterprise linked",
                    "admin_key_env": "ENTERPRISE_KEY",
                    "organization_id": f"org_{sibling.id}",
                    "base_url": run.base_url,
                },
            )
        )
        env = env_for(
            neo4j,
            ENTERPRISE_KEY=run.admin_key,
            SCIM_TOKEN=run.scim_token,
            CONSOLE_KEY=console.admin_key,
            CONSOLE_OAUTH=console.oauth_token,
        )
        assert run.admin_key.startswith("sk-ant-api01-")
        assert console.admin_key.startswith("sk-ant-admin01-")

        result = invoke("sync", "--json", "--orgs", str(orgs), env=env)
        assert result.exit_code == 0, result.output
        synced = json.loads(result.stdout)["organizations"]
        assert [o["organization"]["id"] for o in synced] == [first.id, console.id, sibling.id]
        assert [o["scim"]["status"] for o in synced] == ["available"] + ["not_configured"] * 2
        assert_enterprise_graph_equals(neo4j, first)
        assert_enterprise_graph_equals(neo4j, sibling, with_scim=False)
        assert_graph_matches(neo4j, console, with_scim=False)
        enterprise = {"AnthropicRbacGroup", "AnthropicRbacRole"}
        assert labels_of(neo4j, first.id) == enterprise | {"ScimUser"}
        assert labels_of(neo4j, sibling.id) == enterprise
        assert labels_of(neo4j, console.id) == {"AnthropicWorkspace", "AnthropicApiKey"}
        products = neo4j.run("MATCH (o:AnthropicOrganization) RETURN o.id AS id, o.product AS p")
        assert {(r["id"], r["p"]) for r in products} == {
            (first.id, "enterprise"),
            (sibling.id, "enterprise"),
            (console.id, "console"),
        }
        person = {expected_person(org, email) for org in (first, sibling, console)}
        assert {p[2].rsplit("/", 1)[1] for p in person} == {"owner", "user", "admin"}
        assert all(p[3] for p in person if p[0] != console.id)  # in a group in each Enterprise org
        assert person_in_orgs(neo4j, email) == person

        # The person leaves the linked Enterprise org only.
        [leaver] = [p for p in person if p[0] == sibling.id]
        untouched = {o.id: tenant_counts(neo4j, o.id) for o in (first, console)}
        mutate(run, sibling.id, op="remove_user", user_id=leaver[1])
        again = invoke("sync", "--json", "--orgs", str(orgs), env=env)
        assert again.exit_code == 0, again.output
        removed = [o["removed"]["members"] for o in json.loads(again.stdout)["organizations"]]
        assert removed == [[], [], [leaver[1]]]
        assert person_in_orgs(neo4j, email) == person - {leaver}
        assert_enterprise_graph_equals(neo4j, sibling, with_scim=False)
        assert {o.id: tenant_counts(neo4j, o.id) for o in (first, console)} == untouched

        # The Console key is revoked: that org fails (a credential error, exit 2) and keeps
        # all it had, even a member who left since; the others, before and after it, sync.
        console_graph = tenant_counts(neo4j, console.id)
        [in_console] = [p for p in person if p[0] == console.id]
        mutate(run, console.id, op="remove_user", user_id=in_console[1])
        del run.sim.linked().keys[console.admin_key]
        gone = [next(u.id for u in o.users.values() if u.role == "user") for o in (first, sibling)]
        for org, user_id in zip((first, sibling), gone, strict=True):
            mutate(run, org.id, op="remove_user", user_id=user_id)
        failed = invoke("sync", "--json", "--orgs", str(orgs), env=env)
        outcome = json.loads(failed.stdout)
        assert failed.exit_code == outcome["exit_code"] == 2, failed.output
        synced = outcome["organizations"]
        assert [o["exit_code"] for o in synced] == [0, 2, 0]
        assert [synced[0]["removed"]["members"], synced[2]["removed"]["members"]] == [
            [gone[0]],
            [gone[1]],
        ]
        assert console.admin_key not in failed.output
    assert tenant_counts(neo4j, console.id) == console_graph
    assert in_console in person_in_orgs(neo4j, email)
    assert_enterprise_graph_equals(neo4j, first)
    assert_enterprise_graph_equals(neo4j, sibling, with_scim=False)


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
