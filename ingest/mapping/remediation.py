"""The remediation audit trail in the graph: one node per action taken, linked to its target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.graph.model import MODEL, REMEDIATION_ACTION
from ingest.mapping.admin import RESOURCE
from ingest.mapping.rows import GraphRows


def map_remediation_action(entry: Mapping[str, Any]) -> GraphRows:
    """`entry`: one line of the remediation log (ingest/remediate/audit.py)."""
    rows = GraphRows()
    target = entry["target"]
    request = entry["request"]
    rows.node(
        REMEDIATION_ACTION,
        {
            "id": entry["entry"],
            "action": entry["action"],
            "outcome": entry["outcome"],
            "reason": entry.get("reason"),
            "ran_at": entry["ran_at"],
            "ran_by": entry["ran_by"],
            "plan_item_id": entry["plan_item_id"],
            "request": f"{request['method']} {request['path']}",
            "request_id": entry.get("request_id"),
            "http_status": entry.get("http_status"),
            "target_id": target["id"],
            "target_label": target["label"],
            "undo_of": entry.get("undo_of"),
        },
    )
    rows.rel(RESOURCE["remediation_action"], entry["organization_id"], entry["entry"])
    acted_on = next(
        r for r in MODEL.rels if r.type == "ACTED_ON" and r.end.label == target["label"]
    )
    rows.rel(acted_on, entry["entry"], target["id"])
    return rows
