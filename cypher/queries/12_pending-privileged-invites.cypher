// id: pending-privileged-invites
// title: Pending invites for privileged roles
// severity: high
// category: attack path
// why: Whoever accepts a pending invite for an admin, owner or membership_admin role becomes a
//   privileged member at once; a mistyped or hijacked mailbox is a direct way in.
// fix: Delete invites that are not expected; re-invite with the least role and promote later.
// param as_of: the moment that decides expiry, RFC 3339 (null: now)
// param org: only this organization, by id (null: every organization)
:param as_of => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
WITH o, coalesce(datetime($as_of), datetime()).epochMillis AS as_of
MATCH (i:AnthropicInvite {tenant_id: o.id, status: 'pending'})-[:GRANTS]->(r:AnthropicRole {privileged: true})
WHERE i.expires_at IS NULL OR i.expires_at_ms > as_of
RETURN
  o.id AS org_id,
  o.name AS org_name,
  i.id AS id,
  i.email AS email,
  r.name AS role,
  i.invited_at AS invited_at,
  i.expires_at AS expires_at
ORDER BY org_name, org_id, invited_at, id;
