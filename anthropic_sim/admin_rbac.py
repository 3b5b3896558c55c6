"""Admin API: Enterprise groups (`rbac_groups`) and roles (`rbac_roles`), reference 2.6-2.7.

Served to Enterprise organizations only; a Console organization answers 400 with
`error.details.error_code: organization_type_not_supported` (docs/simulator.md,
"Enterprise groups and roles").
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim.errors import ApiError, admin_error_body
from anthropic_sim.httputil import AdminJSON, json_body, require_str
from anthropic_sim.pagination import token_page
from anthropic_sim.rbac_state import RbacGroup, RbacGroupMember, RbacRole, permission_row
from anthropic_sim.render import ts
from anthropic_sim.scopes import require_scopes
from anthropic_sim.state import Simulator

Handler = Callable[[Request], Awaitable[Response]]
T = TypeVar("T")
MAX_LIMIT = 1000


class RbacError(ApiError):
    """An ApiError that also names its `error.details.error_code`."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(status, message)
        self.code = code


def _error_response(request: Request, error: ApiError, code: str) -> Response:
    body = admin_error_body(error.error_type, error.message, str(request.state.request_id))
    body["error"]["details"] = {"error_code": code}
    return AdminJSON(body, error.status)


class _SeededRate:
    """Draws for a rate knob, reseeded from `fault_seed` whenever the config is swapped."""

    def __init__(self, knob: str, stream: str) -> None:
        self.knob = knob
        self.stream = stream
        self.config: object = None
        self.rng = random.Random()

    def draw(self, config: Any) -> bool:
        if self.config is not config:
            self.config = config
            self.rng = random.Random(f"{self.stream}-{config.fault_seed}")
        rate = float(getattr(config, self.knob))
        return rate > 0 and self.rng.random() < rate


