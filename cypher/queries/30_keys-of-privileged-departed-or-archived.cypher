// id: keys-of-privileged-departed-or-archived
// title: Active keys acting as a privileged, removed or archived principal
// severity: high
// category: lifecycle
// why: A key acts with its principal's rights (ACTS_AS), whoever made it. A key acting as an
//   organization admin or owner (a member or a service account with a privileged organization
//   role) is as powerful as that admin and leaks as easily as any key. A key acting as a
//   removed member or an archived service account should not be active at all (the API
//   archives both with their principal): each is listed as an anomaly.
// fix: Give workloads a key of a developer service account and revoke keys acting as admins;
//   revoke an anomalous key at once (set it inactive), re-read the organization, and report
//   the case if it is still active.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (k:AnthropicApiKey {tenant_id: o.id, status: 'active'})
  OPTIONAL MATCH (k)-[:ACTS_AS]->(p)
  OPTIONAL MATCH (p)-[:HAS_ROLE]->(r:AnthropicRole {scope: 'organization', privileged: true})
  WITH k, p, collect(r.name) AS roles
  WITH k, p, roles,
    k.principal_type = 'user' AND p IS NULL AS departed,
    p:AnthropicServiceAccount AND p.archived_at IS NOT NULL AS archived
  WHERE departed OR archived OR size(roles) > 0
  RETURN k, p, roles, departed, archived
}
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  CASE
    WHEN departed THEN 'anomaly: acts as a removed member (the API archives these)'
    WHEN archived THEN 'anomaly: acts as an archived service account (the API archives these)'
    ELSE 'acts as a privileged principal'
  END AS finding,
  departed OR archived AS anomaly,
  CASE
    WHEN k.principal_type = 'service_account' THEN 'service account'
    ELSE 'member'
  END AS principal_kind,
  coalesce(p.email, p.name, k.principal_id) AS acts_as,
  roles AS privileged_roles,
  w.name AS workspace,
  k.created_at AS created_at,
  k.expires_at AS expires_at
ORDER BY org_name, org_id, anomaly DESC, finding, acts_as, id;
