// id: old-never-expiring-keys
// title: Active keys that never expire and are older than N days
// severity: medium
// category: hygiene
// why: A key with no expiry that has lived for months has been copied into scripts, CI and
//   laptops; the older it is, the more likely it has leaked somewhere.
// fix: Rotate it: create a replacement with an expiry, move the workload, revoke the old key.
// param days: minimum age in days
// param as_of: the moment to measure age from, RFC 3339 (null: now)
// param org: only this organization, by id (null: every organization)
:param days => 90;
:param as_of => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
WITH o, coalesce(datetime($as_of), datetime()).epochMillis AS as_of
MATCH (k:AnthropicApiKey {tenant_id: o.id, status: 'active'})
WHERE k.expires_at IS NULL AND k.created_at_ms < as_of - $days * 86400000
OPTIONAL MATCH (k)-[:ACTS_AS]->(owner)
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  (as_of - k.created_at_ms) / 86400000 AS age_days,
  coalesce(owner.email, owner.name, k.principal_id, k.created_by_id) AS owner,
  w.name AS workspace,
  k.created_at AS created_at
ORDER BY org_name, org_id, created_at, id;
