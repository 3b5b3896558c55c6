"""A company's linked organizations: the parent, its orgs and every org's Admin keys.

The org the simulator is started for comes first; `config.linked_orgs` adds one org per listed
product under the same parent, each generated from a seed derived from the config's, and some
of the first org's people are members of each linked org too (same email, another role).
Keys (reference claude-org-products.md 1.1-1.2): a Console org has its Admin key, with no
scopes; the first Enterprise org's key is the primary owner's key for all linked orgs (group
scopes need one), every further Enterprise org has a key for itself without group scopes.
"""

from __future__ import annotations

import dataclasses
import random
import uuid

from anthropic_sim.config import SimConfig
from anthropic_sim.faults import FaultInjector
from anthropic_sim.generator import generate_for
from anthropic_sim.ids import BASE64URL
from anthropic_sim.names import case_variant
from anthropic_sim.planted import planted_truth
from anthropic_sim.ratelimit import RateLimiter
from anthropic_sim.state import AdminKey, Org, Parent, Simulator

GROUP_SCOPES = ("read:rbac_groups", "write:rbac_groups")
# A shared person's role in a linked org, when the drawn one equals their role in the first.
OTHER_ROLE = {"user": "managed", "managed": "user", "developer": "user", "claude_code_user": "user"}


def wire(config: SimConfig, org: Org) -> Simulator:
    """A simulator for `org` with its own fault injector and rate limiter."""
    sim = Simulator(org=org, config=config)
    sim.faults = FaultInjector(config.faults, config.fault_seed)
    sim.rate_limiter = RateLimiter(sim)
    return sim


def create_simulator(config: SimConfig) -> Simulator:
    """The org `config` describes, with its linked organizations and keys."""
    return link_orgs(wire(config, _generate(config)))


def regenerate(sim: Simulator, config: SimConfig) -> Simulator:
    """Swap a freshly generated org (and linked orgs) into a running simulator, in place."""
    sim.reset(config, _generate(config))
    return link_orgs(sim)


def _generate(config: SimConfig) -> Org:
    org = generate_for(config)
    if config.org_id:  # the test knob: the same people under another organization id
        org.id = config.org_id
    return org


def link_orgs(sim: Simulator) -> Simulator:
    parent = Parent()
    sim.parent = parent
    parent.orgs[sim.org.id] = sim
    for n, product in enumerate(sim.config.linked_orgs, start=1):
        config = dataclasses.replace(
            sim.config,
            seed=sim.config.seed * 1000 + n,
            product=product,
            linked_orgs=[],
            faults=[],
            org_id="",
        )
        linked = wire(config, generate_for(config))
        linked.parent = parent
        _share_people(sim.org, linked.org, random.Random(f"linked-{sim.config.seed}-{n}"))
        parent.orgs[linked.org.id] = linked
    all_linked_given = False
    for member in parent.orgs.values():
        org = member.org
        if org.product == "console":
            parent.keys[org.admin_key] = AdminKey(org.admin_key, org.id, None)
            continue
        scopes = tuple(member.config.key_scopes)
        if all_linked_given:
            scopes = tuple(s for s in scopes if s not in GROUP_SCOPES)
        parent.keys[org.admin_key] = AdminKey(org.admin_key, org.id, scopes, not all_linked_given)
        all_linked_given = True
    return sim


def new_enterprise_key(sim: Simulator, scopes: tuple[str, ...], all_linked: bool) -> AdminKey:
    """An Enterprise Admin key created in `sim`'s org (the control API's `add_admin_key`)."""
    rng = sim.new_ids().rng
    secret = "sk-ant-api01-" + "".join(rng.choices(BASE64URL, k=93)) + "AA"
    key = AdminKey(secret, sim.org.id, scopes, all_linked)
    sim.linked().keys[secret] = key
    return key


def organization_uuid(value: str) -> str | None:
    """An `organization_id` parameter as a UUID (bare or `org_`-prefixed); None if neither."""
    raw = value.removeprefix("org_")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def _share_people(first: Org, linked: Org, rng: random.Random) -> None:
    """Make some of `first`'s members members of `linked` as well (same person, same email)."""
    taken = {u.email.lower() for u in linked.users.values()}
    people = [u for u in first.users.values() if u.email.lower() not in taken]
    seats = [u for u in linked.users.values() if u.role != "primary_owner"]
    count = min(len(people), len(seats), max(3, len(linked.users) // 10))
    scim_by_email = {str(r["userName"]).lower(): r for r in linked.scim_users.values()}
    for person, seat in zip(rng.sample(people, count), rng.sample(seats, count), strict=True):
        resource = scim_by_email.get(seat.email.lower())
        if resource is not None:
            mismatched = resource["userName"] != seat.email
            user_name = case_variant(person.email) if mismatched else person.email
            resource["userName"] = user_name
            resource["emails"] = [{"value": user_name, "type": "work", "primary": True}]
        seat.email, seat.name = person.email, person.name
        if seat.role == person.role and seat.role in OTHER_ROLE:
            seat.role = OTHER_ROLE[seat.role]
            if linked.product == "console" and seat.role == "managed":
                seat.role = "developer"
        linked.ledger.record("shared_people", seat.id, f"also {person.id} in {first.id}")
    linked.planted = planted_truth(linked)
