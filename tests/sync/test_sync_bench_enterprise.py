"""`bench/sync_bench.py --product enterprise` runs end to end on a small organization: an
Enterprise org served at its documented 100 requests/min (60 for its Analytics API), synced
with the default pacing, with 60 days of activity and extra Compliance feed events."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]


def test_the_enterprise_bench_syncs_a_small_org_at_the_documented_rate(neo4j) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEO4J_URI": neo4j.uri,
        "NEO4J_USERNAME": neo4j.auth[0],
        "NEO4J_PASSWORD": neo4j.auth[1],
        "NEO4J_DATABASE": neo4j.database,
    }
    done = subprocess.run(
        [
            *(sys.executable, "bench/sync_bench.py", "--product", "enterprise", "--size", "small"),
            *("--activity-days", "60", "--feed-events", "1500"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["product"] == "enterprise"
    assert figures["status"] == "success"
    assert figures["rate_limit"]["admin"] == {"requests": 100, "per_s": 60.0}
    assert figures["client_pacing"]["admin"] == [round(95 / 60, 4), 5]
    per_family = figures["requests_per_family"]
    assert {"admin rbac_groups/{id}/members", "admin rbac_roles/{id}/permissions"} <= set(
        per_family
    )
    admin = figures["requests"]["admin"]
    assert admin == sum(n for name, n in per_family.items() if name.startswith("admin "))
    assert figures["floor_seconds"]["admin"] == round(admin * 60 / 100, 2)
    assert figures["records"]["rbac_groups"] > 0 and figures["records"]["scim_groups"] > 0
    # The Analytics API's own minute: one request a day of the window and the capability
    # probe's, counted in both buckets.
    analytics = per_family["admin analytics/users"]
    assert analytics == figures["activity_days"] + 1 == 61
    floors = figures["floor_seconds"]
    assert floors["admin /v1/organizations/analytics/"] == round(analytics * 60 / 60, 2)
    assert figures["wall_over_floor"] == pytest.approx(
        figures["wall_seconds"] / max(floors.values()), rel=0.01
    )
    assert figures["feed_events_added"] == 1500 and figures["records"]["compliance_activity"] > 0
