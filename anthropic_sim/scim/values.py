"""Value coercion against attribute definitions, shared by PATCH, POST and PUT.

Tolerant where IdPs are known to deviate: booleans as "True"/"False" strings (Entra),
numbers where strings are defined, sub-attribute names in any case.
"""

from __future__ import annotations

from typing import Any

from anthropic_sim.scim.errors import bad_request
from anthropic_sim.scim.filter import as_bool
from anthropic_sim.scim.schema import Attr


def coerce_single(defn: Attr, value: Any, label: str) -> Any:
    """One value of `defn` (an element, for a multi-valued attribute). None stays None."""
    if value is None:
        return None
    if defn.type == "complex":
        if not isinstance(value, dict):
            raise bad_request("invalidValue", f"{label} must be an object")
        out: dict[str, Any] = {}
        for key, sub_value in value.items():
            sub = defn.sub(key)
            if sub is None:
                out[key] = sub_value  # unknown sub-attributes are kept as sent
            else:
                coerced = coerce_single(sub, sub_value, f"{label}.{sub.name}")
                if coerced is not None:
                    out[sub.name] = coerced
        return out
    if defn.type == "boolean":
        flag = as_bool(value)
        if flag is None:
            raise bad_request("invalidValue", f"{label} must be a boolean, not {value!r}")
        return flag
    if defn.type in ("integer", "decimal"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_request("invalidValue", f"{label} must be a number, not {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise bad_request("invalidValue", f"{label} must be a string, not {value!r}")
    return value if isinstance(value, str) else str(value)


def coerce(defn: Attr, value: Any, label: str) -> Any:
    """A whole attribute value: a list of elements when `defn` is multi-valued."""
    if not defn.multi_valued:
        if isinstance(value, list):
            raise bad_request("invalidValue", f"{label} is single-valued")
        return coerce_single(defn, value, label)
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    out = [coerce_single(defn, item, label) for item in items]
    return [item for item in out if item is not None]


def same_element(defn: Attr, a: Any, b: Any) -> bool:
    """Whether two elements of a multi-valued attribute are the same value (for dedupe)."""
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return bool(a == b)
    if "value" not in a or "value" not in b:
        return a == b
    value_def = defn.sub("value")
    va, vb = a["value"], b["value"]
    if isinstance(va, str) and isinstance(vb, str) and not (value_def and value_def.case_exact):
        va, vb = va.casefold(), vb.casefold()
    if va != vb:
        return False
    if defn.name == "members":
        return True
    return a.get("type") is None or b.get("type") is None or a.get("type") == b.get("type")


def merge_unique(defn: Attr, current: list[Any], new: list[Any]) -> list[Any]:
    """`current` plus the elements of `new` it does not hold yet (a later one updates)."""
    out = list(current)
    for item in new:
        index = next((i for i, old in enumerate(out) if same_element(defn, old, item)), None)
        if index is None:
            out.append(item)
        elif isinstance(out[index], dict) and isinstance(item, dict):
            out[index] = {**out[index], **item}
    return one_primary(out)


def one_primary(items: list[Any]) -> list[Any]:
    """RFC 7643 §2.4: at most one element has `primary: true`; the last one set wins."""
    flagged = [i for i, e in enumerate(items) if isinstance(e, dict) and e.get("primary") is True]
    for i in flagged[:-1]:
        items[i] = {**items[i], "primary": False}
    return items
