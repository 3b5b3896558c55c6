// id: person-with-different-roles
// title: The same person with different roles in different organizations
// severity: medium
// category: hygiene
// why: One email that is an admin in one organization and a plain member in another is
//   easy to miss in a review of each organization alone, and is usually a sign that access
//   was granted ad hoc rather than from one place. Each row is one organization's account of
//   a person who holds a different role in at least one other organization in the graph.
// fix: Decide which role the person needs in each organization and align it, ideally from the
//   identity provider's groups.
// param org: only this organization, by id (null: every organization)
:param org => null;

MATCH (o:AnthropicOrganization)
WHERE $org IS NULL OR o.id = $org
CALL (o) {
  MATCH (u:AnthropicUser {tenant_id: o.id})
  MATCH (other:AnthropicUser {email_lower: u.email_lower})
  WHERE other.tenant_id <> o.id AND other.role <> u.role
  MATCH (oo:AnthropicOrganization {id: other.tenant_id})
  WITH u, other, oo ORDER BY oo.name, oo.id
  RETURN u, collect(coalesce(oo.name, oo.id) + ': ' + other.role) AS other_roles
}
RETURN
  o.id AS org_id,
  o.name AS org_name,
  u.id AS id,
  u.email AS email,
  u.role AS role,
  other_roles
ORDER BY org_name, org_id, email, id;
