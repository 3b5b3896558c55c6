// id: external-domain-accounts
// title: Members whose email domain is not one of the organization's
// severity: medium
// category: hygiene
// why: Members on personal or partner domains sit outside your identity provider's control:
//   SSO policies, MFA and offboarding do not reach them.
// fix: Move the person to a company address, or remove the member; set IDGRAPH_MAIN_DOMAINS
//   when the inferred main domains are wrong.

MATCH (o:AnthropicOrganization)-[:RESOURCE]->(u:AnthropicUser)
WHERE NOT u.email_domain IN coalesce(o.main_domains, [])
RETURN
  u.id AS id,
  u.email AS email,
  u.email_domain AS domain,
  u.role AS role,
  o.main_domains AS main_domains
ORDER BY domain, email, id;
