"""Driving a simulated organization from the sync tests."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
from pydantic import SecretStr

from anthropic_sim import linked
from anthropic_sim.server import RunningSimulator
from ingest.extract import Credentials, ExtractConfig
from ingest.extract.config import EngineLimits
from ingest.extract.credentials import ScimCredentials
from ingest.load import GraphLoader
from ingest.sync.outcome import SyncOutcome
from ingest.sync.pipeline import SyncOptions, run_sync


def options_for(
    running: RunningSimulator,
    *,
    scim: bool = True,
    oauth: bool = True,
    **extract: Any,
) -> SyncOptions:
    credentials = Credentials(
        admin_key=running.admin_key,  # type: ignore[arg-type]
        oauth_token=running.oauth_token if oauth else None,  # type: ignore[arg-type]
        scim=ScimCredentials(running.scim_url, running.scim_token) if scim else None,  # type: ignore[arg-type]
    )
    limits = EngineLimits(rate=2000.0, burst=2000, backoff_base=0.01, backoff_cap=0.2)
    config = ExtractConfig(
        admin_base_url=running.base_url,
        scim_base_url=running.scim_url,
        admin=extract.pop("admin", limits),
        analytics=extract.pop("analytics", limits),
        scim=extract.pop("scim", limits),
        **extract,
    )
    return SyncOptions(credentials=credentials, extract=config)


def sync_with_narrower_key(
    running: RunningSimulator, neo4j: Any, scopes: tuple[str, ...], **knobs: Any
) -> SyncOutcome:
    """Sync again with a new Enterprise key of this organization alone holding only `scopes`
    (`knobs` as for `options_for`)."""
    key = linked.new_enterprise_key(running.sim, scopes, all_linked=False)
    options = options_for(running, **knobs)
    options.credentials = dataclasses.replace(options.credentials, admin_key=SecretStr(key.secret))
    return run_sync(GraphLoader(neo4j.driver, neo4j.database), options)


def reconfigure(running: RunningSimulator, **changes: Any) -> None:
    """Change simulator knobs at run time through its control API (as a tester would)."""
    if "faults" in changes:
        changes["faults"] = [dataclasses.asdict(spec) for spec in changes["faults"]]
    response = httpx.put(
        f"{running.base_url}/_control/config", json=changes, headers=running.control_headers()
    )
    assert response.status_code == 200, response.text


def mutate(running: RunningSimulator, organization_id: str | None = None, **body: Any) -> Any:
    """One control-API state change (`op` and its fields) in the linked organization
    `organization_id` (default: the simulator's first); returns the change's result."""
    response = httpx.post(
        f"{running.base_url}/_control/mutate",
        params={"organization_id": organization_id} if organization_id else None,
        json=body,
        headers=running.control_headers(),
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]
