"""Causal consistency on a cluster: the snapshot reads (which decide what is unchanged and what is
gone) start from the bookmarks of the loader's writes, so a read replica answers them only once it
holds those writes. A single server applies everything at once, so these tests look at the
bookmarks the driver hands each transaction, through the driver's own bookmark manager."""

from __future__ import annotations

from collections.abc import Collection, Iterable

import pytest
from neo4j import GraphDatabase
from neo4j.api import BookmarkManager

from ingest.graph.model import MODEL
from ingest.load import GraphLoader

pytestmark = pytest.mark.neo4j

ORG = MODEL.node("organization")
USER = MODEL.node("user")


class RecordedBookmarks(BookmarkManager):
    """The driver's bookmark manager, noting what each transaction started from ("get") and
    what it left ("update")."""

    def __init__(self) -> None:
        self.manager = GraphDatabase.bookmark_manager()
        self.events: list[tuple[str, frozenset[str]]] = []

    def get_bookmarks(self) -> Collection[str]:
        bookmarks = self.manager.get_bookmarks()
        self.events.append(("get", frozenset(bookmarks)))
        return bookmarks

    def update_bookmarks(self, previous: Iterable[str], new: Iterable[str]) -> None:
        new = frozenset(new)
        self.events.append(("update", new))
        self.manager.update_bookmarks(previous, new)

    def steps(self) -> list[tuple[str, frozenset[str]]]:
        """The events, a repeat in a row counted once (the driver asks twice per transaction)."""
        return [e for i, e in enumerate(self.events) if i == 0 or e != self.events[i - 1]]


def org_rows(tenant: str) -> list[dict[str, str]]:
    return [{"id": tenant, "name": tenant.upper()}]


def test_a_snapshot_read_starts_from_the_bookmarks_of_the_writes_before_it(neo4j, new_ctx):
    recorded = RecordedBookmarks()
    loader = GraphLoader(neo4j.driver, neo4j.database, bookmarks=recorded)
    ctx = new_ctx()
    assert loader.load_nodes(ORG, org_rows(ctx.tenant_id), ctx) == 1
    written = frozenset(recorded.manager.get_bookmarks())
    recorded.events.clear()

    # The same sync's first write of users reads their snapshot first, in a session of its own.
    loader.prepare_nodes(USER, [{"id": "u1", "email": "u1@a.example", "role": "user"}], ctx)

    started_from = {bookmarks for kind, bookmarks in recorded.events if kind == "get"}
    assert written and started_from == {written}


def test_a_new_loaders_first_snapshot_waits_for_every_earlier_commit(neo4j, new_ctx):
    """Another process wrote the graph; a fresh loader holds no bookmark of its own yet."""
    ctx = new_ctx()
    GraphLoader(neo4j.driver, neo4j.database).load_nodes(ORG, org_rows(ctx.tenant_id), ctx)
    recorded = RecordedBookmarks()
    fresh = GraphLoader(neo4j.driver, neo4j.database, bookmarks=recorded)

    assert fresh.prepare_nodes(ORG, org_rows(ctx.tenant_id), new_ctx()) == []

    *_, (read, started_from), _ = recorded.steps()
    assert read == "get" and started_from  # a bookmark from the writer, not an empty start
