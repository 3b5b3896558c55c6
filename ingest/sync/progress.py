"""What a sync shows while it runs: per family, the records read and the rows written, and per
engine, the requests sent and the time held back by the rate limits.

The pipeline only counts, once per page or written unit (never per record), and says when a
family's read ends and what it is doing; the renderers look at the counts on their own clock:
`RichProgress` (a line per family, for a terminal) and `LogProgress` (log lines every
`interval` seconds and one line per family as it finishes, for a container's or a scheduler's
log). `show_progress` picks one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from rich.console import Console, RenderableType
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from ingest.extract.transport import EngineStats

if TYPE_CHECKING:
    from ingest.sync.outcome import FamilyWritten, SyncOutcome

log = logging.getLogger(__name__)

# Reads that yield no records of their own (the report leaves them out too).
UNCOUNTED = frozenset({"scim_probe"})


@dataclass
class Counts:
    read: int = 0  # records handed over so far; the distinct count once the read ended
    nodes: int = 0
    rels: int = 0
    read_ended: bool = False


class Listener(Protocol):
    def stage(self, what: str) -> None: ...
    def read_ended(self, family: str, counts: Counts, problem: str | None) -> None: ...
    def finished(self, report: SyncOutcome) -> None: ...


class SyncProgress:
    """The counts of one sync. Called as `progress("loading users")` it names the stage."""

    def __init__(self) -> None:
        self.families: dict[str, Counts] = {}
        self.engines: list[EngineStats] = []
        self.what = "starting"
        self.listeners: list[Listener] = []

    def __call__(self, what: str) -> None:
        self.what = what
        for listener in self.listeners:
            listener.stage(what)

    def watch(self, *engines: EngineStats | None) -> None:
        self.engines.extend(e for e in engines if e is not None)

    def read(self, family: str, records: int) -> None:
        self._counts(family).read += records

    def read_ended(self, family: str, records: int | None, problem: str | None) -> None:
        if family in UNCOUNTED:
            return
        counts = self._counts(family)
        counts.read_ended = True
        if records is not None:
            counts.read = records
        for listener in self.listeners:
            listener.read_ended(family, counts, problem)

    def wrote(self, family: str, total: FamilyWritten) -> None:
        counts = self._counts(family)
        counts.nodes, counts.rels = total.nodes, total.rels

    def finished(self, report: SyncOutcome) -> None:
        for listener in self.listeners:
            listener.finished(report)

    def snapshot(self) -> dict[str, Counts]:
        """A copy, for another thread than the sync's."""
        return {family: replace(c) for family, c in self.families.copy().items()}

    def _counts(self, family: str) -> Counts:
        counts = self.families.get(family)
        if counts is None:
            counts = self.families[family] = Counts()
        return counts


def engine_counts(engine: EngineStats) -> dict[str, Any]:
    return {
        "api_calls": engine.api_calls,
        "retries": engine.retries,
        "throttled_seconds": round(engine.throttled_seconds, 1),
    }


def family_counts(counts: Counts) -> dict[str, int]:
    return {"records": counts.read, "nodes": counts.nodes, "rels": counts.rels}


def describe(counts: dict[str, Any]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in counts.items())


