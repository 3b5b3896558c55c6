// id: active-organization-keys
// title: Active organization-scoped keys (not bound to one workspace)
// severity: high
// category: attack path
// why: An organization-scoped key is not confined to one workspace: it reaches whatever its
//   principal (or, for an unbound key, the organization) can reach, so one leak exposes every
//   workspace. These are the keys to know by name, with whom they act as and who made them.
// fix: Replace each with a key scoped to the one workspace its workload needs, then revoke
//   it; keep the organization-scoped keys that remain to a named few with an expiry.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (k:AnthropicApiKey {tenant_id: o.id, status: 'active', scope_type: 'organization'})
  RETURN k
}
OPTIONAL MATCH (k)-[:ACTS_AS]->(principal)
OPTIONAL MATCH (k)-[:CREATED_BY]->(creator)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  coalesce(principal.email, principal.name, k.principal_id) AS acts_as,
  coalesce(principal.role, principal.organization_role) AS acts_as_role,
  coalesce(creator.email, creator.name, k.created_by_id) AS created_by,
  k.created_at AS created_at,
  k.expires_at AS expires_at
ORDER BY org_name, org_id, created_at, id;
