"""The planted truth: named, sorted id lists of the risky situations in an organization.

Always computed from the current state (never bookkept during generation), so it stays right
after API writes, churn and control-API mutations.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from anthropic_sim.activity import HISTORY_DAYS, RECENT_DAYS, activity_of, admin_ids, unused_since
from anthropic_sim.generate_federation import BUILDER_ROLES, ORG_ADMIN, privileged_scopes
from anthropic_sim.rbac_truth import (
    group_member_managers,
    privileged_through_two_routes,
    rbac_truth,
    scim_groups_managing_members,
)
from anthropic_sim.state import ApiKey, Org, User, Workspace
from anthropic_sim.status import (
    ADMIN_ROLES,
    PRIVILEGED_ROLES,
    inherited_workspace_role,
    invite_status,
    key_status,
)

OLD_KEY_AGE = timedelta(days=90)
# A workspace is sensitive when it holds a customer-managed key or a production tag: one of
# these keys with one of these values, in any case (the question's defaults).
PRODUCTION_TAG_KEYS = ("env", "environment", "stage")
PRODUCTION_TAG_VALUES = ("prod", "production")
# Keys there should expire within this much (the question's default N).
LONGEST_EXPIRY = timedelta(days=365)
# The window the activity sets are measured over (the questions' default N).
ACTIVITY_DAYS = 30

# What each ability needs (docs/queries.md, question attack-paths): organization roles that
# carry it everywhere, organization roles that carry it only organization-wide, workspace roles.
ABILITY_ORG_ROLES = {
    "manage_members": ("admin", "owner", "primary_owner", "membership_admin"),
    "create_keys": ("admin", "owner", "primary_owner"),
}
ABILITY_ORG_ONLY_ROLES = {"manage_members": (), "create_keys": ("developer",)}
ABILITY_WORKSPACE_ROLES = {
    "manage_members": ("workspace_admin",),
    "create_keys": ("workspace_admin", "workspace_developer", "workspace_restricted_developer"),
}
# Workspace roles that can create keys; blast radius counts the memberships granted in the
# workspace (organization admins' inherited access is effective_org_admins' concern).
BLAST_ROLES = ("workspace_admin", "workspace_developer", "workspace_restricted_developer")
# Enterprise: membership admins manage members, so they count among the effective admins.
ENTERPRISE_ADMIN_ROLES = ("owner", "primary_owner", "membership_admin")
ENTERPRISE_ROLE_SETS = {
    "primary_owner": "primary_owner",
    "owners": "owner",
    "membership_admins": "membership_admin",
    "managed_users": "managed",
}


def _enterprise(org: Org) -> dict[str, list[str]]:
    """The Enterprise roles' sets (an Enterprise org has no keys, workspaces or SAs)."""
    return {
        **{
            role_set: [u.id for u in org.users.values() if u.role == role]
            for role_set, role in ENTERPRISE_ROLE_SETS.items()
        },
        "privileged_through_two_routes": list(
            privileged_through_two_routes(org, ENTERPRISE_ADMIN_ROLES)
        ),
    }


def _personal_key_of_departed(key: ApiKey, users: dict[str, User]) -> bool:
    bound = key.principal or {}
    return bound.get("type") == "user_actor" and bound.get("user_id") not in users


def _service_account_of(key: ApiKey) -> str | None:
    return (key.principal or {}).get("service_account_id")


