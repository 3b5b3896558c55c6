"""Configuration from environment variables (and a `.env` file); flags override them.

Every field here is one row of the README's configuration table.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Anthropic Admin API
    admin_key: SecretStr | None = Field(
        None,
        validation_alias=_env("ANTHROPIC_ADMIN_KEY"),
        description="Admin API key (sk-ant-admin…), from Console > Settings > Admin keys.",
    )
    oauth_token: SecretStr | None = Field(
        None,
        validation_alias=_env("ANTHROPIC_OAUTH_TOKEN"),
        description="Optional OAuth token with org:admin scope; enables service accounts.",
    )
    base_url: str = Field(
        "https://api.anthropic.com",
        validation_alias=_env("ANTHROPIC_BASE_URL"),
        description="Admin API base URL.",
    )

    # SCIM (Enterprise organizations only)
    scim_url: str | None = Field(
        None,
        validation_alias=_env("ANTHROPIC_SCIM_URL"),
        description="SCIM base URL exactly as shown in the identity-provider setup flow.",
    )
    scim_token: SecretStr | None = Field(
        None,
        validation_alias=_env("ANTHROPIC_SCIM_TOKEN"),
        description="SCIM bearer token from the identity-provider setup flow.",
    )

    # Neo4j (the driver's standard names)
    neo4j_uri: str = Field(
        "bolt://localhost:7687", validation_alias=_env("NEO4J_URI"), description="Bolt URI."
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
    admin_rate: float = Field(
        20.0, validation_alias=_env("IDGRAPH_ADMIN_RATE"), description="Admin API requests/s."
    )
    admin_burst: int = Field(
        40, validation_alias=_env("IDGRAPH_ADMIN_BURST"), description="Admin API burst."
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
    main_domains: list[str] = Field(
        default_factory=list,
        validation_alias=_env("IDGRAPH_MAIN_DOMAINS"),
        description="The organization's own email domains (JSON list); inferred when empty.",
    )
    progress_interval: float = Field(
        10.0,
        validation_alias=_env("IDGRAPH_PROGRESS_INTERVAL"),
        description="Seconds between a sync's progress log lines (when stderr is no terminal).",
    )


def settings_or_exit() -> Settings:
    """The settings, or a one-line configuration error and exit code 2 (for the CLI commands)."""
    import typer
    from pydantic import ValidationError
    from rich.console import Console

    try:
        return Settings()
    except ValidationError as exc:
        Console(stderr=True).print(f"[red]Configuration error:[/red] {exc.errors()[0]['msg']}")
        raise typer.Exit(2) from None
