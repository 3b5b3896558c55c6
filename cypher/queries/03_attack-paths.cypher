// id: attack-paths
// title: Attack paths to managing members or creating keys
// severity: critical
// category: attack path
// why: Whoever controls a principal with these rights, or an active API key bound to one,
//   can add members (and so grant themselves anything) or mint new keys. Each row is the
//   shortest path from a user, service account, API key or external federation issuer (whose
//   tokens a usable org:admin rule exchanges for the service account's) to the ability, hop by
//   hop. Managing members: the privileged organization roles and, on Enterprise, a group's
//   role with a privileged permission (the same set as effective-org-admins).
// fix: Cut the path at its weakest hop: revoke the key, archive the service account, remove
//   the workspace role or lower the organization role.
// param ability: manage_members or create_keys
// allowed ability: manage_members, create_keys
// param workspace_id: the workspace to reach (null: the organization itself)
// param org: only this organization, by id (null: every organization)
:param ability => 'manage_members';
:param workspace_id => null;
:param org => null;

// Organization roles that carry the ability (in a workspace too, and for managing members every
// privileged one), and workspace roles.
MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
WITH
  o,
  $workspace_id AS workspace_id,
  CASE $ability
    WHEN 'create_keys' THEN
      ['admin', 'owner', 'primary_owner'] +
      CASE WHEN $workspace_id IS NULL THEN ['developer'] ELSE [] END
    ELSE []
  END AS org_roles,
  CASE $ability
    WHEN 'manage_members' THEN ['workspace_admin']
    WHEN 'create_keys' THEN
      ['workspace_admin', 'workspace_developer', 'workspace_restricted_developer']
    ELSE []
  END AS workspace_roles
CALL (o, workspace_id, org_roles, workspace_roles) {
  MATCH (r:AnthropicRole {tenant_id: o.id, scope: 'organization'})
  WHERE r.name IN org_roles OR ($ability = 'manage_members' AND r.privileged)
  MATCH path = (start)-[:ACTS_AS*0..1]->(p)-[:HAS_ROLE]->(r)
  RETURN start, p, path
  UNION
  WITH workspace_id WHERE $ability = 'manage_members'
  MATCH (perm:AnthropicRbacRolePermission {tenant_id: o.id, privileged: true})
  MATCH path = (p:AnthropicUser)-[:MEMBER_OF]->(:AnthropicRbacGroup)-[:HAS_ROLE]->
               (:AnthropicRbacRole)-[:GRANTS]->(perm)
  RETURN p AS start, p, path
  UNION
  MATCH (w:AnthropicWorkspace {tenant_id: o.id, id: workspace_id})<-[:SCOPED_TO]-(r:AnthropicRole)
  WHERE r.name IN workspace_roles
  MATCH path = (start)-[:ACTS_AS*0..1]->(p)-[:HAS_ROLE]->(r)-[:SCOPED_TO]->(w)
  RETURN start, p, path
  UNION
  // An external issuer whose tokens a usable org:admin rule turns into the account's.
  MATCH (r:AnthropicRole {tenant_id: o.id, scope: 'organization'})
  WHERE r.name IN org_roles OR ($ability = 'manage_members' AND r.privileged)
  MATCH
    path = (start:AnthropicFederationIssuer)-[:TRUSTED_BY]->(rule:AnthropicFederationRule)
      -[:CAN_ASSUME]->(p:AnthropicServiceAccount)-[:HAS_ROLE]->(r)
  WHERE start.archived_at IS NULL AND 'org:admin' IN rule.oauth_scopes
  RETURN start, p, path
}
WITH o, start, p, path
WHERE
  (p:AnthropicUser OR (p:AnthropicServiceAccount AND p.archived_at IS NULL))
  AND (start = p OR start:AnthropicFederationIssuer OR start.status = 'active')
WITH o, start, path
ORDER BY length(path)
WITH o, start, collect(path)[0] AS path
WITH
  o,
  start,
  path,
  [n IN nodes(path) |
    head([l IN labels(n) WHERE l STARTS WITH 'Anthropic']) + ' ' +
    coalesce(n.email, n.name, n.id)] AS names,
  [x IN relationships(path) | type(x)] AS types
RETURN
  o.id AS org_id,
  o.name AS org_name,
  CASE
    WHEN start:AnthropicApiKey THEN 'api key'
    WHEN start:AnthropicServiceAccount THEN 'service account'
    WHEN start:AnthropicFederationIssuer THEN 'federation issuer'
    ELSE 'user'
  END AS kind,
  start.id AS id,
  coalesce(start.email, start.name) AS name,
  length(path) AS length,
  [i IN range(0, size(types) - 1) | names[i] + ' -[' + types[i] + ']-> ' + names[i + 1]] AS hops,
  path
ORDER BY org_name, org_id, length, kind, name, id;
