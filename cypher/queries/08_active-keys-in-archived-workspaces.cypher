// id: active-keys-in-archived-workspaces
// title: Active keys in archived workspaces (an anomaly)
// severity: high
// category: hygiene
// why: Archiving a workspace archives its keys within seconds, so an active key in an archived
//   workspace should not exist: either the archive did not finish or the data is stale. Until
//   it is explained, the key may still work for whoever holds it.
// fix: Set the key to inactive (or archive it) now, re-read the organization, and report the
//   case if the key is still listed active.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (w:AnthropicWorkspace {tenant_id: o.id, is_archived: true})-[:CONTAINS]->(k:AnthropicApiKey)
  WHERE k.status = 'active'
  RETURN w, k
}
OPTIONAL MATCH (k)-[:ACTS_AS]->(principal)
OPTIONAL MATCH (k)-[:CREATED_BY]->(creator)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  w.id AS workspace_id,
  w.name AS workspace,
  w.archived_at AS archived_at,
  coalesce(principal.email, principal.name, k.principal_id) AS acts_as,
  coalesce(creator.email, creator.name, k.created_by_id) AS created_by
ORDER BY org_name, org_id, workspace, id;
