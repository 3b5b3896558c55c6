// id: workspaces-only-inherited-admins
// title: Workspaces whose only admins are inherited organization admins
// severity: medium
// category: hygiene
// why: Nobody was made admin of these workspaces on purpose: only organization admins can
//   manage them, so nobody close to the work reviews their members and keys.
// fix: Give each workspace one or two named direct admins who own its members and keys.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (w:AnthropicWorkspace {tenant_id: o.id})
  WHERE
    NOT coalesce(w.is_archived, false)
    AND NOT EXISTS {
      MATCH (p)-[:ADMIN_OF]->(w)
      WHERE p:AnthropicUser OR (p:AnthropicServiceAccount AND p.archived_at IS NULL)
    }
  RETURN w
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  w.id AS id,
  w.name AS name,
  coalesce(w.is_default, false) AS is_default,
  COUNT {
    MATCH (u:AnthropicUser)-[:HAS_ROLE]->(:AnthropicRole {scope: 'organization'})
          -[:GRANTS_WORKSPACE_ROLE]->(:AnthropicRole {name: 'workspace_admin'})-[:SCOPED_TO]->(w)
    RETURN DISTINCT u
  } AS inherited_admins,
  COUNT { (w)-[:CONTAINS]->(:AnthropicApiKey {status: 'active'}) } AS active_keys
ORDER BY org_name, org_id, name, id;
