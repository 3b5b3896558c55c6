// id: changes-since
// title: What changed since a time or a sync: created, removed, and the tracked values
// severity: info
// category: inventory
// why: Each sync records what it saw change (docs/graph-model.md, AnthropicChange): members,
//   keys, invites, workspaces, service accounts and SCIM users created or removed; a role,
//   key status or expiry, invite status, SCIM active flag or archive changed, old and new;
//   role grants, workspace admin and group memberships given or taken. A demotion, a key
//   reactivated or a SCIM deactivation shows here, where comparing two snapshots would not.
//   An organization's first sync is the baseline: it records nothing.
// fix: Confirm each change with whoever made it; privilege-gained lists the ones that give
//   more access.
// param since: an RFC 3339 time or a sync id: the changes after it (null: the changes the
//   latest sync found, since the sync before it)
// param org: only this organization, by id (null: every organization)
:param since => null;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
OPTIONAL MATCH (named:SyncRun {tenant_id: o.id, id: $since})
CALL (o) {
  OPTIONAL MATCH (s:SyncRun {tenant_id: o.id})
  RETURN s.id AS latest
  ORDER BY s.started_at DESC
  LIMIT 1
}
WITH o, latest,
  CASE
    WHEN $since IS NULL THEN null
    WHEN named IS NOT NULL THEN datetime(named.started_at).epochMillis + 1
    ELSE datetime($since).epochMillis
  END AS after
CALL (o, latest, after) {
  MATCH (c:AnthropicChange {tenant_id: o.id})
  WHERE CASE WHEN after IS NULL THEN c.sync_id = latest ELSE c.at_epoch_ms >= after END
  RETURN c
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  c.at AS at,
  c.sync_id AS sync_id,
  c.kind AS kind,
  c.element_label AS element,
  c.element_id AS id,
  c.property AS property,
  c.old AS old,
  c.new AS new
ORDER BY org_name, org_id, at, element, id, kind, property;
