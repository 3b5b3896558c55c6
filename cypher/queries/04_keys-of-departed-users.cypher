// id: keys-of-departed-users
// title: Active keys whose owner is no longer a member
// severity: high
// category: lifecycle
// why: API keys belong to the organization and outlive the person who created them. An active
//   key created by someone who has left still works, and nobody is accountable for it.
// fix: Revoke the key (Console > API keys, or set its status to inactive through the Admin API)
//   after checking with the workspace's admins that nothing still depends on it.

MATCH (k:AnthropicApiKey {status: 'active', created_by_type: 'user'})
WHERE NOT EXISTS { (k)-[:OWNED_BY]->(:AnthropicUser) }
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
RETURN
  k.id AS id,
  k.name AS name,
  k.created_by_id AS former_owner_id,
  w.name AS workspace,
  k.created_at AS created_at,
  k.expires_at AS expires_at
ORDER BY created_at, id;
