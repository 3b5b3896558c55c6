"""Discovery resources (RFC 7643 §5–7): ServiceProviderConfig, ResourceTypes, Schemas."""

from __future__ import annotations

from typing import Any

from anthropic_sim.scim.schema import KINDS, SCHEMAS, ResourceKind

SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
DOCS = "https://support.claude.com/en/articles/13133195"


def service_provider_config(base_url: str, max_results: int) -> dict[str, Any]:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": DOCS,
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": max_results},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "The directory's SCIM bearer token: Authorization: Bearer <token>",
                "specUri": "https://www.rfc-editor.org/info/rfc6750",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url}/ServiceProviderConfig",
        },
    }


def resource_type(kind: ResourceKind, base_url: str) -> dict[str, Any]:
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": kind.name,
        "name": kind.name,
        "endpoint": kind.endpoint,
        "description": "User Account" if kind.name == "User" else "Group",
        "schema": kind.core,
        "schemaExtensions": [{"schema": ext, "required": False} for ext in kind.extensions],
        "meta": {
            "resourceType": "ResourceType",
            "location": f"{base_url}/ResourceTypes/{kind.name}",
        },
    }


def resource_types(base_url: str) -> list[dict[str, Any]]:
    return [resource_type(kind, base_url) for kind in KINDS.values()]


def find_resource_type(name: str, base_url: str) -> dict[str, Any] | None:
    kind = next((k for k in KINDS.values() if k.name.lower() == name.lower()), None)
    return resource_type(kind, base_url) if kind else None


def schemas(base_url: str) -> list[dict[str, Any]]:
    return [schema.to_json(base_url) for schema in SCHEMAS.values()]


def find_schema(urn: str, base_url: str) -> dict[str, Any] | None:
    schema = next((s for s in SCHEMAS.values() if s.id.lower() == urn.lower()), None)
    return schema.to_json(base_url) if schema else None
