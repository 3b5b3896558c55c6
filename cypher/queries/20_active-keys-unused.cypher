// id: active-keys-unused
// title: Active keys with no recorded use in N days (usage unknown listed apart)
// severity: medium
// category: hygiene
// why: A key nobody uses still works for whoever holds a copy of it. Use comes only from the
//   documented Console sources: usage_report/messages grouped by api_key_id, and
//   usage_report/claude_code, which names keys and not ids. "no recorded use" means a source
//   was read and showed nothing since as_of minus N days; "used only under a shared name" means
//   the only recent use was under a name several keys share, so it may be another key's (the
//   key is listed rather than hidden); "usage unknown" means no source was read for this key.
// fix: Confirm with the owner, then set the key inactive, and archive it once nothing breaks.
// param days: days without recorded use
// param as_of: the moment to count back from, RFC 3339 (null: now)
// param org: only this organization, by id (null: every organization)
:param days => 30;
:param as_of => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
WITH o, coalesce(datetime($as_of), datetime()).epochMillis AS as_of
MATCH (k:AnthropicApiKey {tenant_id: o.id, status: 'active'})
OPTIONAL MATCH (a:AnthropicActivity)-[:ACTIVITY_OF]->(k)
WITH
  o,
  k,
  as_of,
  count(a) AS sources_read,
  max(CASE WHEN a.name_shared THEN null ELSE a.last_used_at_ms END) AS last_used,
  max(CASE WHEN a.name_shared THEN a.last_used_at_ms END) AS shared_name_used,
  collect(a.source) AS sources,
  max(a.window_days) AS window_days
WHERE sources_read = 0 OR last_used IS NULL OR last_used < as_of - $days * 86400000
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
RETURN
  o.id AS org_id,
  o.name AS org_name,
  k.id AS id,
  k.name AS name,
  CASE
    WHEN sources_read = 0 THEN 'usage unknown'
    WHEN shared_name_used >= as_of - $days * 86400000 THEN 'used only under a shared name'
    ELSE 'no recorded use'
  END AS status,
  CASE WHEN last_used IS NOT NULL
    THEN toString(datetime({epochMillis: last_used})) END AS last_used_at,
  sources,
  window_days,
  w.name AS workspace
ORDER BY org_name, org_id, status DESC, id;
