// id: pending-privileged-invites
// title: Pending invites for privileged roles
// severity: high
// category: attack path
// why: Whoever accepts a pending invite for an admin, owner or membership_admin role becomes a
//   privileged member at once; a mistyped or hijacked mailbox is a direct way in.
// fix: Delete invites that are not expected; re-invite with the least role and promote later.
// param as_of: the moment that decides expiry, RFC 3339 (null: now)
:param as_of => null;

WITH coalesce(datetime($as_of), datetime()) AS as_of
MATCH (i:AnthropicInvite {status: 'pending'})-[:GRANTS]->(r:AnthropicRole {privileged: true})
WHERE i.expires_at IS NULL OR datetime(i.expires_at) > as_of
RETURN
  i.id AS id,
  i.email AS email,
  r.name AS role,
  i.invited_at AS invited_at,
  i.expires_at AS expires_at
ORDER BY invited_at, id;
