"""Several organizations in one run: each synced in turn, each with its own outcome.

Sequential on purpose: every organization has its own rate limit, so running them at once
would not make any one of them faster, only interleave their logs and multiply the memory a
sync holds. One organization's failure is its own; only Neo4j failing stops the run, since
every later organization would fail the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.failures import Failure, failure_of
from ingest.logs import naming_organization
from ingest.organizations import ConfiguredOrganization
from ingest.sync.outcome import ExitCode, SyncOutcome

log = logging.getLogger(__name__)


@dataclass
class OrganizationResult:
    """What one organization of the run came to: its outcome, or why it has none."""

    name: str
    outcome: SyncOutcome | None = None
    failed: ExitCode | None = None
    message: str | None = None

    @property
    def exit_code(self) -> ExitCode:
        return self.outcome.exit_code if self.outcome is not None else self.failed or ExitCode.OK

    def to_json(self) -> dict[str, Any]:
        if self.outcome is not None:
            return {"name": self.name, **self.outcome.to_json()}
        return {
            "name": self.name,
            "status": "error",
            "exit_code": int(self.exit_code),
            "message": self.message,
        }


def sync_each(
    orgs: Sequence[ConfiguredOrganization],
    sync_one: Callable[[ConfiguredOrganization], SyncOutcome],
) -> list[OrganizationResult]:
    """`sync_one` for every organization in turn; a failure a person fixes is that
    organization's result, Neo4j unreachable stops the run, anything else is a bug."""
    results = []
    for org in orgs:
        with naming_organization(org.name):
            try:
                results.append(OrganizationResult(org.name, outcome=sync_one(org)))
                continue
            except Exception as exc:
                if isinstance(exc, Failure) and exc.exit_code is ExitCode.NEO4J:
                    raise
                failure = failure_of(exc, f"{org.admin_key_env} of {org.name!r}")
                if failure is None:
                    raise
            code, message = failure
            log.error("%s", message, extra={"event": "failed", "exit_code": int(code)})
            results.append(OrganizationResult(org.name, failed=code, message=message))
    return results


def worst_exit_code(results: Sequence[OrganizationResult]) -> ExitCode:
    """The run's exit code: the highest of its organizations' (0 ok < 1 partial < 2
    configuration < 4 unreadable; 3, Neo4j, stops the run before it has results)."""
    return max((r.exit_code for r in results), default=ExitCode.OK)


def run_json(results: Sequence[OrganizationResult]) -> dict[str, Any]:
    worst = worst_exit_code(results)
    return {
        "status": "success" if worst is ExitCode.OK else "partial" if worst == 1 else "error",
        "exit_code": int(worst),
        "organizations": [r.to_json() for r in results],
    }
