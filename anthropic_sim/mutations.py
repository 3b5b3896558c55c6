"""State changes shared by the Admin API, churn and the control API (all under `sim.lock`)."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from anthropic_sim.generator import SCIM_USER_SCHEMA, rfc3339
from anthropic_sim.names import People
from anthropic_sim.state import (
    API_KEY_STATUSES,
    INVITE_STATUSES,
    ORG_ROLES,
    WORKSPACE_ROLES,
    ApiKey,
    Invite,
    Simulator,
    User,
    WorkspaceMember,
)

T = TypeVar("T")


class MutationError(ValueError):
    """A control-API mutation that cannot be applied (answered with 400/404)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def existing(table: dict[str, T], ident: str, what: str) -> T:
    """`table[ident]`, or a 404 naming `what` (callers hold `sim.lock`)."""
    found = table.get(ident)
    if found is None:
        raise MutationError(f"no {what} {ident!r}", 404)
    return found


def one_of(value: str, allowed: Iterable[str], what: str) -> None:
    """A 400 naming `what` unless `value` is among `allowed`."""
    if value not in allowed:
        raise MutationError(f"unknown {what} {value!r}")


def _people(sim: Simulator, rng: random.Random) -> People:
    people = People(rng, sim.org.main_domains or ["example.example"])
    people.taken = {u.email.lower() for u in sim.org.users.values()}
    people.taken |= {u.email.lower() for u in sim.org.departed_users.values()}
    return people


def new_person(sim: Simulator, rng: random.Random) -> tuple[str, str]:
    return _people(sim, rng).person()


def add_user(
    sim: Simulator,
    email: str,
    name: str,
    role: str = "user",
    with_scim: bool = True,
    added_at: datetime | None = None,
) -> User:
    one_of(role, ORG_ROLES, "role")
    with sim.lock:
        if sim.org.user_by_email(email) is not None:
            raise MutationError(f"{email} is already a member", 409)
        user = User(
            id=sim.new_ids().user(),
            email=email,
            name=name,
            role=role,
            added_at=added_at or sim.now(),
        )
        sim.org.users[user.id] = user
        if with_scim and scim_user_by_email(sim, email) is None:
            add_scim_user(sim, email, name)
        return user


def remove_user(sim: Simulator, user_id: str, remove_scim: bool = False) -> User:
    """The member leaves: memberships go and the keys acting as them are archived (4.1); the
    keys they made for service accounts, and legacy workspace keys, stay."""
    with sim.lock:
        user = sim.org.users.pop(existing(sim.org.users, user_id, "user").id)
        sim.org.departed_users[user.id] = user
        sim.tombstones.add(user.id)
        for key in [k for k in sim.org.members if k[1] == user_id]:
            del sim.org.members[key]
        archive_keys_acting_as(sim, user_id)
        if remove_scim:
            found = scim_user_by_email(sim, user.email)
            if found is not None:
                remove_scim_user(sim, found["id"])
        return user


def change_role(sim: Simulator, user_id: str, role: str) -> User:
    one_of(role, ORG_ROLES, "role")
    with sim.lock:
        user = existing(sim.org.users, user_id, "user")
        user.role = role
        return user


def set_key_status(sim: Simulator, key_id: str, status: str) -> ApiKey:
    one_of(status, API_KEY_STATUSES, "key status")
    with sim.lock:
        key = existing(sim.org.api_keys, key_id, "API key")
        key.status = status
        if status == "expired" and (key.expires_at is None or key.expires_at > sim.now()):
            key.expires_at = sim.now()
        return key


def set_key_expiry(sim: Simulator, key_id: str, expires_at: datetime | None) -> ApiKey:
    """Control-only: the Admin API cannot change a key's expiry (None: it never expires)."""
    with sim.lock:
        key = sim.org.api_keys.get(key_id)
        if key is None:
            raise MutationError(f"no API key {key_id!r}", 404)
        key.expires_at = expires_at
        return key


def archive_keys_acting_as(sim: Simulator, actor_id: str) -> None:
    """Archive the live keys whose principal is `actor_id` (a removed user, an archived service
    account). Callers hold `sim.lock`."""
    for key in sim.org.api_keys.values():
        bound = key.principal or {}
        actor = bound.get("user_id") or bound.get("service_account_id")
        if actor == actor_id and key.status in ("active", "inactive"):
            key.status = "archived"


def archive_workspace(sim: Simulator, workspace_id: str) -> Any:
    """Archive and revoke every key in it (status per `config.archived_workspace_key_status`)."""
    with sim.lock:
        ws = existing(sim.org.workspaces, workspace_id, "workspace")
        if ws.is_default:
            raise MutationError("the Default Workspace cannot be archived")
        if ws.archived_at is None:
            ws.archived_at = sim.now()
        revoked = getattr(sim.config, "archived_workspace_key_status", "archived")
        for key in sim.org.api_keys.values():
            if key.workspace_id == workspace_id and key.status in ("active", "inactive"):
                key.status = revoked
        return ws


