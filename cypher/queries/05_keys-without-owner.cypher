// id: keys-without-owner
// title: Active keys with no owner
// severity: medium
// category: hygiene
// why: Legacy, federated or system-created keys carry no creator. Nobody answers for them, so
//   they are rarely rotated and nobody notices when they leak.
// fix: Find who uses each key (usage reports per key), give the workload a key of its own with
//   an owner and an expiry, then revoke the ownerless one.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (k:AnthropicApiKey {tenant_id: o.id, status: 'active'})
  WHERE k.created_by_id IS NULL
  RETURN k
}
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  w.name AS workspace,
  k.scope_type AS scope,
  k.created_at AS created_at,
  k.expires_at AS expires_at
ORDER BY org_name, org_id, created_at, id;
