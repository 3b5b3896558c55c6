"""The planted truth: named, sorted id lists of the risky situations in an organization.

Always computed from the current state (never bookkept during generation), so it stays right
after API writes, churn and control-API mutations.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from anthropic_sim.state import Org
from anthropic_sim.status import ADMIN_ROLES, PRIVILEGED_ROLES, invite_status, key_status

OLD_KEY_AGE = timedelta(days=90)


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def planted_truth(org: Org, now: datetime | None = None) -> dict[str, list[str]]:
    """Recompute every planted set from `org` as of `now` (default: the org's epoch)."""
    now = now or org.epoch
    users = org.users
    workspaces = org.workspaces
    main = {d.lower() for d in org.main_domains}
    key_status_of = {k.id: key_status(k, now) for k in org.api_keys.values()}
    active_keys = [k for k in org.api_keys.values() if key_status_of[k.id] == "active"]

    scim_by_email: dict[str, dict] = {}
    for resource in org.scim_users.values():
        scim_by_email.setdefault(str(resource.get("userName", "")).lower(), resource)
    user_emails = {u.email.lower() for u in users.values()}

    def scim_of(user_email: str) -> dict | None:
        return scim_by_email.get(user_email.lower())

    out: dict[str, list[str]] = {
        "org_admins": [u.id for u in users.values() if u.role in ADMIN_ROLES],
        "billing_users": [u.id for u in users.values() if u.role == "billing"],
        "admin_service_accounts": [
            s.id
            for s in org.service_accounts.values()
            if s.organization_role == "admin" and s.archived_at is None
        ],
        "archived_service_accounts": [
            s.id for s in org.service_accounts.values() if s.archived_at is not None
        ],
        "departed_users": list(org.departed_users),
        "keys_of_departed_users": [
            k.id
            for k in active_keys
            if k.created_by is not None
            and k.created_by.get("type") == "user"
            and k.created_by.get("id") not in users
        ],
        "active_keys_without_owner": [k.id for k in active_keys if k.created_by is None],
        "never_expiring_active_keys_older_than_90d": [
            k.id for k in active_keys if k.expires_at is None and k.created_at < now - OLD_KEY_AGE
        ],
        "stale_keys": [
            k.id
            for k in org.api_keys.values()
            if key_status_of[k.id] in ("expired", "inactive", "archived")
        ],
        "active_keys_in_archived_workspaces": [
            k.id
            for k in active_keys
            if k.workspace_id is not None
            and k.workspace_id in workspaces
            and workspaces[k.workspace_id].archived_at is not None
        ],
        "keys_in_default_workspace": [
            k.id
            for k in org.api_keys.values()
            if k.workspace_id is not None
            and k.workspace_id in workspaces
            and workspaces[k.workspace_id].is_default
        ],
        "org_scoped_keys": [k.id for k in org.api_keys.values() if k.workspace_id is None],
        "archived_workspaces": [w.id for w in workspaces.values() if w.archived_at is not None],
        "default_workspace": [w.id for w in workspaces.values() if w.is_default],
        "scim_deactivated_still_member": [
            u.id
            for u in users.values()
            if (r := scim_of(u.email)) is not None and r.get("active") is False
        ],
        "users_without_scim": [u.id for u in users.values() if scim_of(u.email) is None],
        "scim_users_without_account": [
            sid
            for sid, r in org.scim_users.items()
            if r.get("active") is not False
            and str(r.get("userName", "")).lower() not in user_emails
        ],
        "scim_case_mismatch_users": [
            u.id
            for u in users.values()
            if (r := scim_of(u.email)) is not None and r.get("userName") != u.email
        ],
        "pending_privileged_invites": [
            i.id
            for i in org.invites.values()
            if invite_status(i, now) == "pending" and i.role in PRIVILEGED_ROLES
        ],
        "expired_invites": [
            i.id for i in org.invites.values() if invite_status(i, now) == "expired"
        ],
        "external_domain_users": [u.id for u in users.values() if _domain(u.email) not in main],
        "main_domains": sorted(main),
    }
    return {name: sorted(ids) for name, ids in out.items()}
