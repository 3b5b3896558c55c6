"""Writes to the org's SCIM resources: create, replace, patch, delete (under `sim.lock`).

Every write validates the result (required attributes, `userName` uniqueness, member ids),
bumps `meta.version`/`lastModified` when something changed, and runs the lifecycle hooks:
a user going from active to `active: false`, or being deleted, is deprovisioned.
"""

from __future__ import annotations

import copy
from typing import Any

from anthropic_sim.scim.errors import ScimError, bad_request, not_found
from anthropic_sim.scim.lifecycle import schedule_deprovision
from anthropic_sim.scim.patch import apply_patch
from anthropic_sim.scim.resources import bump_meta, etag, new_id, new_meta, primary_email
from anthropic_sim.scim.schema import GROUP, SCHEMAS, USER, ResourceKind, attr_def, match_urn
from anthropic_sim.scim.values import coerce, merge_unique
from anthropic_sim.state import Org, Simulator


def collection(org: Org, kind: ResourceKind) -> dict[str, dict[str, Any]]:
    return org.scim_users if kind is USER else org.scim_groups


def find(org: Org, kind: ResourceKind, resource_id: str) -> dict[str, Any]:
    resource = collection(org, kind).get(resource_id)
    if resource is None:
        raise not_found(f"{kind.name} {resource_id} not found")
    return resource


