// id: expired-invites
// title: Expired invites never cleaned up
// severity: low
// category: hygiene
// why: Expired invites cannot be accepted, but they pile up and hide the invites that matter.
// fix: Delete them; re-invite the people who still need access.
// param as_of: the moment that decides expiry, RFC 3339 (null: now)
:param as_of => null;

WITH coalesce(datetime($as_of), datetime()) AS as_of
MATCH (i:AnthropicInvite)
WHERE
  i.status = 'expired'
  OR (i.status = 'pending' AND i.expires_at IS NOT NULL AND datetime(i.expires_at) <= as_of)
RETURN
  i.id AS id,
  i.email AS email,
  i.role AS role,
  i.invited_at AS invited_at,
  i.expires_at AS expires_at
ORDER BY expires_at, id;
