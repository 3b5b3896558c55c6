"""Credential checks and redaction: refused before any request, never echoed."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from ingest.extract import (
    AdminKeyKind,
    CredentialError,
    Credentials,
    ScimCredentials,
    admin_key,
    oauth_token,
    redact,
    scim_credentials,
)

ADMIN = "sk-ant-admin01-" + "A1b2C3d4" * 8
ENTERPRISE = "sk-ant-api01-" + "E5f6G7h8" * 8
INFERENCE = "sk-ant-api03-" + "Z9y8X7w6" * 8
OAUTH = "oat-" + "Q5r6S7t8" * 6
OAUTH_TOKEN = "sk-ant-oat01-" + "K1l2M3n4" * 8
# Where each product's admin key is created, as the refusals must say.
CONSOLE_PLACE = "platform.claude.com > Settings > Admin keys"
ENTERPRISE_PLACE = "claude.ai > Organization settings > API > Keys"


def test_admin_key_accepted_and_hidden() -> None:
    key = admin_key(f"  {ADMIN}\n")
    assert key.get_secret_value() == ADMIN
    assert ADMIN not in repr(key) and ADMIN not in str(key)


def assert_names_both_places_and_no_secret(text: str, secret: str) -> None:
    for place in (CONSOLE_PLACE, ENTERPRISE_PLACE, "sk-ant-admin01-…", "sk-ant-api01-…"):
        assert place in text
    assert "created by an admin in" in text
    assert "primary owner" in text and "read:members and read:rbac_groups" in text
    assert "read:org_audit" in text
    assert secret not in text and secret[13:30] not in text and secret[-12:] not in text


def test_inference_key_refused_with_guidance_and_without_the_key() -> None:
    with pytest.raises(CredentialError) as caught:
        admin_key(INFERENCE)
    text = str(caught.value)
    assert "ANTHROPIC_ADMIN_KEY holds an inference key, refused before any request" in text
    assert "Inference (Developer) keys (sk-ant-api03-…) are never used" in text
    assert_names_both_places_and_no_secret(text, INFERENCE)


@pytest.mark.parametrize(
    ("key", "kind"), [(ADMIN, AdminKeyKind.CONSOLE), (ENTERPRISE, AdminKeyKind.ENTERPRISE)]
)
def test_console_and_enterprise_admin_keys_accepted_and_told_apart(
    key: str, kind: AdminKeyKind
) -> None:
    assert admin_key(key).get_secret_value() == key
    credentials = Credentials(admin_key=key)  # type: ignore[arg-type]
    assert credentials.admin_key_kind is kind
    assert key not in repr(credentials)


@pytest.mark.parametrize(
    ("key", "says"),
    [
        (OAUTH_TOKEN, "holds an OAuth token (it belongs in ANTHROPIC_OAUTH_TOKEN)"),
        ("sk-ant-admin02-" + "P0o9I8u7" * 8, "holds an Anthropic key of another kind"),
        ("sk-ant-api02-" + "P0o9I8u7" * 8, "holds an Anthropic key of another kind"),
        ("sk-ant-sid01-" + "P0o9I8u7" * 8, "holds an Anthropic key of another kind"),
        ("sk-ant-admin01" + "P0o9I8u7" * 8, "holds an Anthropic key of another kind"),
    ],
)
def test_other_anthropic_prefixes_refused_clearly_without_echo(key: str, says: str) -> None:
    with pytest.raises(CredentialError) as caught:
        admin_key(key)
    text = str(caught.value)
    assert f"ANTHROPIC_ADMIN_KEY {says}" in text and "cannot stand in for an admin key" in text
    assert_names_both_places_and_no_secret(text, key)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_admin_key_names_the_env_var(value: str | None) -> None:
    with pytest.raises(CredentialError, match="ANTHROPIC_ADMIN_KEY is not set or empty"):
        admin_key(value)


def test_other_key_shapes_refused_without_echo() -> None:
    secret = "totally-not-a-key-0123456789"
    with pytest.raises(CredentialError) as caught:
        admin_key(secret)
    assert secret not in str(caught.value)
    assert "ANTHROPIC_ADMIN_KEY does not hold an Admin API key" in str(caught.value)


def test_admin_key_with_inner_whitespace_refused() -> None:
    with pytest.raises(CredentialError) as caught:
        admin_key(ADMIN[:20] + " " + ADMIN[20:])
    assert ADMIN[:20] not in str(caught.value)


def test_oauth_token_optional_and_checked() -> None:
    assert oauth_token(None) is None
    assert oauth_token("") is None
    token = oauth_token(OAUTH)
    assert token is not None and token.get_secret_value() == OAUTH
    assert oauth_token(OAUTH_TOKEN) is not None  # the documented sk-ant-oat01- prefix
    for key in (ADMIN, ENTERPRISE, INFERENCE, "sk-ant-oat02-" + OAUTH):
        with pytest.raises(CredentialError, match="ANTHROPIC_OAUTH_TOKEN holds an API key") as e:
            oauth_token(key)
        assert key not in str(e.value)
    with pytest.raises(CredentialError, match="without 'Bearer '"):
        oauth_token(f"Bearer {OAUTH}")


def test_scim_needs_both_url_and_token() -> None:
    assert scim_credentials(None, None) is None
    with pytest.raises(CredentialError, match="ANTHROPIC_SCIM_TOKEN is set but ANTHROPIC_SCIM_URL"):
        scim_credentials(None, "tok-123")
    with pytest.raises(CredentialError, match="ANTHROPIC_SCIM_URL is set but ANTHROPIC_SCIM_TOKEN"):
        scim_credentials("https://api.workos.com/scim/v2.0/abc", "  ")
    creds = scim_credentials("https://api.workos.com/scim/v2.0/abc/", "tok-123")
    assert creds is not None and creds.base_url == "https://api.workos.com/scim/v2.0/abc"


def test_credentials_from_env() -> None:
    env = {
        "ANTHROPIC_ADMIN_KEY": ADMIN,
        "ANTHROPIC_OAUTH_TOKEN": OAUTH,
        "ANTHROPIC_SCIM_URL": "http://127.0.0.1:9/scim/v2",
        "ANTHROPIC_SCIM_TOKEN": "scim-token-xyz",
    }
    creds = Credentials.from_env(env)
    assert creds.oauth_token is not None and creds.scim is not None
    assert len(creds.secrets()) == 3
    assert ADMIN not in repr(creds) and OAUTH not in repr(creds)
    with pytest.raises(CredentialError, match="ANTHROPIC_ADMIN_KEY"):
        Credentials.from_env({})


def test_credentials_checked_however_built() -> None:
    with pytest.raises(CredentialError, match="holds an inference key, refused"):
        Credentials(admin_key=SecretStr(INFERENCE))
    with pytest.raises(CredentialError, match="ANTHROPIC_SCIM_TOKEN holds an Anthropic API key"):
        scim_credentials("https://api.workos.com/scim/v2.0/abc", ENTERPRISE)
    with pytest.raises(CredentialError):
        Credentials(admin_key=ADMIN, scim=ScimCredentials("ftp://x", SecretStr("t")))  # type: ignore[arg-type]


def test_redact_removes_secrets_key_shapes_and_bearers() -> None:
    text = (
        f"bad key {ADMIN} / {INFERENCE} / raw {OAUTH} / "
        "Authorization: Bearer abc.def-ghi / sk-ant-admin01-partial"
    )
    out = redact(text, [SecretStr(ADMIN), OAUTH, None])
    for fragment in (ADMIN, INFERENCE, OAUTH, "abc.def-ghi", "sk-ant-admin01-partial"):
        assert fragment not in out
    assert "[REDACTED]" in out
    assert redact("nothing secret here", []) == "nothing secret here"
