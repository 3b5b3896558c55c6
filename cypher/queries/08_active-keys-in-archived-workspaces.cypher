// id: active-keys-in-archived-workspaces
// title: Keys in archived workspaces that are not revoked
// severity: high
// category: hygiene
// why: Archiving a workspace is meant to retire it, yet some of its keys are still active:
//   the project is gone but its credentials are not.
// fix: Set the keys to inactive or archived; if the workload still runs, move it to a live
//   workspace with a new key.

MATCH (w:AnthropicWorkspace {is_archived: true})-[:CONTAINS]->(k:AnthropicApiKey)
WHERE k.status = 'active'
OPTIONAL MATCH (k)-[:OWNED_BY]->(owner)
RETURN
  k.id AS id,
  k.name AS name,
  w.id AS workspace_id,
  w.name AS workspace,
  w.archived_at AS archived_at,
  coalesce(owner.email, owner.name, k.created_by_id) AS owner
ORDER BY workspace, id;
