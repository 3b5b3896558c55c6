// id: unbounded-keys-in-sensitive-workspaces
// title: Keys without expiry (or expiring more than N days out) in CMEK or production workspaces
// severity: high
// category: hygiene
// why: A workspace that holds a customer-managed encryption key, or is tagged as production,
//   is where the data that matters goes through. An active key there that never expires, or
//   expires more than N days out, stays usable long after whoever made it has moved on: one
//   leak keeps working until someone notices. A tag counts as production when its key is one
//   of production_keys and its value one of production_values, in any case.
// fix: Rotate each key to one with an expiry within N days (or move the workload to a
//   federation rule with short-lived tokens), then revoke the old key.
// param days: the longest acceptable time until a key expires, in days
// param production_keys: tag keys that name the environment
// param production_values: tag values that mean production
// param as_of: the moment to measure expiry from, RFC 3339 (null: now)
// param org: only this organization, by id (null: every organization)
:param days => 365;
:param production_keys => ["env", "environment", "stage"];
:param production_values => ["prod", "production"];
:param as_of => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
WITH
  o,
  coalesce(datetime($as_of), datetime()) AS as_of,
  [v IN $production_keys | toLower(v)] AS production_keys,
  [v IN $production_values | toLower(v)] AS production_values
CALL (o, as_of, production_keys, production_values) {
  MATCH (w:AnthropicWorkspace {tenant_id: o.id})
  WITH
    w,
    [
      t IN coalesce(w.tags, [])
      WHERE toLower(split(t, '=')[0]) IN production_keys
        AND toLower(substring(t, size(split(t, '=')[0]) + 1)) IN production_values
    ] AS production_tags
  WHERE w.external_key_id IS NOT NULL OR size(production_tags) > 0
  MATCH (w)-[:CONTAINS]->(k:AnthropicApiKey {status: 'active'})
  WHERE k.expires_at IS NULL OR datetime(k.expires_at) > as_of + duration({days: $days})
  RETURN w, production_tags, k
}
OPTIONAL MATCH (k)-[:ACTS_AS]->(principal)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  k.expires_at AS expires_at,
  w.id AS workspace_id,
  w.name AS workspace,
  w.external_key_id AS external_key_id,
  production_tags,
  coalesce(principal.email, principal.name, k.principal_id) AS acts_as,
  k.created_at AS created_at
ORDER BY org_name, org_id, workspace, workspace_id, created_at, id;
