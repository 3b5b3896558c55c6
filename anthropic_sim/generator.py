"""Generate a realistic, deterministic simulated organization from a seed.

`generate(seed, size, tier)` never reads the wall clock: every time is before a fixed epoch
(`EPOCH`, stored in `org.epoch`), and every random draw comes from `random.Random(seed)`,
so the same arguments give a byte-for-byte identical organization (see `org_to_dict`).
The risky situations are planted on purpose (a few are forced so even a small org has each)
and then *measured* by `planted_truth`; independently, the generator writes each planted case
into `org.ledger` as it plants it, so tests can hold the measurement and the questions to it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from anthropic_sim.generate_federation import (
    generate_federation,
    plant_workspace_developer_rules,
)
from anthropic_sim.generate_rbac import generate_rbac
from anthropic_sim.ids import Credentials, IdFactory, partial_hint
from anthropic_sim.names import (
    COLORS,
    COMPANY_STEMS,
    GROUP_NAMES,
    KEY_PURPOSES,
    SA_NAMES,
    WORKSPACE_NAMES,
    People,
    ascii_local,
    case_variant,
)
from anthropic_sim.planted import (
    LONGEST_EXPIRY,
    OLD_KEY_AGE,
    planted_truth,
    sensitive_workspace,
    workspace_roles,
)
from anthropic_sim.rbac_state import RbacGroup, RbacGroupMember
from anthropic_sim.state import (
    ApiKey,
    Invite,
    Org,
    ServiceAccount,
    ServiceAccountMembership,
    User,
    Workspace,
    WorkspaceMember,
)
from anthropic_sim.status import PRIVILEGED_ROLES, key_status

EPOCH = datetime(2026, 11, 1, tzinfo=UTC)
ORG_AGE = timedelta(days=3 * 365)
INVITE_TTL = timedelta(days=21)
SIZES = {"small": 50, "medium": 2_000, "large": 20_000, "xl": 100_000}
DAY = timedelta(days=1)

SCIM_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
SCIM_GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"

MEMBER_ROLES = (
    "workspace_user",
    "workspace_developer",
    "workspace_restricted_developer",
    "workspace_admin",
)
MEMBER_ROLE_WEIGHTS = (35, 35, 15, 15)
OTHER_ROLES = ("user", "developer", "claude_code_user")
OTHER_ROLE_WEIGHTS = (34, 38, 28)
# Ledger cases the generator records for every member it creates: on a freshly generated
# organization, `org.ledger.ids(case)` is the whole planted set. Other cases (the unowned
# workspace, the boundary cases) name the deliberate plant only.
FULLY_RECORDED = (
    "departed_users",
    "external_domain_users",
    "archived_workspaces",
    "default_workspace",
    "keys_of_departed_users",
    "active_personal_keys_of_departed_users",
    "active_keys_of_archived_service_accounts",
    "active_keys_without_owner",
    "never_expiring_active_keys_older_than_90d",
    "stale_keys",
    "active_keys_in_archived_workspaces",
    "keys_in_default_workspace",
    "org_scoped_keys",
    "pending_privileged_invites",
    "expired_invites",
    "users_without_scim",
    "scim_groups_without_active_members",
    "scim_deactivated_still_member",
    "scim_users_without_account",
    "scim_case_mismatch_users",
    "federation_privileged_rules",
)
# Console invite roles as an Enterprise org's (claude.ai invites are for user or managed).
ENTERPRISE_INVITE_ROLES = {"developer": "managed", "billing": "managed"}
# Boundary cases, planted at the simulator's clock (the epoch): due exactly now is expired.
LATER_TODAY = timedelta(hours=18)


def rfc3339(dt: datetime) -> str:
    """RFC 3339 with microseconds and `Z`, as the Admin API renders timestamps."""
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    return dt.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _between(rng: random.Random, lo: datetime, hi: datetime) -> datetime:
    span = int((hi - lo).total_seconds() * 1_000_000)
    if span <= 1:
        return lo
    return lo + timedelta(microseconds=rng.randrange(span))


def _days_ago(rng: random.Random, lo_days: float, hi_days: float) -> datetime:
    return _between(rng, EPOCH - timedelta(days=hi_days), EPOCH - timedelta(days=lo_days))


@dataclass
class _Plan:
    """Counts for one size."""

    users: int
    departed: int
    workspaces: int
    archived_workspaces: int
    service_accounts: int
    keys: int
    invites: int
    scim_only: int
    scim_only_inactive: int
    groups: int

    @classmethod
    def for_users(cls, n: int) -> _Plan:
        active_ws = max(4, min(95, n // 40))
        return cls(
            users=n,
            departed=max(3, n // 30),
            workspaces=active_ws,
            archived_workspaces=max(1, active_ws // 5),
            service_accounts=max(4, n // 100),
            keys=max(40, int(n * 0.8)),
            invites=max(16, n // 8),
            scim_only=max(3, n // 25),
            scim_only_inactive=max(2, n // 50),
            groups=max(3, min(100, n // 40)),
        )


class _Generator:
    def __init__(self, seed: int, n_users: int, tier: str, product: str = "console") -> None:
        self.enterprise = product == "enterprise"
        self.rng = random.Random(seed)
        # Draws for the boundary plants only, so adding them leaves every other draw unchanged.
        self.boundary_rng = random.Random(f"boundary-{seed}")
        self.plan = _Plan.for_users(n_users)
        creds = Credentials(self.rng, product)
        self.ids = IdFactory(random.Random(f"ids-{seed}"))
        stem = COMPANY_STEMS[seed % len(COMPANY_STEMS)]
        self.main_domains = [f"{stem}-{seed}.example", f"{stem}-{seed}-labs.example"]
        self.people = People(self.rng, self.main_domains)
        self.org_created = EPOCH - ORG_AGE
        self.org = Org(
            id=creds.org_id,
            name=f"{stem.title()} {seed} Inc.",
            tier="enterprise" if tier == "enterprise" else "standard",
            epoch=EPOCH,
            admin_key=creds.admin_key,
            oauth_token=creds.oauth_token,
            scim_token=creds.scim_token,
            inference_key=creds.inference_key,
            main_domains=list(self.main_domains),
            seed=seed,
            product="enterprise" if self.enterprise else "console",
        )
        self.record = self.org.ledger.record

    # ------------------------------------------------------------------ workspaces
    def workspaces(self) -> None:
        rng, org = self.rng, self.org
        default = Workspace(
            id=self.ids.workspace(),
            name="Default Workspace",
            created_at=self.org_created,
            is_default=True,
            compartment_id=self._compartment(),
        )
        org.workspaces[default.id] = default
        self.record("default_workspace", default.id, "the Default Workspace")
        total = self.plan.workspaces + self.plan.archived_workspaces
        created = sorted(_between(rng, self.org_created + DAY, EPOCH - DAY) for _ in range(total))
        archived_idx = set(rng.sample(range(total), self.plan.archived_workspaces))
        for i, at in enumerate(created):
            base = WORKSPACE_NAMES[i % len(WORKSPACE_NAMES)]
            name = base if i < len(WORKSPACE_NAMES) else f"{base} {i // len(WORKSPACE_NAMES) + 1}"
            ws = Workspace(
                id=self.ids.workspace(),
                name=name,
                created_at=at,
                display_color=rng.choice(COLORS),
                compartment_id=self._compartment(),
            )
            if i in archived_idx:
                ws.archived_at = _between(rng, at, EPOCH)
                self.record("archived_workspaces", ws.id, "archived")
            if rng.random() < 0.3:
                ws.tags = {"team": ascii_local(base).replace(".", "-") or "team"}
                if rng.random() < 0.5:
                    ws.tags["env"] = rng.choice(("prod", "staging", "dev"))
            if rng.random() < 0.05:
                ws.external_key_id = (
                    f"arn:aws:kms:us-east-1:123456789012:key/{self.ids.external_id().lower()}"
                )
            org.workspaces[ws.id] = ws

    def _compartment(self) -> str:
        return "cmpt_" + "".join(self.rng.choices("0123456789abcdef", k=24))

    # ------------------------------------------------------------------ users
    def _other_roles(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        if self.enterprise:
            return ("user", "managed"), (85, 15)
        return OTHER_ROLES, OTHER_ROLE_WEIGHTS

    def users(self) -> None:
        rng, org, plan = self.rng, self.org, self.plan
        total = plan.users + plan.departed
        times = sorted(_between(rng, self.org_created, EPOCH - DAY) for _ in range(total))
        # The first person in is the primary owner and stays; departures are drawn from the rest.
        departed_idx = set(rng.sample(range(1, total), plan.departed))
        current_positions = [i for i in range(total) if i not in departed_idx]
        n = len(current_positions)
        roles: dict[int, str] = {current_positions[0]: "primary_owner"}
        early = current_positions[1 : max(4, n // 10)]
        for i in rng.sample(early, min(2, len(early))):
            roles[i] = "owner"
        rest = [i for i in current_positions if i not in roles]
        n_admin = max(2, round(n * 0.025))
        n_billing = max(1, round(n * 0.015))
        picked = rng.sample(rest, n_admin + n_billing)
        # Enterprise has no admin or billing role: membership admins manage members, and managed
        # members get their rights only through their groups' custom roles.
        admin_role, billing_role = (
            ("membership_admin", "managed")
            if self.enterprise
            else (
                "admin",
                "billing",
            )
        )
        other_roles, weights = self._other_roles()
        for i in picked[:n_admin]:
            roles[i] = admin_role
        for i in picked[n_admin:]:
            roles[i] = billing_role
        for position, at in enumerate(times):
            external = rng.random() < 0.02
            name, email = self.people.person(external=external)
            role = roles.get(position) or rng.choices(other_roles, weights)[0]
            user = User(id=self.ids.user(), email=email, name=name, role=role, added_at=at)
            if position in departed_idx:
                org.departed_users[user.id] = user
                self.record("departed_users", user.id, "left the organization")
            else:
                org.users[user.id] = user
                if external:
                    self.record("external_domain_users", user.id, "joined with an external address")
        # Plant external-domain members even in a small org.
        plain = [u for u in org.users.values() if u.role in other_roles]
        for user in plain[-2:]:
            if user.email.rpartition("@")[2] in self.main_domains:
                _, user.email = self.people.person(external=True)
                self.record("external_domain_users", user.id, "forced: external address")

    # ------------------------------------------------------------------ memberships
    def members(self) -> None:
        rng, org = self.rng, self.org
        default = org.default_workspace()
        active = [w for w in org.workspaces.values() if not w.is_default and not w.archived_at]
        archived = [w for w in org.workspaces.values() if w.archived_at]
        forced = list(MEMBER_ROLES)
        for user in org.users.values():
            if user.role not in OTHER_ROLES:
                continue  # admins and billing inherit; never explicit
            k = rng.choices((0, 1, 2, 3), (10, 50, 25, 15))[0]
            chosen = rng.sample(active, min(k, len(active)))
            if archived and rng.random() < 0.1:
                chosen.append(rng.choice(archived))
            if rng.random() < 0.3:
                chosen.append(default)
            for ws in chosen:
                role = forced.pop() if forced else rng.choices(MEMBER_ROLES, MEMBER_ROLE_WEIGHTS)[0]
                org.members[(ws.id, user.id)] = WorkspaceMember(ws.id, user.id, role)
        # Creation order is not stored for memberships; keep the dict sorted for stable output.
        org.members = dict(sorted(org.members.items()))

    # ------------------------------------------------------------------ service accounts
    def service_accounts(self) -> None:
        rng, org, plan = self.rng, self.org, self.plan
        admins = [u.id for u in org.users.values() if u.role in ("admin", "owner", "primary_owner")]
        times = sorted(
            _between(rng, self.org_created + 30 * DAY, EPOCH - DAY)
            for _ in range(plan.service_accounts)
        )
        n_admin = max(1, plan.service_accounts // 5)
        admin_idx = set(rng.sample(range(plan.service_accounts), n_admin))
        archived_i = rng.choice([i for i in range(plan.service_accounts) if i not in admin_idx])
        active = [w for w in org.workspaces.values() if not w.is_default and not w.archived_at]
        default = org.default_workspace()
        for i, at in enumerate(times):
            base = SA_NAMES[i % len(SA_NAMES)]
            name = base if i < len(SA_NAMES) else f"{base}-{i // len(SA_NAMES) + 1}"
            creator = rng.choice(admins)
            sa = ServiceAccount(
                id=self.ids.service_account(),
                name=name,
                organization_role="admin" if i in admin_idx else "developer",
                created_at=at,
                updated_at=_between(rng, at, EPOCH),
                description=rng.choice((None, f"Used by {base.replace('-', ' ')}")),
                created_by_actor_id=creator,
                updated_by_actor_id=creator,
            )
            if i == archived_i:
                sa.archived_at = sa.updated_at
                sa.archived_by_actor_id = rng.choice(admins)
            org.service_accounts[sa.id] = sa
            targets = rng.sample(active, min(rng.randint(1, 3), len(active)))
            if rng.random() < 0.1:
                targets.append(default)
            for ws in targets:
                role = rng.choices(MEMBER_ROLES, (30, 40, 15, 15))[0]
                org.sa_memberships[(sa.id, ws.id)] = ServiceAccountMembership(
                    sa.id, ws.id, role, created_by_actor_id=creator
                )

    def unowned_workspace(self) -> None:
        """Plant an active workspace whose only admins are the inherited org admins: demote
        the direct workspace_admins of the one with fewest (no random draw, so nothing
        generated after this changes)."""
        org = self.org
        active = [w for w in org.workspaces.values() if not w.is_default and not w.archived_at]
        direct = [
            *((m.workspace_id, m) for m in org.members.values()),
            *((m.workspace_id, m) for m in org.sa_memberships.values()),
        ]

        def admins(ws: Workspace) -> int:
            return sum(1 for w, m in direct if w == ws.id and m.workspace_role == "workspace_admin")

        target = min(reversed(active), key=admins)
        self.record("unowned_workspace", target.id, "direct workspace admins demoted")
        for ws_id, membership in direct:
            if ws_id == target.id and membership.workspace_role == "workspace_admin":
                membership.workspace_role = "workspace_developer"

    # ------------------------------------------------------------------ API keys
    def api_keys(self) -> None:
        rng, org, plan = self.rng, self.org, self.plan
        users = list(org.users.values())
        departed = list(org.departed_users.values())
        sas = [s for s in org.service_accounts.values() if s.archived_at is None]
        default = org.default_workspace()
        active_ws = [w for w in org.workspaces.values() if not w.is_default and not w.archived_at]
        archived_ws = [w for w in org.workspaces.values() if w.archived_at]
        # (owner, workspace, expiry, status) forced first so every planted set is non-empty.
        # A forced "active" where the API would have archived the key is a planted anomaly.
        forced: list[tuple[str, str, str, str | None]] = [
            ("departed", "active", "never", "active"),  # anomaly: removal archives it
            ("departed_legacy", "default", "never", "active"),
            ("departed_sa", "active", "never", "active"),
            ("departed", "active", "never", None),
            ("none", "active", "never", "active"),
            ("none", "default", "never", "active"),
            ("wif", "active", "never", "active"),
            ("user", "active", "never-old", "active"),
            ("user", "archived", "never", "active"),  # anomaly: workspace archive archives it
            ("sa", "archived", "never", None),
            ("user", "active", "past", None),
            ("user", "active", "never", "inactive"),
            ("user", "active", "never", "archived"),
            ("user", "org", "never", "active"),
            ("admin_sa", "org", "never", "active"),  # a key acting with admin rights
            ("user", "default", "future", "active"),
            ("sa", "active", "never", "active"),
        ]
        specs: list[dict[str, Any]] = []
        for i in range(plan.keys):
            if i < len(forced):
                owner, where, expiry, status = forced[i]
            else:
                owner = rng.choices(
                    ("user", "sa", "none", "departed", "departed_sa", "departed_legacy"),
                    (64, 12, 8, 8, 4, 4),
                )[0]
                where = rng.choices(("default", "org", "archived", "active"), (15, 6, 12, 67))[0]
                expiry = rng.choices(("never", "random"), (60, 40))[0]
                status = None
            specs.append(self._key_spec(owner, where, expiry, status, users, departed, sas))
        resolved_ws = {"default": [default], "archived": archived_ws or active_ws}
        for spec in specs:
            where = spec["where"]
            ws = None if where == "org" else rng.choice(resolved_ws.get(where, active_ws))
            lo = spec["lo"]
            hi = EPOCH - DAY
            if ws is not None:
                lo = max(lo, ws.created_at)
                if ws.archived_at is not None:
                    hi = ws.archived_at
            if spec["expiry"] == "never-old":
                hi = min(hi, EPOCH - 120 * DAY)
            if lo >= hi:
                lo = hi - DAY
            spec["ws"] = ws
            spec["created_at"] = _between(rng, lo, hi)
        specs += self._boundary_key_specs(default)
        specs += self._archived_service_account_key_specs()
        specs.sort(key=lambda s: s["created_at"])
        for spec in specs:
            key = self._make_key(spec)
            org.api_keys[key.id] = key
            self._record_key(key, spec["owner"], spec["ws"])

    def _boundary_key_specs(self, default: Workspace) -> list[dict[str, Any]]:
        """Two keys of the primary owner in the Default Workspace: one due exactly at the
        simulator's now (expired), one due later the same day (still active)."""
        owner = next(u for u in self.org.users.values() if u.role == "primary_owner")
        return [
            {
                "owner": "boundary",
                "where": "default",
                "expiry": expiry,
                "status": "active",
                "creator": {"id": owner.id, "type": "user"},
                "principal": None,
                "name": name,
                "ws": default,
                "created_at": EPOCH - age,
                "hint": partial_hint(self.boundary_rng),
            }
            for expiry, name, age in (
                ("at-now", "rotation-due-now", 30 * DAY),
                ("later-today", "rotation-due-today", 29 * DAY),
            )
        ]

    def _archived_service_account_key_specs(self) -> list[dict[str, Any]]:
        """An active key acting as the archived service account: an anomaly, since archiving
        the account archives its keys (reference 4.1). Its own draws, so every other is
        unchanged."""
        org = self.org
        archived = [s for s in org.service_accounts.values() if s.archived_at is not None]
        if not archived:
            return []
        sa = archived[0]
        rng = random.Random(f"archived-sa-key-{org.seed}")
        workspaces = [org.workspaces[ws] for (sa_id, ws) in org.sa_memberships if sa_id == sa.id]
        ws = workspaces[0] if workspaces else org.default_workspace()
        hi = sa.archived_at or EPOCH
        lo = min(max(sa.created_at, ws.created_at), hi - DAY)
        return [
            {
                "owner": "archived_sa",
                "where": "active",
                "expiry": "never",
                "status": "active",
                "creator": {"id": sa.created_by_actor_id, "type": "user"},
                "principal": {"type": "service_account_actor", "service_account_id": sa.id},
                "name": f"{sa.name}-key",
                "ws": ws,
                "created_at": _between(rng, lo, hi),
                "hint": partial_hint(rng),
            }
        ]

    def _record_key(self, key: ApiKey, owner: str, ws: Workspace | None) -> None:
        record = self.record
        if ws is None:
            record("org_scoped_keys", key.id, "organization-scoped")
        elif ws.is_default:
            record("keys_in_default_workspace", key.id, "in the Default Workspace")
        if key.status != "active":
            record("stale_keys", key.id, f"created {key.status}")
        elif owner == "boundary":
            if key.expires_at == EPOCH:
                record("key_expiring_at_now", key.id, "expires_at is exactly now")
                record("stale_keys", key.id, "due exactly now: expired")
            else:
                record("key_expiring_later_today", key.id, "expires later today")
        else:
            if owner in ("departed_sa", "departed_legacy"):
                record("keys_of_departed_users", key.id, f"{owner}: survives its creator")
            if owner == "departed":
                record("active_personal_keys_of_departed_users", key.id, "removal archives it")
            if owner == "archived_sa":
                record("active_keys_of_archived_service_accounts", key.id, "archive archives it")
            if key.created_by is None:
                record("active_keys_without_owner", key.id, "no created_by")
            if ws is not None and ws.archived_at is not None:
                record("active_keys_in_archived_workspaces", key.id, "workspace archived")
            if key.expires_at is None and key.created_at < EPOCH - OLD_KEY_AGE:
                record("never_expiring_active_keys_older_than_90d", key.id, "old, never expires")

    def _key_spec(
        self,
        owner: str,
        where: str,
        expiry: str,
        status: str | None,
        users: list[User],
        departed: list[User],
        sas: list[ServiceAccount],
    ) -> dict[str, Any]:
        rng = self.rng
        creator: dict[str, str] | None
        principal: dict[str, str] | None = None
        lo = self.org_created
        if owner in ("sa", "admin_sa", "wif", "departed_sa") and not sas:
            owner = "user" if owner != "departed_sa" else "departed_legacy"
        if owner == "user":
            who = rng.choice(users)
            creator = {"id": who.id, "type": "user"}
            label = ascii_local(who.name.split(" ")[0]) or "key"
            name = f"{label}-{rng.choice(KEY_PURPOSES)}"
            if rng.random() < 0.05:
                name = f"{who.name.split(' ')[0]}'s key"
            principal = {"type": "user_actor", "user_id": who.id}
            lo = who.added_at
        elif owner in ("departed", "departed_legacy"):
            who = rng.choice(departed)
            creator = {"id": who.id, "type": "user"}
            name = f"{ascii_local(who.name.split(' ')[0]) or 'old'}-{rng.choice(KEY_PURPOSES)}"
            if owner == "departed":
                principal = {"type": "user_actor", "user_id": who.id}
            elif where == "org":
                where = "active"  # org-scoped keys are principal-bound
            lo = who.added_at
        else:
            creator, principal, name, lo, where = self._non_personal_key(
                owner, where, users, departed, sas
            )
        return {
            "owner": owner,
            "where": where,
            "expiry": expiry,
            "status": status,
            "creator": creator,
            "principal": principal,
            "name": name,
            "lo": lo,
        }

    def _non_personal_key(
        self,
        owner: str,
        where: str,
        users: list[User],
        departed: list[User],
        sas: list[ServiceAccount],
    ) -> tuple[dict[str, str] | None, dict[str, str] | None, str, datetime, str]:
        """(creator, principal, name, earliest creation, where) of a service-account key or a
        legacy workspace key (principal null; creator null as today's API sends it)."""
        rng = self.rng
        if owner == "none":
            name = rng.choice(("legacy-key", "system", "imported"))
            return None, None, name, self.org_created, "active" if where == "org" else where
        pool = [s for s in sas if s.organization_role == "admin"] if owner == "admin_sa" else []
        sa = rng.choice(pool or sas)
        principal = {"type": "service_account_actor", "service_account_id": sa.id}
        # Who minted it: a person (always for the admin account's and a departed person's key),
        # the federation exchange (no creator), or the account itself.
        how = {"admin_sa": "person", "departed_sa": "departed", "wif": "wif"}.get(owner)
        how = how or rng.choices(("person", "wif", "self"), (60, 25, 15))[0]
        lo = sa.created_at
        creator: dict[str, str] | None = None
        if how in ("person", "departed"):
            who = rng.choice(users if how == "person" else departed)
            creator = {"id": who.id, "type": "user"}
            lo = max(lo, who.added_at)
        elif how == "self":
            creator = {"id": sa.id, "type": "service_account"}
        name = f"{sa.name}-{'wif' if how == 'wif' else 'key'}"
        return creator, principal, name, lo, where

    def _make_key(self, spec: dict[str, Any]) -> ApiKey:
        rng = self.rng
        created_at: datetime = spec["created_at"]
        ws: Workspace | None = spec["ws"]
        expires_at: datetime | None = None
        expiry = spec["expiry"]
        if expiry == "past":
            expires_at = _between(rng, created_at, EPOCH - DAY)
        elif expiry == "future":
            expires_at = _between(rng, EPOCH + DAY, EPOCH + 365 * DAY)
        elif expiry == "random":
            expires_at = created_at + timedelta(days=rng.choice((30, 90, 180, 365)))
        elif expiry == "at-now":
            expires_at = EPOCH
        elif expiry == "later-today":
            expires_at = EPOCH + LATER_TODAY
        status = spec["status"]
        if expires_at is not None and expires_at < EPOCH:
            status = "expired"
        elif status is None:
            if (ws is not None and ws.archived_at is not None) or spec["owner"] == "departed":
                status = "archived"  # with its workspace, or with its removed user (4.1)
            else:
                status = rng.choices(("active", "inactive", "archived"), (70, 15, 15))[0]
        return ApiKey(
            id=self.ids.api_key(),
            name=spec["name"],
            created_at=created_at,
            workspace_id=ws.id if ws else None,
            status=status,
            created_by=spec["creator"],
            expires_at=expires_at,
            partial_key_hint=spec.get("hint") or partial_hint(rng),
            principal=spec["principal"],
        )

    # ------------------------------------------------------------------ invites
    def invites(self) -> None:
        rng, org, plan = self.rng, self.org, self.plan
        forced = [
            ("pending", "admin"),
            ("pending", "admin"),
            ("pending", "developer"),
            ("pending", "billing"),
            ("accepted", "user"),
            ("expired", "developer"),
            ("deleted", "user"),
        ]
        joiners = [u for u in org.users.values() if u.role != "primary_owner"]
        rng.shuffle(joiners)
        drafts: list[Invite] = []
        for i in range(plan.invites):
            if i < len(forced):
                status, role = forced[i]
            else:
                status = rng.choices(
                    ("pending", "accepted", "expired", "deleted"), (30, 40, 20, 10)
                )[0]
                role = rng.choices(
                    ("user", "developer", "claude_code_user", "billing", "admin"),
                    (35, 35, 20, 5, 5),
                )[0]
            if self.enterprise:  # invites to an Enterprise org are for user or managed
                role = ENTERPRISE_INVITE_ROLES.get(role, "user")
            accepted_at = None
            if status == "accepted" and joiners:
                joiner = joiners.pop()
                email = joiner.email
                role = (
                    joiner.role
                    if joiner.role
                    in ("user", "developer", "claude_code_user", "billing", "managed")
                    else "user"
                )
                accepted_at = joiner.added_at
                invited_at = joiner.added_at - timedelta(
                    microseconds=rng.randrange(1, 5 * 86_400_000_000)
                )
            else:
                if status == "accepted":
                    status = "expired"
                _, email = self.people.person(external=rng.random() < 0.1 or i == 2)
                if status == "pending":
                    invited_at = _days_ago(rng, 0.1, 20.5)
                elif status == "expired":
                    invited_at = _days_ago(rng, 22, 700)
                else:
                    invited_at = _days_ago(rng, 1, 700)
            drafts.append(
                Invite(
                    id="",
                    email=email,
                    role=role,
                    status=status,
                    invited_at=invited_at,
                    expires_at=invited_at + INVITE_TTL,
                    accepted_at=accepted_at,
                )
            )
        drafts += self._boundary_invites()
        drafts.sort(key=lambda inv: inv.invited_at)
        for inv in drafts:
            inv.id = self.ids.invite()
            org.invites[inv.id] = inv
            self._record_invite(inv)

    def _boundary_invites(self) -> list[Invite]:
        """Two pending admin invites: one due exactly at the simulator's now (expired), one
        due later the same day (still pending)."""
        domain = self.main_domains[0]
        return [
            Invite(
                id="",
                email=f"{local}@{domain}",
                role="user" if self.enterprise else "admin",
                status="pending",
                invited_at=EPOCH + due_in - INVITE_TTL,
                expires_at=EPOCH + due_in,
            )
            for local, due_in in (
                ("invite.due.now", timedelta(0)),
                ("invite.due.today", LATER_TODAY),
            )
        ]

    def _record_invite(self, invite: Invite) -> None:
        record = self.record
        if invite.status == "expired":
            record("expired_invites", invite.id, "created expired")
        elif invite.expires_at == EPOCH:
            record("invite_expiring_at_now", invite.id, "expires_at is exactly now")
            record("expired_invites", invite.id, "due exactly now: expired")
        elif invite.status == "pending" and invite.role in PRIVILEGED_ROLES:
            record("pending_privileged_invites", invite.id, f"pending {invite.role} invite")
        if invite.expires_at == EPOCH + LATER_TODAY:
            record("invite_expiring_later_today", invite.id, "expires later today")

    # ------------------------------------------------------------------ SCIM
    def scim(self) -> None:
        rng, org, plan = self.rng, self.org, self.plan
        drafts: list[
            tuple[datetime, str, str, bool, datetime]
        ] = []  # created, name, email, active, modified
        members = [u for u in org.users.values() if u.role != "primary_owner"]
        order = list(range(len(members)))
        rng.shuffle(order)
        fate: dict[int, str] = {}
        for n, i in enumerate(order[:6]):
            fate[i] = ("none", "none", "inactive", "inactive", "case", "case")[n]
        primary = next(u for u in org.users.values() if u.role == "primary_owner")
        for i, user in [(-1, primary), *enumerate(members)]:
            kind = fate.get(i)
            if kind is None:
                r = rng.random()
                kind = (
                    "none"
                    if r < 0.06
                    else "inactive"
                    if r < 0.09
                    else "case"
                    if r < 0.24
                    else "same"
                )
            if kind == "none":
                self.record("users_without_scim", user.id, "no directory record")
                continue
            if kind == "inactive":
                self.record("scim_deactivated_still_member", user.id, "directory record inactive")
            if kind == "case":
                self.record("scim_case_mismatch_users", user.id, "userName in another case")
            created = max(self.org_created, user.added_at - timedelta(hours=rng.uniform(0, 48)))
            email = case_variant(user.email) if kind == "case" else user.email
            active = kind != "inactive"
            drafts.append((created, user.name, email, active, _between(rng, created, EPOCH)))
        for user in org.departed_users.values():
            if rng.random() < 0.5:
                created = max(self.org_created, user.added_at - timedelta(hours=rng.uniform(0, 48)))
                drafts.append(
                    (created, user.name, user.email, False, _between(rng, created, EPOCH))
                )
        directory_only: set[str] = set()  # emails of active records with no account
        for j in range(plan.scim_only + plan.scim_only_inactive):
            name, email = self.people.person()
            if j < plan.scim_only:
                directory_only.add(email)
            created = _days_ago(rng, 1, 400)
            drafts.append((created, name, email, j < plan.scim_only, _between(rng, created, EPOCH)))
        drafts.sort(key=lambda d: d[0])
        for created, name, email, active, modified in drafts:
            sid = self.ids.scim_user()
            if email in directory_only:
                self.record("scim_users_without_account", sid, "directory record, no account")
            given, _, family = name.partition(" ")
            org.scim_users[sid] = {
                "schemas": [SCIM_USER_SCHEMA],
                "id": sid,
                "externalId": self.ids.external_id(),
                "userName": email,
                "name": {"givenName": given, "familyName": family, "formatted": name},
                "displayName": name,
                "active": active,
                "emails": [{"value": email, "type": "work", "primary": True}],
                "meta": {
                    "resourceType": "User",
                    "created": rfc3339(created),
                    "lastModified": rfc3339(modified),
                    "version": f'W/"{rng.randint(1, 6)}"',
                },
            }
        self._groups()

    def _groups(self) -> None:
        rng, org, plan = self.rng, self.org, self.plan
        active_ids = [sid for sid, r in org.scim_users.items() if r["active"]]
        avg = max(3, 2 * len(active_ids) // plan.groups)
        times = sorted(_days_ago(rng, 1, 600) for _ in range(plan.groups))
        for i, created in enumerate(times):
            base = GROUP_NAMES[i % len(GROUP_NAMES)]
            name = base if i < len(GROUP_NAMES) else f"{base} {i // len(GROUP_NAMES) + 1}"
            size = min(len(active_ids), max(1, int(rng.expovariate(1 / avg))))
            chosen = sorted(rng.sample(active_ids, size))
            gid = self.ids.scim_group()
            org.scim_groups[gid] = {
                "schemas": [SCIM_GROUP_SCHEMA],
                "id": gid,
                "externalId": "00g" + self.ids.external_id()[3:],
                "displayName": name,
                "members": [
                    {"value": sid, "display": org.scim_users[sid]["userName"], "type": "User"}
                    for sid in chosen
                ],
                "meta": {
                    "resourceType": "Group",
                    "created": rfc3339(created),
                    "lastModified": rfc3339(_between(rng, created, EPOCH)),
                    "version": f'W/"{rng.randint(1, 9)}"',
                },
            }

    def _privileged_deactivated_in_scim(self) -> None:
        """One privileged member whom the identity provider has deactivated (offboarding that
        did not reach Claude). Planted last, without the shared random stream."""
        org = self.org
        by_email = {str(r["userName"]).lower(): r for r in org.scim_users.values()}
        for user in sorted(org.users.values(), key=lambda u: u.id):
            record = by_email.get(user.email.lower())
            if user.role in PRIVILEGED_ROLES and record is not None and record["active"]:
                record["active"] = False
                record["meta"]["lastModified"] = rfc3339(EPOCH - timedelta(days=3))
                self.record("scim_deactivated_still_member", user.id, "directory record inactive")
                return

    def _invite_of_deactivated_person(self) -> None:
        """A pending invite to someone who left and whom the identity provider deactivated
        (a way back in). Planted last, without the shared random stream."""
        org = self.org
        inactive = {str(r["userName"]).lower() for r in org.scim_users.values() if not r["active"]}
        for user in sorted(org.departed_users.values(), key=lambda u: u.id):
            if user.email.lower() in inactive:
                invite = Invite(
                    id=self.ids.invite(),
                    email=user.email,
                    role="user",
                    status="pending",
                    invited_at=EPOCH - timedelta(days=2),
                    expires_at=EPOCH - timedelta(days=2) + INVITE_TTL,
                )
                org.invites[invite.id] = invite
                self._record_invite(invite)
                self.record("invite_of_deactivated_person", invite.id, "deactivated in SCIM")
                return

    def _workspace_admin_deactivated_in_scim(self) -> None:
        """A live workspace whose direct admins (the fewest of any, all members with a directory
        record) the identity provider has deactivated. Planted last, without the shared random
        stream."""
        org = self.org
        direct: dict[str, list[str]] = {}
        for (principal, ws), (role, inherited) in sorted(workspace_roles(org).items()):
            if role == "workspace_admin" and not inherited:
                direct.setdefault(ws, []).append(principal)
        by_email = {str(r["userName"]).lower(): r for r in org.scim_users.values()}

        def records(admins: list[str]) -> list[dict[str, Any]] | None:
            found = [by_email.get(org.users[p].email.lower()) for p in admins if p in org.users]
            if len(found) < len(admins) or not all(found):
                return None
            return found  # type: ignore[return-value]

        candidates = [
            (len(admins), ws, found)
            for ws, admins in sorted(direct.items())
            if org.workspaces[ws].archived_at is None and (found := records(admins))
        ]
        if not candidates:
            return
        _, ws, found = min(candidates, key=lambda c: (c[0], c[1]))
        for principal, record in zip(direct[ws], found, strict=True):
            if record["active"]:
                record["active"] = False
                record["meta"]["lastModified"] = rfc3339(EPOCH - timedelta(days=1))
                self.record("scim_deactivated_still_member", principal, "directory record inactive")
        self.record("workspaces_only_deactivated_admins", ws, "its direct admins deactivated")

    def _unbounded_keys_in_sensitive_workspaces(self) -> None:
        """A workspace given a customer-managed key around an active key that never expires,
        and one tagged `Environment=Production` (another case) around an active key whose
        expiry is moved more than a year out. Planted last, without the shared random stream:
        the first such keys by id, in live workspaces not yet sensitive."""
        org = self.org
        taken: set[str] = set()

        def first_key(unbounded: bool) -> tuple[ApiKey, Workspace] | None:
            for key in sorted(org.api_keys.values(), key=lambda k: k.id):
                ws = org.workspaces.get(key.workspace_id or "")
                if (
                    ws is not None
                    and ws.id not in taken
                    and not (ws.is_default or ws.archived_at or sensitive_workspace(ws))
                    and key_status(key, EPOCH) == "active"
                    and (key.expires_at is None) == unbounded
                ):
                    taken.add(ws.id)
                    return key, ws
            return None

        if found := first_key(unbounded=True):
            key, ws = found
            ws.external_key_id = f"arn:aws:kms:us-east-1:123456789012:key/{ws.compartment_id[5:]}"
            self.record("unbounded_keys_in_sensitive_workspaces", key.id, "CMEK, never expires")
        if found := first_key(unbounded=False):
            key, ws = found
            ws.tags["Environment"] = "Production"
            key.expires_at = EPOCH + LONGEST_EXPIRY + 35 * DAY
            self.record("unbounded_keys_in_sensitive_workspaces", key.id, "production, 400 days")

    def _group_without_active_members(self) -> None:
        """A leftover directory group whose people are all deactivated. Planted last, without
        the shared random stream, so every other generated id and value stays as it was."""
        org = self.org
        inactive = sorted(sid for sid, r in org.scim_users.items() if not r["active"])[:2]
        created, modified = EPOCH - timedelta(days=500), EPOCH - timedelta(days=45)
        gid = self.ids.scim_group()
        org.scim_groups[gid] = {
            "schemas": [SCIM_GROUP_SCHEMA],
            "id": gid,
            "externalId": "00g" + self.ids.external_id()[3:],
            "displayName": "Former Contractors",
            "members": [
                {"value": sid, "display": org.scim_users[sid]["userName"], "type": "User"}
                for sid in inactive
            ],
            "meta": {
                "resourceType": "Group",
                "created": rfc3339(created),
                "lastModified": rfc3339(modified),
                "version": 'W/"3"',
            },
        }
        self.record("scim_groups_without_active_members", gid, "every member deactivated")
        if self.enterprise:  # every SCIM group surfaces as a `scim` rbac group (reference 2.6)
            self._surface_scim_group(gid, created, modified)

    def _surface_scim_group(self, gid: str, created: datetime, modified: datetime) -> None:
        org = self.org
        group = org.scim_groups[gid]
        surfaced = RbacGroup(
            self.ids.make("rbac_group_"), group["displayName"], "scim", created, modified
        )
        emails = {str(m["display"]).lower() for m in group["members"]}
        for user in org.users.values():
            if user.email.lower() in emails:
                surfaced.members[user.id] = RbacGroupMember(user.id, created)
        org.rbac.groups[surfaced.id] = surfaced
        self.record("scim_rbac_groups", surfaced.id, "surfaces a SCIM group")

    def run(self) -> Org:
        if self.enterprise:  # no workspaces, API keys or service accounts (reference 1.3)
            self.users()
        else:
            self.workspaces()
            self.users()
            self.members()
            self.service_accounts()
            self.unowned_workspace()
            self.api_keys()
        self.invites()
        self.scim()
        if self.enterprise:  # groups and custom roles are Enterprise's (reference 1.3)
            generate_rbac(self.org, self.ids)
        else:  # federation is Console's (reference 1.3)
            generate_federation(self.org, self.ids)
        self._privileged_deactivated_in_scim()
        self._group_without_active_members()
        self._invite_of_deactivated_person()
        if not self.enterprise:
            self._workspace_admin_deactivated_in_scim()
            self._unbounded_keys_in_sensitive_workspaces()
            plant_workspace_developer_rules(self.org, self.ids)
        self.org.id_counter = self.ids.counter
        self.org.planted = planted_truth(self.org)
        return self.org


def size_to_users(size: str | int) -> int:
    if isinstance(size, int):
        return size
    if size.isdigit():
        return int(size)
    try:
        return SIZES[size]
    except KeyError:
        raise ValueError(f"unknown size {size!r}; expected one of {sorted(SIZES)}") from None


def generate(
    seed: int, size: str = "small", tier: str = "enterprise", product: str = "console"
) -> Org:
    """A deterministic organization: same arguments, same organization, byte for byte."""
    return _Generator(seed, size_to_users(size), tier, product).run()


def generate_for(config: Any) -> Org:
    """The organization a `SimConfig` describes (without its linked organizations)."""
    return generate(config.seed, config.size, config.tier, config.product)


def org_to_dict(org: Org) -> dict[str, Any]:
    """A JSON-ready view of the whole organization (used to compare generations)."""

    def conv(value: Any) -> Any:
        if isinstance(value, datetime):
            return rfc3339(value)
        if isinstance(value, dict):
            return {("|".join(k) if isinstance(k, tuple) else k): conv(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [conv(v) for v in value]
        if hasattr(value, "__dataclass_fields__"):
            return {name: conv(getattr(value, name)) for name in value.__dataclass_fields__}
        return value

    return conv(org)
