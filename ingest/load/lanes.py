"""Splitting rows for parallel write transactions that never wait on each other's locks.

Writing a relationship locks both of its end nodes, so two transactions that share an end
node serialise (or deadlock). "Mix and batch": hash every row's start into one of `lanes`
buckets and its end into another; cell (i, j) holds the rows of start bucket i and end
bucket j. Round r runs the cells (i, (i + r) mod lanes) side by side: no two of them share a
start bucket or an end bucket, hence no node. Nodes need one round: a key lives in one lane.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")
Round = list[list[T]]  # one group of items per lane, run at the same time


def node_rounds(items: Sequence[T], key: Callable[[T], Hashable], lanes: int) -> list[Round[T]]:
    groups: list[list[T]] = [[] for _ in range(lanes)]
    for item in items:
        groups[_bucket(key(item), lanes)].append(item)
    return [groups]


def rel_rounds(
    items: Sequence[T], ends: Callable[[T], tuple[Hashable, Hashable]], lanes: int
) -> list[Round[T]]:
    cells: list[list[list[T]]] = [[[] for _ in range(lanes)] for _ in range(lanes)]
    for item in items:
        start, end = ends(item)
        cells[_bucket(start, lanes)][_bucket(end, lanes)].append(item)
    return [[cells[i][(i + r) % lanes] for i in range(lanes)] for r in range(lanes)]


def _bucket(value: Hashable, lanes: int) -> int:
    return hash(value) % lanes
