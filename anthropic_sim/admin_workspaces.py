"""Admin API: workspaces and their (user) members (reference 6, 7)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim import render
from anthropic_sim.errors import ApiError, bad_request, not_found
from anthropic_sim.faults import maybe_churn
from anthropic_sim.httputil import (
    AdminJSON,
    check_str,
    json_body,
    query_bool,
    query_list,
    require_str,
)
from anthropic_sim.mutations import archive_workspace
from anthropic_sim.pagination import id_page
from anthropic_sim.state import WORKSPACE_ROLES, Simulator, Workspace, WorkspaceMember
from anthropic_sim.status import inherited_workspace_role

COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
NO_BILLING_ROLES = tuple(r for r in WORKSPACE_ROLES if r != "workspace_billing")
GEOS = ("global", "us")
DEFAULT_COLOR = "#6C5BB9"


def check_color(value: Any) -> str:
    if not isinstance(value, str) or not COLOR.match(value):
        raise bad_request("display_color: String should match pattern '^#[0-9A-Fa-f]{6}$'")
    return value


def check_tags(value: Any, allow_null: bool) -> dict[str, str | None]:
    if not isinstance(value, dict):
        raise bad_request("tags: Input should be a valid dictionary")
    for key, tag in value.items():
        if key.lower().startswith("anthropic"):
            raise bad_request(f"tags: keys may not start with 'anthropic' ({key!r})")
        if tag is None and allow_null:
            continue
        if not isinstance(tag, str):
            raise bad_request(f"tags.{key}: Input should be a valid string")
    return value


def check_residency(value: Any, current: dict[str, Any], creating: bool) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request("data_residency: Input should be a valid dictionary")
    out = dict(current)
    for key, item in value.items():
        if key == "workspace_geo":
            if not creating and item != current.get("workspace_geo"):
                raise bad_request("data_residency.workspace_geo cannot be changed after creation")
            if item != "us":
                raise bad_request("data_residency.workspace_geo: Input should be 'us'")
        elif key == "allowed_inference_geos":
            ok = item == "unrestricted" or (
                isinstance(item, list) and item and all(g in GEOS for g in item)
            )
            if not ok:
                raise bad_request(
                    "data_residency.allowed_inference_geos: 'unrestricted' or a list of "
                    "'global'/'us'"
                )
        elif key == "default_inference_geo":
            if item not in GEOS:
                raise bad_request("data_residency.default_inference_geo: 'global' or 'us'")
        else:
            raise bad_request(f"data_residency.{key}: Extra inputs are not permitted")
        out[key] = item
    allowed = out.get("allowed_inference_geos")
    if allowed != "unrestricted" and out.get("default_inference_geo") not in (allowed or []):
        raise bad_request(
            "data_residency.default_inference_geo must be one of allowed_inference_geos"
        )
    return out


def workspace_routes(sim: Simulator) -> list[BaseRoute]:

    def get_ws(workspace_id: str) -> Workspace:
        ws = sim.org.workspaces.get(workspace_id)
        if ws is None:
            raise not_found(f"Workspace {workspace_id} not found")
        return ws

    def writable(ws: Workspace) -> Workspace:
        if ws.archived_at is not None:
            raise bad_request(f"Workspace {ws.id} is archived")
        return ws

    def known_ws(identifier: str) -> bool:
        return identifier in sim.org.workspaces or identifier in sim.tombstones

    async def list_workspaces(request: Request) -> Response:
        params = request.query_params
        include_archived = query_bool(params, "include_archived")
        include_default = query_bool(params, "include_default")
        ids = query_list(params, "ids")
        if len(ids) > 100:
            raise bad_request("ids: at most 100 ids")
        wanted = set(ids)
        with sim.lock:
            items = [
                w
                for w in sim.org.workspaces.values()
                if (include_archived or w.archived_at is None)
                and (include_default or not w.is_default)
                and (not wanted or w.id in wanted)
            ]
            page, meta = id_page(items, lambda w: w.id, params, known_ws, sim.config.unknown_cursor)
            data = [render.workspace(w) for w in page]
        maybe_churn(sim, "admin", request.url.path)
        return AdminJSON({"data": data, **meta})

    async def retrieve_workspace(request: Request) -> Response:
        with sim.lock:
            return AdminJSON(render.workspace(get_ws(request.path_params["workspace_id"])))

    async def create_workspace(request: Request) -> Response:
        body = await json_body(request)
        name = require_str(body, "name", 1, 255)
        color = check_color(body["display_color"]) if "display_color" in body else DEFAULT_COLOR
        tags = check_tags(body.get("tags") or {}, allow_null=False)
        external = body.get("external_key_id")
        if external is not None:
            check_str("external_key_id", external)
        with sim.lock:
            active = [
                w for w in sim.org.workspaces.values() if not w.is_default and not w.archived_at
            ]
            if len(active) >= int(sim.config.workspace_limit):
                raise bad_request(
                    f"This organization has reached its limit of {sim.config.workspace_limit} "
                    "workspaces; archive one or contact your account team"
                )
            ids = sim.new_ids()
            ws = Workspace(
                id=ids.workspace(),
                name=name,
                created_at=sim.now(),
                display_color=color,
                compartment_id="cmpt_" + "".join(ids.rng.choices("0123456789abcdef", k=24)),
                external_key_id=external,
                tags={k: str(v) for k, v in tags.items()},
            )
            if "data_residency" in body:
                ws.data_residency = check_residency(body["data_residency"], ws.data_residency, True)
            sim.org.workspaces[ws.id] = ws
            return AdminJSON(render.workspace(ws))

    async def update_workspace(request: Request) -> Response:
        body = await json_body(request)
        with sim.lock:
            ws = writable(get_ws(request.path_params["workspace_id"]))
            if "name" in body:
                name = check_str("name", body["name"], 1, 255)
                if ws.is_default and name != ws.name:
                    raise bad_request("The Default Workspace cannot be renamed")
            color = check_color(body["display_color"]) if "display_color" in body else None
            tags = check_tags(body["tags"], allow_null=True) if body.get("tags") else {}
            residency = (
                check_residency(body["data_residency"], ws.data_residency, False)
                if "data_residency" in body
                else None
            )
            external = body.get("external_key_id")
            if external is not None:
                check_str("external_key_id", external)
                if ws.external_key_id is not None and ws.external_key_id != external:
                    raise bad_request("external_key_id is write-once and already set")
            if "name" in body:
                ws.name = body["name"]
            if color:
                ws.display_color = color
            for key, value in tags.items():
                if value is None:
                    ws.tags.pop(key, None)
                else:
                    ws.tags[key] = value
            if residency is not None:
                ws.data_residency = residency
            if external is not None:
                ws.external_key_id = external
            return AdminJSON(render.workspace(ws))

    async def archive(request: Request) -> Response:
        with sim.lock:
            ws = get_ws(request.path_params["workspace_id"])
            if ws.is_default:
                raise bad_request("The Default Workspace cannot be archived")
            writable(ws)
            archive_workspace(sim, ws.id)
            return AdminJSON(render.workspace(ws))

    # ------------------------------------------------------------------ members
    def effective_members(ws: Workspace) -> list[tuple[str, str]]:
        """(user_id, role) sorted by user id: explicit rows, plus inherited ones if configured."""
        rows: dict[str, str] = {}
        for (ws_id, user_id), m in sim.org.members.items():
            if ws_id == ws.id:
                rows[user_id] = m.workspace_role
        if sim.config.list_inherited_members:
            for user in sim.org.users.values():
                inherited = inherited_workspace_role(user.role)
                if inherited:
                    rows[user.id] = inherited
        return sorted(rows.items())

    def known_user(identifier: str) -> bool:
        return (
            identifier in sim.org.users
            or identifier in sim.org.departed_users
            or identifier in sim.tombstones
        )

    async def list_members(request: Request) -> Response:
        params = request.query_params
        with sim.lock:
            ws = get_ws(request.path_params["workspace_id"])
            items = effective_members(ws)
            page, meta = id_page(
                items, lambda r: r[0], params, known_user, sim.config.unknown_cursor
            )
            data = [render.member(ws.id, user_id, role) for user_id, role in page]
        maybe_churn(sim, "admin", request.url.path)
        return AdminJSON({"data": data, **meta})

    def role_of(ws: Workspace, user_id: str) -> str | None:
        user = sim.org.users.get(user_id)
        if user is None:
            return None
        inherited = inherited_workspace_role(user.role)
        if inherited:
            return inherited
        member = sim.org.members.get((ws.id, user_id))
        return member.workspace_role if member else None

    async def retrieve_member(request: Request) -> Response:
        with sim.lock:
            ws = get_ws(request.path_params["workspace_id"])
            user_id = request.path_params["user_id"]
            role = role_of(ws, user_id)
            if role is None:
                raise not_found(f"User {user_id} is not a member of workspace {ws.id}")
            return AdminJSON(render.member(ws.id, user_id, role))

    def check_member_role(value: Any, creating: bool) -> str:
        if not isinstance(value, str) or value not in WORKSPACE_ROLES:
            raise bad_request(
                f"workspace_role: Input should be one of {', '.join(WORKSPACE_ROLES)}"
            )
        billing_ok = not creating and sim.config.member_update_billing == "allow"
        if value == "workspace_billing" and not billing_ok:
            raise bad_request(
                "workspace_role: workspace_billing cannot be assigned manually; it is inherited "
                "from the organization billing role"
            )
        return value

    async def add_member(request: Request) -> Response:
        body = await json_body(request)
        user_id = require_str(body, "user_id")
        if "workspace_role" not in body:
            raise bad_request("workspace_role: Field required")
        role = check_member_role(body["workspace_role"], creating=True)
        with sim.lock:
            ws = writable(get_ws(request.path_params["workspace_id"]))
            user = sim.org.users.get(user_id)
            if user is None:
                raise not_found(f"User {user_id} not found")
            if inherited_workspace_role(user.role):
                raise bad_request(
                    f"User {user_id} already has access to every workspace through the "
                    f"{user.role!r} organization role"
                )
            if (ws.id, user_id) in sim.org.members:
                raise ApiError(409, f"User {user_id} is already a member of workspace {ws.id}")
            member = WorkspaceMember(ws.id, user_id, role)
            sim.org.members[(ws.id, user_id)] = member
            return AdminJSON(render.explicit_member(member))

    async def update_member(request: Request) -> Response:
        body = await json_body(request)
        if "workspace_role" not in body:
            raise bad_request("workspace_role: Field required")
        role = check_member_role(body["workspace_role"], creating=False)
        with sim.lock:
            ws = writable(get_ws(request.path_params["workspace_id"]))
            user_id = request.path_params["user_id"]
            user = sim.org.users.get(user_id)
            if user is not None and inherited_workspace_role(user.role):
                raise bad_request(
                    f"The workspace role of {user_id} is inherited from the {user.role!r} "
                    "organization role and cannot be changed"
                )
            member = sim.org.members.get((ws.id, user_id))
            if member is None or user is None:
                raise not_found(f"User {user_id} is not a member of workspace {ws.id}")
            member.workspace_role = role
            return AdminJSON(render.explicit_member(member))

    async def delete_member(request: Request) -> Response:
        with sim.lock:
            ws = writable(get_ws(request.path_params["workspace_id"]))
            user_id = request.path_params["user_id"]
            user = sim.org.users.get(user_id)
            if user is not None and inherited_workspace_role(user.role):
                raise bad_request(
                    f"User {user_id} cannot be removed from the workspace while they hold the "
                    f"{user.role!r} organization role"
                )
            if sim.org.members.pop((ws.id, user_id), None) is None:
                raise not_found(f"User {user_id} is not a member of workspace {ws.id}")
            return AdminJSON(
                {"type": "workspace_member_deleted", "user_id": user_id, "workspace_id": ws.id}
            )

    base = "/v1/organizations/workspaces"
    member = f"{base}/{{workspace_id}}/members/{{user_id}}"
    return [
        Route(base, list_workspaces, methods=["GET"]),
        Route(base, create_workspace, methods=["POST"]),
        Route(f"{base}/{{workspace_id}}", retrieve_workspace, methods=["GET"]),
        Route(f"{base}/{{workspace_id}}", update_workspace, methods=["POST"]),
        Route(f"{base}/{{workspace_id}}/archive", archive, methods=["POST"]),
        Route(f"{base}/{{workspace_id}}/members", list_members, methods=["GET"]),
        Route(f"{base}/{{workspace_id}}/members", add_member, methods=["POST"]),
        Route(member, retrieve_member, methods=["GET"]),
        Route(member, update_member, methods=["POST"]),
        Route(member, delete_member, methods=["DELETE"]),
    ]