def rbac_routes(sim: Simulator) -> list[BaseRoute]:
    null_roles = _SeededRate("rbac_roles_unavailable_rate", "rbac-roles")

    def enterprise_only(family: str, handler: Handler) -> Handler:
        async def serve(request: Request) -> Response:
            if sim.config.product != "enterprise":
                message = f"The {family} API is available to Claude Enterprise organizations only."
                return _error_response(
                    request, ApiError(400, message), "organization_type_not_supported"
                )
            try:
                return await handler(request)
            except RbacError as error:
                return _error_response(request, error, error.code)

        return serve

    def group_ref(group_id: str) -> dict[str, str]:
        field = sim.config.rbac_member_group_field
        names = ("rbac_group_id", "group_id") if field == "both" else (field,)
        return {name: group_id for name in names}

    def render_group(group: RbacGroup) -> dict[str, Any]:
        role_ids = None if null_roles.draw(sim.config) else list(group.role_ids)
        field = sim.config.rbac_group_role_field
        names = ("role_ids", "roles") if field == "both" else (field,)
        return {
            "type": "rbac_group",
            "id": group.id,
            "name": group.name,
            "source_type": group.source_type,
            "created_at": ts(group.created_at),
            "updated_at": ts(group.updated_at),
            **{name: role_ids for name in names},
        }

    def render_member(group: RbacGroup, member: RbacGroupMember) -> dict[str, Any]:
        return {
            "type": "rbac_group_member",
            "user_id": member.user_id,
            "email": sim.org.users[member.user_id].email,
            "created_at": ts(member.created_at),
            **group_ref(group.id),
        }

    def render_role(role: RbacRole) -> dict[str, Any]:
        return {
            "type": "rbac_role",
            "id": role.id,
            "display_name": role.display_name,
            "source": {"type": role.source},
            "created_at": ts(role.created_at),
            "updated_at": ts(role.updated_at),
        }

    def get_group(request: Request) -> RbacGroup:
        group_id = request.path_params["group_id"]
        group = sim.org.rbac.groups.get(group_id)
        if group is None:
            raise RbacError(404, f"RBAC group {group_id} not found", "rbac_group_not_found")
        return group

    def writable(group: RbacGroup, action: str) -> None:
        if group.source_type == "scim":
            raise ApiError(
                400, f"Cannot {action} a SCIM-provisioned group; it is managed by the directory"
            )

    def get_role(request: Request) -> RbacRole:
        role_id = request.path_params["role_id"]
        # TODO(linked orgs): a sibling org's role is a 404 once several linked orgs exist.
        role = sim.org.rbac.roles.get(role_id)
        if role is None:
            raise RbacError(404, f"RBAC role {role_id} not found", "rbac_role_not_found")
        return role

    def listing(
        request: Request,
        items: Iterable[T],
        key: Callable[[T], str],
        render: Callable[[T], dict[str, Any]],
        shown: Callable[[T], bool] = lambda _: True,
    ) -> Response:
        """One page of `items` in `key` order, in its envelope: `next_page` only, as the SDK's
        cursor page reads it. Items not `shown` are left out after the page is cut, so such a
        page comes back short."""
        page, meta = token_page(
            sorted(items, key=key), key, request.query_params, maximum=MAX_LIMIT
        )
        data = [render(item) for item in page if shown(item)]
        return AdminJSON({"data": data, "next_page": meta["next_page"]})

    # ------------------------------------------------------------------ groups
    async def list_groups(request: Request) -> Response:
        require_scopes(request, "read:rbac_groups")
        with sim.lock:
            return listing(request, sim.org.rbac.groups.values(), lambda g: g.id, render_group)

    async def retrieve_group(request: Request) -> Response:
        require_scopes(request, "read:rbac_groups")
        with sim.lock:
            return AdminJSON(render_group(get_group(request)))

    async def create_group(request: Request) -> Response:
        require_scopes(request, "write:rbac_groups")
        name = require_str(await json_body(request), "name", 1, 255)
        with sim.lock:
            now = sim.now()
            group = RbacGroup(sim.new_ids().make("rbac_group_"), name, "direct", now, now)
            sim.org.rbac.groups[group.id] = group
            return AdminJSON(render_group(group))

    async def rename_group(request: Request) -> Response:
        require_scopes(request, "write:rbac_groups")
        name = require_str(await json_body(request), "name", 1, 255)
        with sim.lock:
            group = get_group(request)
            writable(group, "rename")
            group.name, group.updated_at = name, sim.now()
            return AdminJSON(render_group(group))

    async def delete_group(request: Request) -> Response:
        require_scopes(request, "write:rbac_groups")
        with sim.lock:
            group = get_group(request)
            writable(group, "delete")
            del sim.org.rbac.groups[group.id]
            sim.tombstones.add(group.id)
            return AdminJSON({"id": group.id, "type": "rbac_group_deleted"})

    # ------------------------------------------------------------------ group members
    def member_key(member: RbacGroupMember) -> str:
        return f"{ts(member.created_at)}|{member.user_id}"

    async def list_members(request: Request) -> Response:
        require_scopes(request, "read:rbac_groups")
        with sim.lock:
            group = get_group(request)
            return listing(
                request,
                group.members.values(),
                member_key,
                lambda member: render_member(group, member),
                shown=lambda member: member.user_id in sim.org.users,  # current members only
            )

    async def add_member(request: Request) -> Response:
        require_scopes(request, "write:rbac_groups")
        user_id = require_str(await json_body(request), "user_id")
        with sim.lock:
            group = get_group(request)
            writable(group, "change the members of")
            if user_id not in sim.org.users:
                raise ApiError(404, f"User {user_id} is not a member of this organization")
            if user_id in group.members:
                raise ApiError(400, f"User {user_id} is already a member of this group")
            member = RbacGroupMember(user_id, sim.now())
            group.members[user_id] = member
            return AdminJSON(render_member(group, member))

    async def remove_member(request: Request) -> Response:
        require_scopes(request, "write:rbac_groups")
        user_id = request.path_params["user_id"]
        with sim.lock:
            group = get_group(request)
            writable(group, "change the members of")
            if user_id not in group.members or user_id not in sim.org.users:
                raise ApiError(404, f"User {user_id} is not a member of this group")
            del group.members[user_id]
            body = {**group_ref(group.id), "user_id": user_id}
            return AdminJSON({**body, "type": "rbac_group_member_deleted"})

    # ------------------------------------------------------------------ roles
    async def list_roles(request: Request) -> Response:
        require_scopes(request, "read:members")
        with sim.lock:
            return listing(request, sim.org.rbac.roles.values(), lambda r: r.id, render_role)

    async def retrieve_role(request: Request) -> Response:
        require_scopes(request, "read:members")
        with sim.lock:
            return AdminJSON(render_role(get_role(request)))

    async def list_permissions(request: Request) -> Response:
        require_scopes(request, "read:members")
        with sim.lock:
            rows = enumerate(get_role(request).permissions)
            return listing(
                request, rows, lambda row: f"{row[0]:06d}", lambda row: permission_row(row[1])
            )

    groups = "/v1/organizations/rbac_groups"
    roles = "/v1/organizations/rbac_roles"
    table: list[tuple[str, str, str, Handler]] = [
        ("RBAC Groups", groups, "GET", list_groups),
        ("RBAC Groups", groups, "POST", create_group),
        ("RBAC Groups", f"{groups}/{{group_id}}", "GET", retrieve_group),
        ("RBAC Groups", f"{groups}/{{group_id}}", "POST", rename_group),
        ("RBAC Groups", f"{groups}/{{group_id}}", "DELETE", delete_group),
        ("RBAC Groups", f"{groups}/{{group_id}}/members", "GET", list_members),
        ("RBAC Groups", f"{groups}/{{group_id}}/members", "POST", add_member),
        ("RBAC Groups", f"{groups}/{{group_id}}/members/{{user_id}}", "DELETE", remove_member),
        ("RBAC Roles", roles, "GET", list_roles),
        ("RBAC Roles", f"{roles}/{{role_id}}", "GET", retrieve_role),
        ("RBAC Roles", f"{roles}/{{role_id}}/permissions", "GET", list_permissions),
    ]
    return [
        Route(path, enterprise_only(family, handler), methods=[method])
        for family, path, method, handler in table
    ]
