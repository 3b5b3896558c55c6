// id: active-keys-unused
// title: Active keys with no recorded use in N days (usage unknown listed apart)
// severity: medium
// category: hygiene
// why: A key nobody uses still works for whoever holds a copy of it. Use comes only from the
//   documented Console sources: usage_report/messages grouped by api_key_id, and
//   usage_report/claude_code, which names keys and not ids (a name several keys share counts
//   for each of them). "no recorded use" means a source was read and showed nothing since as_of
//   minus N days; "usage unknown" means no source was read for this key.
// fix: Confirm with the owner, then set the key inactive, and archive it once nothing breaks.
// param days: days without recorded use
// param as_of: the moment to count back from, RFC 3339 (null: now)
:param days => 30;
:param as_of => null;

WITH coalesce(datetime($as_of), datetime()) AS as_of
MATCH (k:AnthropicApiKey {status: 'active'})
OPTIONAL MATCH (a:AnthropicActivity)-[:ACTIVITY_OF]->(k)
WITH
  k,
  as_of,
  count(a) AS sources_read,
  max(datetime(a.last_used_at)) AS last_used,
  collect(a.source) AS sources,
  max(a.window_days) AS window_days
WHERE sources_read = 0 OR last_used IS NULL OR last_used < as_of - duration({days: $days})
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
RETURN
  k.id AS id,
  k.name AS name,
  CASE WHEN sources_read = 0 THEN 'usage unknown' ELSE 'no recorded use' END AS status,
  toString(last_used) AS last_used_at,
  sources,
  window_days,
  w.name AS workspace
ORDER BY status DESC, id;
