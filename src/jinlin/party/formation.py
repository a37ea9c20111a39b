"""Party groups 党小组 proposed building by building, and joint branches 联合支部 one level up.

SPEC 三级联络管理网: "a building with three or more Party members forms its own group; buildings
with fewer join adjacent buildings of the same compound to form a group together."

Pure rules: no Django. Everything is decided on a canonical order of ids (`natural_key`: digit
runs compare as numbers, so "2" < "10" < "10A"), so the proposal depends only on the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jinlin.party.graphsplit import exact_split, has_subset_sum_between
from jinlin.places.layout import natural_key

DEFAULT_THRESHOLD = 3

BUILDING_REASON = "相邻楼组党员合计仅{members}名，不足{threshold}名：请补充相邻关系或手工编组"
BUILDING_ALONE_REASON = (
    "该楼组党员仅{members}名且没有相邻楼组，不足{threshold}名：请补充相邻关系或手工编组"
)
COMPOUND_REASON = (
    "相邻小区党员合计仅{members}名，不足{threshold}名：请补充小区相邻关系或手工组建联合支部"
)
COMPOUND_ALONE_REASON = (
    "该小区党员仅{members}名且没有相邻小区，不足{threshold}名：请补充小区相邻关系或手工组建联合支部"
)


class PlanningInputError(ValueError):
    """Data a plan cannot be made from; the message names the offending item."""


@dataclass(frozen=True, slots=True)
class Building:
    id: str
    members: int  # counted members (正式党员 by default), not everyone in the group


@dataclass(frozen=True, slots=True)
class Group:
    buildings: tuple[str, ...]
    members: int


@dataclass(frozen=True, slots=True)
class Unplaceable:
    buildings: tuple[str, ...]
    members: int
    reason: str


@dataclass(frozen=True, slots=True)
class CompoundPlan:
    groups: tuple[Group, ...]
    unplaceable: tuple[Unplaceable, ...]


@dataclass(frozen=True, slots=True)
class Compound:
    id: str
    members: int


@dataclass(frozen=True, slots=True)
class Branch:
    compounds: tuple[str, ...]
    members: int

    @property
    def is_joint(self) -> bool:
        return len(self.compounds) > 1


@dataclass(frozen=True, slots=True)
class UnplaceableCompounds:
    compounds: tuple[str, ...]
    members: int
    reason: str


@dataclass(frozen=True, slots=True)
class BranchPlan:
    branches: tuple[Branch, ...]
    unplaceable: tuple[UnplaceableCompounds, ...]


def propose_groups(
    buildings: Iterable[Building],
    adjacency: Iterable[tuple[str, str]],
    threshold: int = DEFAULT_THRESHOLD,
) -> CompoundPlan:
    """Party groups for one compound by the three-member rule.

    Guarantees: every building is in exactly one group, except the connected parts of the
    adjacency graph with fewer than `threshold` counted members, which come back as
    unplaceable; every group has at least `threshold` members and is connected; no group can
    be split into two connected parts that both keep `threshold`. Self-loops are ignored,
    duplicate and reversed edges count once.
    """
    ids, weights, neighbours = _canonical_graph(
        ((building.id, building.members) for building in buildings),
        adjacency,
        "building",
        threshold,
    )
    groups, unplaceable = _organise(weights, neighbours, threshold)
    return CompoundPlan(
        groups=tuple(
            Group(tuple(ids[v] for v in part), sum(weights[v] for v in part)) for part in groups
        ),
        unplaceable=tuple(
            Unplaceable(
                tuple(ids[v] for v in part),
                total := sum(weights[v] for v in part),
                (BUILDING_ALONE_REASON if len(part) == 1 else BUILDING_REASON).format(
                    members=total, threshold=threshold
                ),
            )
            for part in unplaceable
        ),
    )


def propose_joint_branches(
    compounds: Iterable[Compound],
    adjacency: Iterable[tuple[str, str]],
    threshold: int = DEFAULT_THRESHOLD,
) -> BranchPlan:
    """Branches for an area: the same rule one level up (SPEC: "forms a joint branch 联合支部
    with an adjacent compound by the same rule one level up"), with the same guarantees."""
    ids, weights, neighbours = _canonical_graph(
        ((compound.id, compound.members) for compound in compounds),
        adjacency,
        "compound",
        threshold,
    )
    branches, unplaceable = _organise(weights, neighbours, threshold)
    return BranchPlan(
        branches=tuple(
            Branch(tuple(ids[v] for v in part), sum(weights[v] for v in part)) for part in branches
        ),
        unplaceable=tuple(
            UnplaceableCompounds(
                tuple(ids[v] for v in part),
                total := sum(weights[v] for v in part),
                (COMPOUND_ALONE_REASON if len(part) == 1 else COMPOUND_REASON).format(
                    members=total, threshold=threshold
                ),
            )
            for part in unplaceable
        ),
    )


# --- input -----------------------------------------------------------------------------------


def _canonical_graph(
    nodes: Iterable[tuple[str, int]],
    adjacency: Iterable[tuple[str, str]],
    noun: str,
    threshold: int,
) -> tuple[list[str], list[int], list[list[int]]]:
    """Ids in canonical order, their weights, and sorted neighbour lists by canonical index."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise PlanningInputError(
            f"threshold must be a whole number of at least 1, not {threshold!r}"
        )
    members_by_id: dict[str, int] = {}
    for node_id, members in nodes:
        if node_id in members_by_id:
            raise PlanningInputError(f'duplicate {noun} id "{node_id}"')
        if isinstance(members, bool) or not isinstance(members, int) or members < 0:
            raise PlanningInputError(
                f'{noun} "{node_id}": members must be a whole number of at least 0, not {members!r}'
            )
        members_by_id[node_id] = members
    ids = sorted(members_by_id, key=natural_key)
    index = {node_id: position for position, node_id in enumerate(ids)}
    linked: list[set[int]] = [set() for _ in ids]
    for first, second in adjacency:
        for end in (first, second):
            if end not in index:
                raise PlanningInputError(f'adjacency names unknown {noun} "{end}"')
        a, b = index[first], index[second]
        if a != b:
            linked[a].add(b)
            linked[b].add(a)
    return ids, [members_by_id[node_id] for node_id in ids], [sorted(near) for near in linked]


# --- the rule --------------------------------------------------------------------------------
# Vertices are canonical indices; a "part" is a list of them. A vertex is heavy when its weight
# alone reaches the threshold, light otherwise.


def _organise(
    weights: Sequence[int], neighbours: Sequence[Sequence[int]], threshold: int
) -> tuple[list[list[int]], list[list[int]]]:
    """Groups and unplaceable parts as sorted lists of indices, sorted by their first index.

    Heavy vertices stand alone. A light part (a maximal connected set of light vertices) below
    the threshold joins one heavy neighbour; inside such a group every connected piece without
    the heavy vertex lies within one light part, so no split keeps the threshold on both sides.
    A light part reaching the threshold is split top-down while an exact search finds a split,
    so none of its groups can be split either.
    """
    count = len(weights)
    is_heavy = [weight >= threshold for weight in weights]
    seen = [False] * count
    done = [False] * count
    groups: list[list[int]] = []
    unplaceable: list[list[int]] = []
    for start in range(count):
        if seen[start]:
            continue
        component = _flood(start, neighbours, seen, is_heavy, light_only=False)
        component.sort()
        if sum(weights[v] for v in component) < threshold:
            unplaceable.append(component)
            continue
        hosted = {v: [v] for v in component if is_heavy[v]}
        for v in component:
            if done[v] or is_heavy[v]:
                continue
            part = _flood(v, neighbours, done, is_heavy, light_only=True)
            if sum(weights[u] for u in part) >= threshold:
                groups.extend(_split_until_minimal(part, weights, neighbours, threshold))
                continue
            # Too light alone: join the neighbouring building with the fewest members (spreading
            # light buildings towards small groups), the first in canonical order on a tie.
            host = min(
                (h for u in part for h in neighbours[u] if is_heavy[h]),
                key=lambda h: (weights[h], h),
            )
            hosted[host].extend(part)
        groups.extend(hosted.values())
    for part in groups:
        part.sort()
    groups.sort()
    return groups, unplaceable


def _flood(
    start: int,
    neighbours: Sequence[Sequence[int]],
    seen: list[bool],
    is_heavy: list[bool],
    *,
    light_only: bool,
) -> list[int]:
    seen[start] = True
    found = [start]
    for v in found:
        for u in neighbours[v]:
            if not seen[u] and not (light_only and is_heavy[u]):
                seen[u] = True
                found.append(u)
    return found


def _split_until_minimal(
    part: list[int], weights: Sequence[int], neighbours: Sequence[Sequence[int]], threshold: int
) -> list[list[int]]:
    final: list[list[int]] = []
    pending = [part]
    while pending:
        current = pending.pop()
        split = _find_split(current, weights, neighbours, threshold)
        if split is None:
            final.append(current)
        else:
            pending.extend(split)
    return final


def _find_split(
    part: list[int], weights: Sequence[int], neighbours: Sequence[Sequence[int]], threshold: int
) -> tuple[list[int], list[int]] | None:
    """Two connected parts of a connected `part`, both reaching the threshold, or None when no
    such split exists (exact: None is a proof, never a give-up)."""
    total = sum(weights[v] for v in part)
    if total < 2 * threshold:
        return None
    if not has_subset_sum_between((weights[v] for v in part), threshold, total - threshold):
        return None
    order = sorted(part)
    index = {v: position for position, v in enumerate(order)}
    local_neighbours = [[index[u] for u in neighbours[v] if u in index] for v in order]
    local_weights = [weights[v] for v in order]
    split = _best_tree_cut(local_weights, local_neighbours, threshold, total)
    if split is None:
        split = exact_split(local_weights, local_neighbours, threshold, total)
    if split is None:
        return None
    return [order[i] for i in split[0]], [order[i] for i in split[1]]


_TREE_ROOTS = 32


def _best_tree_cut(
    weights: Sequence[int], neighbours: Sequence[Sequence[int]], threshold: int, total: int
) -> tuple[list[int], list[int]] | None:
    """Fast path: cut one edge of a breadth-first tree (both sides are then connected).

    Of all such cuts from up to 32 roots, take the one whose lighter side is as light as the
    rule allows, then has the fewest buildings, then comes first in canonical order: it makes
    tight groups and leaves the rest to be split again.
    """
    count = len(weights)
    best: tuple[int, int, list[int]] | None = None
    for root in range(0, count, max(1, count // _TREE_ROOTS)):
        parent = [-1] * count
        parent[root] = root
        order = [root]
        for v in order:
            for u in neighbours[v]:
                if parent[u] < 0:
                    parent[u] = v
                    order.append(u)
        below_weight = list(weights)
        below_count = [1] * count
        for v in reversed(order[1:]):
            below_weight[parent[v]] += below_weight[v]
            below_count[parent[v]] += below_count[v]
        for position in range(1, count):
            v = order[position]
            inside, outside = below_weight[v], total - below_weight[v]
            if inside < threshold or outside < threshold:
                continue
            take_inside = (inside, below_count[v]) <= (outside, count - below_count[v])
            key = (inside, below_count[v]) if take_inside else (outside, count - below_count[v])
            if best is not None and key > best[:2]:
                continue
            subtree = {v}
            for u in order[position + 1 :]:
                if parent[u] in subtree:
                    subtree.add(u)
            side = sorted(subtree) if take_inside else [u for u in range(count) if u not in subtree]
            if best is None or (key[0], key[1], side) < best:
                best = (key[0], key[1], side)
    if best is None:
        return None
    chosen = set(best[2])
    return best[2], [u for u in range(count) if u not in chosen]
