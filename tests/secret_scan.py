"""Where a secret must never be: any text a command printed or wrote, and the graph."""

from __future__ import annotations

import json
from collections.abc import Iterable


def graph_text(neo4j) -> str:  # type: ignore[no-untyped-def]
    """Every property of every node and relationship, as one text to search."""
    graph = neo4j.run(
        "MATCH (n) RETURN properties(n) AS p UNION ALL MATCH ()-[r]->() RETURN properties(r) AS p"
    )
    return json.dumps([row["p"] for row in graph], default=str)


def assert_no_secret(secrets: Iterable[str], texts: Iterable[str]) -> None:
    """Neither a secret nor its first 24 characters (a key's telling prefix) in any text."""
    texts = list(texts)
    for secret in secrets:
        for text in texts:
            assert secret not in text
            assert secret[:24] not in text
