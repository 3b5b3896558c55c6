"""Rows split for parallel writes: within a round, lanes never share a node."""

from __future__ import annotations

import random

import pytest

from ingest.load.lanes import node_rounds, rel_rounds


def rel_rows(seed: int, n: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    # A few dense ends (an organization, a popular role) among many sparse ones.
    ends = ["org", "role", *(f"w{i}" for i in range(40))]
    return [{"start": f"u{rng.randrange(500)}", "end": rng.choice(ends)} for _ in range(n)]


@pytest.mark.parametrize("lanes", [1, 2, 3, 5])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_relationship_rounds_cover_every_row_once_with_disjoint_lanes(lanes, seed) -> None:
    rows = rel_rows(seed, 2_000)
    rounds = rel_rounds(rows, lambda row: (row["start"], row["end"]), lanes)
    assert len(rounds) == lanes and all(len(groups) == lanes for groups in rounds)
    written = [id(row) for groups in rounds for group in groups for row in group]
    assert sorted(written) == sorted(id(row) for row in rows)
    for groups in rounds:
        for side in ("start", "end"):
            seen: set[str] = set()
            for group in groups:
                nodes = {row[side] for row in group}
                assert not nodes & seen, f"two lanes of one round share a {side} node"
                seen |= nodes


def test_node_rounds_put_each_key_in_one_lane() -> None:
    rows = [{"id": f"n{i % 300}", "name": str(i)} for i in range(1_000)]
    [groups] = node_rounds(rows, lambda row: row["id"], 3)
    assert sum(len(group) for group in groups) == len(rows)
    keys = [{row["id"] for row in group} for group in groups]
    assert not (keys[0] & keys[1] or keys[0] & keys[2] or keys[1] & keys[2])
