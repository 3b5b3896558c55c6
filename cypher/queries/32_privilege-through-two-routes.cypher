// id: privilege-through-two-routes
// title: People who hold privilege through two routes
// severity: medium
// category: attack path
// why: On Enterprise, privilege (managing members) comes from a privileged organization role
//   or from a group whose role grants a privileged permission (permission_* other than
//   permission_view_*). Someone who holds it both ways, or through a directory (SCIM) group
//   and a group made by hand, keeps it when one route is removed: demoting them, or taking
//   them out of the directory group, leaves them an admin.
// fix: Choose the one route the person should hold privilege through (usually the directory
//   group, so leaving the team removes it) and remove the other.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  // Both routes need a privileged group: start from those groups' members, not every member.
  MATCH (g:AnthropicRbacGroup {tenant_id: o.id})
  WHERE EXISTS {
    (g)-[:HAS_ROLE]->(:AnthropicRbacRole)-[:GRANTS]->(:AnthropicRbacRolePermission {privileged: true})
  }
  MATCH (u:AnthropicUser)-[:MEMBER_OF]->(g)
  WITH u, g ORDER BY g.name, g.id
  WITH u, collect(g {.id, .name, .source_type}) AS groups
  OPTIONAL MATCH (u)-[:HAS_ROLE]->(r:AnthropicRole {scope: 'organization', privileged: true})
  WITH u, groups, collect(r.name) AS roles
  WITH u, roles, groups,
    [x IN groups WHERE x.source_type = 'scim'] AS scim_groups,
    [x IN groups WHERE coalesce(x.source_type, '') <> 'scim'] AS manual_groups
  WHERE (size(roles) > 0 AND size(groups) > 0)
    OR (size(scim_groups) > 0 AND size(manual_groups) > 0)
  RETURN u, roles, groups, scim_groups, manual_groups
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  u.id AS id,
  u.email AS email,
  CASE
    WHEN size(roles) > 0 THEN 'organization role and group'
    ELSE 'directory (SCIM) group and a group made by hand'
  END AS routes,
  roles AS organization_roles,
  [x IN scim_groups | coalesce(x.name, x.id)] AS scim_groups,
  [x IN manual_groups | coalesce(x.name, x.id)] AS manual_groups
ORDER BY org_name, org_id, routes, email, id;
