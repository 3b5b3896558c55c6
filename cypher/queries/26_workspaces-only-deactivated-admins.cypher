// id: workspaces-only-deactivated-admins
// title: Workspaces whose only direct admins are deactivated in the identity provider
// severity: high
// category: lifecycle
// why: Every member who administers this workspace directly has been deactivated in the
//   identity provider (they are leaving or have left), so once offboarding reaches Claude no
//   one but organization admins will own it, and until then the access of someone who is
//   gone is all that holds it. Judged only when SCIM was read.
// fix: Make a current team member workspace admin now, then remove the deactivated members.
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
    null AS id, null AS name, null AS admins
  UNION
  WITH o
  WHERE o.scim_status = 'available'
  MATCH (w:AnthropicWorkspace {tenant_id: o.id, is_archived: false})
  CALL (w) {
    MATCH (p)-[:ADMIN_OF]->(w)
    WHERE p:AnthropicUser OR (p:AnthropicServiceAccount AND p.archived_at IS NULL)
    RETURN
      collect(coalesce(p.email, p.name)) AS admins,
      all(x IN collect(EXISTS { (:ScimUser {active: false})-[:PROVISIONED_AS]->(p) })
        WHERE x) AS all_deactivated
  }
  WITH w, admins, all_deactivated
  WHERE size(admins) > 0 AND all_deactivated
  RETURN 'every direct admin deactivated in SCIM' AS finding, w.id AS id, w.name AS name, admins
}
RETURN o.id AS org_id, o.name AS org_name, finding, id, name, admins
ORDER BY org_name, org_id, name, id;
