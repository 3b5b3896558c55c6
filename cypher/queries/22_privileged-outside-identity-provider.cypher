// id: privileged-outside-identity-provider
// title: Privileged members outside the identity provider's control
// severity: critical
// category: lifecycle
// why: An admin, owner or membership admin on a domain that is not the organization's, with no
//   SCIM identity, or deactivated in SCIM is beyond SSO policy, MFA and offboarding, yet holds
//   the keys to the organization. Each row gives every reason. The SCIM reasons are only
//   judged when SCIM was read (scim_status available); the domain reason always is.
// fix: Move the person to a company address provisioned by the identity provider, or remove
//   the privileged role (or the member) until they are.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (r:AnthropicRole {tenant_id: o.id, scope: 'organization', privileged: true})
  MATCH (u:AnthropicUser)-[:HAS_ROLE]->(r)
  OPTIONAL MATCH (s:ScimUser)-[:PROVISIONED_AS]->(u)
  WITH u, r, o.scim_status = 'available' AS scim_read, collect(s.active) AS scim_active
  WITH u, r, [reason IN [
      CASE WHEN u.email_domain IS NULL OR NOT u.email_domain IN coalesce(o.main_domains, [])
        THEN 'external domain ' + coalesce(u.email_domain, '(none)') END,
      CASE WHEN scim_read AND size(scim_active) = 0 THEN 'no SCIM identity' END,
      CASE WHEN scim_read AND false IN scim_active THEN 'deactivated in SCIM' END
    ] WHERE reason IS NOT NULL] AS reasons
  WHERE size(reasons) > 0
  RETURN u, r, reasons
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  u.id AS id,
  u.email AS email,
  r.name AS role,
  reasons
ORDER BY org_name, org_id, email, id;
