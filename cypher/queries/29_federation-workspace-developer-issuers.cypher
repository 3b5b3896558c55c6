// id: federation-workspace-developer-issuers
// title: External issuers that can obtain workspace developer or admin rights, per workspace
// severity: high
// category: attack path
// why: A federation rule's token acts as its service account in the workspaces the rule is
//   enabled for (or every workspace): where that account is a workspace developer, restricted
//   developer or admin, whoever holds a token from the issuer can build there and create keys,
//   with no key to steal. Each row is one rule in one such workspace, with the subject, claims
//   and condition that gate it (the audience is on the rule's node). Rules whose tokens carry only
//   workspace:inference (or tunnels) are not listed; archived rules and rules of archived
//   issuers reject every exchange and are not listed either.
// fix: Archive the rules nobody needs, narrow the subject and claims to one repository, branch
//   or environment, enable the rule only in the workspaces its job needs, and lower the
//   account's workspace role (or grant workspace:inference) where building is not needed.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH
    (i:AnthropicFederationIssuer {tenant_id: o.id})-[:TRUSTED_BY]->(r:AnthropicFederationRule)
      -[c:CAN_ASSUME]->(sa:AnthropicServiceAccount)
  WHERE
    i.archived_at IS NULL AND sa.archived_at IS NULL
    AND any(s IN r.oauth_scopes WHERE s IN ['org:admin', 'workspace:developer'])
  MATCH (sa)-[m:MEMBER_OF]->(w:AnthropicWorkspace)
  WHERE
    m.workspace_role IN ['workspace_admin', 'workspace_developer', 'workspace_restricted_developer']
    AND w.archived_at IS NULL
    AND (c.applies_to_all_workspaces OR (r)-[:SCOPED_TO]->(w))
  RETURN i, r, c, sa, w, m.workspace_role AS workspace_role
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  r.id AS id,
  r.name AS rule,
  i.id AS issuer_id,
  i.name AS issuer,
  w.id AS workspace_id,
  w.name AS workspace,
  workspace_role,
  sa.id AS service_account_id,
  sa.name AS service_account,
  r.oauth_scopes AS scopes,
  r.subject_prefix AS subject,
  r.claims AS claims,
  r.condition AS condition,
  c.token_lifetime_seconds AS token_lifetime_seconds
ORDER BY org_name, org_id, issuer, rule, id, workspace, workspace_id;
