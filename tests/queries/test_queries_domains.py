"""Members whose domain is not the organization's: members without a domain are listed."""

from __future__ import annotations

import pytest

from ingest.queries.library import get_query
from ingest.queries.runner import run_query

pytestmark = pytest.mark.neo4j


def test_members_without_a_domain_are_listed_not_dropped(neo4j) -> None:  # type: ignore[no-untyped-def]
    neo4j.run(
        "CREATE (o:AnthropicOrganization {id: 'o1', main_domains: ['acme.com']}) "
        "CREATE (o)-[:RESOURCE]->(:AnthropicUser {id: 'u1', email: 'a@acme.com', "
        "email_domain: 'acme.com'}) "
        "CREATE (o)-[:RESOURCE]->(:AnthropicUser {id: 'u2', email: 'b@gmail.com', "
        "email_domain: 'gmail.com'}) "
        "CREATE (o)-[:RESOURCE]->(:AnthropicUser {id: 'u3', email: 'nobody'})"
    )
    query = get_query("external-domain-accounts")
    rows = run_query(neo4j.driver, neo4j.database, query).rows
    assert {row["id"]: row["domain"] for row in rows} == {"u2": "gmail.com", "u3": "(none)"}
