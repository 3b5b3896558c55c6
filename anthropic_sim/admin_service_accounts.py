"""Admin API: service accounts and their workspace memberships (reference 9, 9.1).

Every route here accepts only the org:admin OAuth bearer; lists use page tokens (family B).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim import render
from anthropic_sim.admin_federation import refuse_while_live_rules
from anthropic_sim.auth import oauth_actor, require_oauth
from anthropic_sim.errors import ApiError, bad_request, not_found
from anthropic_sim.httputil import AdminJSON, json_body, query_bool, require_str
from anthropic_sim.mutations import archive_keys_acting_as
from anthropic_sim.pagination import token_page
from anthropic_sim.state import (
    WORKSPACE_ROLES,
    ServiceAccount,
    ServiceAccountMembership,
    Simulator,
    Workspace,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SA_ROLES = ("admin", "developer")
NO_BILLING_ROLES = tuple(r for r in WORKSPACE_ROLES if r != "workspace_billing")


def check_sa_role(value: Any) -> str:
    if value not in SA_ROLES:
        raise bad_request("organization_role: Input should be 'admin' or 'developer'")
    return str(value)


def check_ws_role(value: Any) -> str:
    if value not in NO_BILLING_ROLES:
        raise bad_request(f"workspace_role: Input should be one of {', '.join(NO_BILLING_ROLES)}")
    return str(value)


def check_description(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) > 1000):
        raise bad_request("description: a string of at most 1000 characters, or null")
    return value


def service_account_routes(sim: Simulator) -> list[BaseRoute]:

    def get_sa(sa_id: str) -> ServiceAccount:
        sa = sim.org.service_accounts.get(sa_id)
        if sa is None:
            raise not_found(f"Service account {sa_id} not found")
        return sa

    def get_ws(ws_id: str) -> Workspace:
        ws = sim.org.workspaces.get(ws_id)
        if ws is None:
            raise not_found(f"Workspace {ws_id} not found")
        return ws

    def live_ws(ws_id: str) -> Workspace:
        ws = get_ws(ws_id)
        if ws.archived_at is not None:
            raise bad_request(f"Workspace {ws_id} is archived")
        return ws

    def live_sa(sa_id: str) -> ServiceAccount:
        sa = get_sa(sa_id)
        if sa.archived_at is not None:
            raise bad_request(f"Service account {sa_id} is archived")
        return sa

    def implicit_row(sa: ServiceAccount) -> ServiceAccountMembership:
        return ServiceAccountMembership(sa.id, sim.org.default_workspace().id, "workspace_user")

    # ------------------------------------------------------------------ accounts
    async def list_sas(request: Request) -> Response:
        require_oauth(request)
        include_archived = query_bool(request.query_params, "include_archived")
        with sim.lock:
            items = sorted(
                (
                    s
                    for s in sim.org.service_accounts.values()
                    if include_archived or not s.archived_at
                ),
                key=lambda s: s.id,
                reverse=True,  # newest first
            )
            page, meta = token_page(items, lambda s: s.id, request.query_params, descending=True)
            data = [render.service_account(s) for s in page]
        return AdminJSON({"data": data, **meta})

    async def create_sa(request: Request) -> Response:
        require_oauth(request)
        body = await json_body(request)
        name = require_str(body, "name", 1, 64)
        if not SLUG.match(name):
            raise bad_request("name: lowercase letters, digits and hyphens only (a slug)")
        role = check_sa_role(body.get("organization_role", "developer"))
        description = check_description(body.get("description"))
        with sim.lock:
            if any(s.name == name for s in sim.org.service_accounts.values()):
                raise ApiError(409, f"A service account named {name!r} already exists")
            now = sim.now()
            sa = ServiceAccount(
                id=sim.new_ids().service_account(),
                name=name,
                organization_role=role,
                created_at=now,
                updated_at=now,
                description=description,
                created_by_actor_id=oauth_actor(sim),
                updated_by_actor_id=oauth_actor(sim),
            )
            sim.org.service_accounts[sa.id] = sa
            return AdminJSON(render.service_account(sa))

    async def retrieve_sa(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            return AdminJSON(render.service_account(get_sa(request.path_params["sa_id"])))

    async def update_sa(request: Request) -> Response:
        require_oauth(request)
        body = await json_body(request)
        with sim.lock:
            sa = live_sa(request.path_params["sa_id"])
            if "name" in body and body["name"] != sa.name:
                raise bad_request("name: a service account cannot be renamed")
            role = check_sa_role(body["organization_role"]) if "organization_role" in body else None
            if "description" in body:
                sa.description = check_description(body["description"])
            if role is not None:
                sa.organization_role = role
            sa.updated_at = sim.now()
            sa.updated_by_actor_id = oauth_actor(sim)
            return AdminJSON(render.service_account(sa))

    async def archive_sa(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            sa = get_sa(request.path_params["sa_id"])
            refuse_while_live_rules(sim, sa.id)
            if sa.archived_at is None:  # idempotent: archiving again keeps the first archived_at
                sa.archived_at = sim.now()
                sa.archived_by_actor_id = oauth_actor(sim)
                sa.updated_at = sa.archived_at
                archive_keys_acting_as(sim, sa.id)
            return AdminJSON(render.service_account(sa))

    # ------------------------------------------------------------------ memberships
    def upsert(sa: ServiceAccount, ws: Workspace, role: str) -> ServiceAccountMembership:
        existing = sim.org.sa_memberships.get((sa.id, ws.id))
        if existing is not None:
            existing.workspace_role = role  # adding an existing explicit member replaces its role
            return existing
        row = ServiceAccountMembership(sa.id, ws.id, role, created_by_actor_id=oauth_actor(sim))
        sim.org.sa_memberships[(sa.id, ws.id)] = row
        return row

    def deleted(sa_id: str, ws_id: str) -> dict[str, Any]:
        return {
            "type": "service_account_workspace_member_deleted",
            "service_account_id": sa_id,
            "workspace_id": ws_id,
        }

    async def list_sa_workspaces(request: Request) -> Response:
        require_oauth(request)
        params = request.query_params
        with sim.lock:
            sa = get_sa(request.path_params["sa_id"])
            if sa.archived_at is not None:
                if params.get("page"):
                    raise bad_request("page: the page token no longer matches any record")
                return AdminJSON({"data": [], "has_more": False, "next_page": None})
            default_id = sim.org.default_workspace().id
            rows = sorted(
                (
                    m
                    for (sa_id, ws_id), m in sim.org.sa_memberships.items()
                    if sa_id == sa.id
                    and ws_id != default_id
                    and ws_id in sim.org.workspaces
                    and sim.org.workspaces[ws_id].archived_at is None
                ),
                key=lambda m: m.workspace_id,
            )

            def valid(cursor: str) -> bool:
                return (sa.id, cursor) in sim.org.sa_memberships

            page, meta = token_page(rows, lambda m: m.workspace_id, params, valid_cursor=valid)
            data = [render.sa_membership(m) for m in page]
            if not params.get("page"):
                explicit_default = sim.org.sa_memberships.get((sa.id, default_id))
                first = (
                    render.sa_membership(explicit_default)
                    if explicit_default
                    else render.sa_membership(implicit_row(sa), implicit=True)
                )
                data.insert(0, first)
        return AdminJSON({"data": data, **meta})

    async def add_sa_workspace(request: Request) -> Response:
        require_oauth(request)
        body = await json_body(request)
        ws_id = require_str(body, "workspace_id")
        role = check_ws_role(body.get("workspace_role"))
        with sim.lock:
            sa = live_sa(request.path_params["sa_id"])
            ws = live_ws(ws_id)
            return AdminJSON(render.sa_membership(upsert(sa, ws, role)))

    async def remove_sa_workspace(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            sa = get_sa(request.path_params["sa_id"])
            ws = live_ws(request.path_params["workspace_id"])
            sim.org.sa_memberships.pop((sa.id, ws.id), None)  # idempotent; implicit rows stay
            return AdminJSON(deleted(sa.id, ws.id))

    async def list_ws_sas(request: Request) -> Response:
        require_oauth(request)
        params = request.query_params
        with sim.lock:
            ws = live_ws(request.path_params["workspace_id"])
            rows = sorted(
                (
                    m
                    for (sa_id, ws_id), m in sim.org.sa_memberships.items()
                    if ws_id == ws.id
                    and sa_id in sim.org.service_accounts
                    and sim.org.service_accounts[sa_id].archived_at is None
                ),
                key=lambda m: m.service_account_id,
            )

            def valid(cursor: str) -> bool:
                sa = sim.org.service_accounts.get(cursor)
                return (cursor, ws.id) in sim.org.sa_memberships and bool(sa) and not sa.archived_at

            page, meta = token_page(
                rows, lambda m: m.service_account_id, params, valid_cursor=valid
            )
            data = [render.sa_membership(m) for m in page]
        return AdminJSON({"data": data, **meta})

    async def add_ws_sa(request: Request) -> Response:
        require_oauth(request)
        body = await json_body(request)
        sa_id = require_str(body, "service_account_id")
        role = check_ws_role(body.get("workspace_role"))
        with sim.lock:
            ws = live_ws(request.path_params["workspace_id"])
            sa = live_sa(sa_id)
            return AdminJSON(render.sa_membership(upsert(sa, ws, role)))

    async def retrieve_ws_sa(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            ws = live_ws(request.path_params["workspace_id"])
            sa = get_sa(request.path_params["sa_id"])
            if sa.archived_at is not None:
                raise not_found(f"Service account {sa.id} is not a member of workspace {ws.id}")
            row = sim.org.sa_memberships.get((sa.id, ws.id))
            if row is not None:
                return AdminJSON(render.sa_membership(row))
            if ws.is_default:
                return AdminJSON(render.sa_membership(implicit_row(sa), implicit=True))
            raise not_found(f"Service account {sa.id} is not a member of workspace {ws.id}")

    async def update_ws_sa(request: Request) -> Response:
        require_oauth(request)
        body = await json_body(request)
        role = check_ws_role(body.get("workspace_role"))
        with sim.lock:
            ws = live_ws(request.path_params["workspace_id"])
            sa = live_sa(request.path_params["sa_id"])
            row = sim.org.sa_memberships.get((sa.id, ws.id))
            if row is None:
                if ws.is_default:
                    raise bad_request("Implicit Default Workspace memberships cannot be updated")
                raise not_found(f"Service account {sa.id} is not a member of workspace {ws.id}")
            row.workspace_role = role
            return AdminJSON(render.sa_membership(row))

    async def remove_ws_sa(request: Request) -> Response:
        require_oauth(request)
        with sim.lock:
            ws = live_ws(request.path_params["workspace_id"])
            sa = get_sa(request.path_params["sa_id"])
            sim.org.sa_memberships.pop((sa.id, ws.id), None)
            return AdminJSON(deleted(sa.id, ws.id))

    sas = "/v1/organizations/service_accounts"
    ws_sas = "/v1/organizations/workspaces/{workspace_id}/service_accounts"
    return [
        Route(sas, list_sas, methods=["GET"]),
        Route(sas, create_sa, methods=["POST"]),
        Route(f"{sas}/{{sa_id}}", retrieve_sa, methods=["GET"]),
        Route(f"{sas}/{{sa_id}}", update_sa, methods=["POST"]),
        Route(f"{sas}/{{sa_id}}/archive", archive_sa, methods=["POST"]),
        Route(f"{sas}/{{sa_id}}/workspaces", list_sa_workspaces, methods=["GET"]),
        Route(f"{sas}/{{sa_id}}/workspaces", add_sa_workspace, methods=["POST"]),
        Route(
            f"{sas}/{{sa_id}}/workspaces/{{workspace_id}}", remove_sa_workspace, methods=["DELETE"]
        ),
        Route(ws_sas, list_ws_sas, methods=["GET"]),
        Route(ws_sas, add_ws_sa, methods=["POST"]),
        Route(f"{ws_sas}/{{sa_id}}", retrieve_ws_sa, methods=["GET"]),
        Route(f"{ws_sas}/{{sa_id}}", update_ws_sa, methods=["POST"]),
        Route(f"{ws_sas}/{{sa_id}}", remove_ws_sa, methods=["DELETE"]),
    ]
