"""Console actions through the admin key and the org:admin OAuth token."""

from __future__ import annotations

from pathlib import Path

import pytest

from anthropic_sim.config import FaultSpec
from anthropic_sim.server import RunningSimulator
from ingest.queries.library import get_query
from ingest.remediate.apply import ALREADY, APPLIED, FAILED
from ingest.remediate.audit import AuditTrail, entries
from ingest.remediate.plan import make_plan
from ingest.remediate.undo import CannotUndo, undo_item
from tests.remediate.test_apply import apply, outcomes, stats
from tests.simulated import reconfigure

pytestmark = pytest.mark.neo4j


def archive_posts(running: RunningSimulator) -> int:
    routes = stats(running)["routes"]
    return sum(r["count"] for r in routes if r["route"].endswith("/archive"))


ROLE = "MATCH (u:AnthropicUser {id: $id}) RETURN u.role AS role"


def test_role_change_undo_removal_and_service_account_archive(
    neo4j, simulator, sync, tmp_path: Path
):
    question = get_query("external-domain-accounts")
    log = tmp_path / "log.jsonl"
    trail = AuditTrail(log, None)
    with simulator(size="small", tier="enterprise") as running:
        sync(running)

        def plan(query, kind: str, **values: str) -> list[dict]:
            made = make_plan(
                neo4j.driver, neo4j.database, query, kind=kind, values=values, has_oauth=True
            )
            assert made.refused == []
            return made.items

        [promote] = plan(question, "change_member_role", role="developer")[:1]
        before = promote["target"]["state"]["role"]
        assert before != "developer" and promote["reversible"]
        assert outcomes(apply(running, [promote], execute=True, trail=trail)) == [APPLIED]
        assert outcomes(apply(running, [promote], execute=True)) == [ALREADY]
        undo = undo_item(next(entries(log)))
        assert undo["request"]["body"] == {"role": before}
        assert outcomes(apply(running, [undo], execute=True)) == [APPLIED]

        kept = promote["target"]["id"]
        removals = [i for i in plan(question, "remove_member") if i["target"]["id"] != kept]
        assert removals
        assert all(i["irreversible"] for i in removals)
        assert outcomes(apply(running, removals, execute=True, trail=trail)) == [APPLIED] * len(
            removals
        )
        with pytest.raises(CannotUndo, match="cannot be undone"):
            undo_item(list(entries(log))[-1])

        accounts = make_plan(
            neo4j.driver, neo4j.database, get_query("service-accounts"), has_oauth=True
        )
        assert {x["reason"] for x in accounts.excluded} <= {"protected: admin"}
        # The API refuses to archive an account a live federation rule targets: the run stops
        # there and says what it did not do.
        [referenced] = [i for i in accounts.items if i["target"]["name"] == "ci-deployer"]
        stopped = apply(running, [referenced, promote], execute=True)
        assert outcomes(stopped) == [FAILED]
        assert "still referenced by live federation rules" in (stopped.outcomes[0].reason or "")
        assert stopped.not_done == [promote]

        # A write answered 503 is not sent again (it may have been done), and the error, which
        # quotes the token, reaches neither the report nor the log.
        spec = FaultSpec(
            route="/archive$", error_rate=1.0, error_statuses=(503,), echo_credentials=True
        )
        reconfigure(running, faults=[spec])
        posted = archive_posts(running)
        failed = apply(running, [referenced], execute=True, trail=trail)
        assert outcomes(failed) == [FAILED] and "HTTP 503" in (failed.outcomes[0].reason or "")
        assert archive_posts(running) == posted + 1
        reconfigure(running, faults=[])
        assert (
            running.oauth_token not in repr(failed) and running.oauth_token not in log.read_text()
        )
        sync(running)
    assert neo4j.run(ROLE, id=promote["target"]["id"]) == [{"role": before}]
    gone = [i["target"]["id"] for i in removals]
    assert neo4j.run("MATCH (u:AnthropicUser) WHERE u.id IN $ids RETURN u", ids=gone) == []
