"""Pure checks of the declaration, the Cypher derived from it and the generated files."""

from __future__ import annotations

import re

import pytest

from ingest.graph import cypher, docs
from ingest.graph.model import FAMILIES, MODEL, NEVER_CLEANED
from ingest.graph.schema import PER_ORG, GraphModel, NodeType, Prop, RelType
from tests.fresh_processes import outputs_under_hash_seeds

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

EXPECTED_LABELS = {
    "organization": ("AnthropicOrganization", "Tenant"),
    "user": ("AnthropicUser", "UserAccount"),
    "role": ("AnthropicRole", "PermissionRole"),
    "workspace": ("AnthropicWorkspace", "UserGroup"),
    "invite": ("AnthropicInvite",),
    "api_key": ("AnthropicApiKey", "APIKey"),
    "service_account": ("AnthropicServiceAccount", "ServiceAccount"),
    "federation_issuer": ("AnthropicFederationIssuer",),
    "federation_rule": ("AnthropicFederationRule",),
    "scim_user": ("ScimUser", "UserAccount"),
    "scim_group": ("ScimGroup", "UserGroup"),
    # cartography's cartography/models/anthropic/rbac.py labels
    "rbac_group": ("AnthropicRbacGroup", "UserGroup"),
    "rbac_role": ("AnthropicRbacRole", "PermissionRole"),
    "rbac_role_permission": ("AnthropicRbacRolePermission",),
    "claude_code_activity": ("AnthropicClaudeCodeActivity", "AnthropicActivity"),
    "messages_activity": ("AnthropicMessagesActivity", "AnthropicActivity"),
    "analytics_activity": ("AnthropicAnalyticsActivity", "AnthropicActivity"),
    "compliance_activity": ("AnthropicComplianceActivity", "AnthropicActivity"),
    "sync_run": ("SyncRun",),
    "remediation_action": ("RemediationAction",),
    "change": ("AnthropicChange",),
}

EXPECTED_RELS = {
    *(
        ("RESOURCE", "organization", n, MODEL.node(n).family)
        for n in EXPECTED_LABELS
        if n != "change"  # a change record belongs to its organization by tenant_id
    ),
    ("HAS_ROLE", "user", "role", "role_grants"),
    ("MEMBER_OF", "user", "workspace", "workspace_members"),
    ("ADMIN_OF", "user", "workspace", "workspace_members"),
    ("SCOPED_TO", "role", "workspace", "roles"),
    ("GRANTS_WORKSPACE_ROLE", "role", "role", "roles"),
    ("CONTAINS", "workspace", "api_key", "api_keys"),
    ("ACTS_AS", "api_key", "user", "api_keys"),
    ("ACTS_AS", "api_key", "service_account", "api_keys"),
    ("CREATED_BY", "api_key", "user", "api_keys"),
    ("CREATED_BY", "api_key", "service_account", "api_keys"),
    ("OWNED_BY", "api_key", "user", "api_keys"),
    ("OWNS", "user", "api_key", "api_keys"),
    ("MEMBER_OF", "service_account", "workspace", "service_account_members"),
    ("ADMIN_OF", "service_account", "workspace", "service_account_members"),
    ("HAS_ROLE", "service_account", "role", "service_account_members"),
    ("TRUSTED_BY", "federation_issuer", "federation_rule", "federation_rules"),
    ("CAN_ASSUME", "federation_rule", "service_account", "federation_rules"),
    ("SCOPED_TO", "federation_rule", "workspace", "federation_rule_workspaces"),
    ("GRANTS", "invite", "role", "invites"),
    ("PROVISIONED_AS", "scim_user", "user", "scim_users"),
    ("MEMBER_OF", "scim_user", "scim_group", "scim_groups"),
    ("MEMBER_OF", "user", "rbac_group", "rbac_group_members"),
    ("HAS_ROLE", "rbac_group", "rbac_role", "rbac_groups"),
    ("GRANTS", "rbac_role", "rbac_role_permission", "rbac_role_permissions"),
    ("SURFACES_AS", "scim_group", "rbac_group", "scim_rbac_groups"),
    ("SYNCED", "sync_run", "organization", "sync_runs"),
    *(
        ("ACTED_ON", "remediation_action", target, "remediation_actions")
        for target in ("user", "api_key", "invite", "scim_user", "service_account")
    ),
    ("ACTED_ON", "remediation_action", "federation_rule", "remediation_actions"),
    ("ACTIVITY_OF", "claude_code_activity", "user", "claude_code_activity"),
    ("ACTIVITY_OF", "claude_code_activity", "api_key", "claude_code_activity"),
    ("ACTIVITY_OF", "messages_activity", "user", "messages_activity"),
    ("ACTIVITY_OF", "messages_activity", "api_key", "messages_activity"),
    ("ACTIVITY_OF", "messages_activity", "service_account", "messages_activity"),
    ("ACTIVITY_OF", "analytics_activity", "user", "analytics_activity"),
    ("ACTIVITY_OF", "compliance_activity", "user", "compliance_activity"),
} - {("RESOURCE", "organization", "organization", "organization")}


