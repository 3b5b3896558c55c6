"""Rate limits, server faults, dropped connections and churn: the exact graph, or a clean
failure that deletes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable, TransientError

from anthropic_sim.config import FaultSpec
from ingest.extract.config import EngineLimits
from ingest.graph.fingerprint import fingerprint
from ingest.load import GraphLoader
from ingest.sync.pipeline import run_sync
from tests.simulated import options_for, reconfigure
from tests.sync.oracle import assert_graph_matches

pytestmark = pytest.mark.neo4j

PATIENT = EngineLimits(rate=2000.0, burst=2000, backoff_base=0.01, backoff_cap=0.1, max_attempts=12)


def test_a_429_storm_is_waited_out(neo4j, simulator, sync):
    # The server's bucket is far smaller than the client's: most requests get 429 + retry-after,
    # even when a loaded machine slows the client down (at 40/s it sometimes never tripped).
    with simulator(size="small", admin_rate=5.0, admin_burst=1, scim_rate=5.0, scim_burst=1) as r:
        report = sync(r, admin=PATIENT, scim=PATIENT)
        org = r.sim.org
        throttled = sum(r.sim.stats.rate_limited.values())
    assert report.status == "success", report.extraction_failures
    assert report.retries > 0
    assert_graph_matches(neo4j, org)
    assert throttled > 0  # the storm happened: the simulator answered 429s


def test_5xx_bursts_dropped_connections_and_cut_bodies_still_give_the_exact_graph(
    neo4j, simulator, sync
):
    faults = [
        FaultSpec(route=".*", error_rate=0.15, drop_rate=0.05, truncate_rate=0.05),
    ]
    with simulator(size="small", seed=2, faults=faults, fault_seed=9) as running:
        report = sync(running, admin=PATIENT, scim=PATIENT)
        org = running.sim.org
    assert report.status == "success", report.extraction_failures
    assert report.retries > 0
    assert_graph_matches(neo4j, org)


STABLE_IDS = {
    "users": "MATCH (n:AnthropicUser) RETURN collect(n.id) AS ids",
    "api_keys": "MATCH (n:AnthropicApiKey) RETURN collect(n.id) AS ids",
    "scim_users": "MATCH (n:ScimUser) RETURN collect(n.scim_id) AS ids",
}


def test_a_first_sync_under_churn_keeps_every_stable_record_once(neo4j, simulator, sync):
    faults = [FaultSpec(route=".*", churn_rate=0.5)]
    with simulator(size="small", seed=4, faults=faults, fault_seed=1) as running:
        org = running.sim.org
        before = {"users": set(org.users), "api_keys": set(org.api_keys)}
        before["scim_users"] = set(org.scim_users)
        sync(running, admin_page_size=5, scim_page_size=5)
        after = {"users": set(org.users), "api_keys": set(org.api_keys)}
        after["scim_users"] = set(org.scim_users)
        first = {family: neo4j.run(query)[0]["ids"] for family, query in STABLE_IDS.items()}
        churned = running.sim.stats.snapshot()["churn"]
        # A second sync with churn switched off converges on the exact state.
        reconfigure(running, faults=[])
        report = sync(running)
    assert churned["admin_removed"] and churned["scim_removed"]
    for family, ids in first.items():
        assert len(ids) == len(set(ids)), family
        assert before[family] & after[family] <= set(ids), family
    assert report.status == "success"
    assert_graph_matches(neo4j, org)


def test_a_permanent_failure_of_one_family_deletes_nothing_of_it(neo4j, simulator, sync):
    with simulator(size="small", seed=6) as running:
        sync(running)
        keys_before = neo4j.run("MATCH (k:AnthropicApiKey) RETURN count(k) AS n")[0]["n"]
        users_before = neo4j.run("MATCH (u:AnthropicUser) RETURN count(u) AS n")[0]["n"]
        # Remove a key on the server, then make the key listing fail for good.
        org = running.sim.org
        gone = next(iter(org.api_keys))
        del org.api_keys[gone]
        reconfigure(
            running, faults=[FaultSpec(route=r"/v1/organizations/api_keys", error_rate=1.0)]
        )
        report = sync(running, admin=PATIENT)
    assert report.status == "partial"
    assert int(report.exit_code) == 1
    assert "api_keys" in report.extraction_failed
    assert "api_keys" not in report.families_complete
    assert neo4j.run("MATCH (k:AnthropicApiKey) RETURN count(k) AS n")[0]["n"] == keys_before
    assert neo4j.run("MATCH (k:AnthropicApiKey {id: $id}) RETURN k.id AS id", id=gone) != []
    assert neo4j.run("MATCH (u:AnthropicUser) RETURN count(u) AS n")[0]["n"] == users_before


def test_a_failure_before_loading_writes_nothing(neo4j, simulator, sync):
    with simulator(size="small") as running:
        sync(running)
        before = fingerprint(neo4j.driver, neo4j.database)
        reconfigure(running, faults=[FaultSpec(route=r"/v1/organizations/me", error_rate=1.0)])
        from ingest.extract import ExtractError

        with pytest.raises(ExtractError):
            sync(running, admin=PATIENT)
    assert fingerprint(neo4j.driver, neo4j.database) == before


def test_a_malformed_page_fails_its_family_and_deletes_nothing(neo4j, simulator, sync):
    with simulator(size="small", seed=8) as running:
        sync(running)
        users_before = neo4j.run("MATCH (u:AnthropicUser) RETURN collect(u.id) AS ids")[0]["ids"]
        org = running.sim.org
        del org.users[next(u.id for u in org.users.values() if u.role == "user")]
        reconfigure(
            running, faults=[FaultSpec(route=r"/v1/organizations/users$", malformed_rate=1.0)]
        )
        report = sync(running, admin=PATIENT)
    assert report.status == "partial"
    assert "users" in report.extraction_failed
    assert "malformed" in report.extraction_failures["users"]
    assert "users" not in report.families_complete
    after = neo4j.run("MATCH (u:AnthropicUser) RETURN collect(u.id) AS ids")[0]["ids"]
    assert sorted(after) == sorted(users_before)


def test_a_deadline_mid_sync_stops_the_run_and_deletes_nothing(neo4j, simulator, sync):
    from ingest.extract import DeadlineExceeded

    with simulator(size="small", seed=6) as running:
        sync(running)
        before = fingerprint(neo4j.driver, neo4j.database, exclude_labels=("SyncRun",))
        del running.sim.org.users[next(iter(running.sim.org.users))]
        slow = FaultSpec(route=r"/members", slow_rate=1.0, slow_seconds=2.0)
        reconfigure(running, faults=[slow])
        with pytest.raises(DeadlineExceeded):
            sync(running, deadline=1.0)
    after = fingerprint(neo4j.driver, neo4j.database, exclude_labels=("SyncRun",))
    assert after == before


class FailingLoader(GraphLoader):
    """A loader whose `nth` write matching `failing` fails, as when Neo4j refuses it."""

    def __init__(self, *args: Any, failing: str, nth: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failing, self.left = failing, nth

    def write(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.failing in query:
            self.left -= 1
            if self.left == 0:
                raise TransientError("write refused")
        return super().write(query, params)


@pytest.mark.parametrize(
    "failing, nth",
    [
        ("[r:`OWNED_BY`", 1),  # mid-sync, other units prepared and written after it
        ("MERGE (n:`ScimGroup`", 1),  # late: after every SCIM user, then cleanup
    ],
)
def test_a_write_that_fails_fails_the_run_and_deletes_nothing(neo4j, simulator, sync, failing, nth):
    """Writes run while the next unit is prepared, so a failure surfaces a unit later: it
    must still stop the run before any cleanup."""
    with simulator(size="small", seed=6) as running:
        sync(running)
        before = neo4j.run("MATCH (n) WHERE NOT n:SyncRun RETURN count(n) AS n")[0]["n"]
        org = running.sim.org
        gone_user = next(u.id for u in org.users.values() if u.role == "user")
        del org.users[gone_user]
        del org.api_keys[next(iter(org.api_keys))]
        next(iter(org.scim_groups.values()))["displayName"] = "renamed"  # written again
        loader = FailingLoader(neo4j.driver, neo4j.database, failing=failing, nth=nth)
        with pytest.raises(TransientError, match="write refused"):
            run_sync(loader, options_for(running, admin=PATIENT))
    after = neo4j.run("MATCH (n) WHERE NOT n:SyncRun RETURN count(n) AS n")[0]["n"]
    assert after == before
    assert neo4j.run("MATCH (u:AnthropicUser {id: $id}) RETURN u.id", id=gone_user) != []


class SnapshotsLostAhead(GraphLoader):
    """A loader whose every snapshot read fails while it reads ahead, as when the connection
    drops under it; the same reads succeed later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ahead, self.lost = False, 0

    def read_snapshots(self, *args: Any, **kwargs: Any) -> Any:
        self.ahead = True
        try:
            return super().read_snapshots(*args, **kwargs)
        finally:
            self.ahead = False

    def _read_snapshot(self, *args: Any, **kwargs: Any) -> Any:
        if self.ahead:
            self.lost += 1
            raise ServiceUnavailable("snapshot read lost")
        return super()._read_snapshot(*args, **kwargs)


def test_snapshots_not_read_ahead_are_read_when_needed_and_the_sync_is_exact(
    neo4j, simulator, sync
):
    """Reading the snapshots ahead only saves time: when it fails, each is read where it is
    needed (before the type's first write, or at its cleanup), and nothing is lost."""
    with simulator(size="small", seed=6) as running:
        sync(running)
        org = running.sim.org
        del org.users[next(u.id for u in org.users.values() if u.role == "user")]
        del org.api_keys[next(iter(org.api_keys))]
        next(iter(org.scim_groups.values()))["displayName"] = "renamed"
        loader = SnapshotsLostAhead(neo4j.driver, neo4j.database)
        report = run_sync(loader, options_for(running, admin=PATIENT))
    assert report.status == "success", report.extraction_failures
    assert loader.lost > 0  # the read-ahead ran and lost its reads
    assert_graph_matches(neo4j, org)
