// id: effective-org-admins
// title: Effective organization admins
// severity: critical
// category: attack path
// why: Whoever can manage members can grant themselves anything: Console admins, Enterprise
//   owners, the primary owner and membership admins (the roles marked privileged), and on
//   Enterprise anyone whose group holds a role (built-in or custom) with a privileged
//   permission (permission_* other than permission_view_*). Service accounts with the admin
//   role, and active API keys acting as any of these principals (whoever made them), act with
//   the same rights. Each row says the route: the organization role, or group -> role ->
//   permission.
// fix: Keep the admin roles and the groups that grant member management to a few named
//   people. Give service accounts the developer role unless they must administer the
//   organization, and revoke or expire keys bound to admins.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (r:AnthropicRole {tenant_id: o.id, scope: 'organization', privileged: true})
  MATCH (p)-[:HAS_ROLE]->(r)
  WHERE p:AnthropicUser OR (p:AnthropicServiceAccount AND p.archived_at IS NULL)
  RETURN p, 'organization role ' + r.name AS route
  UNION
  MATCH (perm:AnthropicRbacRolePermission {tenant_id: o.id, privileged: true})
  MATCH (p:AnthropicUser)-[:MEMBER_OF]->(g:AnthropicRbacGroup)-[:HAS_ROLE]->
        (rr:AnthropicRbacRole)-[:GRANTS]->(perm)
  RETURN p, 'group ' + coalesce(g.name, g.id) + ' -> role ' + coalesce(rr.name, rr.id) +
    ' -> ' + perm.action AS route
}
WITH o, p, route ORDER BY route
WITH o, p, collect(route) AS found
WITH o, p, reduce(s = head(found), x IN tail(found) | s + ' | ' + x) AS routes
CALL (p, routes) {
  RETURN
    CASE WHEN p:AnthropicUser THEN 'user' ELSE 'service account' END AS kind,
    p.id AS id,
    coalesce(p.email, p.name) AS name,
    routes AS via
  UNION ALL
  MATCH (k:AnthropicApiKey {status: 'active'})-[:ACTS_AS]->(p)
  RETURN
    'api key' AS kind,
    k.id AS id,
    k.name AS name,
    'acts as ' + coalesce(p.email, p.name, p.id) + ' (' + routes + ')' AS via
}
RETURN o.id AS org_id, o.name AS org_name, kind, id, name, via
ORDER BY org_name, org_id, kind, name, id;
