"""Statuses that depend on the clock: invites and API keys flip to `expired` when due."""

from __future__ import annotations

from datetime import datetime

from anthropic_sim.state import ApiKey, Invite

ADMIN_ROLES = ("admin", "owner", "primary_owner")
PRIVILEGED_ROLES = ("admin", "membership_admin", "owner", "primary_owner")


def invite_status(invite: Invite, now: datetime) -> str:
    if invite.status == "pending" and invite.expires_at <= now:
        return "expired"
    return invite.status


def key_status(key: ApiKey, now: datetime) -> str:
    active = key.status in ("active", "inactive")
    if active and key.expires_at is not None and key.expires_at <= now:
        return "expired"
    return key.status


def inherited_workspace_role(org_role: str) -> str | None:
    """The workspace role an org role grants in every workspace (S2), if any."""
    if org_role in ADMIN_ROLES:
        return "workspace_admin"
    if org_role == "billing":
        return "workspace_billing"
    return None
