// id: effective-org-admins
// title: Effective organization admins
// severity: critical
// category: attack path
// why: Organization admins, owners and the primary owner manage members, roles, workspaces and
//   keys everywhere. Service accounts with the admin organization role, and active API keys
//   acting as any of these principals (whoever made them), act with the same rights and are easy to forget.
// fix: Keep the admin roles to a few named people. Give service accounts the developer role
//   unless they must administer the organization, and revoke or expire keys bound to admins.

MATCH (r:AnthropicRole {scope: 'organization'})
WHERE r.name IN ['admin', 'owner', 'primary_owner']
MATCH (p)-[:HAS_ROLE]->(r)
WHERE p:AnthropicUser OR (p:AnthropicServiceAccount AND p.archived_at IS NULL)
CALL (p, r) {
  RETURN
    CASE WHEN p:AnthropicUser THEN 'user' ELSE 'service account' END AS kind,
    p.id AS id,
    coalesce(p.email, p.name) AS name,
    'organization role ' + r.name AS via
  UNION ALL
  MATCH (k:AnthropicApiKey {status: 'active'})-[:ACTS_AS]->(p)
  RETURN
    'api key' AS kind,
    k.id AS id,
    k.name AS name,
    'acts as ' + coalesce(p.email, p.name, p.id) + ' (' + r.name + ')' AS via
}
RETURN kind, id, name, via
ORDER BY kind, name, id;
