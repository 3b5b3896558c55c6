"""The SCIM 2.0 routes, mounted by the app under `/scim/v2`: `scim_routes(sim)`.

Endpoints: /Users, /Users/{id}, /Users/.search, the same for /Groups, /.search (both),
/ServiceProviderConfig,
/ResourceTypes[/{name}], /Schemas[/{urn}]; /Me and /Bulk answer 501. Every endpoint passes
the tier gate (non-enterprise → config.scim_unavailable_status) and then bearer auth.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim.scim import discovery, resources, store
from anthropic_sim.scim.errors import ScimError, bad_request, not_found
from anthropic_sim.scim.filter import Node, parse_filter
from anthropic_sim.scim.http import (
    base_url,
    endpoint,
    int_param,
    read_json,
    scim_response,
)
from anthropic_sim.scim.schema import GROUP, USER, ResourceKind
from anthropic_sim.state import Simulator


def _churn(sim: Simulator, path: str) -> None:
    """Let the fault module add/remove records between list pages (when it exists)."""
    try:
        from anthropic_sim.faults import maybe_churn  # type: ignore[attr-defined]
    except ImportError:
        return
    maybe_churn(sim, "scim", path)


def page_bounds(sim: Simulator, start_raw: Any, count_raw: Any) -> tuple[int, int]:
    """(startIndex ≥ 1, count in [0, max]) per RFC 7644 §3.4.2.4 and the overflow knob."""
    maximum = int(getattr(sim.config, "scim_max_results", 100))
    start = max(1, int_param(start_raw, "startIndex") or 1)
    count = int_param(count_raw, "count")
    if count is None:
        return start, maximum
    if count > maximum:
        if getattr(sim.config, "scim_overflow", "clamp") == "error":
            raise bad_request("tooMany", f"count {count} is over the maximum of {maximum}")
        return start, maximum
    return start, max(0, count)


def _searchable(
    resource: dict[str, Any], kind: ResourceKind, index: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """A user as filters see it: with its derived `groups`."""
    memberships = index.get(resource["id"]) if kind is USER else None
    return {**resource, "groups": memberships} if memberships else resource


def run_query(
    sim: Simulator, request: Request, kinds: tuple[ResourceKind, ...], params: dict[str, Any]
) -> Response:
    """A list/search over `kinds`: filter, page, render, project; the ListResponse envelope."""
    start, count = page_bounds(sim, params.get("startindex"), params.get("count"))
    raw_filter = params.get("filter")
    if raw_filter is not None and not isinstance(raw_filter, str):
        raise bad_request("invalidFilter", "filter must be a string")
    nodes: dict[str, Node] = (
        {} if raw_filter is None else {kind.name: parse_filter(raw_filter, kind) for kind in kinds}
    )
    attributes = resources.parse_attribute_list(params.get("attributes"))
    excluded = resources.parse_attribute_list(params.get("excludedattributes"))
    base = base_url(request)
    with sim.lock:
        index = _groups_index(sim, base)
        if raw_filter is None:
            total = sum(len(store.collection(sim.org, kind)) for kind in kinds)
            chosen = _unfiltered(sim, kinds, start, count)
        else:
            matched = [
                (kind, r)
                for kind in kinds
                for r in store.collection(sim.org, kind).values()
                if nodes[kind.name].matches(_searchable(r, kind, index), kind)
            ]
            total, chosen = len(matched), matched[start - 1 : start - 1 + count]
        page = [
            resources.project(resources.view(r, kind, base, index), kind, attributes, excluded)
            for kind, r in chosen
        ]
    _churn(sim, request.url.path)
    return scim_response(resources.list_response(page, total, start))


def _unfiltered(
    sim: Simulator, kinds: tuple[ResourceKind, ...], start: int, count: int
) -> list[tuple[ResourceKind, dict[str, Any]]]:
    """Resources `start` to `start + count - 1` of every kind in turn, skipping the ones before
    without looking at them (a listing is paged through a hundred at a time)."""
    chosen: list[tuple[ResourceKind, dict[str, Any]]] = []
    skip = start - 1
    for kind in kinds:
        values = store.collection(sim.org, kind).values()
        chosen += [(kind, r) for r in islice(values, skip, skip + count - len(chosen))]
        skip = max(0, skip - len(values))
    return chosen


def _groups_index(sim: Simulator, base: str) -> dict[str, list[dict[str, Any]]]:
    if sim.scim_groups_index is None:
        sim.scim_groups_index = resources.GroupsIndexCache()
    return sim.scim_groups_index.get(sim.org.scim_groups, base)


def _lower_params(request: Request) -> dict[str, Any]:
    return {k.lower(): v for k, v in request.query_params.items()}


def _search_params(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("invalidSyntax", "A SearchRequest must be an object")
    return {k.lower(): v for k, v in body.items()}


async def _root_search(sim: Simulator, request: Request) -> Response:
    return run_query(sim, request, (USER, GROUP), _search_params(await read_json(request)))


def _render_one(
    sim: Simulator,
    request: Request,
    kind: ResourceKind,
    resource: dict[str, Any],
    status: int = 200,
) -> Response:
    base = base_url(request)
    index = _groups_index(sim, base) if kind is USER else None
    params = _lower_params(request)
    body = resources.project(
        resources.view(resource, kind, base, index),
        kind,
        resources.parse_attribute_list(params.get("attributes")),
        resources.parse_attribute_list(params.get("excludedattributes")),
    )
    headers = {"ETag": resources.etag(resource)}
    if status == 201:
        headers["Location"] = resources.location(base, kind, resource["id"])
    return scim_response(body, status, headers)


def _resource_handlers(kind: ResourceKind) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    async def list_(sim: Simulator, request: Request) -> Response:
        return run_query(sim, request, (kind,), _lower_params(request))

    async def create(sim: Simulator, request: Request) -> Response:
        body = await read_json(request)
        resource = store.create(sim, kind, body)
        return _render_one(sim, request, kind, resource, 201)

    async def search(sim: Simulator, request: Request) -> Response:
        body = await read_json(request)
        return run_query(sim, request, (kind,), _search_params(body))

    async def get_one(sim: Simulator, request: Request) -> Response:
        with sim.lock:
            resource = store.find(sim.org, kind, request.path_params["id"])
            none_match = request.headers.get("if-none-match")
            if none_match is not None and store.etag_matches(resource, none_match):
                return Response(status_code=304, headers={"ETag": resources.etag(resource)})
            return _render_one(sim, request, kind, resource)

    async def put(sim: Simulator, request: Request) -> Response:
        body = await read_json(request)
        if_match = request.headers.get("if-match")
        resource = store.replace(sim, kind, request.path_params["id"], body, if_match)
        return _render_one(sim, request, kind, resource)

    async def patch(sim: Simulator, request: Request) -> Response:
        body = await read_json(request)
        if_match = request.headers.get("if-match")
        resource = store.patch(sim, kind, request.path_params["id"], body, if_match)
        return _render_one(sim, request, kind, resource)

    async def delete(sim: Simulator, request: Request) -> Response:
        store.delete(sim, kind, request.path_params["id"], request.headers.get("if-match"))
        return Response(status_code=204)

    return (
        {"GET": list_, "POST": create},
        {"POST": search},
        {"GET": get_one, "PUT": put, "PATCH": patch, "DELETE": delete},
    )


async def _service_provider_config(sim: Simulator, request: Request) -> Response:
    maximum = int(getattr(sim.config, "scim_max_results", 100))
    return scim_response(discovery.service_provider_config(base_url(request), maximum))


def _discovery_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    return resources.list_response(items, len(items), 1)


async def _resource_types(sim: Simulator, request: Request) -> Response:
    return scim_response(_discovery_list(discovery.resource_types(base_url(request))))


async def _resource_type(sim: Simulator, request: Request) -> Response:
    found = discovery.find_resource_type(request.path_params["name"], base_url(request))
    if found is None:
        raise not_found(f"No resource type {request.path_params['name']}")
    return scim_response(found)


async def _schemas(sim: Simulator, request: Request) -> Response:
    return scim_response(_discovery_list(discovery.schemas(base_url(request))))


async def _schema(sim: Simulator, request: Request) -> Response:
    found = discovery.find_schema(request.path_params["urn"], base_url(request))
    if found is None:
        raise not_found(f"No schema {request.path_params['urn']}")
    return scim_response(found)


async def _not_implemented(sim: Simulator, request: Request) -> Response:
    raise ScimError(501, f"{request.url.path} is not implemented by this service provider")


async def _unknown(sim: Simulator, request: Request) -> Response:
    raise not_found(f"No SCIM endpoint at {request.url.path}")


_ALL = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _route(sim: Simulator, path: str, handlers: dict[str, Any]) -> Route:
    return Route(path, endpoint(sim, handlers), methods=list(_ALL))


def scim_routes(sim: Simulator) -> list[BaseRoute]:
    """Every SCIM route, for `Mount("/scim/v2", routes=scim_routes(sim))`."""
    routes: list[BaseRoute] = [
        _route(sim, "/ServiceProviderConfig", {"GET": _service_provider_config}),
        _route(sim, "/ResourceTypes", {"GET": _resource_types}),
        _route(sim, "/ResourceTypes/{name}", {"GET": _resource_type}),
        _route(sim, "/Schemas", {"GET": _schemas}),
        _route(sim, "/Schemas/{urn}", {"GET": _schema}),
    ]
    for kind in (USER, GROUP):
        collection, search, single = _resource_handlers(kind)
        routes += [
            _route(sim, kind.endpoint, collection),
            _route(sim, f"{kind.endpoint}/.search", search),
            _route(sim, kind.endpoint + "/{id}", single),
        ]
    not_implemented = dict.fromkeys(_ALL, _not_implemented)
    routes += [
        _route(sim, "/Me", not_implemented),
        _route(sim, "/Me/{rest:path}", not_implemented),
        _route(sim, "/Bulk", not_implemented),
        _route(sim, "/.search", {"POST": _root_search}),
        _route(sim, "/{rest:path}", dict.fromkeys(_ALL, _unknown)),
    ]
    return routes


def filter_resources(sim: Simulator, kind: ResourceKind, text: str) -> list[dict[str, Any]]:
    """The stored resources of `kind` matching a SCIM filter (for other simulator modules)."""
    node = parse_filter(text, kind)
    with sim.lock:
        return [r for r in store.collection(sim.org, kind).values() if node.matches(r, kind)]


__all__ = ["filter_resources", "page_bounds", "scim_routes"]