class LogProgress:
    """Log lines: every `interval` seconds one per family (and engine) whose counts moved, one
    as each family's read ends, and one per family and one for the sync when it finished.
    Each record carries `event`, `family` (or `engine`) and `counts` for the JSON format."""

    def __init__(self, progress: SyncProgress, interval: float) -> None:
        self.progress = progress
        self.interval = interval
        self._last: dict[str, dict[str, Any]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, name="sync-progress", daemon=True)

    def start(self) -> None:
        self.progress.listeners.append(self)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            self.emit()

    def emit(self) -> None:
        """One line per family and engine whose counts changed since the last time."""
        for family, counts in self.progress.snapshot().items():
            self._changed("progress", {"family": family}, family_counts(counts))
        for engine in list(self.progress.engines):
            self._changed("requests", {"engine": engine.engine}, engine_counts(engine))

    def _changed(self, event: str, who: dict[str, str], counts: dict[str, Any]) -> None:
        key = next(iter(who.values()))
        if self._last.get(key) != counts:
            self._last[key] = counts
            _log(logging.INFO, event, who, counts)

    def stage(self, what: str) -> None:
        log.info("%s", what, extra={"event": "stage"})

    def read_ended(self, family: str, counts: Counts, problem: str | None) -> None:
        if problem is None:
            _log(logging.INFO, "read_finished", {"family": family}, {"records": counts.read})
        else:
            log.warning(
                "%s: not read completely: %s",
                family,
                problem,
                extra={"event": "read_incomplete", "family": family},
            )

    def finished(self, report: SyncOutcome) -> None:
        families = list(report.families) + [
            f for f in report.record_counts if f not in report.families
        ]
        for family in families:
            done = report.families.get(family)
            counts = {
                "records": report.record_counts.get(family, 0),
                "nodes": done.nodes if done else 0,
                "rels": done.rels if done else 0,
            }
            _log(logging.INFO, "family_finished", {"family": family}, counts)
        _log(
            logging.INFO,
            "sync_finished",
            {"status": report.status},
            {
                "nodes_written": report.nodes_written,
                "rels_written": report.rels_written,
                "nodes_deleted": report.nodes_deleted,
                "rels_deleted": report.rels_deleted,
                "api_calls": report.api_calls,
                "retries": report.retries,
                "throttled_seconds": round(report.throttled_seconds, 1),
                "duration_seconds": round(report.duration_seconds, 1),
            },
        )


def _log(level: int, event: str, who: dict[str, str], counts: dict[str, Any]) -> None:
    name = next(iter(who.values()))
    log.log(
        level,
        "%s %s: %s",
        event,
        name,
        describe(counts),
        extra={**who, "event": event, "counts": counts},
    )


class RichProgress(Progress):
    """A rich Progress with a line per family (and one for the stage and the rate limits),
    brought up to date from the counts each time it is drawn."""

    def __init__(self, progress: SyncProgress, console: Console) -> None:
        self.sync = progress
        self._lines: dict[str, TaskID] = {}
        self._overall: TaskID | None = None  # drawing may start before it exists
        self._updating = False  # add_task draws, which brings up to date: once is enough
        super().__init__(
            SpinnerColumn(finished_text="[green]✓[/green]"),
            TextColumn("{task.description}"),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._overall = self.add_task("syncing", counts="")

    def get_renderables(self) -> Iterator[RenderableType]:
        if not self._updating:
            self._updating = True
            try:
                self._bring_up_to_date()
            finally:
                self._updating = False
        yield from super().get_renderables()  # type: ignore[misc]

    def _bring_up_to_date(self) -> None:
        if self._overall is None:
            return
        throttled = ", ".join(
            f"{e.engine} {e.api_calls} requests, throttled {e.throttled_seconds:.1f} s"
            for e in list(self.sync.engines)
        )
        self.update(self._overall, description=self.sync.what, counts=throttled)
        for family, counts in self.sync.snapshot().items():
            if family not in self._lines:
                self._lines[family] = self.add_task(family, counts="", total=None)
            read = f"read {counts.read}" + (" (all)" if counts.read_ended else "")
            text = f"{read}, wrote {counts.nodes} nodes, {counts.rels} relationships"
            self.update(self._lines[family], counts=text)

    def finished(self) -> None:
        self.sync.what = "synced"
        self._bring_up_to_date()
        for task in self.tasks:
            self.update(task.id, total=1, completed=1)


@contextmanager
def show_progress(console: Console, *, terminal: bool, interval: float) -> Iterator[SyncProgress]:
    """A SyncProgress drawn on `console` (when `terminal`) or logged every `interval` s."""
    progress = SyncProgress()
    if terminal:
        with RichProgress(progress, console) as drawn:
            yield progress
            drawn.finished()
        return
    logged = LogProgress(progress, interval)
    logged.start()
    try:
        yield progress
    finally:
        logged.stop()
