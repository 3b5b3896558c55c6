// id: changes-since-last-sync
// title: What changed since the previous sync: new admins, new keys, removed members
// severity: info
// category: inventory
// why: A new organization admin, a burst of new keys or members removed outside the usual
//   process are the changes a security team wants to hear about first.
// fix: Confirm each new admin and key with its owner; for removed members, check that their
//   keys were revoked (question keys-of-departed-users).
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
MATCH (o)<-[:SYNCED]-(s:SyncRun)
WITH o, s
ORDER BY s.firstseen DESC, s.started_at DESC
WITH o, collect(s) AS runs
WITH o, runs[0] AS latest, runs[1] AS previous
CALL (o, latest, previous) {
  WITH previous
  WHERE previous IS NULL
  RETURN
    'no previous sync' AS change, null AS kind, null AS id, null AS name,
    'only one sync of this organization so far' AS detail
  UNION
  WITH o, previous
  WHERE previous IS NOT NULL
  MATCH (r:AnthropicRole {tenant_id: o.id, scope: 'organization'})<-[g:HAS_ROLE]-(p)
  WHERE
    r.name IN ['admin', 'owner', 'primary_owner']
    AND g.firstseen > previous.firstseen
    AND (o)-[:RESOURCE]->(p)
  RETURN
    'new admin' AS change,
    CASE WHEN p:AnthropicUser THEN 'user' ELSE 'service account' END AS kind,
    p.id AS id, coalesce(p.email, p.name) AS name, 'organization role ' + r.name AS detail
  UNION
  WITH o, previous
  WHERE previous IS NOT NULL
  MATCH (o)-[:RESOURCE]->(k:AnthropicApiKey)
  WHERE k.firstseen > previous.firstseen
  RETURN
    'new key' AS change, 'api key' AS kind, k.id AS id, k.name AS name,
    'status ' + coalesce(k.status, '?') + ', created ' + coalesce(k.created_at, '?') AS detail
  UNION
  WITH latest, previous
  WHERE previous IS NOT NULL
  UNWIND coalesce(latest.removed_member_ids, []) AS removed
  RETURN
    'removed member' AS change, 'user' AS kind, removed AS id, null AS name,
    'removed from the organization since the previous sync' AS detail
}
RETURN o.id AS org_id, o.name AS org_name, change, kind, id, name, detail
ORDER BY org_name, org_id, change, name, id;
