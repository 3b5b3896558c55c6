"""The report as a stable, machine-readable JSON document (schema_version 1).

Keys always appear, in this order; findings most severe first; rows as the query returns them
(nodes as {"labels", "properties"}, relationships as {"type", ...}, paths as alternating lists);
`paths` are the drawings of the paths in `path_column`, each with the index of its row.
`findings` and `summary` are across the organizations of the report; `sections` holds one entry
per organization: its id and name, its summary, and each question's rows of that organization.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ingest.report.model import (
    Finding,
    OrganizationInfo,
    OrganizationSection,
    Report,
    severity_counts,
)

SCHEMA_VERSION = 1


def render_json(report: Report) -> str:
    return json.dumps(report_document(report), indent=2, ensure_ascii=False, default=str) + "\n"


def report_document(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": report.generated_at,
        "duration_seconds": report.duration_seconds,
        "browser_url": report.browser_url,
        "top": report.top,
        "organizations": [_organization(org) for org in report.organizations],
        "summary": _summary(report.findings),
        "findings": [_finding(finding) for finding in report.findings],
        "sections": [_section(section) for section in report.sections],
    }


def _summary(findings: list[Finding]) -> dict[str, Any]:
    return {
        "questions": len(findings),
        "questions_with_findings": sum(1 for f in findings if f.count),
        "questions_failed": sum(1 for f in findings if f.error is not None),
        "by_severity": severity_counts(findings),
    }


def _section(section: OrganizationSection) -> dict[str, Any]:
    org = section.organization
    return {
        "organization": {"id": org.id, "name": org.name},
        "summary": _summary(section.findings),
        "findings": [_finding(finding) for finding in section.findings],
    }


def _organization(org: OrganizationInfo) -> dict[str, Any]:
    return asdict(org)


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "title": finding.title,
        "severity": finding.severity,
        "category": finding.category,
        "count": finding.count,
        "truncated": finding.truncated,
        "error": finding.error,
        "duration_seconds": finding.duration_seconds,
        "why": finding.why,
        "fix": finding.fix,
        "params": finding.params,
        "cypher": finding.cypher,
        "browser_link": finding.browser_link,
        "columns": finding.columns,
        "rows": finding.rows,
        "path_column": finding.path_column,
        "paths": [
            {"row": row, "nodes": [asdict(node) for node in path.nodes], "rels": list(path.rels)}
            for row, path in enumerate(finding.paths)
            if path is not None
        ],
    }
