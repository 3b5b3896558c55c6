// id: service-accounts
// title: Service accounts: organization role, workspaces, keys
// severity: info
// category: inventory
// why: Service accounts are non-human identities that nobody logs in as; their rights and keys
//   are only visible if someone lists them.
// fix: Archive accounts nobody owns, keep admin service accounts to a minimum, and give each
//   one only the workspaces it needs.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
MATCH (sa:AnthropicServiceAccount {tenant_id: o.id})
OPTIONAL MATCH (sa)-[m:MEMBER_OF]->(w:AnthropicWorkspace)
WITH o, sa, w, m
ORDER BY w.name, w.id
WITH o, sa, collect(CASE WHEN w IS NOT NULL THEN {id: w.id, name: w.name, role: m.workspace_role} END) AS workspaces
RETURN
  o.id AS org_id,
  o.name AS org_name,
  sa.id AS id,
  sa.name AS name,
  sa.organization_role AS organization_role,
  CASE
    WHEN sa.archived_at IS NOT NULL THEN 'archived'
    WHEN coalesce(sa.is_stub, false) THEN 'known only from its keys'
    ELSE 'active'
  END AS status,
  [x IN workspaces | x.name + ' (' + coalesce(x.role, '?') + ')'] AS workspaces,
  [x IN workspaces | x.id] AS workspace_ids,
  COUNT { (k:AnthropicApiKey)-[:ACTS_AS]->(sa) WHERE k.status = 'active' } AS active_keys,
  COUNT { (:AnthropicApiKey)-[:ACTS_AS]->(sa) } AS keys
ORDER BY org_name, org_id, status, name, id;
