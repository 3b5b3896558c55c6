// id: privilege-gained
// title: Privilege gained in the last days: new admins, privileged groups, revived keys
// severity: high
// category: attack path
// why: Read from the change records of the syncs (changes-since): a new privileged
//   organization role (users and service accounts), a workspace administered directly (not
//   inherited from the organization role), a new membership in a group whose role grants a
//   privileged permission (Enterprise), a key made active again and a key whose expiry was
//   removed. Each widens what a stolen credential could do, and none is a new element a
//   snapshot would show.
// fix: Confirm each with whoever made it; undo what nobody asked for (demote, remove the
//   membership, deactivate the key, give it an expiry by replacing it).
// param days: how many days back (whole days, counted from now)
// param org: only this organization, by id (null: every organization)
:param days => 7;
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (c:AnthropicChange {tenant_id: o.id})
  WHERE c.at_epoch_ms >= timestamp() - $days * 86400000
    AND (c.kind = 'created' OR c.kind = 'changed')
  OPTIONAL MATCH (r:AnthropicRole {tenant_id: o.id, id: c.end_id, scope: 'organization'})
  WHERE c.element_label = 'HAS_ROLE' AND c.kind = 'created'
  OPTIONAL MATCH (g:AnthropicRbacGroup {tenant_id: o.id, id: c.end_id})
  WHERE c.element_label = 'MEMBER_OF' AND c.kind = 'created' AND EXISTS {
    (g)-[:HAS_ROLE]->(:AnthropicRbacRole)-[:GRANTS]->(:AnthropicRbacRolePermission {privileged: true})
  }
  WITH c, CASE
    WHEN r.privileged THEN 'organization role ' + r.name
    WHEN g IS NOT NULL THEN 'privileged group ' + coalesce(g.name, g.id)
    WHEN c.element_label = 'ADMIN_OF'
      AND (c.new = 'inherited=false' OR (c.property = 'inherited' AND c.new = 'false'))
      THEN 'direct workspace admin'
    WHEN c.element_label = 'AnthropicApiKey' AND c.property = 'status' AND c.new = 'active'
      THEN 'key reactivated (was ' + coalesce(c.old, 'null') + ')'
    WHEN c.element_label = 'AnthropicApiKey' AND c.property = 'expires_at'
      AND c.old IS NOT NULL AND c.new IS NULL
      THEN 'key expiry removed (was ' + c.old + ')'
  END AS gained
  WHERE gained IS NOT NULL
  RETURN c, gained
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  c.at AS at,
  gained,
  c.element_label AS element,
  coalesce(c.start_id, c.element_id) AS id,
  c.end_id AS target_id,
  c.sync_id AS sync_id
ORDER BY org_name, org_id, at DESC, gained, id, target_id;
