// id: service-accounts-admin-or-keys-after-archive
// title: Service accounts with an admin role, or with active keys after their archive
// severity: high
// category: attack path
// why: A service account with a privileged organization role administers the organization
//   through every key and federation exchange that acts as it, and nobody logs in as it to
//   notice. Archiving an account archives its keys, so an archived account with an active key
//   should not exist (an anomaly): the key may still work for whoever holds it.
// fix: Give the account the developer role unless it must administer the organization; revoke
//   (set inactive) the active keys of an archived account, re-read the organization, and
//   report the case if they are still active.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (sa:AnthropicServiceAccount {tenant_id: o.id})
  OPTIONAL MATCH (sa)-[:HAS_ROLE]->(r:AnthropicRole {scope: 'organization', privileged: true})
  WITH sa, collect(r.name) AS roles
  WITH sa, roles, sa.archived_at IS NOT NULL AS archived,
    [(k:AnthropicApiKey {status: 'active'})-[:ACTS_AS]->(sa) | k.id] AS active_keys
  WHERE (archived AND size(active_keys) > 0) OR (NOT archived AND size(roles) > 0)
  RETURN sa, roles, archived, active_keys
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  sa.id AS id,
  sa.name AS name,
  CASE
    WHEN archived THEN 'anomaly: archived, yet has active keys (the API archives these)'
    ELSE 'privileged organization role'
  END AS finding,
  archived AS anomaly,
  sa.organization_role AS organization_role,
  roles AS privileged_roles,
  size(active_keys) AS active_keys,
  active_keys AS active_key_ids,
  sa.archived_at AS archived_at
ORDER BY org_name, org_id, anomaly DESC, name, id;
