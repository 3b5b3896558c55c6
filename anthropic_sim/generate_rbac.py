"""Seeded Enterprise groups and roles for a generated organization (docs/simulator.md).

Runs after the SCIM directory is generated: every SCIM group surfaces as a `scim` rbac_group
of the same name whose members are the directory members that are organization members
(joined on email); `direct` groups are drawn from the organization's users. Draws come from
their own `random.Random`, so adding groups changes no other generated record.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from anthropic_sim.ids import IdFactory
from anthropic_sim.names import GROUP_NAMES
from anthropic_sim.rbac_state import RbacGroup, RbacGroupMember, RbacPermission, RbacRole
from anthropic_sim.state import Org, User

MANAGE_MEMBERS = "permission_manage_members"
# The organization actions that let a holder manage members (who can do X through a group).
PRIVILEGED_ACTIONS = (MANAGE_MEMBERS,)
MEMBER_ADMINS_GROUP = "Member Admins"
DIRECT_GROUP_NAMES = (
    *GROUP_NAMES, "Product", "Design", "Research", "Operations", "Interns", "Leadership",
    "Customer Success", "Recruiting", "Claude Pilot", "Power Users",
)  # fmt: skip
# (display name, organization actions); built-in roles carry no other resource kinds.
BUILT_IN_ROLES = (
    ("All features", ("capability_access_all",)),
    ("Generally available features", ("capability_access_all_ga",)),
    ("Chat", ("chat",)),
    ("Claude Code", ("claude_code", "chat")),
    ("Cowork", ("cowork", "chat", "projects")),
)
# (display name, organization actions, privileged: only given to the planted groups)
CUSTOM_ROLES = (
    ("Member administrators", (MANAGE_MEMBERS, "permission_view_members", "chat"), True),
    ("Group auditors", ("permission_view_groups", "permission_view_members"), False),
    ("Research engineers", ("claude_code", "web_search", "inference_hooks_inspection"), False),
    ("Support agents", ("chat", "projects", "file_creation"), False),
    ("Analysts", ("capability_access_all_ga",), False),
)


def _at(rng: random.Random, lo: datetime, hi: datetime) -> datetime:
    if hi <= lo:
        return lo
    return lo + timedelta(microseconds=rng.randrange(int((hi - lo).total_seconds() * 1e6)))


def _hex32(rng: random.Random) -> str:
    return "".join(rng.choices("0123456789abcdef", k=32))


class _RbacGenerator:
    def __init__(self, org: Org, ids: IdFactory) -> None:
        self.org = org
        self.ids = ids
        self.rng = random.Random(f"rbac-{org.seed}")
        self.epoch = org.epoch
        self.record = org.ledger.record
        self.by_email = {u.email.lower(): u for u in org.users.values()}

    def roles(self) -> tuple[list[str], list[str]]:
        """Make the catalog; return (privileged custom role ids, every other role id)."""
        rng, org = self.rng, self.org
        start = min(u.added_at for u in org.users.values())
        privileged: list[str] = []
        others: list[str] = []
        for name, actions in BUILT_IN_ROLES:
            role = RbacRole(self.ids.make("rbac_role_"), name, "built_in", start, start)
            role.permissions = [self._org_permission(a) for a in actions]
            org.rbac.roles[role.id] = role
            others.append(role.id)
        connectors = [self.ids.make("mcpsrv_") for _ in range(3)]
        for name, actions, is_privileged in CUSTOM_ROLES:
            created = _at(rng, start, self.epoch - timedelta(days=30))
            role = RbacRole(
                self.ids.make("rbac_role_"),
                name,
                "custom",
                created,
                _at(rng, created, self.epoch),
            )
            role.permissions = [self._org_permission(a) for a in actions]
            role.permissions += self._connector_permissions(connectors)
            org.rbac.roles[role.id] = role
            self.record("custom_rbac_roles", role.id, f"custom role {name!r}")
            (privileged if is_privileged else others).append(role.id)
        return privileged, others

    def _org_permission(self, action: str) -> RbacPermission:
        return RbacPermission({"type": "organization", "organization_id": self.org.id}, action)

    def _connector_permissions(self, connectors: list[str]) -> list[RbacPermission]:
        rng = self.rng
        connector = rng.choice(connectors)
        rows = [
            RbacPermission(
                {"type": "connector_tool", "connector_id": connector, "tool_name": "search_issues"},
                "use",
            ),
            # a published name outside [a-zA-Z0-9_-] arrives server-encoded
            RbacPermission(
                {
                    "type": "connector_tool",
                    "connector_id": connector,
                    "tool_name": f"create_page_{_hex32(rng)}",
                },
                "always_allow",
            ),
            RbacPermission(
                {
                    "type": "connector_scope",
                    "connector_id": connector,
                    "scope": f"read_{_hex32(rng)}",
                },
                "grant",
            ),
            RbacPermission({"type": "connector", "connector_id": connector}, "interactive"),
        ]
        if rng.random() < 0.5:
            rows.append(RbacPermission({"type": "all_connectors"}, "managed"))
        return rows

    def groups(self, privileged: list[str], others: list[str]) -> None:
        rng, org = self.rng, self.org
        users = list(org.users.values())
        n_direct = max(3, min(200, (len(users) + len(org.departed_users)) // 100))
        # (created, name, source, members, planted role ids or None)
        drafts: list[tuple[datetime, str, str, list[User], list[str] | None]] = []
        scim_members: list[list[User]] = []
        for resource in org.scim_groups.values():
            emails = [str(m.get("display", "")).lower() for m in resource.get("members", [])]
            members = [self.by_email[e] for e in emails if e in self.by_email]
            created = datetime.fromisoformat(resource["meta"]["created"])
            scim_members.append(members)
            drafts.append((created, resource["displayName"], "scim", members, None))
        avg = max(3, 2 * len(users) // (n_direct + len(drafts)))
        plain = [u for u in users if u.role not in ("owner", "primary_owner", "admin")]
        for i in range(n_direct):
            name = rng.choice(DIRECT_GROUP_NAMES)
            size = min(len(users), max(1, int(rng.expovariate(1 / avg))))
            members = rng.sample(users, size)
            roles: list[str] | None = None
            if i == 0:
                name, members, roles = MEMBER_ADMINS_GROUP, rng.sample(plain, 3), privileged
            elif i == 1 and drafts and drafts[0][2] == "scim":
                name = drafts[0][1]  # a direct group named like a SCIM group: join on members
            created = _at(rng, self.epoch - timedelta(days=600), self.epoch)
            drafts.append((created, name, "direct", members, roles))
        grouped = {u.id for d in drafts for u in d[3]}
        direct_drafts = [d for d in drafts if d[2] == "direct"]
        for user in users:  # `managed` users get their rights only through groups: give one
            if user.role == "managed" and user.id not in grouped:
                rng.choice(direct_drafts[1:] or direct_drafts)[3].append(user)
        drafts.sort(key=lambda d: d[0])
        first_scim = True
        for created, name, source, members, roles in drafts:
            group = RbacGroup(
                self.ids.make("rbac_group_"), name, source, created, _at(rng, created, self.epoch)
            )
            if roles is None and source == "scim" and first_scim:
                roles = privileged  # a directory group that confers a privileged custom role
            first_scim = first_scim and source != "scim"
            if roles is None:
                k = rng.choices((0, 1, 2, 3), (10, 45, 30, 15))[0]
                roles = rng.sample(others, k)
            group.role_ids = list(roles)
            self._members(group, members)
            org.rbac.groups[group.id] = group
            if source == "scim":
                self.record("scim_rbac_groups", group.id, "surfaces a SCIM group")
            if roles is privileged:
                for user_id in group.members:
                    self.record("rbac_member_managers", user_id, f"member of {name!r}")
        self._departed_memberships()
        self._record_duplicates()

    def _members(self, group: RbacGroup, members: list[User]) -> None:
        rng = self.rng
        dated = sorted(
            (_at(rng, max(group.created_at, u.added_at), self.epoch), u.id) for u in members
        )
        for created, user_id in dated:
            group.members.setdefault(user_id, RbacGroupMember(user_id, created))

    def _departed_memberships(self) -> None:
        """Memberships of people who have since left: stored, never listed (short pages)."""
        rng, org = self.rng, self.org
        direct = [g for g in org.rbac.groups.values() if g.source_type == "direct"]
        departed = list(org.departed_users.values())
        for user in rng.sample(departed, max(1, len(departed) // 10)):
            group = rng.choice(direct)
            created = _at(rng, max(group.created_at, user.added_at), self.epoch)
            members = [*group.members.values(), RbacGroupMember(user.id, created)]
            group.members = {m.user_id: m for m in sorted(members, key=lambda m: m.created_at)}
            self.record(
                "rbac_memberships_of_departed_users", f"{group.id}/{user.id}", "member left"
            )

    def _record_duplicates(self) -> None:
        groups = self.org.rbac.groups.values()
        names = Counter(g.name for g in groups)
        for group in groups:
            if names[group.name] > 1:
                self.record("duplicate_rbac_group_names", group.id, f"name {group.name!r} shared")


def generate_rbac(org: Org, ids: IdFactory) -> None:
    """Fill `org.rbac` (custom and built-in roles, direct and SCIM groups) from `org.seed`."""
    generator = _RbacGenerator(org, ids)
    privileged, others = generator.roles()
    generator.groups(privileged, others)
