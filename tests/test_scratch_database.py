"""The tests erase only a database that is theirs (tests/scratch_database.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Neo4jServer
from tests.scratch_database import MARKER, MAY_ERASE, NotOurs, claim

pytestmark = pytest.mark.neo4j


@pytest.fixture
def foreign(neo4j: Neo4jServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Neo4jServer]:
    """The test database as someone's real graph: a node the tests did not write, no marker."""
    monkeypatch.delenv(MAY_ERASE, raising=False)
    neo4j.run("CREATE (:Person {name: 'not a test node'})")
    neo4j.run(f"DROP INDEX {MARKER} IF EXISTS")
    yield neo4j
    neo4j.run(f"DROP INDEX {MARKER} IF EXISTS")
    neo4j.run("MATCH (n) DETACH DELETE n")
    claim(neo4j.driver, neo4j.database, neo4j.uri)


def marked(neo4j: Neo4jServer) -> bool:
    return bool(neo4j.run("SHOW INDEXES YIELD name WHERE name = $name RETURN name", name=MARKER))


def test_a_database_holding_a_foreign_node_is_refused_and_left_alone(foreign) -> None:
    with pytest.raises(NotOurs) as refused:
        claim(foreign.driver, foreign.database, foreign.uri)
    message = str(refused.value)
    assert f"NEO4J_URI={foreign.uri}" in message
    assert repr(foreign.database) in message
    assert "holds 1 nodes" in message
    assert f"{MAY_ERASE}=1" in message
    assert foreign.run("MATCH (n:Person) RETURN n.name AS name") == [{"name": "not a test node"}]
    assert not marked(foreign)


def test_the_erase_variable_lets_the_tests_claim_it(foreign, monkeypatch) -> None:
    monkeypatch.setenv(MAY_ERASE, "1")
    claim(foreign.driver, foreign.database, foreign.uri)
    assert marked(foreign)


def test_a_marked_database_holding_test_data_is_accepted(neo4j, monkeypatch) -> None:
    monkeypatch.delenv(MAY_ERASE, raising=False)
    assert marked(neo4j)  # the session fixture claimed it
    neo4j.run("CREATE (:AnthropicUser {id: 'left by an earlier test'})")
    claim(neo4j.driver, neo4j.database, neo4j.uri)
    neo4j.wipe()
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    assert marked(neo4j)  # erasing keeps the marker


def test_an_empty_database_is_claimed(neo4j, monkeypatch) -> None:
    monkeypatch.delenv(MAY_ERASE, raising=False)
    neo4j.run(f"DROP INDEX {MARKER} IF EXISTS")
    claim(neo4j.driver, neo4j.database, neo4j.uri)
    assert marked(neo4j)
