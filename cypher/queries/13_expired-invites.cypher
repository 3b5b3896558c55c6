// id: expired-invites
// title: Expired invites never cleaned up
// severity: low
// category: hygiene
// why: Expired invites cannot be accepted, but they pile up and hide the invites that matter.
// fix: Delete them; re-invite the people who still need access.
// param as_of: the moment that decides expiry, RFC 3339 (null: now)
// param org: only this organization, by id (null: every organization)
:param as_of => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
WITH o, coalesce(datetime($as_of), datetime()).epochMillis AS as_of
MATCH (i:AnthropicInvite {tenant_id: o.id})
WHERE
  i.status = 'expired'
  OR (i.status = 'pending' AND i.expires_at_ms <= as_of)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  i.id AS id,
  i.email AS email,
  i.role AS role,
  i.invited_at AS invited_at,
  i.expires_at AS expires_at
ORDER BY org_name, org_id, expires_at, id;