def test_node_types_and_labels_are_exactly_the_declared_graph() -> None:
    assert {n.name: n.labels for n in MODEL.nodes} == EXPECTED_LABELS
    assert all(n.key == "id" and n.tenant_scoped for n in MODEL.nodes)


def test_relationships_are_exactly_the_declared_graph() -> None:
    assert {(*r.identity, r.family) for r in MODEL.rels} == EXPECTED_RELS


def test_every_relationship_endpoint_is_a_declared_node_type() -> None:
    declared = set(MODEL.nodes)
    for rel in MODEL.rels:
        assert rel.start in declared and rel.end in declared, rel.pattern


def test_every_identifier_is_valid() -> None:
    for node in MODEL.nodes:
        assert all(IDENT.match(x) for x in (node.name, *node.labels, node.key, node.family))
        assert all(IDENT.match(p.name) for p in node.properties)
    for rel in MODEL.rels:
        assert all(IDENT.match(x) for x in (rel.type, rel.family, *rel.property_names))


def test_families() -> None:
    assert FAMILIES == (
        "organization", "users", "roles", "role_grants", "workspaces", "workspace_members",
        "invites", "api_keys", "service_accounts", "service_account_members",
        "federation_issuers", "federation_rules", "federation_rule_workspaces", "scim_users",
        "scim_groups", "rbac_roles", "rbac_role_permissions", "rbac_groups",
        "rbac_group_members", "scim_rbac_groups", "claude_code_activity", "messages_activity",
        "analytics_activity", "compliance_activity", "sync_runs", "remediation_actions",
        "change_history",
    )  # fmt: skip
    assert {"sync_runs", "remediation_actions", "change_history"} == NEVER_CLEANED
    used = {n.family for n in MODEL.nodes} | {r.family for r in MODEL.rels}
    assert used == set(FAMILIES)


def test_lookups() -> None:
    assert MODEL.node("user").label == "AnthropicUser"
    assert MODEL.rel("HAS_ROLE", "user", "role").property_names == ("source",)
    assert [n.name for n in MODEL.nodes_in("users")] == ["user"]
    assert {r.type for r in MODEL.rels_in("workspace_members")} == {"MEMBER_OF", "ADMIN_OF"}
    with pytest.raises(KeyError):
        MODEL.node("nope")
    with pytest.raises(KeyError):
        MODEL.rel("HAS_ROLE", "role", "user")
    with pytest.raises(ValueError, match="family"):
        MODEL.nodes_in("nope")


