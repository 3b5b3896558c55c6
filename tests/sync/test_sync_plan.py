"""The read plan is complete and well formed, and a new family is one row in each declaration."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest

from ingest.extract.capabilities import Capabilities
from ingest.extract.models import Invite
from ingest.extract.parsing import ParseResult
from ingest.graph.model import MODEL
from ingest.graph.schema import GraphModel, NodeType, Prop
from ingest.load import GraphLoader
from ingest.mapping.declared import as_declared
from ingest.mapping.rows import GraphRows
from ingest.sync.extraction import Extraction
from ingest.sync.families import EXTRACTIONS, STEPS, MappingStep
from ingest.sync.pipeline import run_sync
from ingest.sync.plan import OAUTH_TOKEN, PLAN, Engines, Read, ReadPlan
from ingest.sync.steps import GraphSteps, writes, written_by_code
from tests.simulated import options_for


async def nothing(*_: Any) -> ParseResult[Any]:
    return ParseResult("nothing")


def test_every_extraction_a_graph_family_is_built_from_has_a_plan_row() -> None:
    assert set(EXTRACTIONS) <= set(PLAN.families())


def test_parents_are_read_first_so_the_plan_has_no_cycle() -> None:
    order = PLAN.families()
    for row in PLAN:
        assert all(order.index(parent) < order.index(row.family) for parent in row.parents)
    with pytest.raises(ValueError, match="list them above it"):
        ReadPlan([Read("members", nothing, parents=("teams",)), Read("teams", nothing)])
    with pytest.raises(ValueError, match="list them above it"):
        ReadPlan([Read("members", nothing, parents=("members",))])
    with pytest.raises(ValueError, match="twice"):
        ReadPlan([Read("teams", nothing), Read("teams", nothing)])


def test_every_gated_row_says_why_it_is_skipped() -> None:
    gated = {row.family: row.gate for row in PLAN if row.gate is not None}
    assert gated["service_accounts"] is gated["service_account_memberships"] is OAUTH_TOKEN
    assert {"scim_users", "scim_groups"} <= set(gated)
    for gate in gated.values():
        assert gate.skipped_because and gate.needs
    # A child of a gated row is gated too: it cannot be read without its parent.
    for row in PLAN:
        for parent in row.parents:
            if parent in gated:
                assert row.gate is not None, row.family


def test_the_scopes_a_family_needs_are_its_rows_and_gate_its_read() -> None:
    """A row's `scopes` are all there is to say: the read is skipped without them (naming the
    scope), and the doctor's matrix, the probes and the organization node read the same."""
    toy = Read("toys", nothing, product="enterprise", scopes=("read:toys",))
    plan = PLAN.with_rows(toy)
    members_only = Capabilities(
        "enterprise",
        frozenset(
            {"read:members", "read:rbac_groups", "read:analytics", "read:compliance_activities"}
        ),
    )
    assert plan.not_permitted(members_only) == ["toys"]
    assert plan.access(members_only, "toys") == ("read:toys",)
    assert plan.access(Capabilities("console"), "toys") is None
    assert plan.scopes()["toys"] == ("read:toys",) and plan.scopes()["users"] == ("read:members",)
    assert PLAN.not_permitted(members_only) == []

    async def read(capabilities: Capabilities) -> Extraction:
        extraction = Extraction(
            ReadPlan([toy]),
            Engines(admin=None, capabilities=capabilities),  # type: ignore[arg-type]
        )
        extraction.start()
        await extraction.finished()
        return extraction

    refused = asyncio.run(read(members_only))
    assert refused.skipped == {"toys": "not permitted by the key's scopes (needs read:toys)"}
    allowed = asyncio.run(read(Capabilities("enterprise", frozenset({"read:toys"}))))
    assert allowed.skipped == {} and allowed.read_completely() == {"toys"}


# A toy endpoint family, added the way docs/architecture.md says: one plan row, one graph
# declaration (node type with its record and sources, and family), one mapping step written
# from the declaration; no mapper, since nothing is derived. It reads the invites listing.
TOY = NodeType(
    name="toy_invite",
    label="AnthropicToyInvite",
    family="toys",
    description="A toy family for the plan test.",
    record=Invite,
    properties=(
        Prop("email", "string", "The invited address.", source="email"),
        Prop("status", "string", "accepted | deleted | expired | pending.", source="status"),
        Prop("invited_at", "datetime_string", "When the invite was sent.", source="invited_at"),
    ),
)
TOY_MODEL = GraphModel(
    nodes=(*MODEL.nodes, TOY),
    rels=MODEL.rels,
    families=(*MODEL.families, "toys"),
    never_cleaned=MODEL.never_cleaned,
)


TOY_ROW = Read("toys", lambda engines, _, __: engines.admin.invites())
TOY_STEP = MappingStep("toys", (as_declared(TOY),), frozenset({"toys"}))


@pytest.mark.neo4j
def test_a_family_added_as_one_plan_row_and_one_step_is_read_written_and_cleaned_up(
    neo4j, simulator
):
    loader = GraphLoader(neo4j.driver, neo4j.database, model=TOY_MODEL)

    def toys(tenant: str) -> set[str]:
        rows = neo4j.run(
            "MATCH (t:AnthropicToyInvite {tenant_id: $t}) WHERE t.email IS NOT NULL "
            "AND t.status IS NOT NULL AND t.invited_at STARTS WITH '20' RETURN t.id AS id",
            t=tenant,
        )
        return {row["id"] for row in rows}

    with simulator(size="small", seed=5) as running:
        options = dataclasses.replace(
            options_for(running), plan=PLAN.with_rows(TOY_ROW), steps=(*STEPS, TOY_STEP)
        )
        first = run_sync(loader, options)
        org = running.sim.org
        listed = {i.id for i in org.invites.values() if i.status != "deleted"}
        assert listed and toys(org.id) == listed
        assert "toys" in first.families_complete and first.record_counts["toys"] == len(listed)
        gone = next(iter(listed))
        del org.invites[gone]
        second = run_sync(loader, options)
    assert second.status == "success", second.extraction_failures
    assert toys(org.id) == listed - {gone}


def graph_steps(steps_class: type[GraphSteps], *steps: MappingStep) -> GraphSteps:
    return steps_class(
        writer=None,  # type: ignore[arg-type]
        extraction=None,  # type: ignore[arg-type]
        org=None,  # type: ignore[arg-type]
        sync_id="sync",
        started_at="now",
        steps=steps,
        scim_configured=False,
        capabilities=Capabilities("console"),
    )


def test_what_the_code_writes_is_what_its_methods_say_and_the_rest_is_written_as_declared() -> None:
    coded = written_by_code(GraphSteps)
    # Every family of STEPS but invites (one read, one plain mapper) has code of its own.
    assert {step.family for step in STEPS} - coded == {"invites"}
    assert [s.family for s in graph_steps(GraphSteps, *STEPS, TOY_STEP).declared_steps()] == [
        "invites",
        "toys",
    ]

    class WithToys(GraphSteps):
        @writes("toys")
        async def write_toys(self) -> None:
            await self._write("toys", GraphRows())

    assert written_by_code(WithToys) == coded | {"toys"}
    with_toys = graph_steps(WithToys, *STEPS, TOY_STEP)
    assert [step.family for step in with_toys.declared_steps()] == ["invites"]

    class ForgotToSay(GraphSteps):
        async def write_toys(self) -> None:
            await self._write("toys", GraphRows())

    with pytest.raises(ValueError, match="no method there says so"):
        asyncio.run(graph_steps(ForgotToSay, TOY_STEP).write_toys())
