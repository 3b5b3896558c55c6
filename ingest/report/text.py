"""Wording shared by the Markdown and HTML renderers."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.extract.capabilities import AT_LEAST
from ingest.queries.library import ORG_COLUMNS, SEVERITIES
from ingest.report.model import Finding, OrganizationInfo, SyncInfo, severity_counts


def organization_line(org: OrganizationInfo) -> str:
    remediation = {True: "enabled", False: "disabled", None: "unknown"}
    return (
        f"{org.product or 'product unknown'} · key scopes {scopes_text(org)} · "
        f"SCIM {org.scim_status or 'unknown'} · lifecycle remediation "
        f"{remediation[org.lifecycle_remediation_enabled]}"
    )


def scopes_text(org: OrganizationInfo) -> str:
    """The scopes the sync found the key to hold: `(at least) a, b` when no 403 listed them all
    (ingest/extract/capabilities.py), `none` for a Console key."""
    held = sorted(set(org.key_scopes) - {AT_LEAST})
    if AT_LEAST in org.key_scopes:
        return f"{AT_LEAST} {', '.join(held)}"
    if held:
        return ", ".join(held)
    return "none" if org.product == "console" else "unknown"


def sync_line(org: OrganizationInfo) -> str:
    sync = org.last_sync
    if sync is None:
        return "never synced"
    scim = sync.scim_status or "unknown"
    return f"{sync.status or 'unknown'} · {sync_details(sync)} · SCIM {scim}"


def sync_details(sync: SyncInfo) -> str:
    """When the sync finished and how long it took (its status is shown elsewhere)."""
    parts = [f"finished {readable_time(sync.finished_at)}" if sync.finished_at else "unfinished"]
    if sync.duration_seconds is not None:
        parts.append(f"in {sync.duration_seconds:.1f} s")
    return " ".join(parts) + f" · {sync.id}"


def readable_time(stamp: str) -> str:
    """2026-11-28T11:56:45.366356Z -> 2026-11-28 11:56:45 UTC (other text unchanged)."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.utcoffset() is not None:
        moment = moment.astimezone(UTC)
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def totals_line(findings: list[Finding]) -> str:
    counts = severity_counts(findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts.get(s))
    with_findings = sum(1 for f in findings if f.count)
    failed = sum(1 for f in findings if f.error is not None)
    questions = len(findings)
    line = f"{questions} question{'' if questions == 1 else 's'}, {with_findings} with findings"
    line += f" ({by_severity})" if by_severity else ""
    if failed:
        line += f", {failed} failed"
    return line


def count_text(finding: Finding) -> str:
    return "error" if finding.error else f"{finding.count:,}"


def shown_text(finding: Finding) -> str:
    """e.g. 'Showing the top 10 of 42.' when rows were left out, else ''."""
    if not finding.truncated:
        return ""
    return f"Showing the top {len(finding.rows)} of {finding.count:,}."


def anchor(finding: Finding, org: OrganizationInfo | None = None) -> str:
    """Where a question's answer for one organization is (its own id without one)."""
    return finding.id if org is None else f"{org.id}-{finding.id}"


def shown_columns(finding: Finding, org: OrganizationInfo | None = None) -> list[str]:
    """The columns of a table of rows: an organization's section leaves out whose they are."""
    return [c for c in finding.columns if org is None or c not in ORG_COLUMNS]
