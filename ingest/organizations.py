"""The organizations one `idgraph sync` reads, from a TOML file (`--orgs FILE` or
IDGRAPH_ORGS_FILE).

The file names each organization and the environment variables holding its secrets, never a
secret itself: the file can be reviewed and committed, and the secrets stay where the
single-organization configuration keeps them (the environment or `.env`).
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ingest.extract import Credentials, ExtractConfig
from ingest.extract.credentials import admin_key, oauth_token, scim_credentials
from ingest.failures import Failure
from ingest.settings import check_url_scheme
from ingest.sync.outcome import ExitCode
from ingest.sync.pipeline import SyncOptions

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UUID = re.compile(r"^(org_)?[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")
_SECRET_FIELDS = ("admin_key", "oauth_token", "scim_token")


class ConfiguredOrganization(BaseModel):
    """One `[[organization]]` table of the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="A label for the logs and the summary.")
    admin_key_env: str = Field(description="Environment variable holding the admin key.")
    oauth_token_env: str | None = None
    scim_url: str | None = None
    scim_token_env: str | None = None
    organization_id: str | None = Field(
        None, description="A linked organization the key reaches (parent-level Enterprise key)."
    )
    base_url: str | None = None
    main_domains: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        for name in _SECRET_FIELDS:
            if isinstance(data, dict) and name in data:
                raise ValueError(
                    f"{name}: secrets stay out of this file; name the environment variable "
                    f"holding it in {name}_env"
                )
        return data

    @field_validator("admin_key_env", "oauth_token_env", "scim_token_env")
    @classmethod
    def _variable_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME.match(value):
            raise ValueError("not an environment variable name (letters, digits, _)")
        return value

    @field_validator("organization_id")
    @classmethod
    def _organization_uuid(cls, value: str | None) -> str | None:
        if value is not None and not _UUID.match(value):
            raise ValueError("not an organization id (a UUID, bare or org_-prefixed)")
        return value

    @field_validator("base_url", "scim_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return check_url_scheme(value)


class OrganizationsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organization: list[ConfiguredOrganization] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> OrganizationsFile:
        names = [org.name for org in self.organization]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"organization names repeat: {', '.join(repeated)}")
        return self


def load_organizations(path: Path) -> list[ConfiguredOrganization]:
    """The file's organizations, or a Failure (exit code 2) naming the file and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise Failure(f"{path}: cannot be read ({exc.strerror})", ExitCode.CONFIG) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise Failure(f"{path}: not TOML: {exc}", ExitCode.CONFIG) from None
    try:
        return OrganizationsFile.model_validate(data).organization
    except ValidationError as exc:
        problems = [
            f"{_where(e['loc'])}{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors(include_input=False)
        ]
        raise Failure(f"{path}: " + "; ".join(problems), ExitCode.CONFIG) from None


def _where(loc: tuple[int | str, ...]) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc]
    return "".join(parts).lstrip(".") + ": " if parts else ""


def environment() -> dict[str, str]:
    """Where the file's variable names are looked up: the environment over `.env`."""
    return {**{k: v for k, v in dotenv_values(".env").items() if v is not None}, **os.environ}


def sync_options(
    org: ConfiguredOrganization,
    base: ExtractConfig,
    main_domains: list[str],
    env: Mapping[str, str],
) -> SyncOptions:
    """How to sync `org`: its credentials (a CredentialError names the variable), and the
    shared settings with the organization's own URLs, addressing and domains."""
    scim = scim_credentials(
        org.scim_url,
        env.get(org.scim_token_env) if org.scim_token_env else None,
        url_env=f"scim_url of {org.name!r}",
        token_env=org.scim_token_env or f"scim_token_env of {org.name!r}",
    )
    oauth_env = org.oauth_token_env
    credentials = Credentials(
        admin_key=admin_key(env.get(org.admin_key_env), org.admin_key_env),
        oauth_token=oauth_token(env.get(oauth_env), oauth_env) if oauth_env else None,
        scim=scim,
    )
    extract = dataclasses.replace(
        base,
        admin_base_url=org.base_url or base.admin_base_url,
        scim_base_url=org.scim_url,
        organization_id=org.organization_id,
    )
    return SyncOptions(
        credentials=credentials, extract=extract, main_domains=org.main_domains or main_domains
    )
