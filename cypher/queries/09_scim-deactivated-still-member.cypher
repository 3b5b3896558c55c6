// id: scim-deactivated-still-member
// title: Deactivated in the identity provider, still a member
// severity: critical
// category: lifecycle
// why: The identity provider says this person is gone (SCIM active false), yet the Claude
//   account is still a member, with its roles and keys. Offboarding did not reach Claude.
// fix: Remove the member (Console > Members, or the Admin API), revoke their keys, and find
//   out why deprovisioning did not propagate.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  WITH o
  WHERE coalesce(o.scim_status, 'not_configured') <> 'available'
  RETURN
    'SCIM not available on organization ' + coalesce(o.name, o.id) + ': ' +
    coalesce(o.scim_unavailable_reason, o.scim_status, 'never read') AS finding,
    null AS id, null AS email, null AS role, null AS scim_user, null AS active_keys
  UNION
  WITH o
  WHERE o.scim_status = 'available'
  MATCH (o)-[:RESOURCE]->(s:ScimUser {active: false})-[:PROVISIONED_AS]->(u:AnthropicUser)
  RETURN
    'deactivated in SCIM, still a member' AS finding,
    u.id AS id, u.email AS email, u.role AS role, s.user_name AS scim_user,
    COUNT { (:AnthropicApiKey {status: 'active'})-[:ACTS_AS]->(u) } AS active_keys
}
RETURN o.id AS org_id, o.name AS org_name, finding, id, email, role, scim_user, active_keys
ORDER BY org_name, org_id, email, id;
