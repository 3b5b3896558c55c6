"""Undoing a logged action where the API allows it: the reverse action, as a one-item plan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.remediate.actions import action
from ingest.remediate.apply import APPLIED
from ingest.remediate.plan import request_item


class CannotUndo(ValueError):
    """The entry was not applied, or its action cannot be reversed through the API."""


def undo_item(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The item that reverses `entry` (a line of the remediation log)."""
    if entry["outcome"] != APPLIED:
        raise CannotUndo(f"entry {entry['entry']} was not applied ({entry['outcome']})")
    original = action(entry["action"], entry["product"])
    if original.undo is None or original.irreversible is not None:
        why = original.irreversible or "the API has no reverse of it"
        raise CannotUndo(f"{original.kind} cannot be undone: {why}")
    reverse = action(original.undo, entry["product"])
    # The state before the action (the role it changed, the user it removed) fills the body.
    values = {**(entry.get("fields") or {}), **(entry.get("expect") or {})}
    done = request_item(reverse, entry["product"], entry.get("fields") or {}, values)
    target = entry["target"]
    after = {k: v for k, v in (entry.get("effect") or {}).items() if k != "gone"}
    return {
        "id": f"undo-{entry['plan_item_id']}",
        "organization_id": entry["organization_id"],
        "what": f"undo {entry['entry']}: {reverse.description}: {target['name']}",
        "why": f"undo of {entry['action']} ({entry['entry']})",
        "target": target,
        "expect": after,
        "undo_of": entry["entry"],
        **done,
    }
