// id: keys-without-owner
// title: Active keys with no owner
// severity: medium
// category: hygiene
// why: Legacy, federated or system-created keys carry no creator. Nobody answers for them, so
//   they are rarely rotated and nobody notices when they leak.
// fix: Find who uses each key (usage reports per key), give the workload a key of its own with
//   an owner and an expiry, then revoke the ownerless one.

MATCH (k:AnthropicApiKey {status: 'active'})
WHERE k.created_by_id IS NULL
OPTIONAL MATCH (w:AnthropicWorkspace)-[:CONTAINS]->(k)
RETURN
  k.id AS id,
  k.name AS name,
  w.name AS workspace,
  k.scope_type AS scope,
  k.created_at AS created_at,
  k.expires_at AS expires_at
ORDER BY created_at, id;
