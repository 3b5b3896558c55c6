"""The organization (tenant) node, its main email domains, and the sync-run audit node."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from ingest.extract.capabilities import Capabilities
from ingest.graph.model import COMPLIANCE_CURSOR, MODEL, ORGANIZATION, SYNC_RUN
from ingest.lifecycle_actions import possible_actions
from ingest.mapping.admin import RESOURCE
from ingest.mapping.rows import GraphRows
from ingest.sync.plan import PLAN

SYNCED = MODEL.rel("SYNCED", "sync_run", "organization")

# Besides the most used one, a domain is one of the organization's own when at least this
# share of members, and at least this many (so one partner on a 20-member org is not), use it.
MAIN_DOMAIN_SHARE = 0.05
MAIN_DOMAIN_MIN_MEMBERS = 3
# Free-mail domains are never an organization's own, however many members use them.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
        "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "yandex.com",
        "yandex.ru", "mail.ru", "zoho.com", "fastmail.com", "hey.com", "tutanota.com",
        "qq.com", "163.com", "126.com",
    }
)  # fmt: skip
# Providers whose every country variant is free mail too (gmail.co.uk, yahoo.co.jp, outlook.fr).
FREE_MAIL_PROVIDERS = frozenset(
    {"gmail", "googlemail", "outlook", "hotmail", "yahoo", "ymail", "proton", "protonmail",
     "icloud", "aol", "gmx", "yandex"}
)  # fmt: skip


def is_free_mail(domain: str) -> bool:
    return domain in FREE_MAIL_DOMAINS or domain.partition(".")[0] in FREE_MAIL_PROVIDERS


def infer_main_domains(
    counts: Counter[str],
    minimum_share: float = MAIN_DOMAIN_SHARE,
    minimum_members: int = MAIN_DOMAIN_MIN_MEMBERS,
) -> list[str]:
    """The organization's own email domains (`counts`: members per email domain): the most
    used company domain, and those used by a sizeable share of members; never free mail."""
    total = sum(counts.values())
    own = {d: n for d, n in counts.items() if d and not is_free_mail(d)}
    if not own:
        return []
    top = min(own, key=lambda d: (-own[d], d))
    sizeable = {d for d, n in own.items() if n >= minimum_members and n / total >= minimum_share}
    return sorted(sizeable | {top})


# SCIM refused this sync's token or URL (ScimRefused): a setting to fix, not the plan, so the
# sync fails until it is fixed; remediation has no working lever meanwhile and stays off.
SCIM_REFUSED = frozenset({"credential_rejected", "not_found"})


def lifecycle_remediation_enabled(scim_status: str) -> bool:
    # Deprovisioning goes through the identity provider: without a readable SCIM, no lever.
    return scim_status == "available"


@dataclass(frozen=True)
class OrganizationFacts:
    org_id: str
    name: str | None
    scim_status: str  # as declared on the organization node (ingest/graph/model.py)
    scim_unavailable_reason: str | None
    main_domains: list[str]
    sync_id: str
    synced_at: str
    capabilities: Capabilities
    families_read: list[str] = field(default_factory=list)
    compliance_cursor: str | None = None

    @property
    def lifecycle_remediation_enabled(self) -> bool:
        return lifecycle_remediation_enabled(self.scim_status)


def map_organization(facts: OrganizationFacts) -> GraphRows:
    rows = GraphRows()
    rows.node(
        ORGANIZATION,
        {
            "id": facts.org_id,
            "name": facts.name,
            "scim_status": facts.scim_status,
            "scim_unavailable_reason": facts.scim_unavailable_reason,
            "lifecycle_remediation_enabled": facts.lifecycle_remediation_enabled,
            "main_domains": facts.main_domains,
            "product": facts.capabilities.product,
            "key_scopes": sorted(facts.capabilities.scopes or ()),
            "families_read": sorted(facts.families_read),
            "families_not_permitted": PLAN.not_permitted(facts.capabilities),
            "lifecycle_actions": possible_actions(facts.capabilities, facts.scim_status),
            COMPLIANCE_CURSOR: facts.compliance_cursor,
            "last_sync_id": facts.sync_id,
            "last_synced_at": facts.synced_at,
        },
    )
    return rows


@dataclass
class SyncRunFacts:
    sync_id: str
    org_id: str
    started_at: str
    finished_at: str | None = None
    status: str = "running"
    families_complete: list[str] = field(default_factory=list)
    families_failed: list[str] = field(default_factory=list)
    record_counts: Mapping[str, int] = field(default_factory=dict)
    capabilities: list[str] = field(default_factory=list)
    api_calls: int = 0
    retries: int = 0
    throttled_seconds: float = 0.0
    duration_seconds: float = 0.0
    scim_status: str | None = None
    nodes_written: int = 0
    rels_written: int = 0
    nodes_deleted: int = 0
    rels_deleted: int = 0
    removed_member_ids: list[str] = field(default_factory=list)


def map_sync_run(facts: SyncRunFacts) -> GraphRows:
    rows = GraphRows()
    rows.node(
        SYNC_RUN,
        {
            "id": facts.sync_id,
            "started_at": facts.started_at,
            "finished_at": facts.finished_at,
            "status": facts.status,
            "families_complete": sorted(facts.families_complete),
            "families_failed": sorted(facts.families_failed),
            "record_counts": json.dumps(dict(sorted(facts.record_counts.items()))),
            "capabilities": sorted(facts.capabilities),
            "api_calls": facts.api_calls,
            "retries": facts.retries,
            "throttled_seconds": round(facts.throttled_seconds, 3),
            "duration_seconds": round(facts.duration_seconds, 3),
            "scim_status": facts.scim_status,
            "nodes_written": facts.nodes_written,
            "rels_written": facts.rels_written,
            "nodes_deleted": facts.nodes_deleted,
            "rels_deleted": facts.rels_deleted,
            "removed_member_ids": sorted(facts.removed_member_ids),
        },
    )
    rows.rel(RESOURCE["sync_run"], facts.org_id, facts.sync_id)
    rows.rel(SYNCED, facts.sync_id, facts.org_id)
    return rows
