// id: workspace-admins
// title: Effective workspace admins, direct or inherited
// severity: high
// category: attack path
// why: A workspace admin manages the workspace's members and keys. Organization admins are
//   workspace admins of every active workspace (inherited, cannot be removed there); others
//   are admins through a direct membership. Knowing which is which tells you whom to ask.
// fix: Remove direct workspace_admin memberships nobody needs; prefer one or two named direct
//   admins per workspace over relying on organization admins.
// param workspace_id: only this workspace (null: every workspace)
// param org: only this organization, by id (null: every organization)
:param workspace_id => null;
:param org => null;

// One row per workspace: the direct admins by name, the inherited ones (the organization
// admins, the same in every active workspace) by id, found through their organization role.
MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (w:AnthropicWorkspace {tenant_id: o.id})
  WHERE $workspace_id IS NULL OR w.id = $workspace_id
  RETURN w
}
CALL (w) {
  OPTIONAL MATCH (p)-[:ADMIN_OF]->(w)
  WHERE p:AnthropicUser OR p.archived_at IS NULL
  RETURN collect(p) AS direct
}
CALL (w) {
  OPTIONAL MATCH (u:AnthropicUser)-[:HAS_ROLE]->(:AnthropicRole {scope: 'organization'})
        -[:GRANTS_WORKSPACE_ROLE]->(:AnthropicRole {name: 'workspace_admin'})-[:SCOPED_TO]->(w)
  RETURN collect(DISTINCT u.id) AS inherited_ids
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  w.id AS id,
  w.name AS workspace,
  coalesce(w.is_archived, false) AS archived,
  [p IN direct |
    coalesce(p.email, p.name) +
    CASE WHEN p:AnthropicServiceAccount THEN ' (service account)' ELSE '' END] AS direct_admins,
  [p IN direct | p.id] AS direct_admin_ids,
  size(inherited_ids) AS inherited_admins,
  inherited_ids AS inherited_admin_ids
ORDER BY org_name, org_id, workspace, id;
