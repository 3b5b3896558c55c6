"""Each declared property names where it comes from: a field of the typed record (checked when
the declaration is built) or the mappers that derive it. The generic fill copies the former."""

from __future__ import annotations

import importlib
from datetime import datetime

import pytest

from ingest.extract.models import ApiKey, User, Workspace
from ingest.graph.model import CHANGE, MODEL, USER, flag, text
from ingest.graph.schema import NodeType, RelType
from ingest.graph.sources import check_source
from ingest.mapping import admin

MAPPING_MODULES = (
    "ingest.mapping.admin",
    "ingest.mapping.scim",
    "ingest.mapping.organization",
    "ingest.mapping.rbac",
    "ingest.mapping.activity",
    "ingest.mapping.federation",
    "ingest.mapping.remediation",
)
# Change records are written by the loader's own statements (ingest/graph/changes.py), not mapped.
OWNERS: tuple[NodeType | RelType, ...] = (*(n for n in MODEL.nodes if n is not CHANGE), *MODEL.rels)


def mapper_names() -> set[str]:
    return {
        name
        for module in map(importlib.import_module, MAPPING_MODULES)
        for name, value in vars(module).items()
        if callable(value) and name.startswith("map_")
    }


def test_declared_source_paths_exist_on_the_record_models_with_a_fitting_type() -> None:
    sourced = [(node, p) for node in MODEL.nodes for p in node.properties if p.source]
    assert sourced
    for node, prop in sourced:
        assert node.record is not None, node.name
        check_source(node.record, prop.source or "", prop.type)


def test_every_derived_property_names_mappers_that_exist() -> None:
    existing = mapper_names()
    for owner in OWNERS:
        if any(p.source is None for p in owner.properties):
            assert owner.mapped_by, f"{owner}: derived properties but no mapper named"
        assert set(owner.mapped_by) <= existing, owner.mapped_by


@pytest.mark.parametrize(
    ("record", "prop", "problem"),
    [
        (User, text("email", "d", source="mail"), "User has no field 'mail'"),
        (User, flag("email", "d", source="email"), "User.email holds str, which is not a bool"),
        (ApiKey, text("x", "d", source="name.first"), "ApiKey.name is not a record"),
        (ApiKey, text("x", "d", source="created_by.login"), "ApiKey.created_by has no field"),
        (None, text("email", "d", source="email"), "has a source but there is no record"),
    ],
)
def test_a_source_that_does_not_fit_its_record_is_refused_on_declaration(
    record, prop, problem
) -> None:
    with pytest.raises(ValueError, match=problem):
        NodeType(
            name="n", label="N", family="f", description="d", record=record, properties=(prop,)
        )


def test_fill_converts_timestamps_and_enums_and_keeps_none_along_a_path() -> None:
    key = ApiKey.model_validate(
        {
            "id": "k1",
            "status": "active",
            "created_at": "2026-01-02T03:04:05+02:00",
            "created_by": {"id": "u1", "type": "user"},
            "principal": {"type": "service_account_actor", "service_account_id": "sa-1"},
        }
    )
    row = admin.API_KEY_FILL(key)
    assert row["status"] == "active" and type(row["status"]) is str
    assert row["created_at"] == "2026-01-02T01:04:05.000000Z"
    assert (row["created_by_id"], row["created_by_type"]) == ("u1", "user")
    assert (row["principal_type"], row["principal_id"]) == ("service_account", "sa-1")
    bare = admin.API_KEY_FILL(ApiKey(id="k2"))
    assert set(bare.values()) == {None}
    unknown = admin.USER_FILL(User.model_validate({"id": "u1", "role": "brand_new_role"}))
    assert unknown["role"] == "brand_new_role"


def test_mapped_rows_are_what_the_mappers_wrote_before_the_fill() -> None:
    """Literal rows as the hand-written mappers produced them: the loader, the queries and the
    exports read exactly these names and values."""
    key = ApiKey.model_validate(
        {
            "id": "k1",
            "name": "ci",
            "status": "archived",
            "created_at": "2026-03-04T05:06:07.890123Z",
            "partial_key_hint": "sk-ant-api03-R2D...igAA",
            "created_by": {"id": "sa-1", "type": "service_account"},
            "scope": {"type": "workspace", "workspace_id": "ws-1"},
        }
    )
    workspace = Workspace.model_validate(
        {
            "id": "ws-1",
            "name": "Eng",
            "archived_at": "2026-03-04T05:06:07Z",
            "data_residency": {"workspace_geo": "us", "allowed_inference_geos": "unrestricted"},
            "tags": {"team": "ml", "cost": "7"},
        }
    )
    [key_row] = admin.map_api_keys("org", [key], [], service_accounts_read=True).nodes[
        MODEL.node("api_key")
    ]
    assert key_row == {
        "id": "k1",
        "name": "ci",
        "status": "archived",
        "created_at": "2026-03-04T05:06:07.890123Z",
        "created_at_ms": 1772600767890,
        "expires_at": None,
        "expires_at_ms": None,
        "partial_key_hint": "sk-ant-api03-R2D...igAA",
        "scope_type": "workspace",
        "workspace_id": "ws-1",
        "created_by_id": "sa-1",
        "created_by_type": "service_account",
        "principal_type": None,
        "principal_id": None,
    }
    [workspace_row] = admin.map_workspaces("org", [workspace]).nodes[MODEL.node("workspace")]
    assert workspace_row == {
        "id": "ws-1",
        "name": "Eng",
        "created_at": None,
        "archived_at": "2026-03-04T05:06:07.000000Z",
        "is_default": False,
        "is_archived": True,
        "display_color": None,
        "compartment_id": None,
        "external_key_id": None,
        "workspace_geo": "us",
        "default_inference_geo": None,
        "allowed_inference_geos": ["unrestricted"],
        "tags": ["cost=7", "team=ml"],
    }
    [user_row] = admin.map_users([User(id="u1", email="Ann@Acme.Example")]).nodes[USER]
    assert user_row["email_lower"] == "ann@acme.example"
    assert user_row["email_domain"] == "acme.example"


def test_a_compared_timestamp_is_also_its_epoch_milliseconds_and_null_when_it_is() -> None:
    """Questions compare `<name>_ms`, so it must be the very instant of the string they show."""
    stamps = ["2026-03-04T05:06:07.890123Z", "1999-12-31T23:59:59Z", "2026-11-01T00:00:00.001Z"]
    keys = [
        ApiKey.model_validate({"id": f"k{i}", "created_at": stamp, "expires_at": stamp})
        for i, stamp in enumerate(stamps)
    ] + [ApiKey.model_validate({"id": "bare"})]
    rows = admin.map_api_keys("org", keys, [], service_accounts_read=True).nodes[
        MODEL.node("api_key")
    ]
    for row in rows:
        for name in ("created_at", "expires_at"):
            if row[name] is None:
                assert row[f"{name}_ms"] is None
            else:
                instant = datetime.fromisoformat(row[name])
                assert row[f"{name}_ms"] == int(instant.timestamp() * 1000)
    expected = [1772600767890, 946684799000, 1793491200001, None]
    assert [row["created_at_ms"] for row in rows] == expected
