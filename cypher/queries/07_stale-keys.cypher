// id: stale-keys
// title: Expired, inactive or archived keys still present
// severity: low
// category: hygiene
// why: Keys that no longer work still clutter the inventory and hide the ones that matter; an
//   inactive key can be switched back on by anyone who can manage keys.
// fix: Archive inactive keys you will not reactivate; keep the inventory to keys in use.
// param as_of: the moment that decides expiry, RFC 3339 (null: now)
// param org: only this organization, by id (null: every organization)
:param as_of => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
WITH o, coalesce(datetime($as_of), datetime()).epochMillis AS as_of
MATCH (k:AnthropicApiKey {tenant_id: o.id})
WHERE
  k.status IN ['expired', 'inactive', 'archived']
  OR (k.status = 'active' AND k.expires_at_ms <= as_of)
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  CASE WHEN k.status = 'active' THEN 'expired' ELSE k.status END AS status,
  w.name AS workspace,
  k.created_at AS created_at,
  k.expires_at AS expires_at
ORDER BY org_name, org_id, status, created_at, id;
