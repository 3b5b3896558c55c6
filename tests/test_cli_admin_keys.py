"""Which keys `idgraph sync` sends, counted by the simulator: an inference key never leaves the
process, an Enterprise admin key (sk-ant-api01-) is sent and the API's answer reported."""

from __future__ import annotations

import pytest

from tests.sync.test_sync_cli import env_for, invoke

pytestmark = pytest.mark.neo4j

ENTERPRISE_KEY = "sk-ant-api01-" + "E5f6G7h8" * 11 + "AA"


def test_an_inference_key_is_refused_before_any_request_naming_both_products(neo4j, simulator):
    with simulator(size="12") as running:
        env = env_for(neo4j, running, ANTHROPIC_ADMIN_KEY=running.inference_key)
        result = invoke("sync", env=env)
        requests = running.sim.stats.snapshot()["total_requests"]
    assert result.exit_code == 2, result.output
    assert "ANTHROPIC_ADMIN_KEY holds an inference key, refused before any request" in result.output
    assert "platform.claude.com > Settings > Admin keys" in result.output
    assert "claude.ai > Organization settings > API > Keys" in result.output
    assert running.inference_key not in result.output
    assert running.inference_key[13:40] not in result.output
    assert requests == 0


def test_an_enterprise_admin_key_is_sent_and_the_apis_answer_reported(neo4j, simulator):
    """The simulator does not know this key (nor, yet, any Enterprise key): it answers 401."""
    with simulator(size="12") as running:
        env = env_for(neo4j, running, ANTHROPIC_ADMIN_KEY=ENTERPRISE_KEY)
        result = invoke("sync", env=env)
        requests = running.sim.stats.snapshot()["total_requests"]
    assert requests >= 1
    assert result.exit_code == 2, result.output
    assert "the Admin API refused the credentials (HTTP 401" in result.output
    assert ENTERPRISE_KEY not in result.output and ENTERPRISE_KEY[13:40] not in result.output
