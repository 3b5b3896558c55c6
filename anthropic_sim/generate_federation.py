"""Seeded workload identity federation for a generated Console organization (docs/simulator.md).

Issuers of the usual CI and cluster kinds, one of each JWKS kind, one archived; rules that
plant every case the questions look at: an `org:admin` rule onto an admin service account for
every workspace, developer rules enabled for specific workspaces the account belongs to, an
inference-only rule, and archived rules (one of them `org:admin`). Larger organizations get a
few more developer or inference rules. Draws come from their own `random.Random`, and the ids
are made after every other record, so adding federation changes no other generated record.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from anthropic_sim.ids import IdFactory
from anthropic_sim.state import (
    FederationIssuer,
    FederationRule,
    FederationRuleWorkspace,
    Org,
    ServiceAccount,
    Workspace,
)

DAY = timedelta(days=1)
ORG_ADMIN = "org:admin"
DEVELOPER = "workspace:developer"
INFERENCE = "workspace:inference"
# The scopes the "privileged federation" question and the planted truth look for.
PRIVILEGED_SCOPES = (ORG_ADMIN, DEVELOPER)
AUDIENCE = "https://api.anthropic.com"


def privileged_scopes(oauth_scope: str) -> list[str]:
    return [s for s in oauth_scope.split() if s in PRIVILEGED_SCOPES]


class _Federation:
    def __init__(self, org: Org, ids: IdFactory) -> None:
        self.org = org
        self.ids = ids
        self.rng = random.Random(f"federation-{org.seed}")
        self.stem = org.main_domains[0].split("-")[0] if org.main_domains else "acme"
        self.actor = next(u.id for u in org.users.values() if u.role == "primary_owner")
        self.first = max(
            (s.created_at for s in org.service_accounts.values()), default=org.epoch - 90 * DAY
        )

    def _when(self) -> datetime:
        span = (self.org.epoch - DAY - self.first).total_seconds()
        return self.first + timedelta(seconds=self.rng.uniform(0, max(span, 1.0)))

    def issuer(
        self,
        name: str,
        url: str,
        jwks: dict,
        *,
        check_jti: bool = True,
        lifetime: int = 3600,
        archived: bool = False,
    ) -> FederationIssuer:
        at = self._when()
        polled = jwks["type"] != "inline"
        issuer = FederationIssuer(
            id=self.ids.federation_issuer(),
            name=name,
            issuer_url=url,
            jwks=jwks,
            created_at=at,
            updated_at=at,
            check_jti=check_jti,
            max_jwt_lifetime_seconds=lifetime,
            poll_status=(
                {
                    "consecutive_failures": 0,
                    "last_fetched_at": self.org.epoch.isoformat().replace("+00:00", "Z"),
                    "next_poll_at": None,
                }
                if polled
                else None
            ),
            created_by_actor_id=self.actor,
            updated_by_actor_id=self.actor,
        )
        if archived:
            issuer.archived_at = self.org.epoch - DAY
            issuer.archived_by_actor_id = self.actor
        self.org.federation_issuers[issuer.id] = issuer
        return issuer

    def rule(
        self,
        name: str,
        issuer: FederationIssuer,
        account: ServiceAccount,
        scope: str,
        match: dict,
        *,
        workspaces: list[Workspace] | None = None,
        lifetime: int = 3600,
        archived: bool = False,
    ) -> FederationRule:
        at = max(self._when(), issuer.created_at, account.created_at)
        rule = FederationRule(
            id=self.ids.federation_rule(),
            name=name,
            issuer_id=issuer.id,
            match={"subject_prefix": None, "audience": None, "claims": None, "condition": None}
            | match,
            service_account_id=account.id,
            oauth_scope=scope,
            created_at=at,
            updated_at=at,
            token_lifetime_seconds=lifetime,
            applies_to_all_workspaces=workspaces is None,
            description=f"Federated access for {account.name}",
            created_by_actor_id=self.actor,
            updated_by_actor_id=self.actor,
        )
        if archived:
            rule.archived_at = self.org.epoch - DAY
            rule.archived_by_actor_id = self.actor
        self.org.federation_rules[rule.id] = rule
        for ws in workspaces or ():
            self.org.federation_rule_workspaces[(rule.id, ws.id)] = FederationRuleWorkspace(
                rule.id, ws.id, at, self.actor
            )
        live_issuer = issuer.archived_at is None and account.archived_at is None
        granted = privileged_scopes(scope)
        if not archived and live_issuer and granted:
            self.org.ledger.record(
                "federation_privileged_rules", rule.id, f"live rule granting {' '.join(granted)}"
            )
        return rule

    def workspaces_of(self, account: ServiceAccount, k: int) -> list[Workspace]:
        """Up to `k` active workspaces the account is an explicit member of (a rule enabled
        for a workspace needs its account to be a member there)."""
        org = self.org
        mine = sorted(
            ws_id
            for (sa_id, ws_id) in org.sa_memberships
            if sa_id == account.id
            and not org.workspaces[ws_id].archived_at
            and not org.workspaces[ws_id].is_default
        )
        return [org.workspaces[w] for w in self.rng.sample(mine, min(k, len(mine)))]

    def run(self) -> None:
        live = [s for s in self.org.service_accounts.values() if s.archived_at is None]
        admins = [s for s in live if s.organization_role == "admin"]
        developers = [s for s in live if s.organization_role != "admin"]
        if not admins or not developers:
            return
        stem = self.stem
        github = self.issuer(
            "github-actions", "https://token.actions.githubusercontent.com", {"type": "discovery"}
        )
        gitlab = self.issuer(
            "gitlab-ci",
            "https://gitlab.com",
            {"type": "explicit_url", "url": "https://gitlab.com/oauth/discovery/keys"},
            lifetime=7200,
        )
        cluster = self.issuer(
            "k8s-prod",
            f"https://oidc.eks.us-east-1.amazonaws.com/id/{self.rng.getrandbits(64):016X}",
            {"type": "inline", "keys": [{"kty": "RSA", "kid": "prod-1", "alg": "RS256"}]},
            check_jti=False,
            lifetime=86400,
        )
        retired = self.issuer(
            "circleci-old",
            f"https://oidc.circleci.com/org/{self.rng.getrandbits(64):016x}",
            {"type": "discovery", "discovery_base": "https://oidc.circleci.com"},
            archived=True,
        )
        admin_sa, dev_sa = admins[0], developers[0]
        other_dev = developers[-1]
        self.rule(
            "deploy-org-admin",
            github,
            admin_sa,
            ORG_ADMIN,
            {
                "subject_prefix": f"repo:{stem}/infra:ref:refs/heads/main",
                "audience": AUDIENCE,
                "claims": {"repository_owner": stem, "environment": "production"},
            },
            lifetime=900,
        )
        self.rule(
            "ci-developer",
            gitlab,
            dev_sa,
            f"{DEVELOPER} workspace:manage_tunnels",
            {"subject_prefix": f"project_path:{stem}/app:*"},
            workspaces=self.workspaces_of(dev_sa, 2),
        )
        self.rule(
            "cluster-inference",
            cluster,
            other_dev,
            INFERENCE,
            {"condition": 'claims.namespace == "ml-serving"'},
            workspaces=self.workspaces_of(other_dev, 1),
        )
        self.rule(
            "old-admin-deploy",
            github,
            admin_sa,
            ORG_ADMIN,
            {"subject_prefix": f"repo:{stem}/legacy:*"},
            archived=True,
        )
        self.rule(
            "circleci-admin",
            retired,
            admins[-1],
            f"{ORG_ADMIN} {DEVELOPER}",
            {"claims": {"project_id": "legacy"}},
            archived=True,
        )
        for n in range(len(live) // 20):
            account = self.rng.choice(developers)
            issuer = self.rng.choice((github, gitlab, cluster))
            self.rule(
                f"job-{n + 1}",
                issuer,
                account,
                self.rng.choice((DEVELOPER, INFERENCE)),
                {"subject_prefix": f"repo:{stem}/service-{n + 1}:*"},
                workspaces=self.workspaces_of(account, self.rng.randint(1, 2)),
            )


def generate_federation(org: Org, ids: IdFactory) -> None:
    _Federation(org, ids).run()


# Workspace roles that let a token acting as the account build (create keys) in a workspace.
BUILDER_ROLES = ("workspace_admin", "workspace_developer", "workspace_restricted_developer")


def plant_workspace_developer_rules(org: Org, ids: IdFactory) -> None:
    """A developer rule onto a service account, enabled in a workspace where the account builds
    and in one where it is only a workspace_user, and an inference-only rule onto the same
    building workspace: only the first pair gives the issuer developer rights. Made after
    every other record, from the federation's own draws."""
    live = [i for i in org.federation_issuers.values() if i.archived_at is None]
    if not live:
        return
    memberships: dict[str, dict[str, Workspace]] = {}  # account -> role -> first workspace
    for (sa_id, ws_id), membership in sorted(org.sa_memberships.items()):
        ws = org.workspaces[ws_id]
        if org.service_accounts[sa_id].archived_at or ws.archived_at or ws.is_default:
            continue
        memberships.setdefault(sa_id, {}).setdefault(membership.workspace_role, ws)
    found = next(
        (
            (sa_id, by_role, builds)
            for sa_id, by_role in sorted(memberships.items())
            if (builds := [by_role[role] for role in BUILDER_ROLES if role in by_role])
        ),
        None,
    )
    if found is None:
        return
    sa_id, by_role, builds = found
    federation = _Federation(org, ids)
    account, issuer, stem = (
        org.service_accounts[sa_id],
        min(live, key=lambda i: i.id),
        federation.stem,
    )
    only_uses = [by_role["workspace_user"]] if "workspace_user" in by_role else []
    rule = federation.rule(
        "release-developer",
        issuer,
        account,
        DEVELOPER,
        {
            "subject_prefix": f"repo:{stem}/release:ref:refs/tags/*",
            "claims": {"environment": "release"},
        },
        workspaces=[builds[0], *only_uses],
    )
    org.ledger.record(
        "federation_workspace_developer_grants",
        f"{rule.id}/{builds[0].id}",
        "developer rule onto an account that builds there",
    )
    federation.rule(
        "release-inference",
        issuer,
        account,
        INFERENCE,
        {"condition": 'claims.environment == "release"'},
        workspaces=[builds[0]],
    )