def _keys_of_risky_principals(org: Org, active_keys: list[ApiKey]) -> list[str]:
    """Active keys acting as a privileged member or service account (any organization role
    that manages members), a removed member, or an archived service account."""
    privileged = {u.id for u in org.users.values() if u.role in PRIVILEGED_ROLES}
    privileged |= {s.id for s in org.service_accounts.values() if s.organization_role == "admin"}
    archived = {s.id for s in org.service_accounts.values() if s.archived_at is not None}
    return [
        k.id
        for k in active_keys
        if _personal_key_of_departed(k, org.users)
        or (k.principal or {}).get("user_id") in privileged
        or _service_account_of(k) in privileged | archived
    ]


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

    archived_accounts = {s.id for s in org.service_accounts.values() if s.archived_at is not None}
    archived_with_keys = {
        sa for k in active_keys if (sa := _service_account_of(k)) in archived_accounts
    }
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
        # Keys that survive their creator's removal by design (service-account and legacy
        # workspace keys); a removed user's personal key is archived, so an active one is
        # an anomaly of its own.
        "keys_of_departed_users": [
            k.id
            for k in active_keys
            if k.created_by is not None
            and k.created_by.get("type") == "user"
            and k.created_by.get("id") not in users
            and not _personal_key_of_departed(k, users)
        ],
        "active_personal_keys_of_departed_users": [
            k.id for k in active_keys if _personal_key_of_departed(k, users)
        ],
        "active_keys_of_archived_service_accounts": [
            k.id for k in active_keys if _service_account_of(k) in archived_accounts
        ],
        "active_keys_of_risky_principals": _keys_of_risky_principals(org, active_keys),
        "archived_service_accounts_with_active_keys": list(archived_with_keys),
        "admin_or_archived_with_keys_service_accounts": [
            s.id
            for s in org.service_accounts.values()
            if (s.organization_role == "admin" and s.archived_at is None)
            or s.id in archived_with_keys
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
        "active_org_scoped_keys": [k.id for k in active_keys if k.workspace_id is None],
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
        "scim_groups_without_active_members": [
            gid
            for gid, g in org.scim_groups.items()
            if not any(
                org.scim_users.get(m.get("value"), {}).get("active") is True
                for m in g.get("members", [])
            )
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
        "pending_invites_outside_identity_provider": [
            i.id
            for i in org.invites.values()
            if invite_status(i, now) == "pending"
            and (
                _domain(i.email) not in main
                or ((r := scim_of(i.email)) is not None and r.get("active") is False)
            )
        ],
        "expired_invites": [
            i.id for i in org.invites.values() if invite_status(i, now) == "expired"
        ],
        "external_domain_users": [u.id for u in users.values() if _domain(u.email) not in main],
        "privileged_outside_identity_provider": [
            u.id
            for u in users.values()
            if u.role in PRIVILEGED_ROLES
            and (
                _domain(u.email) not in main
                or (r := scim_of(u.email)) is None
                or r.get("active") is False
            )
        ],
        "main_domains": sorted(main),
        "federation_privileged_rules": [
            r.id for r in _usable_rules(org) if privileged_scopes(r.oauth_scope)
        ],
        "unbounded_keys_in_sensitive_workspaces": unbounded_keys_in_sensitive_workspaces(org, now),
        "federation_workspace_developer_grants": federation_workspace_developer_grants(org),
        **_access(org, now),
        **(_enterprise(org) if org.product == "enterprise" else {}),
        **(rbac_truth(org) if org.product == "enterprise" else {}),
        **_activity(org, now, [k.id for k in active_keys]),
    }
    return {name: sorted(ids) for name, ids in out.items()}


def sensitive_workspace(workspace: Workspace) -> bool:
    """Holds a customer-managed encryption key or a production tag."""
    return workspace.external_key_id is not None or any(
        key.lower() in PRODUCTION_TAG_KEYS and value.lower() in PRODUCTION_TAG_VALUES
        for key, value in workspace.tags.items()
    )


def unbounded_keys_in_sensitive_workspaces(
    org: Org, now: datetime, longest: timedelta = LONGEST_EXPIRY
) -> list[str]:
    """Active keys of sensitive workspaces that never expire or expire more than `longest`
    after `now`."""
    return sorted(
        k.id
        for k in org.api_keys.values()
        if key_status(k, now) == "active"
        and (ws := org.workspaces.get(k.workspace_id or "")) is not None
        and sensitive_workspace(ws)
        and (k.expires_at is None or k.expires_at > now + longest)
    )


def _activity(org: Org, now: datetime, active_keys: list[str]) -> dict[str, list[str]]:
    """Who acted and what was used, by the days `anthropic_sim.activity` draws."""
    activity = activity_of(org, now)
    admins = admin_ids(org)
    return {
        "admins_never_active": unused_since(activity.users, admins, HISTORY_DAYS + 1),
        f"admins_inactive_{ACTIVITY_DAYS}d": unused_since(activity.users, admins, ACTIVITY_DAYS),
        "keys_never_used": unused_since(activity.api_keys, active_keys, HISTORY_DAYS + 1),
        f"active_keys_unused_{ACTIVITY_DAYS}d": unused_since(
            activity.api_keys, active_keys, ACTIVITY_DAYS
        ),
        "keys_used_recently": sorted(
            set(active_keys) - set(unused_since(activity.api_keys, active_keys, RECENT_DAYS))
        ),
    }


# ---- who can do what, where (the access questions) ------------------------------------------


def workspace_roles(org: Org) -> dict[tuple[str, str], tuple[str, bool]]:
    """(principal id, workspace id) -> (effective workspace role, inherited).

    Members: explicit memberships, overridden by the role their organization role grants in
    every active workspace (inherited access wins and cannot be removed). Live service
    accounts: their memberships of active workspaces, plus the implicit workspace_user
    membership of the Default Workspace (archived accounts and workspaces list none)."""
    live = {w.id for w in org.workspaces.values() if w.archived_at is None}
    roles: dict[tuple[str, str], tuple[str, bool]] = {}
    for (ws_id, user_id), member in org.members.items():
        if user_id in org.users:
            roles[(user_id, ws_id)] = (member.workspace_role, False)
    for user in org.users.values():
        if (role := inherited_workspace_role(user.role)) is not None:
            for ws_id in live:
                roles[(user.id, ws_id)] = (role, True)
    for sa in org.service_accounts.values():
        if sa.archived_at is None:
            roles[(sa.id, org.default_workspace().id)] = ("workspace_user", False)
    for (sa_id, ws_id), membership in org.sa_memberships.items():
        if org.service_accounts[sa_id].archived_at is None and ws_id in live:
            roles[(sa_id, ws_id)] = (membership.workspace_role, False)
    return roles


def _organization_roles(org: Org) -> dict[str, str]:
    """Principal id -> organization role, for members and live service accounts."""
    roles = {u.id: u.role for u in org.users.values()}
    roles.update(
        {s.id: s.organization_role for s in org.service_accounts.values() if s.archived_at is None}
    )
    return roles


def _keys_acting_as(org: Org, principals: set[str], now: datetime) -> list[str]:
    """Active keys bound to (acting as) one of `principals`."""
    found = []
    for key in org.api_keys.values():
        bound = key.principal or {}
        actor = bound.get("user_id") or bound.get("service_account_id")
        if actor in principals and key_status(key, now) == "active":
            found.append(key.id)
    return found


def _usable_rules(org: Org) -> list[Any]:
    """Federation rules a token can be exchanged through now: live, under a live issuer,
    onto a live service account."""
    return [
        r
        for r in org.federation_rules.values()
        if r.archived_at is None
        and (issuer := org.federation_issuers.get(r.issuer_id)) is not None
        and issuer.archived_at is None
        and (sa := org.service_accounts.get(r.service_account_id)) is not None
        and sa.archived_at is None
    ]


def federation_workspace_developer_grants(org: Org) -> list[str]:
    """'<rule id>/<workspace id>': usable rules whose token carries more than inference
    (org:admin or workspace:developer), in the workspaces they apply to where their service
    account holds a role that builds."""
    roles = workspace_roles(org)
    grants = []
    for rule in _usable_rules(org):
        if not privileged_scopes(rule.oauth_scope):
            continue
        enabled = {ws for (r, ws) in org.federation_rule_workspaces if r == rule.id}
        grants += [
            f"{rule.id}/{ws}"
            for (principal, ws), (role, _) in roles.items()
            if principal == rule.service_account_id
            and role in BUILDER_ROLES
            and (rule.applies_to_all_workspaces or ws in enabled)
        ]
    return grants


def _issuers_acting_as(org: Org, principals: set[str]) -> set[str]:
    """Issuers whose tokens can be exchanged for org:admin tokens acting as one of
    `principals`."""
    return {
        r.issuer_id
        for r in _usable_rules(org)
        if ORG_ADMIN in r.oauth_scope.split() and r.service_account_id in principals
    }


def _scim_email(resource: dict[str, Any]) -> str:
    """The directory identity's address: its primary email, else its first, else userName."""
    emails = [e for e in resource.get("emails", []) if e.get("value")]
    primary = [e for e in emails if e.get("primary")] or emails
    return str(primary[0]["value"] if primary else resource.get("userName", "")).lower()


def _scim_identities_reaching(org: Org, principals: set[str], ability: str) -> set[str]:
    """Graph ids ('<org id>/<scim id>') of the SCIM identities whose control reaches `ability`:
    active SCIM users provisioned as one of `principals`, and for managing members the SCIM
    groups surfacing as a group that manages members, with their active SCIM members."""
    emails = {org.users[p].email.lower() for p in principals if p in org.users}
    active = {sid for sid, r in org.scim_users.items() if r.get("active") is True}
    found = {sid for sid in active if _scim_email(org.scim_users[sid]) in emails}
    if ability == "manage_members":
        for gid in scim_groups_managing_members(org):
            found.add(gid)
            members = org.scim_groups[gid].get("members", [])
            found |= {m.get("value") for m in members} & active
    return {f"{org.id}/{scim_id}" for scim_id in found}


def principals_with_ability(
    org: Org, ability: str, workspace_id: str | None = None, now: datetime | None = None
) -> list[str]:
    """Ids of the members, live service accounts, active keys bound to them, SCIM identities
    and federation issuers whose control reaches `ability` (manage_members | create_keys) in
    `workspace_id`, or organization-wide."""
    now = now or org.epoch
    org_roles = set(ABILITY_ORG_ROLES[ability])
    if workspace_id is None:
        org_roles |= set(ABILITY_ORG_ONLY_ROLES[ability])
    principals = {p for p, role in _organization_roles(org).items() if role in org_roles}
    if ability == "manage_members":
        principals |= group_member_managers(org)
    if workspace_id is not None:
        wanted = ABILITY_WORKSPACE_ROLES[ability]
        principals |= {
            p
            for (p, ws), (role, _) in workspace_roles(org).items()
            if ws == workspace_id and role in wanted
        }
    return sorted(
        principals
        | set(_keys_acting_as(org, principals, now))
        | _issuers_acting_as(org, principals)
        | _scim_identities_reaching(org, principals, ability)
    )


def _deactivated_in_scim(org: Org) -> set[str]:
    """Ids of the members whose directory record is inactive."""
    inactive = {
        str(r.get("userName", "")).lower()
        for r in org.scim_users.values()
        if r.get("active") is False
    }
    return {u.id for u in org.users.values() if u.email.lower() in inactive}


def _access(org: Org, now: datetime) -> dict[str, list[str]]:
    roles = workspace_roles(org)
    live = {w.id for w in org.workspaces.values() if w.archived_at is None}
    admin_roles = ENTERPRISE_ADMIN_ROLES if org.product == "enterprise" else ADMIN_ROLES
    admins = {p for p, role in _organization_roles(org).items() if role in admin_roles}
    # Enterprise: a group's role that manages members makes its members admins too.
    admins |= group_member_managers(org)
    admin_keys = _keys_acting_as(org, admins, now)
    direct_admin_ws = {
        ws
        for (_, ws), (role, inherited) in roles.items()
        if role == "workspace_admin" and not inherited
    }
    blast = Counter(
        p
        for (p, ws), (role, inherited) in roles.items()
        if ws in live and role in BLAST_ROLES and not inherited
    )
    direct_admins: dict[str, set[str]] = {}
    for (p, ws), (role, inherited) in roles.items():
        if ws in live and role == "workspace_admin" and not inherited:
            direct_admins.setdefault(ws, set()).add(p)
    deactivated = _deactivated_in_scim(org)
    return {
        "workspaces_only_deactivated_admins": [
            ws for ws, admins in direct_admins.items() if admins <= deactivated
        ],
        "org_admin_keys": admin_keys,
        "effective_org_admins": sorted(admins) + admin_keys,
        # "<workspace id>/<principal id>/<direct|inherited>"
        "workspace_admins": [
            f"{ws}/{p}/{'inherited' if inherited else 'direct'}"
            for (p, ws), (role, inherited) in roles.items()
            if role == "workspace_admin"
        ],
        "workspaces_only_inherited_admins": sorted(live - direct_admin_ws),
        "org_member_managers": principals_with_ability(org, "manage_members", None, now),
        # "<principal id>:<number of active workspaces where granted a role that creates keys>"
        "blast_radius": [f"{p}:{n}" for p, n in blast.items()],
        "service_accounts": list(org.service_accounts),
    }
