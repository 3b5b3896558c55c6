"""One way for every command to fail: one line on stderr (or, with `--json`, a JSON object on
stdout) and the documented exit code, never a traceback."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console

from ingest.extract import ApiError, CredentialError, ExtractError
from ingest.logs import logs_as_json
from ingest.sync.outcome import ExitCode
from ingest.terminal_text import visible

# The Admin API's answers to a key it does not accept: a credentials problem, like a missing key.
REJECTED_CREDENTIAL = (401, 403)


class Failure(Exception):
    """A failure a person fixes from its one-line text; `exit_code` is the documented code."""

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


def fail(exit_code: ExitCode, message: str, as_json: bool = False) -> NoReturn:
    if as_json:
        document = {"status": "error", "exit_code": int(exit_code), "message": message}
        typer.echo(json.dumps(document))
    elif logs_as_json():
        extra = {"event": "failed", "status": "error", "exit_code": int(exit_code)}
        logging.getLogger("ingest.failures").error("%s", message, extra=extra)
    else:
        Console(stderr=True).print(
            f"error: {visible(message)}", markup=False, highlight=False, soft_wrap=True
        )
    raise typer.Exit(exit_code)


@contextmanager
def reported_failures(as_json: bool = False) -> Iterator[None]:
    """Turns the failures of a command into `fail(...)`; anything else is a bug and propagates."""
    try:
        yield
    except Exception as exc:
        failure = failure_of(exc)
        if failure is None:
            raise
        fail(*failure, as_json)


def failure_of(
    exc: BaseException,
    key_names: str = "ANTHROPIC_ADMIN_KEY (and ANTHROPIC_OAUTH_TOKEN, ANTHROPIC_SCIM_TOKEN)",
) -> tuple[ExitCode, str] | None:
    """The exit code and one-line text of a failure a person fixes; None for anything else
    (a bug). `key_names` are the variables to check when the Admin API refuses the key."""
    if isinstance(exc, Failure):
        return exc.exit_code, str(exc)
    if isinstance(exc, CredentialError):
        return ExitCode.CONFIG, f"credentials: {exc}"
    if isinstance(exc, ApiError) and exc.status in REJECTED_CREDENTIAL:
        return (
            ExitCode.CONFIG,
            f"the Admin API refused the credentials ({exc}): check {key_names}",
        )
    if isinstance(exc, ExtractError):
        return ExitCode.FAILED, f"the sync stopped; nothing was deleted: {exc}"
    return None
