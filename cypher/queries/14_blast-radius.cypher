// id: blast-radius
// title: Blast radius: accounts that can create keys in the most workspaces
// severity: high
// category: attack path
// why: An account that can create keys (workspace_admin, workspace_developer or
//   workspace_restricted_developer) in many active workspaces exposes all of them when its
//   credentials leak. Counts the memberships granted in the workspaces themselves: the
//   organization admins' inherited access to every workspace (through their organization
//   role) is listed by effective-org-admins and would otherwise crowd out every other row.
// fix: Remove the workspace memberships the account does not use; split broad service
//   accounts into one per workspace.
// param limit: how many accounts to list (in each organization)
// param org: only this organization, by id (null: every organization)
:param limit => 25;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (r:AnthropicRole {tenant_id: o.id, scope: 'workspace'})-[:SCOPED_TO]->
        (w:AnthropicWorkspace {tenant_id: o.id})
  WHERE r.name IN ['workspace_admin', 'workspace_developer', 'workspace_restricted_developer']
    AND NOT coalesce(w.is_archived, false)
  MATCH (p)-[a:HAS_ROLE]->(r)
  WHERE a.source = 'workspace'
    AND (p:AnthropicUser OR (p:AnthropicServiceAccount AND p.archived_at IS NULL))
  WITH p, count(DISTINCT w) AS workspaces,
       count(DISTINCT CASE WHEN r.name = 'workspace_admin' THEN w END) AS admin_in
  RETURN p, workspaces, admin_in
  ORDER BY workspaces DESC, admin_in DESC, p.id
  LIMIT toInteger($limit)
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  CASE WHEN p:AnthropicUser THEN 'user' ELSE 'service account' END AS kind,
  p.id AS id,
  coalesce(p.email, p.name) AS name,
  coalesce(p.role, p.organization_role) AS organization_role,
  workspaces,
  admin_in,
  workspaces - admin_in AS developer_in
ORDER BY org_name, org_id, workspaces DESC, admin_in DESC, id;
