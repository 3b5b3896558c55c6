"""Applying a plan: a dry run unless told to execute, re-reading each target first.

Per item: the target is read back from the API; an item whose effect is already there is
reported as such and not sent again; one whose target changed since planning is skipped with
what changed; otherwise the request is printed (dry run) or sent. The first unexpected answer
stops the run. Every executed item is recorded in the audit trail.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from ingest.extract.credentials import redact
from ingest.extract.errors import CredentialError
from ingest.remediate.audit import AuditTrail
from ingest.remediate.client import Answer, RemediationClient

DEFAULT_MAX_ACTIONS = 10
APPLIED, ALREADY, SKIPPED, FAILED, DRY_RUN = (
    "applied",
    "already_in_effect",
    "skipped",
    "failed",
    "dry_run",
)


class TooManyActions(ValueError):
    """The plan holds more items than `--max-actions` allows."""


@dataclass
class Outcome:
    item: dict[str, Any]
    outcome: str
    reason: str | None = None
    answer: Answer | None = None


@dataclass
class ApplyReport:
    outcomes: list[Outcome] = field(default_factory=list)
    not_done: list[dict[str, Any]] = field(default_factory=list)  # after a stop

    @property
    def failed(self) -> bool:
        return any(o.outcome == FAILED for o in self.outcomes)


def check_size(items: Sequence[Any], max_actions: int) -> None:
    if len(items) > max_actions:
        raise TooManyActions(
            f"the plan holds {len(items)} actions, more than --max-actions {max_actions}: "
            "split it, or raise --max-actions after reviewing it"
        )


async def apply_items(
    items: Sequence[dict[str, Any]],
    client: RemediationClient,
    *,
    organization_id: str,
    execute: bool,
    trail: AuditTrail | None,
    ran_by: str,
    say: Callable[[str], None] = lambda _: None,
) -> ApplyReport:
    """Apply (or, unless `execute`, only check and print) each item, in order."""
    report = ApplyReport()
    run_id = f"remediation-{uuid.uuid4().hex[:12]}"
    for index, item in enumerate(items):
        outcome = await _one(item, client, organization_id, execute)
        report.outcomes.append(outcome)
        say(_line(outcome))
        if execute and trail is not None:
            trail.record(entry(outcome, run_id, ran_by))
        if outcome.outcome == FAILED:
            report.not_done = list(items[index + 1 :])
            break
    return report


async def _one(
    item: dict[str, Any], client: RemediationClient, organization_id: str, execute: bool
) -> Outcome:
    if item["organization_id"] != organization_id:
        return Outcome(
            item,
            SKIPPED,
            f"planned for organization {item['organization_id']}; the credentials address "
            f"{organization_id}",
        )
    request = item["request"]
    try:
        current = await _read(item, client)
        why = _changed(item, current)
        if why is not None:
            return Outcome(item, SKIPPED, f"changed since planning: {why}")
        if _in_effect(item, current):
            return Outcome(item, ALREADY, "the target is already in the planned state")
        if not execute:
            return Outcome(item, DRY_RUN)
        answer = await client.send(
            item["engine"],
            request["method"],
            request["path"],
            request.get("body"),
            request.get("headers"),
        )
    except CredentialError as exc:
        return Outcome(item, FAILED, str(exc))
    except httpx.HTTPError as exc:
        text = f"{request['method']} {request['path']}: {type(exc).__name__}: {exc}"
        return Outcome(item, FAILED, redact(text, client.secrets))
    if answer.error is None:
        return Outcome(item, APPLIED, answer=answer)
    if answer.status == 404 and _removes(item):
        return Outcome(item, ALREADY, "the API answered 404: already gone", answer)
    return Outcome(item, FAILED, answer.error, answer)


async def _read(item: Mapping[str, Any], client: RemediationClient) -> dict[str, Any] | None:
    """The target as the API has it now; None when it answers 404."""
    path = item.get("read") or item["request"]["path"]
    answer = await client.send(item["engine"], "GET", path)
    if answer.status == 404:
        return None
    if answer.error is not None:
        raise CredentialError(f"could not read the target back: {answer.error}")
    return answer.body if isinstance(answer.body, dict) else {}


def _removes(item: Mapping[str, Any]) -> bool:
    return item["request"]["method"] == "DELETE"


def _comparable(prop: str, value: Any) -> Any:
    # Timestamps are spelled differently by the API and the graph: only set or not matters.
    return value is not None if prop.endswith("_at") else value


def _changed(item: Mapping[str, Any], current: dict[str, Any] | None) -> str | None:
    if current is None:
        return None if _removes(item) else "the target is gone"
    for prop, planned in (item.get("expect") or {}).items():
        now = current.get(prop)
        if _comparable(prop, now) != _comparable(prop, planned) and not _in_effect(item, current):
            return f"{prop} was {planned!r} when planned, is {now!r} now"
    return None


def _in_effect(item: Mapping[str, Any], current: dict[str, Any] | None) -> bool:
    effect = item.get("effect") or {}
    if effect.get("gone"):
        return current is None and not item.get("read")
    if current is None:
        return False
    for prop, wanted in effect.items():
        if prop == "archived":
            if (current.get("archived_at") is not None) != wanted:
                return False
        elif current.get(prop) != wanted:
            return False
    return bool(effect)


def entry(outcome: Outcome, run_id: str, ran_by: str) -> dict[str, Any]:
    """The audit record of one outcome: no secret, no header."""
    item = outcome.item
    answer = outcome.answer
    return {
        "entry": f"{run_id}-{item['id']}",
        "run_id": run_id,
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "ran_by": ran_by,
        "organization_id": item["organization_id"],
        "plan_item_id": item["id"],
        "action": item["action"],
        "product": item.get("product"),
        "engine": item["engine"],
        "target": item["target"],
        "request": {k: item["request"][k] for k in ("method", "path", "body")},
        "expect": item.get("expect"),
        "effect": item.get("effect"),
        "fields": item.get("fields"),
        "outcome": outcome.outcome,
        "reason": outcome.reason,
        "http_status": answer.status if answer else None,
        "request_id": answer.request_id if answer else None,
        "reversible": item.get("reversible"),
        "undo_of": item.get("undo_of"),
    }


def ran_by(credential_kind: str) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown user"
    return f"{user} with the {credential_kind}"


def _line(outcome: Outcome) -> str:
    item = outcome.item
    request = item["request"]
    sent = f"{request['method']} {request['path']}"
    if request.get("body") is not None:
        sent += f" {request['body']}"
    head = f"[{outcome.outcome}] {item['id']} {item['what']}"
    if outcome.outcome == DRY_RUN:
        return f"{head}\n    would send: {sent}"
    return f"{head}\n    {sent}" + (f"\n    {outcome.reason}" if outcome.reason else "")
