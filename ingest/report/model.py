"""What a report holds, independent of how it is rendered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.queries.runner import is_notice


@dataclass(frozen=True)
class PathNode:
    """One box of an attack-path drawing."""

    kind: str  # e.g. User, Role, Workspace (the provider label without "Anthropic")
    name: str


@dataclass(frozen=True)
class PathDrawing:
    """A path as `nodes[0] -rels[0]-> nodes[1] -rels[1]-> ...`."""

    nodes: tuple[PathNode, ...]
    rels: tuple[str, ...]


@dataclass(frozen=True)
class SyncInfo:
    id: str
    status: str | None
    started_at: str | None
    finished_at: str | None
    scim_status: str | None
    duration_seconds: float | None


@dataclass(frozen=True)
class OrganizationInfo:
    id: str
    name: str | None
    product: str | None
    key_scopes: list[str]
    scim_status: str | None
    lifecycle_remediation_enabled: bool | None
    last_sync: SyncInfo | None


@dataclass(frozen=True)
class Finding:
    """One question of the library and what it found."""

    id: str
    title: str
    severity: str
    category: str
    why: str
    fix: str
    params: dict[str, Any]
    cypher: str
    browser_link: str
    count: int  # what it found: notices (`ingest.queries.runner.is_notice`) are not counted
    columns: list[str]
    rows: list[dict[str, Any]]  # the top rows only
    path_column: str | None = None  # the column holding a path, drawn for each row
    paths: list[PathDrawing | None] = field(default_factory=list)  # one per row of `rows`
    error: str | None = None  # why the question could not be answered
    duration_seconds: float = 0.0  # time to run the question

    @property
    def truncated(self) -> bool:
        return self.count > len([row for row in self.rows if not is_notice(row)])


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    """Questions with at least one finding, per severity."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.count:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts


@dataclass(frozen=True)
class OrganizationSection:
    """One organization's answers: each question's rows of that organization and their count,
    its Browser link asking for that organization alone."""

    organization: OrganizationInfo
    findings: list[Finding]

    def severity_counts(self) -> dict[str, int]:
        return severity_counts(self.findings)


@dataclass(frozen=True)
class Report:
    generated_at: str
    browser_url: str
    top: int
    organizations: list[OrganizationInfo]
    findings: list[Finding]  # across every organization of the report
    duration_seconds: float
    sections: list[OrganizationSection] = field(default_factory=list)  # one per organization

    def severity_counts(self) -> dict[str, int]:
        return severity_counts(self.findings)

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.error is not None]

    @property
    def across(self) -> list[Finding]:
        """The findings no organization's section holds (all of them without sections): the
        answers of questions whose rows do not say which organization they belong to."""
        split = {f.id for section in self.sections for f in section.findings}
        return [f for f in self.findings if f.id not in split]
