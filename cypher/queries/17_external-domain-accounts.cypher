// id: external-domain-accounts
// title: Members whose email domain is not one of the organization's
// severity: medium
// category: hygiene
// why: Members on personal or partner domains sit outside your identity provider's control:
//   SSO policies, MFA and offboarding do not reach them. Members whose email has no domain
//   are listed too (domain '(none)'). The main domains are inferred from the members (free
//   mail such as gmail.com never counts, nor a domain of fewer than 3 members) unless set.
// fix: Move the person to a company address, or remove the member; set IDGRAPH_MAIN_DOMAINS
//   (or main_domains in the organizations file) when the inferred main domains are wrong.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (u:AnthropicUser {tenant_id: o.id})
  WHERE u.email_domain IS NULL OR NOT u.email_domain IN coalesce(o.main_domains, [])
  RETURN u
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  u.id AS id,
  u.email AS email,
  coalesce(u.email_domain, '(none)') AS domain,
  u.role AS role,
  o.main_domains AS main_domains
ORDER BY org_name, org_id, domain, email, id;
