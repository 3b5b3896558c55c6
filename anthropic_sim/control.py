"""The control API under /_control (tests, demos, benchmarks); needs `x-control-token`.

GET  /_control/planted       the planted truth, recomputed from the current state
GET  /_control/stats         request counts by engine/route/status, faults, 429s, churn, and
                             `writes`: every write request (method, path, status, request_id)
POST /_control/stats/reset
GET  /_control/config        every SimConfig knob
PUT  /_control/config        change knobs (partial object); faults as a list of FaultSpec objects
POST /_control/mutate        {"op": ..., ...} state changes (see OPS)
GET  /_control/credentials   the org's credentials
GET  /_control/summary       record counts
POST /_control/reset         regenerate the org: {"seed", "size", "tier", ...any config knob}
Every route takes `?organization_id=` to address a linked org (default: the first).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, get_args

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from anthropic_sim import compliance_feed, linked, mutations, render
from anthropic_sim.config import FaultSpec, Product, ScimGate, SimConfig
from anthropic_sim.faults import churn_once
from anthropic_sim.planted import planted_truth
from anthropic_sim.state import AdminKey, Simulator

Handler = Callable[[Request], Awaitable[Response]]
RATE_KNOBS = (
    "admin_rate",
    "admin_burst",
    "scim_rate",
    "scim_burst",
    "rate_limit_enabled",
    "org_request_limit",
    "org_request_window_s",
    "invite_limit",
    "invite_window_s",
)


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def config_to_dict(config: SimConfig) -> dict[str, Any]:
    return dataclasses.asdict(config)


def _fault_spec(value: Any) -> FaultSpec:
    if not isinstance(value, dict):
        raise ControlError(400, "faults: a list of objects")
    names = {f.name for f in dataclasses.fields(FaultSpec)}
    unknown = set(value) - names
    if unknown:
        raise ControlError(400, f"faults: unknown fields {sorted(unknown)}")
    spec = dict(value)
    if "error_statuses" in spec:
        spec["error_statuses"] = tuple(int(s) for s in spec["error_statuses"])
    return FaultSpec(**spec)


def apply_config(sim: Simulator, changes: dict[str, Any]) -> None:
    """Apply a partial config; keeps engines (fault injector, rate limiter, tier) in step."""
    config = sim.config
    fields = {f.name: f for f in dataclasses.fields(SimConfig)}
    unknown = set(changes) - set(fields)
    if unknown:
        raise ControlError(400, f"unknown config fields {sorted(unknown)}")
    updates: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "faults":
            if not isinstance(value, list):
                raise ControlError(400, "faults: a list of objects")
            updates[name] = [_fault_spec(v) for v in value]
            continue
        current = getattr(config, name)
        if isinstance(current, bool):
            if not isinstance(value, bool):
                raise ControlError(400, f"{name}: a boolean")
        elif isinstance(current, int | float) and not isinstance(current, bool):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ControlError(400, f"{name}: a number")
            value = type(current)(value)
        elif isinstance(current, str) and not isinstance(value, str):
            raise ControlError(400, f"{name}: a string")
        elif isinstance(current, list) and not isinstance(value, list):
            raise ControlError(400, f"{name}: a list")
        if name == "scim_gate" and value not in get_args(ScimGate):
            raise ControlError(400, f"scim_gate: one of {', '.join(get_args(ScimGate))}")
        products = value if name == "linked_orgs" else [value] if name == "product" else []
        if any(p not in get_args(Product) for p in products):
            raise ControlError(400, f"{name}: products are {', '.join(get_args(Product))}")
        updates[name] = value
    with sim.lock:
        for name, value in updates.items():
            setattr(config, name, value)
        if "tier" in updates:
            sim.org.tier = updates["tier"]
        if "faults" in updates or "fault_seed" in updates:
            sim.faults.configure(config.faults, config.fault_seed)
        if any(name in updates for name in RATE_KNOBS):
            sim.rate_limiter.reset()
        if "foreign_org_after" in updates:
            sim.org_header_answers = 0
        if updates.get("org_id"):
            sim.org.id = updates["org_id"]
            linked.link_orgs(sim)  # the parent knows its orgs by id


def _time(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ControlError(400, f"{name}: an RFC 3339 timestamp") from None


def _need(body: dict[str, Any], name: str) -> Any:
    if name not in body:
        raise ControlError(400, f"{name} is required")
    return body[name]


def _remove_user(sim: Simulator, body: dict[str, Any]) -> Any:
    user = mutations.remove_user(sim, _need(body, "user_id"), bool(body.get("remove_scim")))
    return render.user(user)


def _change_role(sim: Simulator, body: dict[str, Any]) -> Any:
    return render.user(mutations.change_role(sim, _need(body, "user_id"), _need(body, "role")))


def _revoke_key(sim: Simulator, body: dict[str, Any]) -> Any:
    key = mutations.set_key_status(sim, _need(body, "key_id"), body.get("status", "inactive"))
    return render.api_key(key, sim.org, sim.now())


def _set_key_expiry(sim: Simulator, body: dict[str, Any]) -> Any:
    expires_at = _time(_need(body, "expires_at"), "expires_at")
    key = mutations.set_key_expiry(sim, _need(body, "key_id"), expires_at)
    return render.api_key(key, sim.org, sim.now())


def _archive_workspace(sim: Simulator, body: dict[str, Any]) -> Any:
    return render.workspace(mutations.archive_workspace(sim, _need(body, "workspace_id")))


def _deactivate_scim_user(sim: Simulator, body: dict[str, Any]) -> Any:
    return mutations.deactivate_scim_user(sim, body.get("scim_id"), body.get("email"))


def _set_scim_active(sim: Simulator, body: dict[str, Any]) -> Any:
    active = _need(body, "active")
    if not isinstance(active, bool):
        raise ControlError(400, "active: a boolean")
    return mutations.set_scim_active(sim, active, body.get("scim_id"), body.get("email"))


def _set_invite_status(sim: Simulator, body: dict[str, Any]) -> Any:
    invite = mutations.set_invite_status(sim, _need(body, "invite_id"), _need(body, "status"))
    return render.invite(invite, sim.now())


def _add_user(sim: Simulator, body: dict[str, Any]) -> Any:
    email = body.get("email")
    name = body.get("name")
    if not email or not name:
        generated_name, generated_email = mutations.new_person(sim, sim.new_ids().rng)
        email, name = email or generated_email, name or generated_name
    user = mutations.add_user(
        sim, email, name, body.get("role", "user"), bool(body.get("with_scim", True))
    )
    return render.user(user)


def _add_api_key(sim: Simulator, body: dict[str, Any]) -> Any:
    created_by = None
    principal = None
    if body.get("created_by_user_id"):
        created_by = {"id": body["created_by_user_id"], "type": "user"}
    elif body.get("created_by_service_account_id"):
        created_by = {"id": body["created_by_service_account_id"], "type": "service_account"}
    if body.get("principal"):
        principal = dict(body["principal"])
    key = mutations.add_api_key(
        sim,
        name=body.get("name", "control-key"),
        workspace_id=body.get("workspace_id", sim.org.default_workspace().id),
        created_by=created_by,
        status=body.get("status", "active"),
        expires_at=_time(body.get("expires_at"), "expires_at"),
        principal=principal,
        created_at=_time(body.get("created_at"), "created_at"),
    )
    return render.api_key(key, sim.org, sim.now())


def _add_workspace_member(sim: Simulator, body: dict[str, Any]) -> Any:
    member = mutations.add_workspace_member(
        sim,
        _need(body, "workspace_id"),
        _need(body, "user_id"),
        body.get("workspace_role", "workspace_user"),
    )
    return render.explicit_member(member)


def _add_admin_key(sim: Simulator, body: dict[str, Any]) -> Any:
    if sim.org.product != "enterprise":
        raise ControlError(400, "Console Admin keys have no scopes; only Enterprise orgs add keys")
    scopes = _need(body, "scopes")
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise ControlError(400, "scopes: a list of strings")
    all_linked = bool(body.get("all_linked", False))
    if not all_linked and set(scopes) & set(linked.GROUP_SCOPES):
        raise ControlError(400, "group scopes need a key created for all linked orgs")
    key = linked.new_enterprise_key(sim, tuple(scopes), all_linked)
    return {"key": key.secret, "organization_id": key.home_org, **_key_facts(key)}


def _key_facts(key: AdminKey) -> dict[str, Any]:
    return {
        "scopes": None if key.scopes is None else list(key.scopes),
        "all_linked": key.all_linked,
    }


def _churn(sim: Simulator, body: dict[str, Any]) -> Any:
    for _ in range(int(body.get("count", 1))):
        churn_once(sim, "control")
    return {"users": len(sim.org.users)}


def _append_activities(sim: Simulator, body: dict[str, Any]) -> Any:
    events = _need(body, "events")
    if not isinstance(events, list) or not all(
        isinstance(e, dict) and isinstance(e.get("type"), str) for e in events
    ):
        raise ControlError(400, "events: a list of objects with a type")
    return {"events": compliance_feed.append_activities(sim, events)}


Operation = Callable[[Simulator, dict[str, Any]], Any]
OPERATIONS: dict[str, Operation] = {
    "remove_user": _remove_user,
    "change_role": _change_role,
    "revoke_key": _revoke_key,
    "set_key_status": _revoke_key,
    "set_key_expiry": _set_key_expiry,
    "archive_workspace": _archive_workspace,
    "deactivate_scim_user": _deactivate_scim_user,
    "set_scim_active": _set_scim_active,
    "set_invite_status": _set_invite_status,
    "add_user": _add_user,
    "add_api_key": _add_api_key,
    "add_workspace_member": _add_workspace_member,
    "set_workspace_role": _add_workspace_member,
    "add_admin_key": _add_admin_key,
    "churn": _churn,
    "append_activities": _append_activities,
}
OPS = tuple(OPERATIONS)


def mutate(sim: Simulator, body: dict[str, Any]) -> Any:
    """Apply one control-API operation; returns its JSON result."""
    op = body.get("op")
    operation = OPERATIONS.get(op) if isinstance(op, str) else None
    if operation is None:
        raise ControlError(400, f"unknown op {op!r}; one of {', '.join(OPS)}")
    return operation(sim, body)


def credentials(sim: Simulator, base_url: str) -> dict[str, Any]:
    org = sim.org
    return {
        "organization_id": org.id,
        "organization_name": org.name,
        "admin_key": org.admin_key,
        "oauth_token": org.oauth_token,
        "inference_key": org.inference_key,
        "scim_token": org.scim_token,
        "base_url": base_url,
        "scim_url": f"{base_url}/scim/v2",
        "tier": org.tier,
        "product": org.product,
        "admin_key_scopes": _key_facts(sim.linked().keys[org.admin_key]),
        "linked_orgs": [
            {
                "organization_id": other.org.id,
                "product": other.org.product,
                "admin_key": other.org.admin_key,
                "inference_key": other.org.inference_key,
            }
            for other in sim.linked().orgs.values()
        ],
    }


def summary(sim: Simulator) -> dict[str, Any]:
    org = sim.org
    return {
        "organization_id": org.id,
        "product": org.product,
        "seed": org.seed,
        "epoch": render.ts(org.epoch),
        "users": len(org.users),
        "departed_users": len(org.departed_users),
        "invites": len(org.invites),
        "workspaces": len(org.workspaces),
        "workspace_members": len(org.members),
        "api_keys": len(org.api_keys),
        "service_accounts": len(org.service_accounts),
        "service_account_memberships": len(org.sa_memberships),
        "scim_users": len(org.scim_users),
        "scim_groups": len(org.scim_groups),
    }


def control_routes(sim: Simulator) -> list[BaseRoute]:
    def guarded(handler: Handler) -> Handler:
        async def run(request: Request) -> Response:
            if request.headers.get("x-control-token") != sim.config.control_token:
                return JSONResponse({"error": "missing or wrong x-control-token"}, status_code=401)
            try:
                return await handler(request)
            except ControlError as exc:
                return JSONResponse({"error": exc.message}, status_code=exc.status)
            except mutations.MutationError as exc:
                return JSONResponse({"error": str(exc)}, status_code=exc.status)

        return run

    async def body_of(request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise ControlError(400, "body is not valid JSON") from None
        if not isinstance(body, dict):
            raise ControlError(400, "body must be a JSON object")
        return body

    async def planted(request: Request) -> Response:
        with sim.lock:
            return JSONResponse(planted_truth(sim.org, sim.now()))

    async def stats(request: Request) -> Response:
        return JSONResponse(sim.stats.snapshot())

    async def stats_reset(request: Request) -> Response:
        sim.stats.reset()
        return JSONResponse({"ok": True})

    async def get_config(request: Request) -> Response:
        return JSONResponse(config_to_dict(sim.config))

    async def put_config(request: Request) -> Response:
        apply_config(sim, await body_of(request))
        return JSONResponse(config_to_dict(sim.config))

    async def do_mutate(request: Request) -> Response:
        body = await body_of(request)
        with sim.lock:
            result = mutate(sim, body)
        return JSONResponse({"ok": True, "op": body.get("op"), "result": result})

    async def get_credentials(request: Request) -> Response:
        return JSONResponse(credentials(sim, str(request.base_url).rstrip("/")))

    async def reset(request: Request) -> Response:
        body = await body_of(request)
        config = dataclasses.replace(sim.config)
        config.faults = list(sim.config.faults)
        fresh = Simulator(org=sim.org, config=config)
        fresh.faults = sim.faults
        fresh.rate_limiter = sim.rate_limiter
        apply_config(fresh, body)  # validates the knobs against a copy first
        linked.regenerate(sim, config)
        return JSONResponse(summary(sim))

    async def get_summary(request: Request) -> Response:
        with sim.lock:
            return JSONResponse(summary(sim))

    return [
        Route("/_control/planted", guarded(planted), methods=["GET"]),
        Route("/_control/stats", guarded(stats), methods=["GET"]),
        Route("/_control/stats/reset", guarded(stats_reset), methods=["POST"]),
        Route("/_control/config", guarded(get_config), methods=["GET"]),
        Route("/_control/config", guarded(put_config), methods=["PUT"]),
        Route("/_control/mutate", guarded(do_mutate), methods=["POST"]),
        Route("/_control/credentials", guarded(get_credentials), methods=["GET"]),
        Route("/_control/summary", guarded(get_summary), methods=["GET"]),
        Route("/_control/reset", guarded(reset), methods=["POST"]),
    ]
