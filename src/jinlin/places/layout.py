"""Building adjacency proposed from building numbers (SPEC "Places and people": adjacency "is
data: entered, imported, or proposed from building numbers and then corrected by hand").

Pure rules: no Django. The proposal reads an estate as most Shanghai 新村 are built: 号楼 in
rows, numbered along each row, row after row.

- The 号楼 are put in natural order of their numbers (2 before 10 before 10A) and laid out in
  rows of `row_length`, left to right, every row in the same direction.
- Stairwells 门洞 of one 号楼 share its roof: each is next to the following one (natural order).
- Along a row, a 号楼's last stairwell is next to the following 号楼's first.
- Across rows, the 号楼 at the same place in two consecutive rows are next to each other
  (their first stairwells).

Guarantees (tested with hypothesis): every edge joins two different given buildings, once;
the proposal is connected; no building has more than four neighbours; the result depends only
on the buildings, not on the order they are given in. `row_length` of one lays the 号楼 out in a
single column, a `row_length` of the number of 号楼 or more in a single row (a path).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_AUTO_ROW = 6

_DIGIT_RUN = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key reading digit runs as numbers: "2" < "10" < "10A" < "B1"; a total order."""
    key: list[tuple[int, int, str]] = []
    for position, part in enumerate(_DIGIT_RUN.split(text)):
        if position % 2:
            key.append((0, int(part), part))
        elif part:
            key.append((1, 0, part))
    return tuple(key)


@dataclass(frozen=True, slots=True)
class Block:
    """A building as the rule sees it: an id, its 号楼 number and its stairwell ('' if none)."""

    id: str
    number: str
    stairwell: str = ""


Edge = tuple[str, str]  # two ids, the smaller by natural_key first


@dataclass(frozen=True, slots=True)
class Layout:
    row_length: int
    rows: tuple[tuple[str, ...], ...]  # 号楼 numbers, row by row
    edges: frozenset[Edge]


@dataclass(frozen=True, slots=True)
class Diff:
    added: tuple[Edge, ...]
    removed: tuple[Edge, ...]
    kept: tuple[Edge, ...]

    @property
    def is_empty(self) -> bool:
        return not self.added and not self.removed


def edge(first: str, second: str) -> Edge:
    """The stored form of an edge between two ids."""
    if natural_key(second) < natural_key(first):
        return (second, first)
    return (first, second)


def auto_row_length(count: int) -> int:
    """Rows about as long as the estate is deep, at most six 号楼 a row."""
    return max(1, min(MAX_AUTO_ROW, math.ceil(math.sqrt(count))))


def propose(blocks: Sequence[Block], row_length: int | None = None) -> Layout:
    """The adjacency the building numbers suggest; `row_length` None chooses one."""
    ids = [block.id for block in blocks]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate building id")
    places = [(block.number, block.stairwell) for block in blocks]
    if len(set(places)) != len(places):
        raise ValueError("two buildings with the same number and stairwell")
    if row_length is not None and row_length < 1:
        raise ValueError("row length must be at least 1")
    by_number: dict[str, list[Block]] = {}
    for block in blocks:
        by_number.setdefault(block.number, []).append(block)
    numbers = sorted(by_number, key=natural_key)
    for stairwells in by_number.values():
        stairwells.sort(key=lambda b: natural_key(b.stairwell))
    length = row_length if row_length is not None else auto_row_length(len(numbers))
    rows = tuple(tuple(numbers[i : i + length]) for i in range(0, len(numbers), length))
    edges: set[Edge] = set()
    for stairwells in by_number.values():
        for a, b in zip(stairwells, stairwells[1:], strict=False):
            edges.add(edge(a.id, b.id))
    for index, row in enumerate(rows):
        for left, right in zip(row, row[1:], strict=False):
            edges.add(edge(by_number[left][-1].id, by_number[right][0].id))
        if index + 1 < len(rows):
            for above, below in zip(row, rows[index + 1], strict=False):
                edges.add(edge(by_number[above][0].id, by_number[below][0].id))
    return Layout(row_length=length, rows=rows, edges=frozenset(edges))


def diff(current: Iterable[Edge], proposed: Iterable[Edge]) -> Diff:
    """What applying `proposed` does to `current` (edges in any orientation)."""
    before = {edge(*pair) for pair in current}
    after = {edge(*pair) for pair in proposed}

    def ordered(pairs: set[Edge]) -> tuple[Edge, ...]:
        return tuple(sorted(pairs, key=lambda p: (natural_key(p[0]), natural_key(p[1]))))

    return Diff(
        added=ordered(after - before), removed=ordered(before - after), kept=ordered(before & after)
    )


def named(pairs: Iterable[Edge], labels: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of ids as pairs of labels, for people: each pair and the list in natural order of
    the labels (1号楼—2号楼 before 1号楼—12号楼 before 2号楼—3号楼)."""
    shown = [edge(labels[a], labels[b]) for a, b in pairs]
    return sorted(shown, key=lambda p: (natural_key(p[0]), natural_key(p[1])))
