"""Credentials: checked before any request, wrapped so they never print, redacted from texts."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from pydantic import SecretStr

from ingest.extract.errors import CredentialError

Secret = SecretStr
"""A credential value; `str()` and `repr()` show `**********`, `.get_secret_value()` the value."""

ADMIN_KEY_ENV = "ANTHROPIC_ADMIN_KEY"
OAUTH_TOKEN_ENV = "ANTHROPIC_OAUTH_TOKEN"
SCIM_URL_ENV = "ANTHROPIC_SCIM_URL"
SCIM_TOKEN_ENV = "ANTHROPIC_SCIM_TOKEN"

# Key prefixes as documented (shared/reference/claude-org-products.md §1.1, §1.5).
ANTHROPIC_KEY_PREFIX = "sk-ant-"
CONSOLE_ADMIN_KEY_PREFIX = "sk-ant-admin01-"
ENTERPRISE_ADMIN_KEY_PREFIX = "sk-ant-api01-"
INFERENCE_KEY_PREFIX = "sk-ant-api03-"
OAUTH_TOKEN_PREFIX = "sk-ant-oat01-"
REDACTED = "[REDACTED]"


class AdminKeyKind(Enum):
    """Which organization product an admin key belongs to, told by its prefix alone: what the
    key may read is found by asking the API, never by guessing from here."""

    CONSOLE = "console"  # Claude Console Admin key, no scopes
    ENTERPRISE = "enterprise"  # Claude Enterprise Admin API key, scoped


_ADMIN_KEY_KINDS = {
    CONSOLE_ADMIN_KEY_PREFIX: AdminKeyKind.CONSOLE,
    ENTERPRISE_ADMIN_KEY_PREFIX: AdminKeyKind.ENTERPRISE,
}
_ADMIN_KEY_HELP = (
    "The Admin API is read with an admin key of the organization's product. Claude Console: "
    "an Admin API key (sk-ant-admin01-…), created by an admin in platform.claude.com > "
    "Settings > Admin keys. Claude Enterprise: an Enterprise Admin API key (sk-ant-api01-…), "
    "created by the primary owner in claude.ai > Organization settings > API > Keys, with the "
    "scopes read:members and read:rbac_groups for a read-only sync (or read:org_audit). "
    "Inference (Developer) keys (sk-ant-api03-…) are never used."
)
_OAUTH_HELP = (
    "Service accounts are read only with an OAuth bearer token with the org:admin scope "
    "(`ant auth login --scope org:admin` by an admin or owner); Admin keys and inference "
    "keys are rejected on those routes."
)
_SCIM_HELP = (
    "SCIM is read with the endpoint URL and bearer token shown in the WorkOS directory-sync "
    "setup under Identity and access; set both or neither."
)
# Anything shaped like an Anthropic key or a bearer credential, whatever it belongs to.
_KEY_SHAPED = re.compile(r"sk-ant-[A-Za-z0-9_\-]+")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")
_PRINTABLE_TOKEN = re.compile(r"^[\x21-\x7e]+$")


def redact(text: str, secrets: Iterable[SecretStr | str | None]) -> str:
    """Remove every secret, anything key-shaped and any bearer token from `text`."""
    for secret in secrets:
        value = reveal(secret)
        if value:
            text = text.replace(value, REDACTED)
    text = _KEY_SHAPED.sub(REDACTED, text)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, text)


def reveal(value: SecretStr | str | None) -> str | None:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def _present(value: str | None) -> str | None:
    stripped = (value or "").strip()
    return stripped or None


def _check_header_safe(value: str, what: str, env_var: str) -> None:
    if not _PRINTABLE_TOKEN.match(value):
        raise CredentialError(
            f"The {what} in {env_var} holds whitespace or control characters; "
            "paste the value alone."
        )


def admin_key(value: str | None, env_var: str = ADMIN_KEY_ENV) -> SecretStr:
    """Check an Admin API key without ever echoing it."""
    key = _present(value)
    if key is None:
        raise CredentialError(f"{env_var} is not set or empty. {_ADMIN_KEY_HELP}")
    admin_key_kind(key, env_var)
    _check_header_safe(key, "Admin API key", env_var)
    return SecretStr(key)


def admin_key_kind(key: SecretStr | str, env_var: str = ADMIN_KEY_ENV) -> AdminKeyKind:
    """The product of an admin key, by its prefix; `CredentialError` (naming neither the key nor
    any part of it) for anything that is not an admin key."""
    value = reveal(key) or ""
    for prefix, kind in _ADMIN_KEY_KINDS.items():
        if value.startswith(prefix):
            return kind
    if value.startswith(INFERENCE_KEY_PREFIX):
        why = "holds an inference key, refused before any request: Developer keys"
    elif value.startswith(OAUTH_TOKEN_PREFIX):
        why = f"holds an OAuth token (it belongs in {OAUTH_TOKEN_ENV}), which"
    elif value.startswith(ANTHROPIC_KEY_PREFIX):
        why = "holds an Anthropic key of another kind, which"
    else:
        raise CredentialError(f"{env_var} does not hold an Admin API key. {_ADMIN_KEY_HELP}")
    raise CredentialError(f"{env_var} {why} cannot stand in for an admin key. {_ADMIN_KEY_HELP}")


def oauth_token(value: str | None, env_var: str = OAUTH_TOKEN_ENV) -> SecretStr | None:
    """Check the optional org:admin OAuth token; None when it is not configured."""
    token = _present(value)
    if token is None:
        return None
    if token.lower().startswith("bearer "):
        raise CredentialError(f"{env_var} should hold the token alone, without 'Bearer '.")
    if token.startswith(ANTHROPIC_KEY_PREFIX) and not token.startswith(OAUTH_TOKEN_PREFIX):
        raise CredentialError(
            f"{env_var} holds an API key, not an OAuth token ({OAUTH_TOKEN_PREFIX}…). {_OAUTH_HELP}"
        )
    _check_header_safe(token, "OAuth token", env_var)
    return SecretStr(token)


@dataclass(frozen=True)
class ScimCredentials:
    base_url: str
    token: SecretStr


def scim_credentials(
    url: str | None,
    token: str | None,
    url_env: str = SCIM_URL_ENV,
    token_env: str = SCIM_TOKEN_ENV,
) -> ScimCredentials | None:
    """Check the SCIM endpoint and token; None when neither is configured."""
    base_url, secret = _present(url), _present(token)
    if base_url is None and secret is None:
        return None
    if base_url is None:
        raise CredentialError(f"{token_env} is set but {url_env} is not. {_SCIM_HELP}")
    if secret is None:
        raise CredentialError(f"{url_env} is set but {token_env} is not or is empty. {_SCIM_HELP}")
    if not base_url.startswith(("https://", "http://")):
        raise CredentialError(f"{url_env} must be an http(s) URL. {_SCIM_HELP}")
    if secret.startswith(ANTHROPIC_KEY_PREFIX):
        raise CredentialError(f"{token_env} holds an Anthropic API key. {_SCIM_HELP}")
    _check_header_safe(secret, "SCIM token", token_env)
    return ScimCredentials(base_url=base_url.rstrip("/"), token=SecretStr(secret))


@dataclass(frozen=True)
class Credentials:
    """Everything the extractors may authenticate with."""

    admin_key: SecretStr
    oauth_token: SecretStr | None = None
    scim: ScimCredentials | None = None

    def __post_init__(self) -> None:
        """Check the values however the object was built (plain strings are accepted)."""
        object.__setattr__(self, "admin_key", admin_key(reveal(self.admin_key)))
        object.__setattr__(self, "oauth_token", oauth_token(reveal(self.oauth_token)))
        if self.scim is not None:
            checked = scim_credentials(self.scim.base_url, reveal(self.scim.token))
            object.__setattr__(self, "scim", checked)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if env is None else env
        return cls(
            admin_key=admin_key(env.get(ADMIN_KEY_ENV)),
            oauth_token=oauth_token(env.get(OAUTH_TOKEN_ENV)),
            scim=scim_credentials(env.get(SCIM_URL_ENV), env.get(SCIM_TOKEN_ENV)),
        )

    @property
    def admin_key_kind(self) -> AdminKeyKind:
        """The product the admin key belongs to (Console or Enterprise), by its prefix."""
        return admin_key_kind(self.admin_key)

    def secrets(self) -> list[SecretStr]:
        """Every secret held, for `redact`."""
        found = [self.admin_key, self.oauth_token, self.scim.token if self.scim else None]
        return [s for s in found if s is not None]
