// id: scim-groups-without-active-members
// title: SCIM groups with no active members
// severity: low
// category: hygiene
// why: A directory group whose members are all deactivated (or that has none) is left over
//   from a team, contract or project that ended. It still carries whatever it is mapped to,
//   and whoever is added to it next inherits that access without anyone deciding it.
// fix: Delete the group in the identity provider (and its mapping in Claude), or confirm who
//   owns it and why it is empty.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  WITH o
  WHERE coalesce(o.scim_status, 'not_configured') <> 'available'
  RETURN
    'SCIM not available on organization ' + coalesce(o.name, o.id) + ': ' +
    coalesce(o.scim_unavailable_reason, o.scim_status, 'never read') AS finding,
    null AS id, null AS name, null AS members, null AS deactivated_members
  UNION
  WITH o
  WHERE o.scim_status = 'available'
  MATCH (g:ScimGroup {tenant_id: o.id})
  WHERE NOT EXISTS { (:ScimUser {active: true})-[:MEMBER_OF]->(g) }
  RETURN
    'no active member' AS finding,
    g.scim_id AS id, g.display_name AS name,
    COUNT { (:ScimUser)-[:MEMBER_OF]->(g) } AS members,
    [(s:ScimUser {active: false})-[:MEMBER_OF]->(g) | s.user_name] AS deactivated_members
}
RETURN o.id AS org_id, o.name AS org_name, finding, id, name, members, deactivated_members
ORDER BY org_name, org_id, name, id;
