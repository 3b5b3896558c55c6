// id: attack-paths
// title: Attack paths to managing members, creating keys, organization admin or a workspace
// severity: critical
// category: attack path
// why: Whoever controls a principal that reaches one of these, or an active API key bound to
//   one, can add members (and so grant themselves anything), mint new keys, administer the
//   organization or work in the workspace. Each row is the shortest path (up to 8 hops) from a
//   user, service account, active API key, active SCIM user, SCIM group or external federation
//   issuer, walking only control relationships (those the graph declaration marks traversable,
//   never containment or authorship), hop by hop. An issuer reaches its service account
//   through a rule only when the rule grants org:admin (for a workspace, workspace:developer
//   too). Managing members: the privileged organization roles and, on Enterprise, a group's
//   role with a privileged permission (the same set as effective-org-admins).
// fix: Cut the path at its weakest hop: revoke the key, archive the service account or the
//   federation rule, remove the member from the group, remove the workspace role or lower the
//   organization role.
// param ability: manage_members, create_keys, org_admin (admin, owner or primary owner), or
//   workspace (any access to the workspace $workspace_id)
// allowed ability: manage_members, create_keys, org_admin, workspace
// param workspace_id: the workspace to reach (null: the organization itself)
// param org: only this organization, by id (null: every organization)
:param ability => 'manage_members';
:param workspace_id => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
// The nodes whose holder has the ability.
CALL (o) {
  MATCH (t:AnthropicRole {tenant_id: o.id, scope: 'organization'})
  WHERE
    CASE $ability
      WHEN 'manage_members' THEN t.privileged
      WHEN 'org_admin' THEN t.name IN ['admin', 'owner', 'primary_owner']
      WHEN 'create_keys' THEN
        t.name IN ['admin', 'owner', 'primary_owner'] OR
        (t.name = 'developer' AND $workspace_id IS NULL)
      ELSE false
    END
  RETURN t
  UNION
  MATCH (t:AnthropicRbacRolePermission {tenant_id: o.id, privileged: true})
  WHERE $ability = 'manage_members'
  RETURN t
  UNION
  MATCH (t:AnthropicRole {tenant_id: o.id, scope: 'workspace', workspace_id: $workspace_id})
  WHERE
    t.name IN CASE $ability
      WHEN 'manage_members' THEN ['workspace_admin']
      WHEN 'create_keys' THEN
        ['workspace_admin', 'workspace_developer', 'workspace_restricted_developer']
      ELSE []
    END
  RETURN t
  UNION
  MATCH (w:AnthropicWorkspace {tenant_id: o.id, id: $workspace_id})
  WHERE $ability = 'workspace'
  RETURN w AS t
}
// Control relationships only: test_attack_paths_walk_the_declared_control_edges keeps this
// list equal to the declaration's traversable types.
MATCH
  path = SHORTEST 1 (start)
    (()-[:ACTS_AS|ADMIN_OF|CAN_ASSUME|GRANTS|GRANTS_WORKSPACE_ROLE|HAS_ROLE|MEMBER_OF|PROVISIONED_AS|
         RESOURCE|SCOPED_TO|SURFACES_AS|TRUSTED_BY]->(n)
      WHERE
        (NOT n:AnthropicServiceAccount OR n.archived_at IS NULL) AND
        (NOT n:AnthropicFederationRule OR
          (n.archived_at IS NULL AND
            ('org:admin' IN n.oauth_scopes OR
              ($ability = 'workspace' AND 'workspace:developer' IN n.oauth_scopes))))){1,8}
    (t)
WHERE
  start.tenant_id = o.id AND
  (start:AnthropicUser OR
    (start:AnthropicServiceAccount AND start.archived_at IS NULL) OR
    (start:AnthropicApiKey AND start.status = 'active') OR
    (start:ScimUser AND start.active) OR
    start:ScimGroup OR
    (start:AnthropicFederationIssuer AND start.archived_at IS NULL))
WITH o, start, path
ORDER BY length(path), [n IN nodes(path) | n.id]
WITH o, start, collect(path)[0] AS path
WITH
  o,
  start,
  path,
  [n IN nodes(path) |
    head([l IN labels(n) WHERE l STARTS WITH 'Anthropic' OR l STARTS WITH 'Scim']) + ' ' +
    coalesce(n.email, n.name, n.display_name, n.action, n.id)] AS names,
  [x IN relationships(path) | type(x)] AS types
RETURN
  o.id AS org_id,
  o.name AS org_name,
  CASE
    WHEN start:AnthropicApiKey THEN 'api key'
    WHEN start:AnthropicServiceAccount THEN 'service account'
    WHEN start:AnthropicFederationIssuer THEN 'federation issuer'
    WHEN start:ScimUser THEN 'scim user'
    WHEN start:ScimGroup THEN 'scim group'
    ELSE 'user'
  END AS kind,
  start.id AS id,
  coalesce(start.email, start.name, start.display_name) AS name,
  length(path) AS length,
  [i IN range(0, size(types) - 1) | names[i] + ' -[' + types[i] + ']-> ' + names[i + 1]] AS hops,
  path
ORDER BY org_name, org_id, length, kind, name, id;
