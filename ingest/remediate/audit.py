"""The audit trail: every action taken, appended to a local JSON-lines log and written to the
graph as a `RemediationAction` linked to its target. Neither ever holds a secret."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ingest.load import GraphLoader
from ingest.load.context import SyncContext
from ingest.mapping.remediation import map_remediation_action

DEFAULT_LOG = Path("remediation-log.jsonl")


class UnknownEntry(KeyError):
    """No line of the log has this entry id."""


class AuditTrail:
    def __init__(self, log: Path, loader: GraphLoader | None) -> None:
        self.log = log
        self.loader = loader

    def record(self, entry: Mapping[str, Any]) -> None:
        """Append the entry to the log (opened for appending only), then to the graph."""
        with self.log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, sort_keys=True, default=str) + "\n")
        if self.loader is None:
            return
        rows = map_remediation_action(entry)
        ctx = SyncContext(entry["organization_id"], entry["run_id"], int(time.time() * 1000))
        for node_type, node_rows in rows.iter_nodes():
            self.loader.load_nodes(node_type, node_rows, ctx)
        for rel_type, rel_rows in rows.iter_rels():
            self.loader.load_rels(rel_type, rel_rows, ctx)


def entries(log: Path) -> Iterator[dict[str, Any]]:
    if not log.exists():
        return
    with log.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def find_entry(log: Path, entry_id: str) -> dict[str, Any]:
    for entry in entries(log):
        if entry.get("entry") == entry_id:
            return entry
    raise UnknownEntry(f"no entry {entry_id!r} in {log}")
