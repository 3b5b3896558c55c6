// id: scim-users-without-account
// title: Active SCIM users with no organization account (provisioning gap)
// severity: medium
// category: lifecycle
// why: The identity provider provisioned these people but no member has their email: they
//   cannot sign in, or they sign in with another address that escapes lifecycle management.
// fix: Check the user's email in the identity provider against the member's; fix the mapping
//   of the email attribute, or unassign the user from the Claude application.
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
    null AS id, null AS scim_id, null AS user_name, null AS email
  UNION
  WITH o
  WHERE o.scim_status = 'available'
  MATCH (o)-[:RESOURCE]->(s:ScimUser)
  WHERE coalesce(s.active, true) AND NOT EXISTS { (s)-[:PROVISIONED_AS]->(:AnthropicUser) }
  RETURN
    'provisioned in SCIM, no member' AS finding,
    s.id AS id, s.scim_id AS scim_id, s.user_name AS user_name, s.email AS email
}
RETURN o.id AS org_id, o.name AS org_name, finding, id, scim_id, user_name, email
ORDER BY org_name, org_id, user_name, id;
