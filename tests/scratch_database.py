"""The tests and benchmarks erase only a database that is theirs.

A database is theirs when it is empty, or carries the marker the tests leave in a database
they have claimed, or IDGRAPH_TESTS_MAY_ERASE=1 says so. The marker is an index on a label no
node has: erasing keeps indexes, and it adds no node that a test would count or export.
Anything else (NEO4J_URI pointing at someone's real graph) is refused, with nothing deleted.

The benchmarks import this module too (see `bench/`), so it needs nothing from pytest.
"""

from __future__ import annotations

import os

from neo4j import Driver

MAY_ERASE = "IDGRAPH_TESTS_MAY_ERASE"
MARKER = "idgraph_tests_own_this_database"
MARK = f"CREATE INDEX {MARKER} IF NOT EXISTS FOR (n:IdgraphTestsOwnThisDatabase) ON (n.marker)"


class NotOurs(Exception):
    """The database holds data the tests did not write: erasing it is refused."""


def claim(driver: Driver, database: str, uri: str) -> None:
    """Marks the database as the tests' own, or raises NotOurs when it holds someone else's
    data (then nothing is changed)."""
    if os.environ.get(MAY_ERASE) != "1" and not _marked(driver, database):
        nodes = _node_count(driver, database)
        if nodes:
            raise NotOurs(
                f"NEO4J_URI={uri} database {database!r} holds {nodes:,} nodes that the tests "
                f"did not write; they would be ERASED. Point NEO4J_URI at a test server, or set "
                f"{MAY_ERASE}=1 to erase this database."
            )
    driver.execute_query(MARK, database_=database)


def erase(driver: Driver, database: str) -> None:
    """Deletes every node and relationship (constraints, indexes and the marker stay).

    Relationships first, in batches, so a large graph fits the transaction memory; CALL { }
    IN TRANSACTIONS needs an auto-commit transaction, so no execute_query here."""
    with driver.session(database=database) as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


def erase_or_exit(driver: Driver, database: str, uri: str) -> None:
    """For the benchmarks: claims and erases the database, or exits saying why not."""
    try:
        claim(driver, database, uri)
    except NotOurs as refused:
        raise SystemExit(str(refused)) from None
    erase(driver, database)


def _marked(driver: Driver, database: str) -> bool:
    records, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS n",
        {"name": MARKER},
        database_=database,
    )
    return records[0]["n"] > 0


def _node_count(driver: Driver, database: str) -> int:
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database)
    return records[0]["n"]
