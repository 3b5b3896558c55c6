// GENERATED from ingest/graph/model.py by `python -m ingest.graph.docs`: do not edit.
// Uniqueness constraints (Neo4j Community compatible; (tenant_id, id) on every
// organization's node type) and range indexes of the identity graph, after dropping
// the single-id constraints of earlier versions. Every statement is idempotent.

DROP CONSTRAINT `AnthropicOrganization_id_unique` IF EXISTS;
DROP CONSTRAINT `AnthropicUser_id_unique` IF EXISTS;
DROP CONSTRAINT `AnthropicRole_id_unique` IF EXISTS;
DROP CONSTRAINT `AnthropicWorkspace_id_unique` IF EXISTS;
DROP CONSTRAINT `AnthropicInvite_id_unique` IF EXISTS;
DROP CONSTRAINT `AnthropicApiKey_id_unique` IF EXISTS;
DROP CONSTRAINT `AnthropicServiceAccount_id_unique` IF EXISTS;
DROP CONSTRAINT `ScimUser_id_unique` IF EXISTS;
DROP CONSTRAINT `ScimGroup_id_unique` IF EXISTS;
DROP CONSTRAINT `SyncRun_id_unique` IF EXISTS;
CREATE CONSTRAINT `AnthropicOrganization_tenant_id_id_unique` IF NOT EXISTS FOR (n:`AnthropicOrganization`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `AnthropicUser_tenant_id_id_unique` IF NOT EXISTS FOR (n:`AnthropicUser`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `AnthropicRole_tenant_id_id_unique` IF NOT EXISTS FOR (n:`AnthropicRole`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `AnthropicWorkspace_tenant_id_id_unique` IF NOT EXISTS FOR (n:`AnthropicWorkspace`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `AnthropicInvite_tenant_id_id_unique` IF NOT EXISTS FOR (n:`AnthropicInvite`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `AnthropicApiKey_tenant_id_id_unique` IF NOT EXISTS FOR (n:`AnthropicApiKey`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `AnthropicServiceAccount_tenant_id_id_unique` IF NOT EXISTS FOR (n:`AnthropicServiceAccount`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `ScimUser_tenant_id_id_unique` IF NOT EXISTS FOR (n:`ScimUser`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `ScimGroup_tenant_id_id_unique` IF NOT EXISTS FOR (n:`ScimGroup`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE CONSTRAINT `SyncRun_tenant_id_id_unique` IF NOT EXISTS FOR (n:`SyncRun`) REQUIRE (n.`tenant_id`, n.`id`) IS UNIQUE;
CREATE INDEX `AnthropicOrganization_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicOrganization`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicOrganization_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicOrganization`) ON (n.`sync_id`);
CREATE INDEX `AnthropicUser_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicUser`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicUser_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicUser`) ON (n.`sync_id`);
CREATE INDEX `AnthropicUser_email_lower_idx` IF NOT EXISTS FOR (n:`AnthropicUser`) ON (n.`email_lower`);
CREATE INDEX `AnthropicUser_email_domain_idx` IF NOT EXISTS FOR (n:`AnthropicUser`) ON (n.`email_domain`);
CREATE INDEX `AnthropicRole_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicRole`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicRole_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicRole`) ON (n.`sync_id`);
CREATE INDEX `AnthropicWorkspace_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicWorkspace`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicWorkspace_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicWorkspace`) ON (n.`sync_id`);
CREATE INDEX `AnthropicInvite_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicInvite`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicInvite_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicInvite`) ON (n.`sync_id`);
CREATE INDEX `AnthropicInvite_email_lower_idx` IF NOT EXISTS FOR (n:`AnthropicInvite`) ON (n.`email_lower`);
CREATE INDEX `AnthropicApiKey_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicApiKey`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicApiKey_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicApiKey`) ON (n.`sync_id`);
CREATE INDEX `AnthropicServiceAccount_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicServiceAccount`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicServiceAccount_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicServiceAccount`) ON (n.`sync_id`);
CREATE INDEX `ScimUser_tenant_id_idx` IF NOT EXISTS FOR (n:`ScimUser`) ON (n.`tenant_id`);
CREATE INDEX `ScimUser_sync_id_idx` IF NOT EXISTS FOR (n:`ScimUser`) ON (n.`sync_id`);
CREATE INDEX `ScimUser_email_lower_idx` IF NOT EXISTS FOR (n:`ScimUser`) ON (n.`email_lower`);
CREATE INDEX `ScimGroup_tenant_id_idx` IF NOT EXISTS FOR (n:`ScimGroup`) ON (n.`tenant_id`);
CREATE INDEX `ScimGroup_sync_id_idx` IF NOT EXISTS FOR (n:`ScimGroup`) ON (n.`sync_id`);
CREATE INDEX `SyncRun_tenant_id_idx` IF NOT EXISTS FOR (n:`SyncRun`) ON (n.`tenant_id`);
CREATE INDEX `SyncRun_sync_id_idx` IF NOT EXISTS FOR (n:`SyncRun`) ON (n.`sync_id`);
