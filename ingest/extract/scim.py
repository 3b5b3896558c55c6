"""Read Users and Groups from the organization's SCIM 2.0 directory (WorkOS for Claude).

Requests go through scim2-client (request building, content-type and SCIM Error checks)
over plain httpx with the shared `ResilientTransport`. scim2-client 0.13 ships its
network engine for `httpx2` only, so `HttpxAsyncSCIMClient` below is the same small
engine for `httpx`. List pages are taken raw and each resource is validated on its own
(see scim_records.py). The base URL is never guessed: it comes from the IdP setup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from scim2_client import BaseAsyncSCIMClient, SCIMClientException
from scim2_client.client import describe_resource_models
from scim2_models import (
    Error,
    SCIMException,
    ScimProvider,
    SearchRequest,
    ServiceProviderConfig,
)

from ingest.extract.config import ExtractConfig
from ingest.extract.credentials import ScimCredentials, redact, reveal, scim_credentials
from ingest.extract.deadline import Deadline
from ingest.extract.errors import (
    ApiError,
    CredentialError,
    ExtractError,
    MalformedPageError,
    ScimRefused,
    ScimUnavailable,
)
from ingest.extract.http_errors import api_error, network_error
from ingest.extract.models import Record, ScimGroup, ScimUser
from ingest.extract.parsing import HandOver, OnRecords, ParseResult, RecordIssue, Unsettled
from ingest.extract.scim_records import (
    ScimGroupModel,
    ScimUserModel,
    read_scim_groups,
    read_scim_users,
)
from ingest.extract.transport import EngineStats, ResilientTransport, json_body, unbound

SCIM_USERS = "scim_users"
SCIM_GROUPS = "scim_groups"
# The first call's answers that are no failure of the service: 403 is the plan's gate,
# 401 and 404 this sync's token or URL (ScimRefused).
PLAN_GATE_STATUS = 403
# Where a walk hands a page's raw resources, as it reads them.
OnPage = Callable[[list[Any]], Awaitable[None]]

MAX_PASSES = 3  # walks of a listing that keeps moving under the cursor


class HttpxAsyncSCIMClient(BaseAsyncSCIMClient):
    """scim2-client's async engine over an `httpx.AsyncClient`.

    Transport errors are left to propagate as httpx exceptions; the extractor turns them
    into `NetworkError`s without chaining (the request they carry holds the token).
    """

    def __init__(self, client: httpx.AsyncClient, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client = client

    def _stays_under_base_url(self, endpoint: str) -> bool:
        base = self.client.base_url
        if not base.is_absolute_url:
            return False
        try:
            url = self.client.build_request("GET", endpoint).url
        except httpx.InvalidURL:
            return False
        return (
            url.scheme == base.scheme
            and url.netloc == base.netloc
            and (url.raw_path.startswith(base.raw_path))
        )

    def _parse_json(self, response: Any) -> Any:
        return json_body(response)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return unbound(await self.client.request(method, url, **kwargs))


@dataclass(frozen=True)
class ScimService:
    """What the probe learned about the server."""

    max_results: int | None  # advertised filter.maxResults
    page_size: int  # the `count` asked for
    config: ServiceProviderConfig | None  # None when it did not validate


class ScimExtractor:
    """Async reader of SCIM Users and Groups. Use as `async with ScimExtractor(...) as scim:`."""

    def __init__(
        self,
        credentials: ScimCredentials,
        config: ExtractConfig | None = None,
        *,
        deadline: Deadline | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config or ExtractConfig()
        base_url = self.config.scim_base_url or credentials.base_url
        checked = scim_credentials(base_url, reveal(credentials.token))
        if checked is None:
            raise CredentialError("ScimExtractor needs a SCIM URL and token")
        self._secrets = [checked.token]
        self.deadline = deadline or Deadline(self.config.deadline)
        self.stats = EngineStats("scim")
        self._client = httpx.AsyncClient(
            base_url=checked.base_url,
            transport=ResilientTransport(
                transport or httpx.AsyncHTTPTransport(),
                engine="scim",
                limits=self.config.scim,
                deadline=self.deadline,
                stats=self.stats,
            ),
            timeout=self.config.request_timeout,
            headers={"authorization": f"Bearer {checked.token.get_secret_value()}"},
            follow_redirects=False,
        )
        models, resource_types = describe_resource_models([ScimUserModel, ScimGroupModel])
        self._scim = HttpxAsyncSCIMClient(
            self._client, provider=ScimProvider(models=models, resource_types=resource_types)
        )
        self._service: ScimService | None = None

    async def __aenter__(self) -> ScimExtractor:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def probe(self) -> ScimService:
        """GET /ServiceProviderConfig. 403 → `ScimUnavailable` (the plan), 401/404 →
        `ScimRefused` (the token, the URL); other errors fail."""
        endpoint = "/ServiceProviderConfig"
        try:
            payload = await self._scim.query(ServiceProviderConfig, check_response_payload=False)
        except (SCIMClientException, SCIMException) as exc:
            raise self._unavailable_or_failure(exc, endpoint) from None
        except httpx.HTTPError as exc:
            raise network_error(exc, self._secrets, family="scim", endpoint=endpoint) from None
        self._raise_error_payload(payload, "scim", endpoint, probing=True)
        if not isinstance(payload, Mapping):
            raise MalformedPageError("scim", endpoint, "ServiceProviderConfig is not an object")
        self._service = self._read_service(payload)
        return self._service

    async def users(self, on_records: OnRecords | None = None) -> ParseResult[ScimUser]:
        """Every SCIM user. With `on_records`, each page's users are handed over as the page
        is read and not kept (a repeated user is handed over again); the result then holds
        the issues and, in `streamed`, how many distinct users were read."""
        return await self._list(SCIM_USERS, ScimUserModel, "/Users", read_scim_users, on_records)

    async def groups(self, on_records: OnRecords | None = None) -> ParseResult[ScimGroup]:
        """Groups with their members (no excludedAttributes=members: members are needed);
        `on_records` as for `users`."""
        return await self._list(
            SCIM_GROUPS, ScimGroupModel, "/Groups", read_scim_groups, on_records
        )

    async def _list(
        self,
        family: str,
        model: Any,
        endpoint: str,
        read: Callable[[list[Any], str], ParseResult[Any]],
        on_records: OnRecords | None,
    ) -> ParseResult[Any]:
        if on_records is None:
            resources, walks, settled = await self._walk(family, model, endpoint)
            return _walked(read(resources, family), walks, settled)
        hand_over = HandOver(family, on_records)

        async def on_page(resources: list[Any]) -> None:
            part = read(resources, family)
            resources.clear()  # the raw page is not kept while the records wait
            await hand_over(part)

        _, walks, settled = await self._walk(family, model, endpoint, on_page)
        return _walked(hand_over.result(), walks, settled)

    # ---- paging ---------------------------------------------------------------------

    async def _walk(
        self, family: str, model: Any, endpoint: str, on_page: OnPage | None = None
    ) -> tuple[list[Any], int, bool]:
        """startIndex/count paging, stateless-safe (RFC 7644 §3.4.2.4): dedupe by id,
        advance by items received, stop on an empty page or past the latest totalResults.

        Rows can shift between pages (a removal before the cursor makes the next page skip
        a row). Each page therefore starts one row early, on the previous page's last row:
        if that row is not where it was, or totalResults moved, the pass is unsettled and
        the listing is walked again (up to MAX_PASSES), all passes merged. A record moved
        past the cursor is then caught; a record removed meanwhile may linger until the
        next run, the safe side for a sync that cleans up what it did not see.

        With `on_page`, each page's resources (less the row repeated from the page before)
        go to it as they arrive and only their ids are kept: the resources returned are None.
        The list handed to `on_page` is not used after it; it may clear it.
        """
        merged: dict[str, Any] = {}
        for attempt in range(1, MAX_PASSES + 1):
            found, settled = await self._walk_once(family, model, endpoint, on_page)
            merged.update(found)
            if settled:
                return list(merged.values()), attempt, True
        return list(merged.values()), MAX_PASSES, False

    async def _walk_once(
        self, family: str, model: Any, endpoint: str, on_page: OnPage | None
    ) -> tuple[dict[str, Any], bool]:
        """One pass: resources by id (unkeyed ones under private keys), and whether the
        listing held still while it was paged.

        Up to `scim_read_ahead` pages are asked for before their turn, at the start indexes
        they have if every page comes back full; a page that comes back otherwise makes them
        stale, and they are dropped. Pages are still read, and checked, in order."""
        page_size = (self._service or await self.probe()).page_size
        repeat = 1 if page_size > 1 else 0  # each page starts on the row before it
        ahead: dict[int, asyncio.Future[Any]] = {}

        def ask(asked: int) -> None:
            if asked not in ahead:
                ahead[asked] = asyncio.ensure_future(
                    self._page(family, model, endpoint, asked, page_size)
                )

        by_id: dict[str, Any] = {}
        totals: set[int] = set()
        settled, start, anchor = True, 1, None
        try:
            while True:
                overlap = repeat if anchor is not None else 0
                asked = start - overlap
                _drop(ahead, below=asked)
                ask(asked)
                page = await ahead.pop(asked)
                total, resources = _read_list_response(page, family, endpoint)
                totals.add(total)
                held = bool(overlap and resources) and (
                    Record.record_id(_as_map(resources[0])) == anchor
                )
                if overlap and not held:
                    settled = False
                if not resources or (overlap and len(resources) <= overlap):
                    break
                start = asked + len(resources)
                predicted = start - repeat  # the next page, then those after it if all are full
                for _ in range(self.config.scim_read_ahead if start <= total else 0):
                    if predicted > total:
                        break
                    ask(predicted)
                    predicted += page_size - repeat
                for index, resource in enumerate(resources):
                    rid = Record.record_id(_as_map(resource))
                    key = rid if rid is not None else f"\0unkeyed-{asked + index}"
                    by_id[key] = resource if on_page is None else None
                anchor = Record.record_id(_as_map(resources[-1]))
                if on_page is not None:
                    handed = resources[1:] if held else resources
                    del page, resources  # on_page may clear what it was handed
                    await on_page(handed)
                if start > total:
                    break
        finally:
            _drop(ahead, below=None)
        return by_id, settled and len(totals) == 1

    async def _page(self, family: str, model: Any, endpoint: str, start: int, count: int) -> Any:
        self.deadline.check(f"listing {family}")
        try:
            payload = await self._scim.query(
                model,
                query_parameters=SearchRequest(start_index=start, count=count),
                check_response_payload=False,
            )
        except (SCIMClientException, SCIMException) as exc:
            raise self._failure(exc, family, endpoint) from None
        except httpx.HTTPError as exc:
            raise network_error(exc, self._secrets, family=family, endpoint=endpoint) from None
        self._raise_error_payload(payload, family, endpoint)
        return payload

    def _read_service(self, payload: Mapping[str, Any]) -> ScimService:
        try:
            config: ServiceProviderConfig | None = ServiceProviderConfig.model_validate(payload)
        except ValueError:
            config = None
        filter_config = payload.get("filter")
        advertised = filter_config.get("maxResults") if isinstance(filter_config, dict) else None
        max_results = advertised if isinstance(advertised, int) and advertised > 0 else None
        page_size = min(self.config.scim_page_size, max_results or self.config.scim_page_size)
        return ScimService(max_results=max_results, page_size=page_size, config=config)

    # ---- errors ---------------------------------------------------------------------

    def _raise_error_payload(
        self, payload: Any, family: str, endpoint: str, *, probing: bool = False
    ) -> None:
        """With unchecked payloads scim2-client hands back a SCIM Error body as it is."""
        if not (isinstance(payload, Mapping) and payload.get("schemas") == [Error.__schema__]):
            return
        status = _status_of(payload.get("status"))
        detail = redact(str(payload.get("detail") or "SCIM error"), self._secrets)
        if probing and (refusal := _refusal(status, detail)) is not None:
            raise refusal
        scim_type = payload.get("scimType")
        raise ApiError(
            status,
            scim_type if isinstance(scim_type, str) else None,
            detail,
            family=family,
            endpoint=endpoint,
        )

    def _unavailable_or_failure(self, exc: Exception, endpoint: str) -> ExtractError:
        failure = self._failure(exc, "scim", endpoint)
        if isinstance(failure, ApiError):
            return _refusal(failure.status, failure.message) or failure
        return failure

    def _failure(self, exc: Exception, family: str, endpoint: str) -> ExtractError:
        response = getattr(exc, "source", None)
        if isinstance(response, httpx.Response) and response.status_code >= 400:
            return api_error(response, self._secrets, family=family, endpoint=endpoint)
        text = redact(f"{type(exc).__name__}: {exc}", self._secrets)
        return MalformedPageError(family, endpoint, text)


def _refusal(status: int, detail: str) -> ExtractError | None:
    if status == PLAN_GATE_STATUS:
        return ScimUnavailable(status, detail)
    if status in ScimRefused.KINDS:
        return ScimRefused(status, detail)
    return None


def _as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _drop(ahead: dict[int, asyncio.Future[Any]], below: int | None) -> None:
    """Cancel pages read ahead that will not be used (all when `below` is None)."""
    for asked in [a for a in ahead if below is None or a < below]:
        future = ahead.pop(asked)
        future.cancel()
        future.add_done_callback(_quietly)


def _quietly(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # retrieved: a failed page nobody needs is not an error


def _walked(result: ParseResult[Any], walks: int, settled: bool) -> ParseResult[Any]:
    """The listing's result with how its walks went: unsettled, or a note when it settled
    only after a re-walk."""
    if not settled:
        result.unsettled = Unsettled(walks)
    elif walks > 1:
        note = f"rows moved while paging; merged {walks} passes"
        result.issues.append(RecordIssue(result.family, None, note))
    return result


def _status_of(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _read_list_response(page: Any, family: str, endpoint: str) -> tuple[int, list[Any]]:
    """`totalResults` and `Resources` of a ListResponse (names matched case-insensitively)."""
    if not isinstance(page, Mapping):
        raise MalformedPageError(family, endpoint, "ListResponse is not an object")
    folded = {str(k).lower(): v for k, v in page.items()}
    total = folded.get("totalresults")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise MalformedPageError(family, endpoint, "'totalResults' is not a non-negative integer")
    resources = folded.get("resources") or []
    if not isinstance(resources, list):
        raise MalformedPageError(family, endpoint, "'Resources' is not a list")
    return total, resources
