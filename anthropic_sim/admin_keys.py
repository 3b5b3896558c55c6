"""Admin API: API keys (reference 8). Management only: there is no create or delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim import render
from anthropic_sim.errors import bad_request, not_found
from anthropic_sim.faults import maybe_churn
from anthropic_sim.httputil import AdminJSON, check_str, json_body
from anthropic_sim.pagination import id_page
from anthropic_sim.state import API_KEY_STATUSES, ApiKey, Simulator
from anthropic_sim.status import key_status

SETTABLE_STATUSES = ("active", "inactive", "archived")


def api_key_routes(sim: Simulator) -> list[BaseRoute]:

    def get_key(key_id: str) -> ApiKey:
        key = sim.org.api_keys.get(key_id)
        if key is None:
            raise not_found(f"API key {key_id} not found")
        return key

    def show(key: ApiKey) -> dict:
        return render.api_key(key, sim.org, sim.now(), sim.config.emit_deprecated_workspace_id)

    def known_key(identifier: str) -> bool:
        return identifier in sim.org.api_keys or identifier in sim.tombstones

    async def list_keys(request: Request) -> Response:
        params = request.query_params
        status = params.get("status") or None
        if status is not None and status not in API_KEY_STATUSES:
            raise bad_request(f"status: Input should be one of {', '.join(API_KEY_STATUSES)}")
        workspace_id = params.get("workspace_id") or None
        creator = params.get("created_by_user_id") or None
        now = sim.now()
        with sim.lock:
            items = [
                k
                for k in sim.org.api_keys.values()
                if (status is None or key_status(k, now) == status)
                and (workspace_id is None or k.workspace_id == workspace_id)
                and (
                    creator is None
                    or (k.created_by is not None and k.created_by.get("id") == creator)
                )
            ]
            page, meta = id_page(
                items, lambda k: k.id, params, known_key, sim.config.unknown_cursor
            )
            data = [show(k) for k in page]
        maybe_churn(sim, "admin", request.url.path)
        return AdminJSON({"data": data, **meta})

    async def retrieve_key(request: Request) -> Response:
        with sim.lock:
            return AdminJSON(show(get_key(request.path_params["api_key_id"])))

    async def update_key(request: Request) -> Response:
        body = await json_body(request)
        name = check_str("name", body["name"], 1, 500) if "name" in body else None
        status = body.get("status")
        if status is not None and status not in SETTABLE_STATUSES:
            raise bad_request(f"status: Input should be one of {', '.join(SETTABLE_STATUSES)}")
        with sim.lock:
            key = get_key(request.path_params["api_key_id"])
            ws = sim.org.workspaces.get(key.workspace_id) if key.workspace_id else None
            if ws is not None and ws.archived_at is not None:
                raise bad_request(f"API key {key.id} belongs to archived workspace {ws.id}")
            current = key_status(key, sim.now())
            if status is not None and status != current:
                if current == "archived":
                    raise bad_request("Archived API keys cannot be changed")
                if current == "expired":
                    raise bad_request("Expired API keys cannot be changed")
                key.status = status
            if name is not None:
                key.name = name
            return AdminJSON(show(key))

    base = "/v1/organizations/api_keys"
    return [
        Route(base, list_keys, methods=["GET"]),
        Route(f"{base}/{{api_key_id}}", retrieve_key, methods=["GET"]),
        Route(f"{base}/{{api_key_id}}", update_key, methods=["POST"]),
    ]
