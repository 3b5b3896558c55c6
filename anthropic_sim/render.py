"""Records -> their documented JSON (Admin API reference sections 3-9)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from anthropic_sim.state import (
    ApiKey,
    FederationIssuer,
    FederationRule,
    FederationRuleWorkspace,
    Invite,
    Org,
    ServiceAccount,
    ServiceAccountMembership,
    User,
    Workspace,
    WorkspaceMember,
)
from anthropic_sim.status import invite_status, key_status


def ts(dt: datetime | None) -> str | None:
    """RFC 3339 with microseconds and `Z`, e.g. `2024-10-30T23:58:27.427722Z`."""
    if dt is None:
        return None
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    return dt.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def organization(org: Org) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "type": "organization"}


def user(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "type": "user",
        "email": u.email,
        "name": u.name,
        "role": u.role,
        "added_at": ts(u.added_at),
    }


def invite(i: Invite, now: datetime) -> dict[str, Any]:
    return {
        "id": i.id,
        "type": "invite",
        "email": i.email,
        "role": i.role,
        "status": invite_status(i, now),
        "invited_at": ts(i.invited_at),
        "expires_at": ts(i.expires_at),
        "accepted_at": ts(i.accepted_at),
        "rbac_group_ids": list(i.rbac_group_ids),
    }


def workspace(w: Workspace) -> dict[str, Any]:
    return {
        "id": w.id,
        "type": "workspace",
        "name": w.name,
        "created_at": ts(w.created_at),
        "archived_at": ts(w.archived_at),
        "display_color": w.display_color,
        "data_residency": dict(w.data_residency),
        "compartment_id": w.compartment_id,
        "external_key_id": w.external_key_id,
        "tags": dict(w.tags),
    }


def member(workspace_id: str, user_id: str, role: str) -> dict[str, Any]:
    return {
        "type": "workspace_member",
        "user_id": user_id,
        "workspace_id": workspace_id,
        "workspace_role": role,
    }


def explicit_member(m: WorkspaceMember) -> dict[str, Any]:
    return member(m.workspace_id, m.user_id, m.workspace_role)


def api_key(k: ApiKey, org: Org, now: datetime, emit_workspace_id: bool = True) -> dict[str, Any]:
    ws = org.workspaces.get(k.workspace_id) if k.workspace_id else None
    scope: dict[str, Any]
    if k.workspace_id is None:
        scope = {"type": "organization"}
    else:
        scope = {"type": "workspace", "workspace_id": k.workspace_id}
    body: dict[str, Any] = {
        "id": k.id,
        "type": "api_key",
        "name": k.name,
        "created_at": ts(k.created_at),
        "created_by": dict(k.created_by) if k.created_by else None,
        "expires_at": ts(k.expires_at),
        "partial_key_hint": k.partial_key_hint,
        "status": key_status(k, now),
        "scope": scope,
        "principal": dict(k.principal) if k.principal else None,
    }
    if emit_workspace_id:
        # Deprecated: null for the Default Workspace and for org-scoped keys.
        body["workspace_id"] = None if ws is None or ws.is_default else k.workspace_id
    return body


def service_account(s: ServiceAccount) -> dict[str, Any]:
    return {
        "id": s.id,
        "type": "service_account",
        "name": s.name,
        "description": s.description,
        "organization_role": s.organization_role,
        "created_at": ts(s.created_at),
        "updated_at": ts(s.updated_at),
        "archived_at": ts(s.archived_at),
        "created_by_actor_id": s.created_by_actor_id,
        "updated_by_actor_id": s.updated_by_actor_id,
        "archived_by_actor_id": s.archived_by_actor_id,
    }


def sa_membership(m: ServiceAccountMembership, implicit: bool = False) -> dict[str, Any]:
    return {
        "type": "service_account_workspace_member",
        "service_account_id": m.service_account_id,
        "workspace_id": m.workspace_id,
        "workspace_role": m.workspace_role,
        "implicit": implicit,
        "created_by_actor_id": m.created_by_actor_id,
    }


def federation_issuer(i: FederationIssuer) -> dict[str, Any]:
    return {
        "id": i.id,
        "type": "federation_issuer",
        "name": i.name,
        "issuer_url": i.issuer_url,
        "jwks": i.jwks,
        "check_jti": i.check_jti,
        "max_jwt_lifetime_seconds": i.max_jwt_lifetime_seconds,
        "jwks_polling_disabled_at": ts(i.jwks_polling_disabled_at),
        "poll_status": i.poll_status,
        "created_at": ts(i.created_at),
        "updated_at": ts(i.updated_at),
        "archived_at": ts(i.archived_at),
        "created_by_actor_id": i.created_by_actor_id,
        "updated_by_actor_id": i.updated_by_actor_id,
        "archived_by_actor_id": i.archived_by_actor_id,
    }


def federation_rule(r: FederationRule, org: Org) -> dict[str, Any]:
    issuer = org.federation_issuers.get(r.issuer_id)
    account = org.service_accounts.get(r.service_account_id)
    return {
        "id": r.id,
        "type": "federation_rule",
        "name": r.name,
        "description": r.description,
        "issuer_id": r.issuer_id,
        "issuer_name": issuer.name if issuer else None,
        "match": r.match,
        "target": {
            "type": "service_account",
            "service_account_id": r.service_account_id,
            "service_account_name": account.name if account else None,
        },
        "oauth_scope": r.oauth_scope,
        "token_lifetime_seconds": r.token_lifetime_seconds,
        "applies_to_all_workspaces": r.applies_to_all_workspaces,
        "workspace_ids": sorted(ws for rule, ws in org.federation_rule_workspaces if rule == r.id),
        "created_at": ts(r.created_at),
        "updated_at": ts(r.updated_at),
        "archived_at": ts(r.archived_at),
        "created_by_actor_id": r.created_by_actor_id,
        "updated_by_actor_id": r.updated_by_actor_id,
        "archived_by_actor_id": r.archived_by_actor_id,
    }


def federation_rule_workspace(row: FederationRuleWorkspace, org: Org) -> dict[str, Any]:
    ws = org.workspaces.get(row.workspace_id)
    return {
        "type": "federation_rule_workspace",
        "federation_rule_id": row.federation_rule_id,
        "workspace_id": row.workspace_id,
        "workspace_name": ws.name if ws else None,
        "created_at": ts(row.created_at),
        "created_by_actor_id": row.created_by_actor_id,
    }
