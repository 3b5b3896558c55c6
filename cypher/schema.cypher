// GENERATED from ingest/graph/model.py by `python -m ingest.graph.docs`: do not edit.
// Uniqueness constraints (Neo4j Community compatible) and range indexes of the
// identity graph. Every statement is idempotent (IF NOT EXISTS).

CREATE CONSTRAINT `AnthropicOrganization_id_unique` IF NOT EXISTS FOR (n:`AnthropicOrganization`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicUser_id_unique` IF NOT EXISTS FOR (n:`AnthropicUser`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicRole_id_unique` IF NOT EXISTS FOR (n:`AnthropicRole`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicWorkspace_id_unique` IF NOT EXISTS FOR (n:`AnthropicWorkspace`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicInvite_id_unique` IF NOT EXISTS FOR (n:`AnthropicInvite`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicApiKey_id_unique` IF NOT EXISTS FOR (n:`AnthropicApiKey`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicServiceAccount_id_unique` IF NOT EXISTS FOR (n:`AnthropicServiceAccount`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `ScimUser_id_unique` IF NOT EXISTS FOR (n:`ScimUser`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `ScimGroup_id_unique` IF NOT EXISTS FOR (n:`ScimGroup`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicRbacGroup_id_unique` IF NOT EXISTS FOR (n:`AnthropicRbacGroup`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicRbacRole_id_unique` IF NOT EXISTS FOR (n:`AnthropicRbacRole`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `AnthropicRbacRolePermission_id_unique` IF NOT EXISTS FOR (n:`AnthropicRbacRolePermission`) REQUIRE n.`id` IS UNIQUE;
CREATE CONSTRAINT `SyncRun_id_unique` IF NOT EXISTS FOR (n:`SyncRun`) REQUIRE n.`id` IS UNIQUE;
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
CREATE INDEX `AnthropicRbacGroup_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicRbacGroup`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicRbacGroup_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicRbacGroup`) ON (n.`sync_id`);
CREATE INDEX `AnthropicRbacRole_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicRbacRole`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicRbacRole_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicRbacRole`) ON (n.`sync_id`);
CREATE INDEX `AnthropicRbacRolePermission_tenant_id_idx` IF NOT EXISTS FOR (n:`AnthropicRbacRolePermission`) ON (n.`tenant_id`);
CREATE INDEX `AnthropicRbacRolePermission_sync_id_idx` IF NOT EXISTS FOR (n:`AnthropicRbacRolePermission`) ON (n.`sync_id`);
CREATE INDEX `AnthropicRbacRolePermission_action_idx` IF NOT EXISTS FOR (n:`AnthropicRbacRolePermission`) ON (n.`action`);
CREATE INDEX `SyncRun_tenant_id_idx` IF NOT EXISTS FOR (n:`SyncRun`) ON (n.`tenant_id`);
CREATE INDEX `SyncRun_sync_id_idx` IF NOT EXISTS FOR (n:`SyncRun`) ON (n.`sync_id`);
