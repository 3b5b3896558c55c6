"""The requests of remediation, through the extractors' resilient transport.

Writes go through the same pacing as reads; the transport retries only idempotent methods
after a failure that may have reached the server, so a POST, PATCH or DELETE answered 5xx or
cut off is never sent twice (a 429 is: the server did not take it). Texts hold no secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from ingest.extract.admin import ANTHROPIC_VERSION
from ingest.extract.config import ExtractConfig
from ingest.extract.credentials import Credentials
from ingest.extract.deadline import Deadline
from ingest.extract.errors import CredentialError
from ingest.extract.http_errors import api_error
from ingest.extract.transport import ResilientTransport, json_body
from ingest.remediate.actions import Engine

_NEEDS = {
    "oauth": "an org:admin OAuth token (ANTHROPIC_OAUTH_TOKEN)",
    "scim": "the SCIM URL and token (ANTHROPIC_SCIM_URL, ANTHROPIC_SCIM_TOKEN)",
}


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    request_id: str | None
    error: str | None  # the API's error, redacted; None for a 2xx


class RemediationClient:
    """One httpx client per engine the credentials allow. `async with` it."""

    def __init__(
        self,
        credentials: Credentials,
        config: ExtractConfig,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._secrets = credentials.secrets()
        deadline = Deadline(config.deadline)
        admin_params = {"organization_id": config.organization_id} if config.organization_id else {}
        admin_base = config.admin_base_url.rstrip("/")
        self._clients: dict[Engine, httpx.AsyncClient] = {}

        def client(engine: Engine, base: str, headers: dict[str, str], **kw: Any) -> None:
            limits = config.scim if engine == "scim" else config.admin
            self._clients[engine] = httpx.AsyncClient(
                base_url=base,
                transport=ResilientTransport(
                    transport or httpx.AsyncHTTPTransport(),
                    engine=engine,
                    limits=limits,
                    deadline=deadline,
                ),
                timeout=config.request_timeout,
                headers=headers,
                follow_redirects=False,
                **kw,
            )

        version = {"anthropic-version": ANTHROPIC_VERSION}
        key = credentials.admin_key.get_secret_value()
        client("admin", admin_base, {**version, "x-api-key": key}, params=admin_params)
        if credentials.oauth_token is not None:
            token = credentials.oauth_token.get_secret_value()
            client("oauth", admin_base, {**version, "authorization": f"Bearer {token}"})
        if credentials.scim is not None:
            base = config.scim_base_url or credentials.scim.base_url
            bearer = credentials.scim.token.get_secret_value()
            client("scim", base.rstrip("/"), {"authorization": f"Bearer {bearer}"})

    async def __aenter__(self) -> RemediationClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for client in self._clients.values():
            await client.aclose()

    def has(self, engine: Engine) -> bool:
        return engine in self._clients

    async def send(
        self,
        engine: Engine,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """One request; `httpx.HTTPError` (texts redacted by the caller) when none answered."""
        client = self._clients.get(engine)
        if client is None:
            raise CredentialError(f"this action needs {_NEEDS.get(engine, engine)}")
        response = await client.request(method, path, json=body, headers=headers or None)
        request_id = response.headers.get("request-id")
        if response.status_code >= 400:
            error = api_error(response, self._secrets, endpoint=f"{method} {path}")
            return Answer(response.status_code, None, error.request_id or request_id, str(error))
        parsed = json_body(response) if response.content else None
        if isinstance(parsed, dict):
            request_id = request_id or parsed.get("request_id")
        return Answer(response.status_code, parsed, request_id, None)

    @property
    def secrets(self) -> list[Any]:
        return list(self._secrets)
