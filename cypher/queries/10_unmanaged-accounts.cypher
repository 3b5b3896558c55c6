// id: unmanaged-accounts
// title: Members with no SCIM identity (unmanaged)
// severity: high
// category: lifecycle
// why: A member the identity provider does not know is never deprovisioned when the person
//   leaves: nothing in your offboarding reaches this account.
// fix: Assign the person to the Claude application in the identity provider so SCIM manages
//   the account, or remove the member if nobody can vouch for it.
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
    null AS id, null AS email, null AS role, null AS added_at
  UNION
  WITH o
  WHERE o.scim_status = 'available'
  MATCH (o)-[:RESOURCE]->(u:AnthropicUser)
  WHERE NOT EXISTS { (:ScimUser)-[:PROVISIONED_AS]->(u) }
  RETURN
    'no SCIM identity' AS finding,
    u.id AS id, u.email AS email, u.role AS role, u.added_at AS added_at
}
RETURN o.id AS org_id, o.name AS org_name, finding, id, email, role, added_at
ORDER BY org_name, org_id, email, id;
