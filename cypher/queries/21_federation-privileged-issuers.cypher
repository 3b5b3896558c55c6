// id: federation-privileged-issuers
// title: External issuers that can obtain org:admin or workspace developer rights
// severity: critical
// category: attack path
// why: Workload identity federation lets whoever holds a token from an external OIDC issuer
//   act as a service account, with no key to steal: a usable rule granting org:admin makes
//   the issuer an organization admin, workspace:developer lets it build and create keys in
//   the rule's workspaces. The subject, claims and condition listed (and the rule's audience,
//   on its node) are all that stands between the issuer's tokens and those rights. Archived rules, and rules of
//   archived issuers, reject every exchange and are not listed.
// fix: Archive the rules nobody needs, narrow the subject and claims to one repository,
//   branch or environment, grant workspace:inference where it suffices, and keep org:admin
//   rules to none.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
MATCH
  (i:AnthropicFederationIssuer {tenant_id: o.id})-[:TRUSTED_BY]->(r:AnthropicFederationRule)
    -[c:CAN_ASSUME]->(sa:AnthropicServiceAccount)
WHERE
  i.archived_at IS NULL AND sa.archived_at IS NULL
  AND any(s IN r.oauth_scopes WHERE s IN ['org:admin', 'workspace:developer'])
OPTIONAL MATCH (r)-[:SCOPED_TO]->(w:AnthropicWorkspace)
WITH o, i, r, c, sa, w
ORDER BY w.name, w.id
WITH o, i, r, c, sa, collect(w.name) AS workspaces
WITH
  o, i, r, c, sa, workspaces,
  [s IN r.oauth_scopes WHERE s IN ['org:admin', 'workspace:developer']] AS rights
RETURN
  o.id AS org_id,
  o.name AS org_name,
  r.id AS id,
  r.name AS rule,
  i.id AS issuer_id,
  i.name AS issuer,
  rights,
  sa.id AS service_account_id,
  sa.name AS service_account,
  sa.organization_role AS service_account_role,
  CASE WHEN c.applies_to_all_workspaces THEN ['(every workspace)'] ELSE workspaces END
    AS workspaces,
  r.subject_prefix AS subject,
  r.claims AS claims,
  r.condition AS condition,
  c.token_lifetime_seconds AS token_lifetime_seconds
ORDER BY org_name, org_id, 'org:admin' IN rights DESC, issuer, rule, id;