def _node(name: str = "thing", label: str = "Thing", **kwargs: object) -> NodeType:
    return NodeType(name=name, label=label, family="f", description="d", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "build",
    [
        lambda: Prop("bad name", "string", "d"),
        lambda: Prop("x", "text", "d"),  # type: ignore[arg-type]
        lambda: Prop("x", "string", " "),
        lambda: _node(label="Bad`Label"),
        lambda: _node(extra_labels=("Ok", "no-dash")),
        lambda: _node(key="uuid"),
        lambda: _node(properties=(Prop("sync_id", "string", "d"),)),
        lambda: _node(properties=(Prop("tenant_id", "string", "d"),)),
        lambda: _node(properties=(Prop("a", "string", "d"), Prop("a", "int", "d"))),
        lambda: RelType(type="HAS ROLE", start=_node(), end=_node(), family="f", description="d"),
    ],
)
def test_invalid_declarations_are_refused(build) -> None:
    with pytest.raises(ValueError):
        build()


def test_invalid_models_are_refused() -> None:
    a, b = _node("a", "A"), _node("b", "B")
    rel = RelType(type="T", start=a, end=b, family="f", description="d")
    with pytest.raises(ValueError, match="not declared"):
        GraphModel(nodes=(a,), rels=(rel,), families=("f",))
    with pytest.raises(ValueError, match="twice"):
        GraphModel(nodes=(a, _node("c", "A")), rels=(), families=("f",))
    with pytest.raises(ValueError, match="twice"):
        GraphModel(nodes=(a, b), rels=(rel, rel), families=("f",))
    with pytest.raises(ValueError, match="family"):
        GraphModel(nodes=(a, b), rels=(), families=("g",))
    with pytest.raises(ValueError, match="provider labels"):
        GraphModel(nodes=(a, _node("c", "C", extra_labels=("A",))), rels=(), families=("f",))


def test_statements_quote_identifiers_and_carry_values_as_parameters() -> None:
    user = MODEL.node("user")
    merge = cypher.node_merge(user)
    assert "MERGE (n:`AnthropicUser` {`tenant_id`: $tenant_id, `id`: row.`id`})" in merge
    assert "n:`UserAccount`" in merge and "$tenant_id" in merge and "$sync_id" in merge
    rel = cypher.rel_merge(MODEL.rel("HAS_ROLE", "user", "role"))
    assert "MATCH (a:`AnthropicUser` {`tenant_id`: $tenant_id, `id`: row.start})" in rel
    assert "MATCH (b:`AnthropicRole` {`tenant_id`: $tenant_id, `id`: row.end})" in rel
    assert "MERGE (a)-[r:`HAS_ROLE`]->(b)" in rel and "r.`source` = row.`source`" in rel
    workspace = MODEL.node("rbac_group")  # untracked: no change records
    for statement in (cypher.node_merge(workspace), cypher.node_delete(workspace)):
        assert "'" not in statement and '"' not in statement
    # A tracked type's statements quote only the change kinds and validated identifiers.
    for statement in (merge, rel, cypher.node_delete(user)):
        quoted = set(re.findall(r"'([^']*)'", statement)) - {"null", ", ", " -> "}
        assert '"' not in statement
        assert all(re.fullmatch(r"[A-Za-z_]+=?", text) for text in quoted), quoted


def test_relationship_ends_are_sought_by_their_own_key() -> None:
    """With the tenant first in the key, a plan made while an index had no statistics yet
    sought all the tenant's nodes once and filtered them for every row: a large first sync
    took 3 to 5 times longer. The key first and a seek hint leave only the row's own key."""
    has_role = MODEL.rel("HAS_ROLE", "user", "role")
    for statement in (cypher.rel_merge(has_role), cypher.rel_create(has_role)):
        assert "USING INDEX SEEK a:`AnthropicUser`(`id`, `tenant_id`)" in statement
        assert "USING INDEX SEEK b:`AnthropicRole`(`id`, `tenant_id`)" in statement
    one_start = cypher.rel_create(MODEL.rel("RESOURCE", "organization", "user"), one_start=True)
    assert one_start.index("`id`: $start") < one_start.index("UNWIND $rows AS row")


