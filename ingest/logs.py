"""How idgraph's log lines look on stderr: text for people, or one JSON object per line (ts,
level, event, message and, where the record has them, family, engine, status and counts) for
schedulers and log collectors."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

FIELDS = ("organization", "family", "engine", "status", "counts", "exit_code")
HANDLER = "idgraph"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", "log"),
            "message": record.getMessage(),
            **{name: getattr(record, name) for name in FIELDS if hasattr(record, name)},
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record comes, not what it was when configured
    (a command run inside another program, or a test runner, swaps and closes streams)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(fmt: LogFormat) -> None:
    """idgraph's own INFO lines and everyone's warnings, on stderr, in `fmt`. Replaces what
    an earlier call set up (the tests run the CLI many times in one process)."""
    handler = Stderr()
    handler.set_name(HANDLER)
    if fmt is LogFormat.json:
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    # Other libraries' chatter (httpx logs every request at INFO) only from WARNING up.
    handler.addFilter(lambda r: r.levelno >= logging.WARNING or r.name.startswith("ingest."))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER]:
        root.removeHandler(old)
    root.addHandler(handler)
    logging.getLogger("ingest").setLevel(logging.INFO)


def logs_as_json() -> bool:
    """Whether `configure_logging` set JSON lines up (so stderr must carry nothing else)."""
    return any(
        h.get_name() == HANDLER and isinstance(h.formatter, JsonLines)
        for h in logging.getLogger().handlers
    )


@contextmanager
def naming_organization(name: str) -> Iterator[None]:
    """While one organization of several syncs, every idgraph log line names it (the text
    prefixed with it, the JSON line with an `organization` field)."""

    def name_it(record: logging.LogRecord) -> bool:
        record.organization = name
        if not logs_as_json() and isinstance(record.msg, str):
            record.msg = f"[{name.replace('%', '%%')}] {record.msg}"
        return True

    handlers = [h for h in logging.getLogger().handlers if h.get_name() == HANDLER]
    for handler in handlers:
        handler.addFilter(name_it)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(name_it)
