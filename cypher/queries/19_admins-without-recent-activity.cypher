// id: admins-without-recent-activity
// title: Admins and owners with no recorded activity in N days (activity unknown listed apart)
// severity: medium
// category: hygiene
// why: An administrator who never acts keeps every right an attacker wants and nobody would
//   notice the account being used. Activity comes only from the documented sources (Console
//   usage_report/claude_code, Enterprise analytics/users, the Compliance Activity Feed's logins
//   and role changes): "no recorded activity" means a source
//   was read and showed nothing since as_of minus N days (window_days says how far it looked);
//   "activity unknown" means no source was read for this person.
// fix: Ask whether the person still needs the role; demote or remove unused admins. For
//   "activity unknown", give the sync a source (Enterprise: a key with read:analytics or
//   read:compliance_activities).
// param days: days without recorded activity
// param as_of: the moment to count back from, RFC 3339 (null: now)
// param org: only this organization, by id (null: every organization)
:param days => 30;
:param as_of => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
WITH o, coalesce(datetime($as_of), datetime()).epochMillis AS as_of
MATCH (u:AnthropicUser {tenant_id: o.id})
WHERE u.role IN ['admin', 'owner', 'primary_owner', 'membership_admin']
OPTIONAL MATCH (a:AnthropicActivity)-[:ACTIVITY_OF]->(u)
WITH
  o,
  u,
  as_of,
  count(a) AS sources_read,
  max(a.last_active_at_ms) AS last_active,
  collect(a.source) AS sources,
  max(a.window_days) AS window_days
WHERE
  sources_read = 0 OR last_active IS NULL OR last_active < as_of - $days * 86400000
RETURN
  o.id AS org_id,
  o.name AS org_name,
  u.id AS id,
  u.email AS email,
  u.role AS role,
  CASE WHEN sources_read = 0 THEN 'activity unknown' ELSE 'no recorded activity' END AS status,
  CASE WHEN last_active IS NOT NULL
    THEN toString(datetime({epochMillis: last_active})) END AS last_active_at,
  sources,
  window_days
ORDER BY org_name, org_id, status DESC, id;
