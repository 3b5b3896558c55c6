"""What a sync did, for people (a rich table), machines (--json) and the SyncRun node."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from ingest.extract.parsing import RecordIssue
from ingest.extract.transport import EngineStats
from ingest.mapping.organization import SyncRunFacts, lifecycle_remediation_enabled


class ExitCode(IntEnum):
    """`idgraph sync` exit codes (also in the README)."""

    OK = 0  # everything read and loaded (SCIM not on the organization's plan still counts)
    # some family could not be read (completely) or written: loaded the rest, deleted nothing of it
    PARTIAL = 1
    CONFIG = 2  # missing or wrong credentials or settings; nothing was sent or written
    NEO4J = 3  # Neo4j unreachable or refused the credentials; nothing was written
    FAILED = 4  # the organization could not be read at all (auth, network, deadline)


@dataclass
class FamilyWritten:
    family: str
    nodes: int = 0
    rels: int = 0


@dataclass
class SyncOutcome:
    sync_id: str
    org_id: str
    org_name: str | None
    started_at: str
    scim_status: str
    scim_reason: str | None
    issues: list[RecordIssue] = field(default_factory=list)
    families: dict[str, FamilyWritten] = field(default_factory=dict)
    families_complete: list[str] = field(default_factory=list)
    families_incomplete: list[str] = field(default_factory=list)
    extraction_failed: list[str] = field(default_factory=list)
    extraction_failures: dict[str, str] = field(default_factory=dict)
    # extractor family -> why it was read but not completely (nothing of it is cleaned up)
    read_incompletely: dict[str, str] = field(default_factory=dict)
    # graph family -> why it could not be written (nothing of it, or of its dependents, deleted)
    write_failures: dict[str, str] = field(default_factory=dict)
    record_counts: dict[str, int] = field(default_factory=dict)
    finished_at: str | None = None
    duration_seconds: float = 0.0
    api_calls: int = 0
    retries: int = 0
    throttled_seconds: float = 0.0
    capabilities: list[str] = field(default_factory=list)
    nodes_written: int = 0
    rels_written: int = 0
    nodes_deleted: int = 0
    rels_deleted: int = 0
    removed_member_ids: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        failed = self.extraction_failed or self.read_incompletely or self.write_failures
        return "partial" if failed else "success"

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.PARTIAL if self.status == "partial" else ExitCode.OK

    @property
    def lifecycle_remediation_enabled(self) -> bool:
        return lifecycle_remediation_enabled(self.scim_status)

    def absorb_stats(self, *stats: EngineStats | None) -> None:
        for engine in stats:
            if engine is None:
                continue
            self.api_calls += engine.api_calls
            self.retries += engine.retries
            self.throttled_seconds += engine.throttled_seconds
        self.capabilities = sorted(
            ["admin_api"]
            + (["service_accounts"] if "service_accounts" in self.record_counts else [])
            + (["scim"] if self.scim_status == "available" else [])
        )

    def finish(self, duration_seconds: float) -> None:
        self.finished_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.duration_seconds = duration_seconds

    def sync_run_facts(self) -> SyncRunFacts:
        return SyncRunFacts(
            sync_id=self.sync_id,
            org_id=self.org_id,
            started_at=self.started_at,
            finished_at=self.finished_at,
            status=self.status,
            families_complete=self.families_complete,
            families_failed=self.families_incomplete,
            record_counts=self.record_counts,
            capabilities=self.capabilities,
            api_calls=self.api_calls,
            retries=self.retries,
            throttled_seconds=self.throttled_seconds,
            duration_seconds=self.duration_seconds,
            scim_status=self.scim_status,
            nodes_written=self.nodes_written,
            rels_written=self.rels_written,
            nodes_deleted=self.nodes_deleted,
            rels_deleted=self.rels_deleted,
            removed_member_ids=self.removed_member_ids,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "sync_id": self.sync_id,
            "organization": {"id": self.org_id, "name": self.org_name},
            "status": self.status,
            "exit_code": int(self.exit_code),
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_seconds": round(self.duration_seconds, 3),
            "scim": {
                "status": self.scim_status,
                "reason": self.scim_reason,
                "lifecycle_remediation_enabled": self.lifecycle_remediation_enabled,
            },
            "records": dict(sorted(self.record_counts.items())),
            "families_cleaned": self.families_complete,
            "families_not_cleaned": self.families_incomplete,
            "extraction_failures": dict(sorted(self.extraction_failures.items())),
            "read_incompletely": dict(sorted(self.read_incompletely.items())),
            "write_failures": dict(sorted(self.write_failures.items())),
            "record_issues": [
                {"family": i.family, "id": i.record_id, "problem": i.problem} for i in self.issues
            ],
            "written": {"nodes": self.nodes_written, "relationships": self.rels_written},
            "removed": {
                "nodes": self.nodes_deleted,
                "relationships": self.rels_deleted,
                "members": self.removed_member_ids,
            },
            "api_calls": self.api_calls,
            "retries": self.retries,
            "throttled_seconds": round(self.throttled_seconds, 3),
        }
