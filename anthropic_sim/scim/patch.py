"""RFC 7644 §3.5.2 PATCH, applied atomically to a stored resource dict.

`apply_patch` works on a deep copy and returns it; any error raises `ScimError` before the
caller stores anything, so a failing operation leaves the stored resource unchanged.

Tolerances (see docs/simulator.md, "SCIM engine"): `op` and the `Operations` key in any
case (Entra sends "Replace"); a no-path op whose value is an object of attributes (Okta);
"True"/"False" strings for booleans; member removal by `members[value eq "id"]` or by
`path: "members"` plus a value list (Entra); `emails[type eq "work"].value` creates the
element when none matches. Strict mode reproduces the `scim-patch` library that Claude's
SCIM endpoint appears to use: a filtered path on a single-valued attribute is a 400.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from anthropic_sim.scim.errors import ScimError, bad_request
from anthropic_sim.scim.filter import (
    And,
    AttrRef,
    Compare,
    Node,
    get_ci,
    key_ci,
    parse_filter,
    resolve_path,
    resolve_sub_path,
)
from anthropic_sim.scim.schema import Attr, ResourceKind, match_urn
from anthropic_sim.scim.values import (
    coerce,
    coerce_single,
    merge_unique,
    one_primary,
    same_element,
)

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
MONO_VALUED_DETAIL = "Invalid SCIM Patch: Impossible to search on a mono valued attribute."
_ABSENT = object()
_KEEP_EMPTY = frozenset({"members"})  # an empty group keeps `members: []`


@dataclass(frozen=True)
class PatchPath:
    ref: AttrRef
    filter: Node | None
    sub: str | None
    sub_definition: Attr | None


def invalid_path(detail: str) -> ScimError:
    return bad_request("invalidPath", detail)


def _split_brackets(text: str) -> tuple[str, str | None, str]:
    """`attr[filter].sub` → ("attr", "filter", ".sub"); a `]` inside quotes does not close."""
    start = text.find("[")
    if start < 0:
        return text, None, ""
    i, quoted = start + 1, False
    while i < len(text):
        ch = text[i]
        if quoted and ch == "\\":
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "]" and not quoted:
            return text[:start], text[start + 1 : i], text[i + 1 :]
        i += 1
    raise invalid_path(f"Unbalanced brackets in path {text!r}")


def parse_patch_path(text: str, kind: ResourceKind) -> PatchPath:
    """Parse `[urn:]attr[.sub]`, `attr[filter]` or `attr[filter].sub`."""
    head, filter_text, tail = _split_brackets(text.strip())
    try:
        ref = resolve_path(head, kind)
    except ValueError as exc:
        raise invalid_path(f"Invalid path {text!r}") from exc
    if ref.attr and ref.definition is None:
        raise invalid_path(f"No attribute {ref.attr!r} on a {kind.name}")
    if ref.sub is not None and ref.sub_definition is None:
        raise invalid_path(f"No sub-attribute {ref.sub!r} of {ref.attr!r}")
    if filter_text is None:
        return PatchPath(ref, None, None, None)
    if ref.sub is not None or not ref.attr or ref.definition is None:
        raise invalid_path(f"A value filter must follow an attribute: {text!r}")
    node = parse_filter(filter_text, kind, parent=ref.definition)
    if not tail:
        return PatchPath(ref, node, None, None)
    if not tail.startswith("."):
        raise invalid_path(f"Invalid path {text!r}")
    try:
        sub = resolve_sub_path(tail[1:], ref.definition)
    except ValueError as exc:
        raise invalid_path(f"Invalid path {text!r}") from exc
    if sub.definition is None or sub.sub is not None:
        raise invalid_path(f"No sub-attribute {tail[1:]!r} of {ref.attr!r}")
    return PatchPath(ref, node, sub.attr, sub.definition)


def _eq_constraints(node: Node) -> dict[str, Any] | None:
    """The element a filter made only of `eq` and `and` describes (None for anything else)."""
    if isinstance(node, And):
        left, right = _eq_constraints(node.left), _eq_constraints(node.right)
        return None if left is None or right is None else {**left, **right}
    if isinstance(node, Compare) and node.op == "eq" and node.path.sub is None:
        return {node.path.attr: node.literal}
    return None


class _Patcher:
    def __init__(self, resource: dict[str, Any], kind: ResourceKind, strict: bool) -> None:
        self.resource = resource
        self.kind = kind
        self.strict = strict

    # ---- entry points

    def operation(self, op: str, path: Any, value: Any) -> None:
        if path is None or (isinstance(path, str) and not path.strip()):
            self.no_path(op, value)
            return
        if not isinstance(path, str):
            raise invalid_path("path must be a string")
        self.at_path(op, path, value)

    def no_path(self, op: str, value: Any) -> None:
        if op == "remove":
            raise bad_request("noTarget", "A remove operation needs a path")
        if not isinstance(value, dict):
            raise bad_request("invalidSyntax", "Without a path, value must be an object")
        for key, item in value.items():
            if key.lower() == "schemas":
                continue
            matched = match_urn(self.kind, key)
            if matched is not None and matched[1] == "" and isinstance(item, dict):
                for sub_key, sub_item in item.items():
                    self.at_path(op, f"{matched[0]}:{sub_key}", sub_item)
            else:
                self.at_path(op, key, item)

    def at_path(self, op: str, text: str, value: Any) -> None:
        path = parse_patch_path(text, self.kind)
        ref = path.ref
        if not ref.attr:  # the whole extension object
            self.extension(op, ref.schema or "", value)
            return
        defn = ref.definition
        assert defn is not None
        if defn.mutability == "readOnly":
            current = get_ci(ref.container(self.resource, self.kind), ref.attr, _ABSENT)
            if op != "remove" and ref.sub is None and current == value:
                return  # Okta repeats `id` in a rename: an unchanged readOnly value is fine
            raise bad_request("mutability", f"{defn.name} is readOnly")
        if op != "remove" and value is _ABSENT:
            raise bad_request("invalidSyntax", f"{op} needs a value")
        if path.filter is not None:
            self.filtered(op, path, defn, value)
        elif ref.sub is not None:
            self.sub_attribute(op, ref, defn, value)
        else:
            self.whole(op, ref, defn, value)

    # ---- containers

    def container(self, ref: AttrRef, create: bool) -> dict[str, Any] | None:
        if ref.schema is None or ref.schema == self.kind.core:
            return self.resource
        key = key_ci(self.resource, ref.schema)
        if key is None:
            if not create:
                return None
            key = ref.schema
            self.resource[key] = {}
            schemas = self.resource.setdefault("schemas", [self.kind.core])
            if ref.schema not in schemas:
                schemas.append(ref.schema)
        found = self.resource[key]
        if not isinstance(found, dict):
            raise bad_request("invalidSyntax", f"{ref.schema} is not an object")
        return found

    @staticmethod
    def store(container: dict[str, Any], name: str, value: Any) -> None:
        old = key_ci(container, name)
        if old is not None and old != name:
            del container[old]
        if value is None or (value == [] and name not in _KEEP_EMPTY):
            container.pop(name, None)
        else:
            container[name] = value

    def extension(self, op: str, schema: str, value: Any) -> None:
        if op == "remove":
            key = key_ci(self.resource, schema)
            if key is not None:
                del self.resource[key]
            self.resource["schemas"] = [
                s for s in self.resource.get("schemas", []) if s.lower() != schema.lower()
            ]
            return
        if not isinstance(value, dict):
            raise bad_request("invalidValue", f"{schema} must be an object")
        for sub_key, sub_item in value.items():
            self.at_path(op, f"{schema}:{sub_key}", sub_item)

    # ---- path forms

    def whole(self, op: str, ref: AttrRef, defn: Attr, value: Any) -> None:
        container = self.container(ref, create=op != "remove")
        if container is None:
            return
        current = get_ci(container, defn.name)
        if op == "remove":
            if defn.multi_valued and value is not _ABSENT and value is not None:
                # Entra: {"op":"Remove","path":"members","value":[{"value":"<id>"}]}
                doomed = coerce(defn, value, defn.name) or []
                kept = [
                    e for e in (current or []) if not any(same_element(defn, e, d) for d in doomed)
                ]
                self.store(container, defn.name, kept)
            else:
                self.store(container, defn.name, [] if defn.multi_valued else None)
            return
        new = coerce(defn, value, defn.name)
        if defn.multi_valued:
            base = current if op == "add" and isinstance(current, list) else []
            self.store(container, defn.name, merge_unique(defn, base, new or []))
        elif defn.type == "complex" and isinstance(current, dict) and new is not None:
            self.store(container, defn.name, {**current, **new})
        else:
            self.store(container, defn.name, new)

    def sub_attribute(self, op: str, ref: AttrRef, defn: Attr, value: Any) -> None:
        sub_defn = ref.sub_definition
        assert sub_defn is not None and ref.sub is not None
        if defn.type != "complex":
            raise invalid_path(f"{defn.name} has no sub-attributes")
        container = self.container(ref, create=op != "remove")
        if container is None:
            return
        current = get_ci(container, defn.name)
        new = None if op == "remove" else coerce_single(sub_defn, value, f"{defn.name}.{ref.sub}")
        if defn.multi_valued:
            items = [dict(e) for e in current] if isinstance(current, list) else []
            if not items and op != "remove":
                items = [{}]
            for element in items:
                _set_sub(element, ref.sub, new)
            self.store(container, defn.name, [e for e in items if e])
        else:
            element = dict(current) if isinstance(current, dict) else {}
            _set_sub(element, ref.sub, new)
            self.store(container, defn.name, element or None)

    def filtered(self, op: str, path: PatchPath, defn: Attr, value: Any) -> None:
        if not defn.multi_valued:
            if self.strict:
                raise bad_request("invalidSyntax", MONO_VALUED_DETAIL)
            if defn.type != "complex":
                raise invalid_path(f"{defn.name} is single-valued: it cannot be filtered")
        assert path.filter is not None
        container = self.container(path.ref, create=op != "remove")
        if container is None:
            return
        current = get_ci(container, defn.name)
        if isinstance(current, dict):
            items: list[Any] = [dict(current)]
        else:
            items = [dict(e) if isinstance(e, dict) else e for e in (current or [])]
        node = path.filter
        hits = [i for i, e in enumerate(items) if isinstance(e, dict) and node.matches(e, None)]
        if op == "remove":
            if path.sub is None:
                items = [e for i, e in enumerate(items) if i not in hits]
            else:
                for i in hits:
                    _set_sub(items[i], path.sub, None)
                items = [e for e in items if e]
        else:
            items = self.filtered_write(op, path, defn, value, items, hits)
        if defn.multi_valued:
            self.store(container, defn.name, one_primary(items))
        else:
            self.store(container, defn.name, items[0] if items else None)

    def filtered_write(
        self,
        op: str,
        path: PatchPath,
        defn: Attr,
        value: Any,
        items: list[Any],
        hits: list[int],
    ) -> list[Any]:
        if path.sub is not None:
            assert path.sub_definition is not None
            patch = {path.sub: coerce_single(path.sub_definition, value, f"{defn.name}.{path.sub}")}
        else:
            coerced = coerce_single(defn, value, defn.name)
            patch = coerced if isinstance(coerced, dict) else {}
        if hits:
            for i in hits:
                items[i] = {k: v for k, v in {**items[i], **patch}.items() if v is not None}
            return items
        if path.sub is None and op == "replace":
            raise bad_request("noTarget", f"No value of {defn.name} matches the filter")
        template = _eq_constraints(path.filter) if path.filter is not None else None
        if template is None:
            raise bad_request("noTarget", f"No value of {defn.name} matches the filter")
        created = coerce_single(defn, template, defn.name)
        element = {k: v for k, v in {**created, **patch}.items() if v is not None}
        if defn.name == "emails" and not any(
            isinstance(e, dict) and e.get("primary") for e in items
        ):
            element.setdefault("primary", True)
        return [*items, element]


def _set_sub(element: dict[str, Any], name: str, value: Any) -> None:
    old = key_ci(element, name)
    if old is not None:
        del element[old]
    if value is not None:
        element[name] = value


def apply_patch(
    resource: dict[str, Any], body: Any, kind: ResourceKind, *, strict: bool = False
) -> dict[str, Any]:
    """Apply a PatchOp message to a copy of `resource`; return the copy (the input is untouched)."""
    if not isinstance(body, dict):
        raise bad_request("invalidSyntax", "A PATCH body must be a PatchOp object")
    operations = get_ci(body, "Operations")
    if not isinstance(operations, list):
        raise bad_request("invalidSyntax", "A PatchOp needs an Operations list")
    schemas = get_ci(body, "schemas")
    if strict and (not isinstance(schemas, list) or PATCH_SCHEMA not in schemas):
        raise bad_request("invalidSyntax", f"schemas must be [{PATCH_SCHEMA!r}]")
    patcher = _Patcher(copy.deepcopy(resource), kind, strict)
    for operation in operations:
        if not isinstance(operation, dict):
            raise bad_request("invalidSyntax", "Each operation must be an object")
        op = get_ci(operation, "op")
        if not isinstance(op, str) or op.lower() not in ("add", "remove", "replace"):
            raise bad_request("invalidSyntax", f"Unknown op {op!r}")
        value = get_ci(operation, "value", _ABSENT)
        patcher.operation(op.lower(), get_ci(operation, "path"), value)
    return patcher.resource
