"""Two linked Console organizations in one graph: a person who is a member of both with a
different role in each is listed once per organization."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from anthropic_sim.config import SimConfig
from anthropic_sim.server import running_simulator
from ingest.load import GraphLoader
from ingest.sync.pipeline import SyncOptions, run_sync
from tests.queries.conftest import DELETE_RELATIONSHIPS, FAST, ask
from tests.simulated import options_for

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer

pytestmark = pytest.mark.neo4j


def _for_linked(options: SyncOptions, admin_key: str, org_id: str) -> SyncOptions:
    credentials = replace(options.credentials, admin_key=admin_key)
    return replace(
        options, credentials=credentials, extract=replace(options.extract, organization_id=org_id)
    )


def test_a_person_with_another_role_in_a_linked_organization(neo4j_server: Neo4jServer) -> None:
    with neo4j_server.driver.session(database=neo4j_server.database) as session:
        session.run(DELETE_RELATIONSHIPS).consume()
    neo4j_server.wipe()
    config = SimConfig(**{**FAST, "size": "small", "seed": 3, "linked_orgs": ["console"]})
    with running_simulator(config) as running:
        first, second = (sim.org for sim in running.sim.linked().orgs.values())
        loader = GraphLoader(neo4j_server.driver, neo4j_server.database)
        options = options_for(running, scim=False, oauth=False)
        run_sync(loader, options)
        run_sync(loader, _for_linked(options, second.admin_key, second.id))
    roles = {
        (org.id, u.email.lower()): u.role for org in (first, second) for u in org.users.values()
    }
    expected = sorted(
        (org_id, email)
        for (org_id, email), role in roles.items()
        if any(e == email and o != org_id and r != role for (o, e), r in roles.items())
    )
    assert expected  # the simulator shares people between linked orgs, in another role
    rows = ask(neo4j_server, "person-with-different-roles").rows
    assert sorted((r["org_id"], r["email"].lower()) for r in rows) == expected
    one = next(r for r in rows if (r["org_id"], r["email"].lower()) == expected[0])
    other = second if one["org_id"] == first.id else first
    assert one["other_roles"] == [f"{other.name}: {roles[(other.id, expected[0][1])]}"]
    only_first = ask(neo4j_server, "person-with-different-roles", org=first.id).rows
    assert {r["org_id"] for r in only_first} == {first.id}
