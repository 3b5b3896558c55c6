// id: keys-of-departed-users
// title: Active keys that outlived the person who made them
// severity: high
// category: lifecycle
// why: Removing a member archives their personal keys, but the service-account keys they made
//   and legacy workspace keys survive them: they still work and nobody who made them is left
//   to answer for them. An active personal key of a removed member should not exist (the API
//   archives it); it is listed as an anomaly of its own.
// fix: Revoke the key (Console > API keys, or set its status to inactive through the Admin API)
//   after checking with the workspace's admins that nothing still depends on it; give a
//   service account's workload a key made by someone who is still here. Report an anomaly.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (k:AnthropicApiKey {tenant_id: o.id, status: 'active'})
  WHERE (k.created_by_type = 'user' AND NOT EXISTS { (k)-[:CREATED_BY]->(:AnthropicUser) })
    OR (k.principal_type = 'user' AND NOT EXISTS { (k)-[:ACTS_AS]->(:AnthropicUser) })
  RETURN k
}
OPTIONAL MATCH (k)-[:ACTS_AS]->(principal)
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
WITH o, k, w, principal, k.principal_type = 'user' AND principal IS NULL AS anomaly
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  CASE
    WHEN anomaly THEN 'anomaly: personal key of a removed member (the API archives these)'
    WHEN k.principal_type = 'service_account' THEN 'service-account key'
    WHEN k.principal_type IS NULL THEN 'legacy workspace key'
    ELSE 'key acting as a member'
  END AS kind,
  anomaly,
  coalesce(principal.email, principal.name, k.principal_id) AS acts_as,
  k.created_by_id AS former_creator_id,
  w.name AS workspace,
  k.created_at AS created_at,
  k.expires_at AS expires_at
ORDER BY org_name, org_id, anomaly DESC, created_at, id;
