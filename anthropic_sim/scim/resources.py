"""Rendering of stored resources: ids, `meta`, `groups`, projection and the ListResponse.

Stored resources carry no `meta.location` (it depends on the base URL) and users carry
no `groups` (it is derived from group membership); both are added when rendering.
"""

from __future__ import annotations

import copy
import os
from datetime import UTC, datetime
from typing import Any

from anthropic_sim.scim.filter import AttrRef, get_ci, key_ci, resolve_path
from anthropic_sim.scim.schema import GROUP, USER, ResourceKind

LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with a `Z`, as the stored resources write it."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def new_id(prefix: str, now: datetime, taken: dict[str, Any]) -> str:
    """`prefix` + a 26-character ULID-like tail (48-bit milliseconds, 80 random bits)."""
    while True:
        number = (int(now.timestamp() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
        tail = "".join(_CROCKFORD[(number >> (5 * i)) & 31] for i in range(25, -1, -1))
        candidate = prefix + tail
        if candidate not in taken:
            return candidate


def new_meta(kind: ResourceKind, now: datetime) -> dict[str, Any]:
    stamp = format_time(now)
    return {"resourceType": kind.name, "created": stamp, "lastModified": stamp, "version": 'W/"1"'}


def version_number(resource: dict[str, Any]) -> int:
    version = str(get_ci(resource.get("meta"), "version") or "")
    digits = version.removeprefix("W/").strip('"')
    return int(digits) if digits.isdigit() else 0


def bump_meta(resource: dict[str, Any], kind: ResourceKind, now: datetime) -> None:
    """A change happened: next version, new lastModified (created is kept)."""
    meta = resource.setdefault("meta", new_meta(kind, now))
    meta["version"] = f'W/"{version_number(resource) + 1}"'
    meta["lastModified"] = format_time(now)
    meta.setdefault("resourceType", kind.name)


def etag(resource: dict[str, Any]) -> str:
    return str(get_ci(resource.get("meta"), "version") or 'W/"0"')


def location(base_url: str, kind: ResourceKind, resource_id: str) -> str:
    return f"{base_url}{kind.endpoint}/{resource_id}"


def groups_index(
    groups: dict[str, dict[str, Any]], base_url: str
) -> dict[str, list[dict[str, Any]]]:
    """User id → the user's `groups` value (direct memberships only)."""
    index: dict[str, list[dict[str, Any]]] = {}
    for gid, group in groups.items():
        for member in group.get("members") or []:
            if isinstance(member, dict) and isinstance(member.get("value"), str):
                index.setdefault(member["value"], []).append(
                    {
                        "value": gid,
                        "$ref": location(base_url, GROUP, gid),
                        "display": group.get("displayName"),
                        "type": "direct",
                    }
                )
    return index


class GroupsIndexCache:
    """`groups_index`, rebuilt only when a group dict or its member list was replaced.

    The store, PATCH and the mutations replace groups and member lists rather than edit them
    in place, so object identity says whether anything changed. The cache holds the objects
    it was built from, so their ids cannot be reused by new objects while it is valid."""

    def __init__(self) -> None:
        self._held: list[Any] = []
        self._key: tuple[Any, ...] | None = None
        self._index: dict[str, list[dict[str, Any]]] = {}

    def get(
        self, groups: dict[str, dict[str, Any]], base_url: str
    ) -> dict[str, list[dict[str, Any]]]:
        held = [(g, g.get("members")) for g in groups.values()]
        key = (base_url, tuple((id(g), id(m), len(m or ())) for g, m in held))
        if key != self._key:
            self._held, self._key = held, key
            self._index = groups_index(groups, base_url)
        return self._index


def view(
    resource: dict[str, Any],
    kind: ResourceKind,
    base_url: str,
    index: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """The resource as served (before projection): location, derived groups, no password."""
    out = copy.deepcopy(resource)
    out.pop("password", None)
    meta = out.setdefault("meta", {})
    meta["location"] = location(base_url, kind, out["id"])
    meta.setdefault("resourceType", kind.name)
    if kind is USER and index is not None:
        memberships = index.get(out["id"])
        if memberships:
            out["groups"] = memberships
    return out


def parse_attribute_list(raw: Any) -> list[str]:
    """`attributes=a,b` (query) or `["a","b"]` (SearchRequest) → names."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _refs(names: list[str], kind: ResourceKind) -> list[AttrRef]:
    refs = []
    for name in names:
        try:
            refs.append(resolve_path(name, kind))
        except ValueError:
            continue  # unknown names select nothing
    return refs


def project(
    resource: dict[str, Any],
    kind: ResourceKind,
    attributes: list[str],
    excluded: list[str],
) -> dict[str, Any]:
    """RFC 7644 §3.9 projection; `id` and `schemas` are always returned."""
    if attributes:
        return _include(resource, kind, _refs(attributes, kind))
    if excluded:
        return _exclude(resource, kind, _refs(excluded, kind))
    return resource


def _include(resource: dict[str, Any], kind: ResourceKind, refs: list[AttrRef]) -> dict[str, Any]:
    out: dict[str, Any] = {"schemas": resource.get("schemas", [kind.core]), "id": resource["id"]}
    for ref in refs:
        source = ref.container(resource, kind)
        if not isinstance(source, dict):
            continue
        core = ref.schema is None or ref.schema == kind.core
        if not ref.attr:
            out[ref.schema or ""] = copy.deepcopy(source)
            continue
        key = key_ci(source, ref.attr)
        if key is None:
            continue
        dest = out if core else out.setdefault(ref.schema or "", {})
        value = source[key]
        if ref.sub is None:
            dest[key] = copy.deepcopy(value)
        elif isinstance(value, list):
            kept = dest.setdefault(key, [{} for _ in value])
            for slot, element in zip(kept, value, strict=False):
                sub_key = key_ci(element, ref.sub) if isinstance(element, dict) else None
                if sub_key is not None:
                    slot[sub_key] = copy.deepcopy(element[sub_key])
        elif isinstance(value, dict):
            sub_key = key_ci(value, ref.sub)
            if sub_key is not None:
                dest.setdefault(key, {})[sub_key] = copy.deepcopy(value[sub_key])
    return out


def _exclude(resource: dict[str, Any], kind: ResourceKind, refs: list[AttrRef]) -> dict[str, Any]:
    out = copy.deepcopy(resource)
    for ref in refs:
        if ref.definition is not None and ref.definition.returned == "always":
            continue
        container = ref.container(out, kind)
        if not isinstance(container, dict):
            continue
        if not ref.attr:
            out.pop(key_ci(out, ref.schema or "") or "", None)
            continue
        key = key_ci(container, ref.attr)
        if key is None:
            continue
        if ref.sub is None:
            del container[key]
            continue
        value = container[key]
        for element in value if isinstance(value, list) else [value]:
            if isinstance(element, dict):
                element.pop(key_ci(element, ref.sub) or "", None)
    return out


def list_response(page: list[dict[str, Any]], total: int, start_index: int) -> dict[str, Any]:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": len(page),
        "Resources": page,
    }


def primary_email(resource: dict[str, Any]) -> str | None:
    """The user's primary email, else the first email, else the userName."""
    emails = [e for e in resource.get("emails") or [] if isinstance(e, dict) and e.get("value")]
    chosen = next((e for e in emails if e.get("primary") is True), emails[0] if emails else None)
    if chosen is not None:
        return str(chosen["value"])
    user_name = resource.get("userName")
    return str(user_name) if user_name else None