def _strip_weak(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag[:2].upper() == "W/" else tag


def etag_matches(resource: dict[str, Any], header: str) -> bool:
    """Whether a If-Match / If-None-Match header names the resource's version (weakly)."""
    current = _strip_weak(etag(resource))
    return any(t.strip() == "*" or _strip_weak(t) == current for t in header.split(","))


def check_if_match(resource: dict[str, Any], header: str | None) -> None:
    if header is not None and not etag_matches(resource, header):
        raise ScimError(412, f"If-Match {header} does not match version {etag(resource)}")


def normalize_input(body: Any, kind: ResourceKind) -> dict[str, Any]:
    """A POST/PUT body as stored: known attributes coerced, unknown and readOnly ones dropped."""
    if not isinstance(body, dict):
        raise bad_request("invalidSyntax", f"A {kind.name} must be a JSON object")
    out: dict[str, Any] = {"schemas": [kind.core]}
    for key, value in body.items():
        if key.lower() in ("schemas", "id", "meta"):
            continue
        matched = match_urn(kind, key)
        if matched is not None and matched[1] == "" and matched[0] != kind.core:
            if not isinstance(value, dict):
                raise bad_request("invalidValue", f"{key} must be an object")
            extension = _normalize_attrs(value, kind, matched[0])
            if extension:
                out[matched[0]] = extension
                out["schemas"].append(matched[0])
            continue
        out.update(_normalize_attrs({key: value}, kind, kind.core))
    return out


def _normalize_attrs(values: dict[str, Any], kind: ResourceKind, schema: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        defn = attr_def(kind, schema, key) if schema == kind.core else SCHEMAS[schema].attr(key)
        if defn is None or defn.mutability in ("readOnly", "writeOnly"):
            continue  # unknown attributes are ignored, readOnly ones too; no password kept
        coerced = coerce(defn, value, defn.name)
        if defn.multi_valued and coerced is not None:
            coerced = merge_unique(defn, [], coerced)
        if coerced is not None and (coerced != [] or defn.name == "members"):
            out[defn.name] = coerced
    return out


def _validate(org: Org, kind: ResourceKind, resource: dict[str, Any]) -> None:
    """Required attributes, userName uniqueness, and member ids completed with display/type."""
    if kind is USER:
        user_name = resource.get("userName")
        if not isinstance(user_name, str) or not user_name.strip():
            raise bad_request("invalidValue", "userName is required")
        folded = user_name.casefold()
        for other_id, other in org.scim_users.items():
            taken = str(other.get("userName", "")).casefold() == folded
            if taken and other_id != resource.get("id"):
                raise ScimError(409, f"userName {user_name} is already taken", "uniqueness")
        return
    name = resource.get("displayName")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("invalidValue", "displayName is required")
    members = []
    for member in resource.get("members") or []:
        member_id = member.get("value") if isinstance(member, dict) else None
        if not isinstance(member_id, str):
            raise bad_request("invalidValue", "Each member needs a value")
        if member_id in org.scim_users:
            display, member_type = org.scim_users[member_id].get("userName"), "User"
        elif member_id in org.scim_groups and member_id != resource.get("id"):
            display, member_type = org.scim_groups[member_id].get("displayName"), "Group"
        else:
            raise bad_request("invalidValue", f"No user or group {member_id} to add as member")
        completed = {"value": member_id, "display": display, "type": member_type, **member}
        members.append({k: v for k, v in completed.items() if v is not None})
    if "members" in resource:
        resource["members"] = members


def _is_member(member: Any, resource_id: str) -> bool:
    return isinstance(member, dict) and member.get("value") == resource_id


def _deactivated(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return before.get("active") is not False and after.get("active") is False


def _commit(
    sim: Simulator, kind: ResourceKind, before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any]:
    """Store `after` in place of `before` (same id); bump meta if it changed; lifecycle hooks."""
    _validate(sim.org, kind, after)
    strip = {"meta"}
    if {k: v for k, v in after.items() if k not in strip} != {
        k: v for k, v in before.items() if k not in strip
    }:
        after["meta"] = copy.deepcopy(before.get("meta") or new_meta(kind, sim.now()))
        bump_meta(after, kind, sim.now())
    collection(sim.org, kind)[after["id"]] = after
    if kind is USER and _deactivated(before, after):
        schedule_deprovision(sim, primary_email(before))
    return after


def _fresh_id(sim: Simulator, kind: ResourceKind, taken: dict[str, Any]) -> str:
    """The simulator's seeded id factory when it has one (deterministic runs), else ULID-like."""
    factory = getattr(sim, "ids", None)
    make = getattr(factory, "scim_user" if kind is USER else "scim_group", None)
    if callable(make):
        candidate = str(make())
        if candidate not in taken:
            return candidate
    return new_id(kind.id_prefix, sim.now(), taken)


def create(sim: Simulator, kind: ResourceKind, body: Any) -> dict[str, Any]:
    resource = normalize_input(body, kind)
    with sim.lock:
        store = collection(sim.org, kind)
        now = sim.now()
        resource_id = _fresh_id(sim, kind, store)
        resource = {"schemas": resource.pop("schemas"), "id": resource_id, **resource}
        resource["meta"] = new_meta(kind, now)
        _validate(sim.org, kind, resource)
        store[resource_id] = resource
        return resource


def replace(
    sim: Simulator, kind: ResourceKind, resource_id: str, body: Any, if_match: str | None
) -> dict[str, Any]:
    if isinstance(body, dict):
        sent_id = body.get("id")
        if sent_id is not None and sent_id != resource_id:
            raise bad_request("mutability", "id cannot be changed")
    new = normalize_input(body, kind)
    with sim.lock:
        before = find(sim.org, kind, resource_id)
        check_if_match(before, if_match)
        after = {"schemas": new.pop("schemas"), "id": resource_id, **new}
        after["meta"] = copy.deepcopy(before.get("meta"))
        return _commit(sim, kind, before, after)


def patch(
    sim: Simulator, kind: ResourceKind, resource_id: str, body: Any, if_match: str | None
) -> dict[str, Any]:
    strict = bool(getattr(sim.config, "scim_strict_patch", False))
    with sim.lock:
        before = find(sim.org, kind, resource_id)
        check_if_match(before, if_match)
        after = apply_patch(before, body, kind, strict=strict)
        return _commit(sim, kind, before, after)


def delete(sim: Simulator, kind: ResourceKind, resource_id: str, if_match: str | None) -> None:
    with sim.lock:
        resource = find(sim.org, kind, resource_id)
        check_if_match(resource, if_match)
        del collection(sim.org, kind)[resource_id]
        for group in sim.org.scim_groups.values():
            members = group.get("members") or []
            kept = [m for m in members if not _is_member(m, resource_id)]
            if len(kept) != len(members):
                group["members"] = kept
                bump_meta(group, GROUP, sim.now())
        if kind is USER:
            schedule_deprovision(sim, primary_email(resource))
