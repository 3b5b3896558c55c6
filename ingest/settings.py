"""Configuration from environment variables (and a `.env` file); flags override them.

Every field here is one row of the README's configuration table.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from ingest.extract.activity import DEFAULT_WINDOW_DAYS
from ingest.failures import Failure, fail
from ingest.load.loader import DEFAULT_HISTORY_DAYS
from ingest.sync.outcome import ExitCode


def is_loopback(host: str) -> bool:
    """localhost or a loopback address (127.0.0.0/8, ::1): traffic that never leaves the host."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Anthropic Admin API
    admin_key: SecretStr | None = Field(
        None,
        validation_alias=_env("ANTHROPIC_ADMIN_KEY"),
        description="Admin key: Console sk-ant-admin01-… (Settings > Admin keys) or Enterprise "
        "sk-ant-api01-… (claude.ai Organization settings > API > Keys).",
    )
    oauth_token: SecretStr | None = Field(
        None,
        validation_alias=_env("ANTHROPIC_OAUTH_TOKEN"),
        description=(
            "Optional OAuth token with org:admin scope; enables service accounts and federation."
        ),
    )
    base_url: str = Field(
        "https://api.anthropic.com",
        validation_alias=_env("ANTHROPIC_BASE_URL"),
        description="Admin API base URL (https://; plain http:// only to this machine).",
    )

    # SCIM (Enterprise organizations only)
    scim_url: str | None = Field(
        None,
        validation_alias=_env("ANTHROPIC_SCIM_URL"),
        description="SCIM base URL exactly as shown in the identity-provider setup flow "
        "(https://; plain http:// only to this machine).",
    )
    scim_token: SecretStr | None = Field(
        None,
        validation_alias=_env("ANTHROPIC_SCIM_TOKEN"),
        description="SCIM bearer token from the identity-provider setup flow.",
    )

    orgs_file: Path | None = Field(
        None,
        validation_alias=_env("IDGRAPH_ORGS_FILE"),
        description="TOML file naming several organizations to sync in one run (as `--orgs`).",
    )

    # Neo4j (the driver's standard names)
    neo4j_uri: str = Field(
        "bolt://localhost:7687",
        validation_alias=_env("NEO4J_URI"),
        description="bolt:// or neo4j:// URI (+s or +ssc for TLS).",
    )
    neo4j_username: str = Field(
        "neo4j", validation_alias=_env("NEO4J_USERNAME"), description="Neo4j user."
    )
    neo4j_password: SecretStr = Field(
        SecretStr("idgraph-local"),
        validation_alias=_env("NEO4J_PASSWORD"),
        description="Neo4j password.",
    )
    neo4j_database: str = Field(
        "neo4j", validation_alias=_env("NEO4J_DATABASE"), description="Neo4j database."
    )
    browser_url: str = Field(
        "http://localhost:7474/browser/",
        validation_alias=_env("NEO4J_BROWSER_URL"),
        description="Where people open Neo4j Browser (printed after a sync, used in reports).",
    )

    # Behaviour
    admin_rate: float | None = Field(
        None,
        validation_alias=_env("IDGRAPH_ADMIN_RATE"),
        description="Admin API requests/s (default per product: Enterprise 95 per minute with a "
        "burst of 5, within its 100/min per organization; Console 20).",
    )
    admin_burst: int | None = Field(
        None,
        validation_alias=_env("IDGRAPH_ADMIN_BURST"),
        description="Admin API burst (default per product: Enterprise 5; Console 40).",
    )
    analytics_rate: float | None = Field(
        None,
        validation_alias=_env("IDGRAPH_ANALYTICS_RATE"),
        description="Enterprise Analytics API requests/s (default 55 per minute with a burst of "
        "5, within its own 60/min per organization; also paced by the Admin API rate).",
    )
    analytics_burst: int | None = Field(
        None,
        validation_alias=_env("IDGRAPH_ANALYTICS_BURST"),
        description="Enterprise Analytics API burst (default 5).",
    )
    scim_rate: float = Field(
        20.0, validation_alias=_env("IDGRAPH_SCIM_RATE"), description="SCIM requests/s."
    )
    scim_burst: int = Field(
        40, validation_alias=_env("IDGRAPH_SCIM_BURST"), description="SCIM burst."
    )
    request_timeout: float = Field(
        30.0,
        validation_alias=_env("IDGRAPH_REQUEST_TIMEOUT"),
        description="Seconds per HTTP request.",
    )
    deadline: float = Field(
        3600.0,
        validation_alias=_env("IDGRAPH_DEADLINE"),
        description="Seconds the whole extraction may take.",
    )
    batch_size: int | None = Field(
        None,
        validation_alias=_env("IDGRAPH_BATCH_SIZE"),
        description="Rows per Neo4j write transaction (default: the measured best).",
    )
    main_domains: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias=_env("IDGRAPH_MAIN_DOMAINS"),
        description="The organization's own email domains, comma-separated (`a.com,b.com`) or "
        "a JSON list; inferred when empty.",
    )
    activity_days: int = Field(
        DEFAULT_WINDOW_DAYS,
        ge=1,
        validation_alias=_env("IDGRAPH_ACTIVITY_DAYS"),
        description="Whole UTC days of activity (usage, analytics and the Compliance feed) "
        "kept per sync, ending today; the feed reads only events newer than its stored cursor.",
    )
    history_retention_days: int = Field(
        DEFAULT_HISTORY_DAYS,
        ge=0,
        validation_alias=_env("IDGRAPH_HISTORY_RETENTION_DAYS"),
        description="Days a sync keeps change records (`idgraph diff`) and sync runs: each sync "
        "removes older ones; 0 records no change history and removes nothing.",
    )
    progress_interval: float = Field(
        10.0,
        validation_alias=_env("IDGRAPH_PROGRESS_INTERVAL"),
        description="Seconds between a sync's progress log lines (when stderr is no terminal).",
    )

    @field_validator("main_domains", mode="before")
    @classmethod
    def _domain_list(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        if value.lstrip().startswith("["):
            return json.loads(value)
        return [domain.strip() for domain in value.split(",") if domain.strip()]

    @field_validator("orgs_file", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("base_url", "scim_url")
    @classmethod
    def _no_credentials_in_clear(cls, value: str | None) -> str | None:
        return check_url_scheme(value)


def check_url_scheme(value: str | None) -> str | None:
    """Keys travel in headers: plain http only to this machine (the simulator)."""
    url = urlsplit(value or "")
    if url.scheme.lower() == "http" and not is_loopback(url.hostname or ""):
        raise ValueError("plain http:// would send the credentials in clear; use https://")
    return value


def load_settings() -> Settings:
    """The settings, or a Failure (exit code 2) that names the environment variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = [
            f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors(include_input=False)
        ]
        raise Failure("configuration: " + "; ".join(problems), ExitCode.CONFIG) from None
    except SettingsError as exc:
        raise Failure(f"configuration: {_named(str(exc))}", ExitCode.CONFIG) from None


def _named(message: str) -> str:
    """pydantic-settings names the field; people set the environment variable."""
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            message = message.replace(f'"{name}"', str(alias.choices[0]))
    return message


def settings_or_exit(as_json: bool = False) -> Settings:
    """The settings, or the one-line configuration error and exit code 2 (for the commands)."""
    try:
        return load_settings()
    except Failure as exc:
        fail(exc.exit_code, str(exc), as_json)
