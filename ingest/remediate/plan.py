"""A remediation plan: a question's findings turned into reviewed, exact requests.

Each item says what it does, why (the finding), through which engine, the exact request, the
target's state in the graph when planned and a stable id. Protected identities (owners, admins,
the primary owner, admin service accounts, the key running the plan) and the allowlist never
make it into the items: they are listed apart, with the reason, as are organizations whose
capabilities refuse the action (the gate).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from string import Formatter
from typing import Any

from neo4j import Driver, RoutingControl

from ingest.extract.credentials import SecretStr, reveal
from ingest.graph.schema import quote
from ingest.queries.library import Query
from ingest.queries.runner import is_notice, run_query
from ingest.remediate.actions import Action, UnknownAction, action
from ingest.remediate.gate import OrgCapabilities, refusal

FORMAT = "idgraph-remediation-plan/1"
# The action a question's findings call for, unless `--action` says otherwise.
QUESTION_ACTIONS: dict[str, str] = {
    "scim-deactivated-still-member": "remove_member",
    "unmanaged-accounts": "remove_member",
    "external-domain-accounts": "remove_member",
    "keys-of-departed-users": "deactivate_key",
    "active-keys-unused": "deactivate_key",
    "stale-keys": "archive_key",
    "pending-privileged-invites": "delete_invite",
    "service-accounts": "archive_service_account",
}
# Roles never touched: the API refuses most of them, and a plan must not even try.
PROTECTED_ROLES = frozenset({"admin", "owner", "primary_owner", "membership_admin"})
# Per target label, the properties compared between planning and applying (the API's names).
WATCHED: dict[str, tuple[str, ...]] = {
    "AnthropicUser": ("role",),
    "AnthropicApiKey": ("status",),
    "AnthropicInvite": ("status",),
    "ScimUser": ("active",),
    "AnthropicServiceAccount": ("archived_at",),
    "AnthropicFederationRule": ("archived_at",),
}
# A change the API refuses outright, known from the graph: (label, property) -> states.
UNCHANGEABLE: dict[tuple[str, str], frozenset[Any]] = {
    ("AnthropicApiKey", "status"): frozenset({"archived", "expired"}),
    ("AnthropicInvite", "status"): frozenset({"accepted", "expired", "deleted"}),
}
_NAMES = ("email", "name", "user_name", "display_name")
_TARGETS = """
MATCH (n:{label}) WHERE n.id IN $ids AND n.tenant_id IN $tenants
OPTIONAL MATCH (n)-[:PROVISIONED_AS]->(u:AnthropicUser)
RETURN n {{.*}} AS node, u.role AS linked_role, u.email AS linked_email
"""


class PlanError(ValueError):
    """The plan cannot be made as asked (unknown action, organization, missing value)."""


@dataclass
class Plan:
    question: str
    params: dict[str, Any]
    action: str
    planned_at: str
    items: list[dict[str, Any]] = field(default_factory=list)
    excluded: list[dict[str, Any]] = field(default_factory=list)  # protected, allowlisted, done
    refused: list[dict[str, Any]] = field(default_factory=list)  # by the gate, per organization

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}


def read_allowlist(path: Path | None) -> frozenset[str]:
    """Identities never to touch: one id or email a line; `#` starts a comment."""
    if path is None:
        return frozenset()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return frozenset(line.lower() for line in lines if line)


def organizations(driver: Driver, database: str) -> dict[str, OrgCapabilities]:
    records, _, _ = driver.execute_query(
        "MATCH (o:AnthropicOrganization) RETURN o {.*} AS o",
        database_=database,
        routing_=RoutingControl.READ,
    )
    return {r["o"]["id"]: OrgCapabilities.from_node(r["o"]) for r in records}


def make_plan(
    driver: Driver,
    database: str,
    query: Query,
    params: Mapping[str, Any] | None = None,
    *,
    kind: str | None = None,
    org_id: str | None = None,
    values: Mapping[str, Any] | None = None,
    allowlist: frozenset[str] = frozenset(),
    has_oauth: bool = False,
    running: Sequence[SecretStr] = (),
) -> Plan:
    """The plan for `query`'s findings (`kind`: the action, default the question's own)."""
    kind = kind or QUESTION_ACTIONS.get(query.id)
    if kind is None:
        raise PlanError(f"{query.id} has no default action: name one with --action")
    orgs = organizations(driver, database)
    if org_id is not None:
        if org_id not in orgs:
            raise PlanError(f"organization {org_id!r} is not in the graph (sync it first)")
        orgs = {org_id: orgs[org_id]}
    plan = Plan(query.id, dict(params or {}), kind, _now())
    actions: dict[str, Action] = {}
    for org in orgs.values():
        try:
            chosen = action(kind, org.product)
        except UnknownAction:
            plan.refused.append(_refused(org, kind, f"{org.product} has no {kind} action"))
            continue
        why = refusal(chosen, org, has_oauth)
        if why is None:
            actions[org.id] = chosen
        else:
            plan.refused.append(_refused(org, kind, why))
    rows = [r for r in run_query(driver, database, query, params).rows if _actionable(r)]
    if not actions or not rows:
        return plan
    label = next(iter(actions.values())).target
    targets = _targets(driver, database, label, [r["id"] for r in rows], list(actions))
    for row in rows:
        for found in targets.get(str(row["id"]), []):
            node = found["node"]
            chosen = actions[node["tenant_id"]]
            reason = _excluded(chosen, found, allowlist, running)
            if reason is None:
                try:
                    product = orgs[node["tenant_id"]].product
                    plan.items.append(_item(chosen, product, query, row, node, values or {}))
                except PlanError as exc:
                    reason = str(exc)
            if reason is not None:
                plan.excluded.append({**_target(chosen, node), "reason": reason})
    return plan


def _actionable(row: Mapping[str, Any]) -> bool:
    return row.get("id") is not None and not is_notice(row)


def _targets(
    driver: Driver, database: str, label: str, ids: list[Any], tenants: list[str]
) -> dict[str, list[dict[str, Any]]]:
    records, _, _ = driver.execute_query(
        _TARGETS.format(label=quote(label)),
        ids=[str(i) for i in ids],
        tenants=tenants,
        database_=database,
        routing_=RoutingControl.READ,
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        found.setdefault(record["node"]["id"], []).append(dict(record))
    return found


def _excluded(
    chosen: Action,
    found: Mapping[str, Any],
    allowlist: frozenset[str],
    running: Sequence[SecretStr],
) -> str | None:
    """Why this target is never part of the plan, or None."""
    node = found["node"]
    names = {str(node["id"]).lower(), *(str(node[k]).lower() for k in _NAMES if node.get(k))}
    if found.get("linked_email"):
        names.add(str(found["linked_email"]).lower())
    if names & allowlist:
        return "on the allowlist"
    # An invite's role is not held yet: withdrawing a privileged invite is what it is for.
    role = {
        "AnthropicUser": node.get("role"),
        "AnthropicServiceAccount": node.get("organization_role"),
        "ScimUser": found.get("linked_role"),
    }.get(chosen.target)
    if role in PROTECTED_ROLES:
        return f"protected: {role}"
    if any(_is_running(node.get("partial_key_hint"), secret) for secret in running):
        return "protected: the key running the plan"
    for prop in _watched(chosen):
        state = node.get(prop)
        if prop in chosen.effect and chosen.effect[prop] == state:
            return f"already in effect ({prop} {state})"
        if state in UNCHANGEABLE.get((chosen.target, prop), ()):
            return f"{prop} is {state}: the API refuses to change it"
    return None


def _watched(chosen: Action) -> tuple[str, ...]:
    return WATCHED.get(chosen.target, ()) if chosen.watched is None else chosen.watched


def _is_running(hint: str | None, secret: SecretStr) -> bool:
    value = reveal(secret) or ""
    if not hint or "..." not in hint:
        return False
    head, _, tail = hint.partition("...")
    return bool(head and tail) and value.startswith(head) and value.endswith(tail)


def _item(
    chosen: Action,
    product: str,
    query: Query,
    row: Mapping[str, Any],
    node: Mapping[str, Any],
    values: Mapping[str, Any],
) -> dict[str, Any]:
    target = _target(chosen, node)
    fields = {**values, **row, **node, "user_id": node["id"]}
    done = request_item(chosen, product, fields, values)
    identity = [
        target["organization_id"],
        chosen.kind,
        done["request"]["path"],
        done["request"]["body"],
    ]
    finding = row.get("finding") or row.get("kind") or row.get("status")
    return {
        "id": hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:16],
        "organization_id": target["organization_id"],
        "what": f"{chosen.description}: {target['name']}",
        "why": f"{query.id}: {query.title}" + (f" ({finding})" if finding else ""),
        "target": target,
        "expect": {p: node.get(p) for p in _watched(chosen)},
        **done,
    }


def request_item(
    chosen: Action, product: str, fields: Mapping[str, Any], values: Mapping[str, Any]
) -> dict[str, Any]:
    """What an item sends and expects of `chosen`: request, read-back path, effect, undo."""
    body = _body(chosen, values)
    names = _names(chosen.path) + (_names(chosen.read) if chosen.read else [])
    settable = ("role", "workspace_role")
    return {
        "action": chosen.kind,
        "product": product,
        "engine": chosen.engine,
        "request": {
            "method": chosen.method,
            "path": _fill(chosen.path, fields),
            "body": body,
            "headers": chosen.headers,
        },
        "read": _fill(chosen.read, fields) if chosen.read else None,
        "effect": {**chosen.effect, **{k: v for k, v in (body or {}).items() if k in settable}},
        "fields": {n: fields[n] for n in names},
        "reversible": chosen.undo is not None and chosen.irreversible is None,
        "irreversible": chosen.irreversible,
    }


def _target(chosen: Action, node: Mapping[str, Any]) -> dict[str, Any]:
    name = next((node[k] for k in _NAMES if node.get(k)), node["id"])
    return {
        "label": chosen.target,
        "id": node["id"],
        "name": name,
        "organization_id": node["tenant_id"],
        "state": {k: node.get(k) for k in (*_watched(chosen), *_NAMES) if k in node},
    }


def _names(template: str) -> list[str]:
    return [name for _, name, _, _ in Formatter().parse(template) if name]


def _fill(template: str, fields: Mapping[str, Any]) -> str:
    names = _names(template)
    missing = [n for n in names if fields.get(n) in (None, "")]
    if missing:
        raise PlanError(f"the finding gives no {', '.join(missing)} for {template}")
    return template.format(**{n: fields[n] for n in names})


def _body(chosen: Action, values: Mapping[str, Any]) -> dict[str, Any] | None:
    if chosen.body is None:
        return None
    missing = [k for k, v in chosen.body.items() if v is None and k not in values]
    if missing:
        raise PlanError(f"{chosen.kind} needs --set {missing[0]}=…")
    return {k: values.get(k, v) if v is None else v for k, v in chosen.body.items()}


def _refused(org: OrgCapabilities, kind: str, reason: str) -> dict[str, Any]:
    return {"organization_id": org.id, "organization": org.name, "action": kind, "reason": reason}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def write_plan(plan: Plan, path: Path) -> None:
    path.write_text(json.dumps(plan.to_json(), indent=2, default=str) + "\n")


def read_plan(path: Path) -> dict[str, Any]:
    plan = json.loads(path.read_text())
    if not isinstance(plan, dict) or plan.get("format") != FORMAT:
        raise PlanError(f"{path} is not a remediation plan ({FORMAT})")
    return plan