def add_api_key(
    sim: Simulator,
    name: str,
    workspace_id: str | None,
    created_by: dict[str, str] | None,
    status: str = "active",
    expires_at: datetime | None = None,
    principal: dict[str, str] | None = None,
    created_at: datetime | None = None,
) -> ApiKey:
    one_of(status, API_KEY_STATUSES, "key status")
    with sim.lock:
        if workspace_id is not None:
            existing(sim.org.workspaces, workspace_id, "workspace")
        ids = sim.new_ids()
        key = ApiKey(
            id=ids.api_key(),
            name=name,
            created_at=created_at or sim.now(),
            workspace_id=workspace_id,
            status=status,
            created_by=created_by,
            expires_at=expires_at,
            partial_key_hint=f"sk-ant-api03-{key_hint(ids.rng)}",
            principal=principal,
        )
        sim.org.api_keys[key.id] = key
        return key


def key_hint(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "".join(rng.choices(alphabet, k=3)) + "..." + "".join(rng.choices(alphabet, k=2)) + "AA"


def add_workspace_member(
    sim: Simulator, workspace_id: str, user_id: str, workspace_role: str
) -> WorkspaceMember:
    one_of(workspace_role, WORKSPACE_ROLES, "workspace role")
    with sim.lock:
        existing(sim.org.workspaces, workspace_id, "workspace")
        existing(sim.org.users, user_id, "user")
        member = WorkspaceMember(workspace_id, user_id, workspace_role)
        sim.org.members[(workspace_id, user_id)] = member
        return member


# ---------------------------------------------------------------------------- SCIM records


def scim_user_by_email(sim: Simulator, email: str) -> dict[str, Any] | None:
    wanted = email.lower()
    for resource in sim.org.scim_users.values():
        if str(resource.get("userName", "")).lower() == wanted:
            return resource
    return None


def add_scim_user(sim: Simulator, email: str, name: str, active: bool = True) -> dict[str, Any]:
    with sim.lock:
        ids = sim.new_ids()
        sid = ids.scim_user()
        given, _, family = name.partition(" ")
        now = rfc3339(sim.now())
        resource = {
            "schemas": [SCIM_USER_SCHEMA],
            "id": sid,
            "externalId": ids.external_id(),
            "userName": email,
            "name": {"givenName": given, "familyName": family, "formatted": name},
            "displayName": name,
            "active": active,
            "emails": [{"value": email, "type": "work", "primary": True}],
            "meta": {
                "resourceType": "User",
                "created": now,
                "lastModified": now,
                "version": 'W/"1"',
            },
        }
        sim.org.scim_users[sid] = resource
        return resource


def remove_scim_user(sim: Simulator, scim_id: str) -> None:
    with sim.lock:
        sim.org.scim_users.pop(scim_id, None)
        sim.tombstones.add(scim_id)
        for group in sim.org.scim_groups.values():
            members = group.get("members") or []
            kept = [m for m in members if m.get("value") != scim_id]
            if len(kept) != len(members):
                group["members"] = kept


def _touch(resource: dict[str, Any], now: datetime) -> None:
    meta = resource.setdefault("meta", {})
    meta["lastModified"] = rfc3339(now)
    version = str(meta.get("version", 'W/"0"')).strip('W/"')
    meta["version"] = f'W/"{int(version) + 1 if version.isdigit() else 1}"'


def deactivate_scim_user(
    sim: Simulator, scim_id: str | None = None, email: str | None = None
) -> dict[str, Any]:
    """The IdP sets active=false; Claude deprovisions the member (per config)."""
    return set_scim_active(sim, False, scim_id, email)


def set_scim_active(
    sim: Simulator, active: bool, scim_id: str | None = None, email: str | None = None
) -> dict[str, Any]:
    """The IdP sets `active`; going to false deprovisions the member (per config), going to true
    brings no member back (docs/simulator.md, "SCIM engine")."""
    with sim.lock:
        resource = None
        if scim_id is not None:
            resource = sim.org.scim_users.get(scim_id)
        elif email is not None:
            resource = scim_user_by_email(sim, email)
        if resource is None:
            raise MutationError("no such SCIM user", 404)
        deactivated = resource.get("active") is not False and not active
        if resource.get("active") is not active:
            resource["active"] = active
            _touch(resource, sim.now())
        user_name = str(resource.get("userName", ""))
    if deactivated and getattr(sim.config, "scim_deprovision", True):
        schedule_deprovision(sim, user_name)
    return resource


def set_invite_status(sim: Simulator, invite_id: str, status: str) -> Invite:
    """An invite accepted, expired or withdrawn outside the API (the clock moves `expires_at`)."""
    one_of(status, INVITE_STATUSES, "invite status")
    with sim.lock:
        invite = existing(sim.org.invites, invite_id, "invite")
        now = sim.now()
        if status == "expired":
            invite.status = "pending"
            invite.expires_at = min(invite.expires_at, now)
            return invite
        if status == "pending" and invite.expires_at <= now:
            invite.expires_at = now + (invite.expires_at - invite.invited_at)
        invite.accepted_at = now if status == "accepted" else None
        invite.status = status
        return invite


def schedule_deprovision(sim: Simulator, email: str) -> None:
    """Remove the org member now, or after `config.deprovision_delay_s` (eventual consistency)."""
    delay = float(getattr(sim.config, "deprovision_delay_s", 0.0) or 0.0)
    if delay <= 0:
        sim.deprovision_by_email(email)
        return
    timer = threading.Timer(delay, sim.deprovision_by_email, args=(email,))
    timer.daemon = True
    timer.start()
