// id: pending-invites-outside-identity-provider
// title: Pending invites to external domains or to people deactivated in the identity provider
// severity: high
// category: lifecycle
// why: An invite to a domain that is not the organization's lets someone outside SSO, MFA and
//   offboarding in; an invite to a person the identity provider has deactivated brings back
//   someone who has left. Either is one click away from a working account. Each row gives
//   every reason; the SCIM reason is only judged when SCIM was read.
// fix: Delete the invite, or re-invite the person at a company address once the identity
//   provider knows them.
// param as_of: the moment that decides expiry, RFC 3339 (null: now)
// param org: only this organization, by id (null: every organization)
:param as_of => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  WITH o, coalesce(datetime($as_of), datetime()).epochMillis AS as_of
  OPTIONAL MATCH (s:ScimUser {tenant_id: o.id, active: false})
  WHERE o.scim_status = 'available'
  WITH o, as_of, collect(s.email_lower) AS deactivated_emails
  MATCH (i:AnthropicInvite {tenant_id: o.id, status: 'pending'})
  WHERE i.expires_at IS NULL OR i.expires_at_ms > as_of
  WITH o, i, deactivated_emails, split(i.email_lower, '@')[-1] AS domain
  WITH i, domain, i.email_lower IN deactivated_emails AS deactivated,
    NOT domain IN coalesce(o.main_domains, []) AS external
  WHERE external OR deactivated
  RETURN i, [reason IN [
      CASE WHEN external THEN 'external domain ' + domain END,
      CASE WHEN deactivated THEN 'deactivated in SCIM' END
    ] WHERE reason IS NOT NULL] AS reasons
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  i.id AS id,
  i.email AS email,
  i.role AS role,
  reasons,
  i.invited_at AS invited_at,
  i.expires_at AS expires_at
ORDER BY org_name, org_id, invited_at, id;
