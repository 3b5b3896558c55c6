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
from ingest.extract.capabilities import AT_LEAST, Capabilities, capabilities_of
from ingest.extract.credentials import AdminKeyKind, redact
from ingest.graph.cypher import constraint_name, superseded_constraint_names
from ingest.graph.model import MODEL
from ingest.graph.schema import GraphModel
from ingest.lifecycle_actions import LIFECYCLE_ACTIONS, blocked_by, possible_actions
from ingest.neo4j_connection import Neo4jUnavailable, open_driver
from ingest.remediate.gate import OrgCapabilities, describe
from ingest.settings import Settings
from ingest.sync.plan import PLAN

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
        admin_org = "organization unknown"
        try:
            org = await admin.organization()
            admin_org = org.id
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
            if not isinstance(exc, ApiError) or exc.status != 400:
                return checks  # a 400 is the other product's endpoint: the key still answers
        try:
            capabilities: Capabilities | None = await capabilities_of(admin, PLAN.scopes())
        except ExtractError as exc:
            capabilities = None
            checks.append(Check("capabilities", "fail", f"the scope probes failed: {exc}"))
    if capabilities is not None:
        checks.extend(capability_matrix(capabilities, admin.admin_key_kind))
    checks.append(await _oauth_check(credentials, config))
    scim_check, scim_state = await _scim_check(credentials, config)
    checks.append(scim_check)
    if capabilities is not None:
        checks.append(lifecycle_check(capabilities, scim_state))
        org = OrgCapabilities(
            admin_org, None, capabilities.product, capabilities.scopes, scim_state
        )
        remediation = describe(org, has_oauth=credentials.oauth_token is not None)
        checks.append(Check(f"remediation actions ({admin_org})", "ok", remediation))
    return checks


def capability_matrix(capabilities: Capabilities, kind: AdminKeyKind) -> list[Check]:
    """The product, the key's scopes, and for each family whether the key may read it."""
    scopes = capabilities.scopes
    if scopes is None:
        held = "none: Console admin keys have no scopes"
    elif AT_LEAST in scopes:
        held = (
            f"at least {', '.join(sorted(scopes - {AT_LEAST}))} (no probe was refused, so no "
            "403 listed the key's scopes)"
        )
    else:
        held = ", ".join(sorted(scopes)) or "none"
    checks = [
        Check("product", "ok", f"{capabilities.product} ({kind.value} admin key)"),
        Check("key scopes", "ok", held),
    ]
    for family in PLAN.admin_families():
        missing = PLAN.access(capabilities, family)
        if missing is None:
            checks.append(
                Check(f"family {family}", "skip", f"not offered by {capabilities.product}")
            )
        elif missing:
            checks.append(
                Check(
                    f"family {family}",
                    "warn",
                    f"not permitted by the key's scopes (missing {', '.join(missing)}): "
                    "skipped, nothing of it deleted",
                )
            )
        else:
            checks.append(Check(f"family {family}", "ok", "readable"))
    return checks


def lifecycle_check(capabilities: Capabilities, scim_state: str) -> Check:
    possible = possible_actions(capabilities, scim_state)
    blocked = sorted(
        {
            f"{action.name} ({why})"
            for action in LIFECYCLE_ACTIONS
            if action.name not in possible
            and (why := blocked_by(action, capabilities, scim_state))
            and capabilities.product in action.products
        }
    )
    detail = f"possible: {', '.join(possible) or 'none'}"
    if blocked:
        detail += f"; not possible: {'; '.join(blocked)}"
    return Check("lifecycle actions", "ok" if possible else "warn", detail)


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


async def _scim_check(credentials: Credentials, config: ExtractConfig) -> tuple[Check, str]:
    """The SCIM check and the organization's SCIM status it found (as a sync records it)."""
    if credentials.scim is None:
        return Check(
            "scim",
            "warn",
            "not configured (ANTHROPIC_SCIM_URL, ANTHROPIC_SCIM_TOKEN): lifecycle checks and "
            "remediation will be off",
        ), "not_configured"
    async with ScimExtractor(credentials.scim, config) as scim:
        try:
            service = await scim.probe()
        except ScimUnavailable as exc:
            return Check(
                "scim",
                "warn",
                f"{exc}; the sync will skip SCIM and disable lifecycle remediation",
            ), "unavailable"
        except ScimRefused as exc:
            return Check(
                "scim", "fail", f"{exc}; until then the sync exits 1 and keeps the SCIM graph"
            ), exc.scim_status
        except (ApiError, ExtractError) as exc:
            return Check("scim", "fail", f"{exc} — check ANTHROPIC_SCIM_URL and the token"), "error"
    return Check("scim", "ok", f"available (page size {service.page_size})"), "available"


def _neo4j_check(settings: Settings) -> Check:
    try:
        driver = open_driver(settings)
    except Neo4jUnavailable as exc:
        return Check("neo4j", "fail", str(exc))
    try:
        info = driver.get_server_info()
        records, _, _ = driver.execute_query(
            "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names",
            database_=settings.neo4j_database,
        )
    finally:
        driver.close()
    status, schema = schema_state(set(records[0]["names"]) if records else set())
    return Check(
        "neo4j",
        status,
        f"{info.agent} at {settings.neo4j_uri}, database {settings.neo4j_database!r}; {schema}",
    )


def schema_state(constraints: set[str], model: GraphModel = MODEL) -> tuple[Status, str]:
    """What the graph's schema is, by the names of its constraints, and what the next sync's
    schema setup (`schema_statements`) does about it."""
    superseded = sorted(
        name
        for node in model.nodes
        for name in superseded_constraint_names(node)
        if name in constraints
    )
    if superseded:
        return "warn", (
            f"{len(superseded)} key constraint(s) of an older version "
            f"({', '.join(superseded)}): single-id ones keep a second organization's node of "
            "the same id from being written, tenant-first ones can make a first sync several "
            "times slower; the next sync drops them and creates the (id, tenant_id) ones"
        )
    missing = [node.label for node in model.nodes if constraint_name(node) not in constraints]
    if missing:
        return "ok", f"schema not created yet ({len(missing)} labels; the next sync creates it)"
    return "ok", "schema present"
