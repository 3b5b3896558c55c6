"""Splitting rows for parallel write transactions that never wait on each other's locks.

Writing a relationship locks both of its end nodes, so two transactions that share an end
node serialise (or deadlock). "Mix and batch": hash every row's start into one of `lanes`
buckets and its end into another; cell (i, j) holds the rows of start bucket i and end
bucket j. Round r runs the cells (i, (i + r) mod lanes) side by side: no two of them share a
start bucket or an end bucket, hence no node. Nodes need one round: a key lives in one lane.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

Row = Mapping[str, Any]
Round = list[list[Row]]  # one group of rows per lane, run at the same time


def node_rounds(rows: Sequence[Row], key: str, lanes: int) -> list[Round]:
    groups: list[list[Row]] = [[] for _ in range(lanes)]
    for row in rows:
        groups[_bucket(row[key], lanes)].append(row)
    return [groups]


def rel_rounds(rows: Sequence[Row], lanes: int) -> list[Round]:
    cells: list[list[list[Row]]] = [[[] for _ in range(lanes)] for _ in range(lanes)]
    for row in rows:
        cells[_bucket(row["start"], lanes)][_bucket(row["end"], lanes)].append(row)
    return [[cells[i][(i + r) % lanes] for i in range(lanes)] for r in range(lanes)]


def _bucket(value: Hashable, lanes: int) -> int:
    return hash(value) % lanes