def test_schema_statements_cover_every_label() -> None:
    statements = [s.cypher for s in cypher.schema_statements(MODEL)]
    for node in MODEL.nodes:
        label = f"(n:`{node.label}`)"
        unique = "REQUIRE (n.`id`, n.`tenant_id`) IS UNIQUE"
        assert any(label in s and unique in s for s in statements)
        assert f"DROP CONSTRAINT `{node.label}_id_unique` IF EXISTS" in statements
        assert f"DROP CONSTRAINT `{node.label}_tenant_id_id_unique` IF EXISTS" in statements
        assert any(label in s and "ON (n.`tenant_id`)" in s for s in statements)
        assert any(label in s and "ON (n.`sync_id`)" in s for s in statements)
    assert any("(n:`AnthropicUser`) ON (n.`email_lower`)" in s for s in statements)
    drops = [s for s in statements if s.startswith("DROP CONSTRAINT")]
    assert statements[: len(drops)] == drops  # the old constraints go before the new ones
    assert all("IF NOT EXISTS" in s for s in statements[len(drops) :])
    assert all(s.endswith("IF EXISTS") for s in drops)
    names = [s.name for s in cypher.schema_statements(MODEL)]
    assert len(names) == len(set(names))


GENERATED_DIGEST = (
    "import hashlib; from ingest.graph import docs; "
    "print(hashlib.sha256(repr(sorted(docs.generated_files().items())).encode()).hexdigest())"
)


def test_generation_does_not_depend_on_the_hash_seed() -> None:
    """Set or dict-of-set iteration order would make the committed files flap between runs."""
    assert len(outputs_under_hash_seeds(GENERATED_DIGEST)) == 1


@pytest.mark.parametrize("path", sorted(docs.generated_files(), key=str), ids=lambda p: p.name)
def test_committed_generated_files_are_current(path) -> None:
    expected = docs.generated_files()[path]
    assert path.exists(), f"{path} is missing: run python -m ingest.graph.docs"
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path} is stale: run python -m ingest.graph.docs"
    )


def test_graph_model_doc_mentions_every_type() -> None:
    text = docs.graph_model_markdown(MODEL)
    for node in MODEL.nodes:
        assert f"### {node.label} (`{node.name}`)" in text
        assert all(f"| `{p.name}` | {p.type} |" in text for p in node.properties)
    for rel in MODEL.rels:
        assert f"### `{rel.pattern}`" in text


def test_volatile_properties_are_the_sync_bookkeeping_of_the_organization() -> None:
    assert MODEL.volatile_properties() == {"last_sync_id", "last_synced_at", "families_read"}


def test_graph_model_doc_says_where_each_property_comes_from() -> None:
    text = docs.graph_model_markdown(MODEL)
    assert "| `created_by_id` | string |  | `ApiKey.created_by.id` |" in text
    assert "| `email_lower` | string | `email_lower` | derived: `map_users` |" in text
    assert "| `source` | string |  | derived: `map_user_role_grants`, `map_access` |" in text
    assert "| `tenant_id` | string | `tenant_id` | loader |" in text
    assert "| `status` | string | `tenant_id`, `status` | `ApiKey.status` |" in text
    assert "| `created_at_ms` | int |  | from `created_at` |" in text


def test_an_index_per_organization_is_composite_with_the_tenant() -> None:
    statements = {s.name: s.cypher for s in cypher.schema_statements(MODEL)}
    assert statements["AnthropicApiKey_tenant_id_status_idx"].endswith(
        "FOR (n:`AnthropicApiKey`) ON (n.`tenant_id`, n.`status`)"
    )
    with pytest.raises(ValueError, match="not tenant-scoped"):
        NodeType(
            name="x",
            label="X",
            family="users",
            description="x",
            tenant_scoped=False,
            properties=(Prop("status", "string", "s", indexed=PER_ORG),),
        )


def test_a_timestamp_with_millis_declares_its_number_twin() -> None:
    key = MODEL.node("api_key")
    assert ("created_at_ms", "created_at") in key.millis_pairs
    assert next(p for p in key.properties if p.name == "created_at_ms").type == "int"
    with pytest.raises(ValueError, match="only a datetime_string"):
        Prop("n", "int", "n", millis=True)
