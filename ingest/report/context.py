"""The organizations in the graph and the last sync of each."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import Driver

from ingest.report.model import OrganizationInfo, SyncInfo

ORGANIZATIONS = """
MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
OPTIONAL MATCH (o)-[:RESOURCE]->(s:SyncRun)
WITH o, s ORDER BY s.finished_at DESC
WITH o, collect(s)[0] AS last
RETURN o.id AS id, o.name AS name, o.product AS product, o.key_scopes AS key_scopes,
       o.scim_status AS scim_status,
       o.lifecycle_remediation_enabled AS lifecycle_remediation_enabled,
       last {.id, .status, .started_at, .finished_at, .scim_status, .duration_seconds}
           AS last_sync
ORDER BY name, id
"""


def read_organizations(
    driver: Driver, database: str, org: str | None = None
) -> list[OrganizationInfo]:
    """Every organization in the graph, or only `org` (its id)."""
    records, _, _ = driver.execute_query(
        ORGANIZATIONS, {"org": org}, database_=database, routing_=neo4j.RoutingControl.READ
    )
    return [_organization(record.data()) for record in records]


def _organization(row: dict[str, Any]) -> OrganizationInfo:
    return OrganizationInfo(
        id=row["id"],
        name=row["name"],
        product=row["product"],
        key_scopes=list(row["key_scopes"] or []),
        scim_status=row["scim_status"],
        lifecycle_remediation_enabled=row["lifecycle_remediation_enabled"],
        last_sync=_sync(row["last_sync"]),
    )


def _sync(row: dict[str, Any] | None) -> SyncInfo | None:
    if row is None:
        return None
    duration = row.get("duration_seconds")
    return SyncInfo(
        id=row["id"],
        status=row.get("status"),
        started_at=row.get("started_at"),
        finished_at=row.get("finished_at"),
        scim_status=row.get("scim_status"),
        duration_seconds=float(duration) if duration is not None else None,
    )
