"""Members whose domain is not the organization's: on small organizations too, never free
mail as the organization's own, members without a domain listed, the setting winning."""

from __future__ import annotations

import dataclasses

import pytest

from anthropic_sim.planted import planted_truth
from ingest.load import GraphLoader
from ingest.queries.library import get_query
from ingest.queries.runner import run_query
from ingest.sync.pipeline import run_sync
from tests.queries.conftest import ask
from tests.simulated import options_for

pytestmark = pytest.mark.neo4j


def test_members_without_a_domain_are_listed_not_dropped(neo4j) -> None:  # type: ignore[no-untyped-def]
    neo4j.run(
        "CREATE (o:AnthropicOrganization {id: 'o1', tenant_id: 'o1', main_domains: ['acme.com']}) "
        "CREATE (o)-[:RESOURCE]->(:AnthropicUser {id: 'u1', tenant_id: 'o1', email: 'a@acme.com', "
        "email_domain: 'acme.com'}) "
        "CREATE (o)-[:RESOURCE]->(:AnthropicUser {id: 'u2', tenant_id: 'o1', "
        "email: 'b@gmail.com', email_domain: 'gmail.com'}) "
        "CREATE (o)-[:RESOURCE]->(:AnthropicUser {id: 'u3', tenant_id: 'o1', email: 'nobody'})"
    )
    query = get_query("external-domain-accounts")
    rows = run_query(neo4j.driver, neo4j.database, query).rows
    assert {row["id"]: row["domain"] for row in rows} == {"u2": "gmail.com", "u3": "(none)"}


# 16 members (seed 2): 9 on the main domain, 3 on its labs domain, one each on three free-mail
# stand-ins (gmail.example...) and one on contractor.example, each over 5% of the members.
SMALL = {"size": "16", "seed": 2}


def test_a_small_organization_still_has_external_members(neo4j, simulator, sync) -> None:  # type: ignore[no-untyped-def]
    with simulator(**SMALL) as running:
        assert sync(running).exit_code == 0
        org = running.sim.org
    planted = planted_truth(org)
    assert len(org.users) <= 20 and len(planted["external_domain_users"]) == 4
    rows = ask(neo4j, "external-domain-accounts").rows
    assert sorted(row["id"] for row in rows) == planted["external_domain_users"]
    assert rows[0]["main_domains"] == planted["main_domains"]


def test_main_domains_set_by_hand_win(neo4j, simulator) -> None:  # type: ignore[no-untyped-def]
    with simulator(**SMALL) as running:
        main = running.sim.org.main_domains[0]
        options = dataclasses.replace(options_for(running), main_domains=[main])
        run_sync(GraphLoader(neo4j.driver, neo4j.database), options)
        users = running.sim.org.users.values()
    rows = ask(neo4j, "external-domain-accounts").rows
    assert sorted(row["id"] for row in rows) == sorted(
        u.id for u in users if not u.email.endswith("@" + main)
    )
