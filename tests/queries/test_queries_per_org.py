"""Two simulated organizations synced into one graph: every question with `org` answers for that
organization alone, without it for both, each row naming its organization; the SCIM notice of
the organization without SCIM names it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from anthropic_sim.config import SimConfig
from anthropic_sim.planted import planted_truth
from anthropic_sim.server import running_simulator
from ingest.load import GraphLoader
from ingest.queries.library import ORG_PARAM, load_library
from ingest.queries.runner import is_notice
from ingest.sync.pipeline import run_sync
from tests.queries.conftest import FAST, SyncedOrg, ask, sync_simulated
from tests.queries.test_queries_planted import PLANTED
from tests.queries.test_queries_scim_gate import SCIM_QUESTIONS
from tests.simulated import options_for

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer

pytestmark = pytest.mark.neo4j
# Questions that judge the SCIM reasons only when SCIM was read: without it, only the
# planted members of this other set remain.
WITHOUT_SCIM = {"privileged-outside-identity-provider": "external_domain_users"}
# The shortest path chosen among equally short ones may differ from one run to the next.
UNSTABLE_COLUMNS = ("path", "hops")


@pytest.fixture(scope="module")
def two_orgs(neo4j_server: Neo4jServer) -> Iterator[tuple[SyncedOrg, SyncedOrg]]:
    """A small organization with SCIM, then another one without, in the same database."""
    first = sync_simulated(neo4j_server, size="small", seed=3)
    with running_simulator(SimConfig(**{**FAST, "size": "small", "seed": 4})) as running:
        loader = GraphLoader(neo4j_server.driver, neo4j_server.database)
        outcome = run_sync(loader, options_for(running, scim=False))
        org = running.sim.org
        second = SyncedOrg(neo4j_server, org, planted_truth(org), outcome)
    assert first.org.id != second.org.id
    assert (first.report.status, second.report.status) == ("success", "success")
    yield first, second


def _stable(row: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in row.items() if k not in UNSTABLE_COLUMNS}, sort_keys=True)


@pytest.mark.parametrize("query_id", [q.id for q in load_library()])
def test_org_answers_for_that_organization_alone(
    two_orgs: tuple[SyncedOrg, SyncedOrg], query_id: str
) -> None:
    server = two_orgs[0].server
    names = {o.org.id: o.org.name for o in two_orgs}
    every = ask(server, query_id).rows
    assert {(row["org_id"], row["org_name"]) for row in every} <= set(names.items())
    for synced in two_orgs:
        alone = ask(server, query_id, **{ORG_PARAM: synced.org.id}).rows
        assert {row["org_id"] for row in alone} <= {synced.org.id}
        mine = [row for row in every if row["org_id"] == synced.org.id]
        assert [_stable(r) for r in alone] == [_stable(r) for r in mine], synced.org.id
    assert ask(server, query_id, **{ORG_PARAM: "org-nobody"}).rows == []


@pytest.mark.parametrize("query_id", sorted(PLANTED))
def test_every_organization_gets_its_own_planted_truth(
    two_orgs: tuple[SyncedOrg, SyncedOrg], query_id: str
) -> None:
    """Without `org`, the rows of each organization are exactly what was planted in it."""
    case, column = PLANTED[query_id]
    every = ask(two_orgs[0].server, query_id).rows
    for synced in two_orgs:
        rows = [row for row in every if row["org_id"] == synced.org.id]
        if query_id in SCIM_QUESTIONS and synced is two_orgs[1]:
            [notice] = rows
            assert is_notice(notice) and notice["org_name"] == synced.org.name
            continue
        expected = synced.planted[case]
        if query_id in WITHOUT_SCIM and synced is two_orgs[1]:
            expected = sorted(set(expected) & set(synced.planted[WITHOUT_SCIM[query_id]]))
        if query_id == "attack-paths" and synced is two_orgs[1]:
            # SCIM unread: the planted SCIM identities ('<org id>/<scim id>') are not in the graph.
            expected = [i for i in expected if not i.startswith(f"{synced.org.id}/")]
        assert sorted(row[column] for row in rows) == expected, synced.org.id


def test_both_organizations_have_findings(two_orgs: tuple[SyncedOrg, SyncedOrg]) -> None:
    found = {
        row["org_id"]
        for query in load_library()
        for row in ask(two_orgs[0].server, query.id).rows
        if not is_notice(row)
    }
    assert found == {o.org.id for o in two_orgs}
