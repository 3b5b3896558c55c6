"""`idgraph doctor`: check credentials, reachability, capabilities and Neo4j, writing nothing."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal

import httpx

from ingest.extract import (
    AdminExtractor,
    ApiError,
    CredentialError,
    Credentials,
    ExtractConfig,
    ExtractError,
    ScimExtractor,
    ScimRefused,
    ScimUnavailable,
)
from ingest.extract.credentials import redact
from ingest.graph.model import MODEL
from ingest.neo4j_connection import Neo4jUnavailable, open_driver
from ingest.settings import Settings

Status = Literal["ok", "warn", "fail", "skip"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def run_checks(settings: Settings, credentials_of: object, config: ExtractConfig) -> list[Check]:
    """Every check, in the order a person would fix them. `credentials_of` builds Credentials
    from the settings (raising CredentialError)."""
    checks: list[Check] = []
    try:
        credentials: Credentials | None = credentials_of(settings)  # type: ignore[operator]
        checks.append(Check("credentials", "ok", _describe(credentials)))
    except CredentialError as exc:
        credentials = None
        checks.append(Check("credentials", "fail", str(exc)))
    if credentials is not None:
        checks.extend(asyncio.run(_api_checks(credentials, config)))
    checks.append(_neo4j_check(settings))
    return checks


def _describe(credentials: Credentials) -> str:
    parts = ["Admin API key present and of the right kind"]
    parts.append(
        "OAuth token set" if credentials.oauth_token else "no OAuth token (no service accounts)"
    )
    parts.append("SCIM configured" if credentials.scim else "SCIM not configured")
    return "; ".join(parts)


async def _api_checks(credentials: Credentials, config: ExtractConfig) -> list[Check]:
    checks: list[Check] = []
    async with AdminExtractor(credentials, config) as admin:
        try:
            org = await admin.organization()
            checks.append(
                Check(
                    "admin api",
                    "ok",
                    f"organization {org.name!r} ({org.id}) at {config.admin_base_url}",
                )
            )
        except ExtractError as exc:
            checks.append(
                Check(
                    "admin api", "fail", f"{exc} — check ANTHROPIC_ADMIN_KEY and ANTHROPIC_BASE_URL"
                )
            )
            return checks
    checks.append(await _oauth_check(credentials, config))
    checks.append(await _scim_check(credentials, config))
    return checks


async def _oauth_check(credentials: Credentials, config: ExtractConfig) -> Check:
    if credentials.oauth_token is None:
        return Check(
            "service accounts",
            "warn",
            "ANTHROPIC_OAUTH_TOKEN is not set: service accounts appear only as stubs from "
            "the keys they own",
        )
    token = credentials.oauth_token.get_secret_value()
    url = config.admin_base_url.rstrip("/") + "/v1/organizations/service_accounts"
    try:
        async with httpx.AsyncClient(timeout=config.request_timeout) as client:
            response = await client.get(
                url,
                params={"limit": 1},
                headers={"authorization": f"Bearer {token}", "anthropic-version": "2023-06-01"},
            )
    except httpx.HTTPError as exc:
        return Check("service accounts", "fail", redact(f"{type(exc).__name__}: {exc}", [token]))
    if response.status_code == 200:
        return Check("service accounts", "ok", "the OAuth token can read service accounts")
    return Check(
        "service accounts",
        "fail",
        f"HTTP {response.status_code}: the OAuth token needs the org:admin scope "
        "(`ant auth login --scope org:admin` by an admin or owner)",
    )


async def _scim_check(credentials: Credentials, config: ExtractConfig) -> Check:
    if credentials.scim is None:
        return Check(
            "scim",
            "warn",
            "not configured (ANTHROPIC_SCIM_URL, ANTHROPIC_SCIM_TOKEN): lifecycle checks and "
            "remediation will be off",
        )
    async with ScimExtractor(credentials.scim, config) as scim:
        try:
            service = await scim.probe()
        except ScimUnavailable as exc:
            return Check(
                "scim",
                "warn",
                f"{exc}; the sync will skip SCIM and disable lifecycle remediation",
            )
        except ScimRefused as exc:
            return Check(
                "scim", "fail", f"{exc}; until then the sync exits 1 and keeps the SCIM graph"
            )
        except (ApiError, ExtractError) as exc:
            return Check("scim", "fail", f"{exc} — check ANTHROPIC_SCIM_URL and the token")
    return Check("scim", "ok", f"available (page size {service.page_size})")


def _neo4j_check(settings: Settings) -> Check:
    try:
        driver = open_driver(settings)
    except Neo4jUnavailable as exc:
        return Check("neo4j", "fail", str(exc))
    try:
        info = driver.get_server_info()
        records, _, _ = driver.execute_query(
            "SHOW CONSTRAINTS YIELD labelsOrTypes RETURN collect(labelsOrTypes[0]) AS labels",
            database_=settings.neo4j_database,
        )
    finally:
        driver.close()
    present = set(records[0]["labels"]) if records else set()
    missing = sorted({n.label for n in MODEL.nodes} - present)
    schema = (
        "schema present"
        if not missing
        else f"schema not created yet ({len(missing)} labels; the first sync creates it)"
    )
    return Check(
        "neo4j",
        "ok",
        f"{info.agent} at {settings.neo4j_uri}, database {settings.neo4j_database!r}; {schema}",
    )
