"""What the graph holds of the Compliance Activity Feed (ingest/extract/compliance.py): the
cursor stored on the organization node and each member's active days, read before a sync so
its feed read asks only for newer events."""

from __future__ import annotations

from ingest.extract.compliance import ComplianceFeed
from ingest.graph.model import ACTIVE_DAYS, COMPLIANCE_ACTIVITY, COMPLIANCE_CURSOR, ORGANIZATION
from ingest.graph.schema import TENANT_ID
from ingest.load import GraphLoader

_STORED = f"""
OPTIONAL MATCH (o:{ORGANIZATION.label} {{{TENANT_ID}: $tenant_id, id: $tenant_id}})
OPTIONAL MATCH (a:{COMPLIANCE_ACTIVITY.label} {{{TENANT_ID}: $tenant_id}})
WHERE size(coalesce(a.{ACTIVE_DAYS}, [])) > 0
RETURN o.{COMPLIANCE_CURSOR} AS cursor,
       collect(CASE WHEN a IS NOT NULL THEN [a.subject_id, a.{ACTIVE_DAYS}] END) AS days
"""


def stored_feed(loader: GraphLoader, org_id: str) -> ComplianceFeed:
    [record] = loader.read(_STORED, {"tenant_id": org_id})
    cursor = record["cursor"]
    if not isinstance(cursor, str) or not cursor:
        return ComplianceFeed()
    days = {str(subject): [str(d) for d in listed] for subject, listed in record["days"]}
    return ComplianceFeed(stored_cursor=cursor, stored_days=days)
