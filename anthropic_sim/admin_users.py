"""Admin API: organization members (`/v1/organizations/users`) and invites (reference 4, 5).

Enterprise orgs follow claude-org-products.md 2.1-2.5: scopes on every call, Enterprise roles
(only user and managed assignable), the documented 400s, newest first, `+tag`-blind email filter.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from anthropic_sim import render
from anthropic_sim.errors import ApiError, bad_request, not_found
from anthropic_sim.faults import maybe_churn
from anthropic_sim.httputil import AdminJSON, json_body, query_list, require_str
from anthropic_sim.mutations import remove_user
from anthropic_sim.pagination import id_page
from anthropic_sim.scopes import require_scopes
from anthropic_sim.state import (
    ASSIGNABLE_ORG_ROLES,
    ENTERPRISE_ASSIGNABLE_ROLES,
    ENTERPRISE_PROTECTED_ROLES,
    ORG_ROLES,
    ROLE_FILTER_VALUES,
    Invite,
    Simulator,
    User,
)
from anthropic_sim.status import ADMIN_ROLES, invite_status

SIGN_OUT_BETA = "admin-user-sign-out-2026-10-08"
UNASSIGNABLE = ("admin", "membership_admin", "owner", "primary_owner")
INVITE_TTL = timedelta(days=21)
LISTABLE_INVITE_STATUSES = ("accepted", "expired", "pending")


def check_assignable(role: object) -> str:
    if not isinstance(role, str) or role not in ORG_ROLES:
        raise bad_request(f"role: Input should be one of {', '.join(ASSIGNABLE_ORG_ROLES)}")
    if role in UNASSIGNABLE or role not in ASSIGNABLE_ORG_ROLES:
        raise bad_request(f"role: the {role!r} role cannot be assigned through the Admin API")
    return role


def check_enterprise_role(role: object) -> str:
    if role not in ENTERPRISE_ASSIGNABLE_ROLES:
        allowed = " or ".join(ENTERPRISE_ASSIGNABLE_ROLES)
        raise bad_request(f"role: must be {allowed} in a Claude Enterprise organization")
    assert isinstance(role, str)
    return role


def email_key(email: str, enterprise: bool) -> str:
    """What the `email` filter compares: case-insensitive; Enterprise also ignores `+tag`."""
    lowered = email.strip().lower()
    if not enterprise:
        return lowered
    local, at, domain = lowered.partition("@")
    return local.partition("+")[0] + at + domain


def check_role_filter(roles: list[str], product: str) -> None:
    allowed = ROLE_FILTER_VALUES[product]
    for role in roles:
        if role not in allowed:
            raise bad_request(f"roles: Input should be one of {', '.join(allowed)}, got {role!r}")


def valid_email(value: str) -> str:
    local, at, domain = value.strip().partition("@")
    if not at or not local or "." not in domain or "@" in domain or " " in value.strip():
        raise bad_request(f"email: value is not a valid email address: {value!r}")
    return value.strip()


def user_routes(sim: Simulator) -> list[BaseRoute]:
    def enterprise() -> bool:
        return sim.org.product == "enterprise"

    def newest_first() -> bool:  # documented for Enterprise; Console lists oldest first
        return enterprise()

    def get_user(user_id: str) -> User:
        user = sim.org.users.get(user_id)
        if user is None:
            raise not_found(f"User {user_id} not found")
        return user

    def protect(user: User, action: str) -> None:
        if enterprise() and user.role in ENTERPRISE_PROTECTED_ROLES:
            raise bad_request(f"Cannot {action} a user with the protected {user.role!r} role")
        if user.role in ADMIN_ROLES:
            raise ApiError(
                int(sim.config.protected_user_status),
                f"Cannot {action} a user with the {user.role!r} role through the Admin API",
            )

    def known_user(identifier: str) -> bool:
        return (
            identifier in sim.org.users
            or identifier in sim.org.departed_users
            or (identifier in sim.tombstones)
        )

    async def list_users(request: Request) -> Response:
        require_scopes(request, "read:members")
        params = request.query_params
        plus = enterprise()
        email = email_key(params.get("email") or "", plus)
        roles = query_list(params, "roles")
        check_role_filter(roles, sim.org.product)
        with sim.lock:
            items = [
                u
                for u in sim.org.users.values()
                if (not email or email_key(u.email, plus) == email)
                and (not roles or u.role in roles)
            ]
            page, meta = id_page(
                items,
                lambda u: u.id,
                params,
                known_user,
                sim.config.unknown_cursor,
                newest_first(),
            )
            data = [render.user(u) for u in page]
        maybe_churn(sim, "admin", request.url.path)
        return AdminJSON({"data": data, **meta})

    async def retrieve_user(request: Request) -> Response:
        require_scopes(request, "read:members")
        with sim.lock:
            return AdminJSON(render.user(get_user(request.path_params["user_id"])))

    async def update_user(request: Request) -> Response:
        require_scopes(request, "write:members")
        body = await json_body(request)
        if "role" not in body:
            raise bad_request("role: Field required")
        if enterprise():
            role = check_enterprise_role(body["role"])
            if role == "managed":
                require_scopes(request, "write:members", "write:rbac_groups")
            if sim.config.idp_manages_roles or sim.config.provisioning == "scim":
                raise bad_request("Roles are managed by your identity provider")
        else:
            role = check_assignable(body["role"])
        with sim.lock:
            user = get_user(request.path_params["user_id"])
            protect(user, "change the role of")
            user.role = role
            return AdminJSON(render.user(user))

    async def delete_user(request: Request) -> Response:
        require_scopes(request, "write:members")
        with sim.lock:
            user = get_user(request.path_params["user_id"])
            protect(user, "remove")
            if enterprise() and sim.config.provisioning == "scim":
                raise bad_request("Membership is managed by SCIM; remove the user in your IdP")
            remove_user(sim, user.id)
            return AdminJSON({"id": user.id, "type": "user_deleted"})

    async def sign_out(request: Request) -> Response:
        """Ends the member's sessions everywhere; keeps their role and keys (reference 2.4)."""
        require_scopes(request, "write:members")
        betas = request.headers.get("anthropic-beta") or ""
        if SIGN_OUT_BETA not in (b.strip() for b in betas.split(",")):
            raise bad_request(f"anthropic-beta: {SIGN_OUT_BETA} is required for this endpoint")
        if not sim.config.sign_out_beta_enrolled:
            raise ApiError(
                400,
                "This organization is not enrolled in the admin user sign-out beta",
                details={"error_code": "organization_not_enrolled_in_beta"},
            )
        with sim.lock:
            user = get_user(request.path_params["user_id"])
            protect(user, "sign out")
            user.signed_out_at = sim.now()
            return AdminJSON(render.user(user))

    # ------------------------------------------------------------------ invites
    def visible(invite: Invite) -> bool:
        return invite.status != "deleted" or bool(sim.config.list_deleted_invites)

    def get_invite(invite_id: str) -> Invite:
        invite = sim.org.invites.get(invite_id)
        if invite is None or not visible(invite):
            raise not_found(f"Invite {invite_id} not found")
        return invite

    def seat_free(now: datetime) -> bool:
        seats = sim.config.seats
        pending = sum(1 for i in sim.org.invites.values() if invite_status(i, now) == "pending")
        return not seats or len(sim.org.users) + pending < seats

    def known_invite(identifier: str) -> bool:
        return identifier in sim.org.invites or identifier in sim.tombstones

    async def list_invites(request: Request) -> Response:
        require_scopes(request, "read:members")
        params = request.query_params
        plus = enterprise()
        email = email_key(params.get("email") or "", plus)
        roles = query_list(params, "roles")
        statuses = query_list(params, "statuses")
        allowed = LISTABLE_INVITE_STATUSES + (
            ("deleted",) if sim.config.list_deleted_invites else ()
        )
        check_role_filter(roles, sim.org.product)
        for status in statuses:
            if status not in allowed:
                raise bad_request(f"statuses: Input should be one of {', '.join(allowed)}")
        wanted = set(statuses or allowed)
        now = sim.now()
        with sim.lock:
            items = [
                i
                for i in sim.org.invites.values()
                if invite_status(i, now) in wanted
                and (not email or email_key(i.email, plus) == email)
                and (not roles or i.role in roles)
            ]
            page, meta = id_page(
                items,
                lambda i: i.id,
                params,
                known_invite,
                sim.config.unknown_cursor,
                newest_first(),
            )
            data = [render.invite(i, now) for i in page]
        maybe_churn(sim, "admin", request.url.path)
        return AdminJSON({"data": data, **meta})

    async def retrieve_invite(request: Request) -> Response:
        require_scopes(request, "read:members")
        with sim.lock:
            invite = get_invite(request.path_params["invite_id"])
            return AdminJSON(render.invite(invite, sim.now()))

    async def create_invite(request: Request) -> Response:
        require_scopes(request, "write:members")
        body = await json_body(request)
        email = valid_email(require_str(body, "email"))
        if "role" not in body:
            raise bad_request("role: Field required")
        role = (
            check_enterprise_role(body["role"]) if enterprise() else check_assignable(body["role"])
        )
        groups = body.get("rbac_group_ids") or []
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise bad_request("rbac_group_ids: Input should be a valid list of strings")
        if groups and not enterprise():
            raise bad_request("rbac_group_ids: RBAC groups are only available to Enterprise orgs")
        if groups:
            require_scopes(request, "write:members", "write:rbac_groups")
        if enterprise() and sim.config.provisioning != "manual":
            raise bad_request(
                f"Invites are not available while members are provisioned by "
                f"{sim.config.provisioning.upper()}"
            )
        now = sim.now()
        with sim.lock:
            if enterprise() and not seat_free(now):
                raise bad_request("No seat is available; add seats before inviting")
            if sim.org.user_by_email(email) is not None:
                raise bad_request(f"{email} is already a member of this organization")
            for other in sim.org.invites.values():
                pending = invite_status(other, now) == "pending"
                if pending and other.email.lower() == email.lower():
                    raise bad_request(f"{email} already has a pending invite")
            invite = Invite(
                id=sim.new_ids().invite(),
                email=email,
                role=role,
                status="pending",
                invited_at=now,
                expires_at=now + INVITE_TTL,
                rbac_group_ids=list(groups),
            )
            sim.org.invites[invite.id] = invite
            return AdminJSON(render.invite(invite, now))

    async def delete_invite(request: Request) -> Response:
        require_scopes(request, "write:members")
        with sim.lock:
            invite = get_invite(request.path_params["invite_id"])
            status = invite_status(invite, sim.now())
            if status != "pending":
                raise bad_request(f"Only pending invites can be deleted; this one is {status}")
            invite.status = "deleted"
            return AdminJSON({"id": invite.id, "type": "invite_deleted"})

    base = "/v1/organizations"
    return [
        Route(f"{base}/users", list_users, methods=["GET"]),
        Route(f"{base}/users/{{user_id}}", retrieve_user, methods=["GET"]),
        Route(f"{base}/users/{{user_id}}", update_user, methods=["POST"]),
        Route(f"{base}/users/{{user_id}}", delete_user, methods=["DELETE"]),
        Route(f"{base}/users/{{user_id}}/sign_out", sign_out, methods=["POST"]),
        Route(f"{base}/invites", list_invites, methods=["GET"]),
        Route(f"{base}/invites", create_invite, methods=["POST"]),
        Route(f"{base}/invites/{{invite_id}}", retrieve_invite, methods=["GET"]),
        Route(f"{base}/invites/{{invite_id}}", delete_invite, methods=["DELETE"]),
    ]
