"""Splitting a connected graph of buildings into two connected sides that both reach the
threshold of members: the exact search behind the three-member rule (party.formation).

Pure rules: no Django. Deterministic: every choice follows the order of the vertex numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def has_subset_sum_between(weights: Iterable[int], low: int, high: int) -> bool:
    reachable = 1  # bit s is set when some buildings hold exactly s members
    for weight in weights:
        if weight:
            reachable |= reachable << weight
    return bool((reachable >> low) & ((1 << (high - low + 1)) - 1))


# --- the exact search ------------------------------------------------------------------------
# Splitting a connected graph into two connected sides that both reach T is possible exactly
# when it holds two disjoint connected sets that both reach T (what is left over joins a side it
# touches). The reductions below keep that answer and record how to map a split back.

_ST_PAIRS = 12  # st-orderings tried before the exact methods
_SEARCH_BUDGET = 2000  # connected sets the search may visit before the frontier sweep takes over
_FRONTIER_LIMIT = 12  # widest frontier the sweep accepts (its states grow about 4**width)

_MERGED = 0  # (kind, vertex, absorbed vertices)
_DISSOLVED = 1  # (kind, zero vertex, its neighbours, which were joined pairwise)


def exact_split(
    weights: Sequence[int], neighbours: Sequence[Sequence[int]], threshold: int, total: int
) -> tuple[list[int], list[int]] | None:
    adjacent = [set(near) for near in neighbours]
    weight = list(weights)
    alive = set(range(len(weights)))
    log: list[tuple[int, int, tuple[int, ...]]] = []
    labels = _contract_light_pendants(adjacent, weight, alive, log, threshold)
    if labels is None:
        labels = _split_two_connected(adjacent, weight, alive, log, threshold, total)
    if labels is None:
        return None
    return _expand(labels, log, neighbours, weights)


def _contract_light_pendants(
    adjacent: list[set[int]],
    weight: list[int],
    alive: set[int],
    log: list[tuple[int, int, tuple[int, ...]]],
    threshold: int,
) -> list[int] | None:
    """Merge every piece hanging off a cut vertex with less than T into that cut vertex.

    Valid because a connected set touching such a piece must hold the cut vertex (the piece
    alone is too light), so the side holding the cut vertex may as well take the whole piece.
    Returns a split (labels 1 and 2) if a cut vertex has only pieces reaching T, else None and
    leaves a graph without cut vertices.
    """
    while True:
        for cut in sorted(alive):
            pieces = _pieces_without(cut, adjacent, alive)
            if len(pieces) < 2:
                continue
            light = [piece for piece in pieces if sum(weight[v] for v in piece) < threshold]
            if not light:
                labels = [0] * len(weight)
                for v in alive:
                    labels[v] = 2
                for v in pieces[0]:
                    labels[v] = 1
                return labels
            for piece in light:
                weight[cut] += sum(weight[v] for v in piece)
                adjacent[cut].difference_update(piece)
                alive.difference_update(piece)
                log.append((_MERGED, cut, tuple(piece)))
            break
        else:
            return None


def _pieces_without(cut: int, adjacent: list[set[int]], alive: set[int]) -> list[list[int]]:
    seen = {cut}
    pieces: list[list[int]] = []
    for start in sorted(alive):
        if start in seen:
            continue
        seen.add(start)
        piece = [start]
        for v in piece:
            for u in adjacent[v]:
                if u not in seen:
                    seen.add(u)
                    piece.append(u)
        pieces.append(piece)
    return pieces


def _split_two_connected(
    adjacent: list[set[int]],
    weight: list[int],
    alive: set[int],
    log: list[tuple[int, int, tuple[int, ...]]],
    threshold: int,
    total: int,
) -> list[int] | None:
    """Decide a graph without cut vertices (total >= 2T): by rule where one exists, else search."""
    vertices = sorted(alive)
    if len(vertices) == 1:
        return None
    labels = [0] * len(weight)
    heavy = [v for v in vertices if weight[v] >= threshold]
    if heavy:
        # The graph stays connected without a heavy vertex h, and any split has a side without
        # h: so a split exists exactly when the rest reaches T, and then {h} | rest is one.
        if total - weight[heavy[0]] < threshold:
            return None
        for v in vertices:
            labels[v] = 2
        labels[heavy[0]] = 1
        return labels
    if not has_subset_sum_between((weight[v] for v in vertices), threshold, total - threshold):
        return None  # merging may have left weights no two sides can share out
    # Along an st-ordering every prefix and suffix is connected. With every weight below T, the
    # running total cannot jump over [T, total - T] once that range holds T - 1 values, so any
    # ordering finds a split when total >= 3T - 2; below that, the heaviest vertices at both
    # ends usually do (always for T = 3), and the exact methods settle the rest.
    positives = sorted((v for v in vertices if weight[v]), key=lambda v: (-weight[v], v))
    pairs = [(s, t) for i, s in enumerate(positives) for t in positives[i + 1 :]]
    for source, sink in pairs[: 1 if total >= 3 * threshold - 2 else _ST_PAIRS]:
        ordering = _st_ordering(source, sink, adjacent)
        running = 0
        for position, v in enumerate(ordering):
            running += weight[v]
            if threshold <= running <= total - threshold:
                for u in ordering:
                    labels[u] = 2
                for u in ordering[: position + 1]:
                    labels[u] = 1
                return labels
    _dissolve_zero_vertices(adjacent, weight, alive, log)
    decided, found = _search(adjacent, weight, alive, threshold, _SEARCH_BUDGET)
    if decided:
        return found
    sweep = _sweep_order(adjacent, alive)
    if max(len(frontier) for frontier in sweep.frontiers) <= _FRONTIER_LIMIT:
        return _frontier_split(sweep, adjacent, weight, threshold)
    return _search(adjacent, weight, alive, threshold, None)[1]


def _st_ordering(source: int, sink: int, adjacent: list[set[int]]) -> list[int]:
    """An st-ordering of a graph without cut vertices (Tarjan 1986): every vertex but the
    source has an earlier neighbour and every vertex but the sink a later one."""
    joined = sink not in adjacent[source]  # the algorithm needs the edge; no prefix uses it
    adjacent[source].add(sink)
    adjacent[sink].add(source)
    preorder = {source: 0}
    parent = {source: source}
    order = [source]
    stack = [(source, iter([sink, *sorted(adjacent[source] - {sink})]))]
    while stack:
        v, untried = stack[-1]
        for u in untried:
            if u not in preorder:
                preorder[u] = len(order)
                parent[u] = v
                order.append(u)
                stack.append((u, iter(sorted(adjacent[u]))))
                break
        else:
            stack.pop()
    low: dict[int, int] = {}
    for v in reversed(order):
        lowest = v
        for u in adjacent[v]:
            if u != source and parent[u] == v:
                candidate = low[u]
            elif u != parent[v]:
                candidate = u
            else:
                continue
            if preorder[candidate] < preorder[lowest]:
                lowest = candidate
        low[v] = lowest
    after: dict[int, int] = {source: sink, sink: -1}
    before: dict[int, int] = {source: -1, sink: source}
    is_minus = {source: True}
    for v in order[2:]:
        p = parent[v]
        if is_minus[low[v]]:
            before[v], after[v] = before[p], p
            after[before[p]] = v
            before[p] = v
            is_minus[p] = False
        else:
            before[v], after[v] = p, after[p]
            if after[p] >= 0:
                before[after[p]] = v
            after[p] = v
            is_minus[p] = True
    ordering = [source]
    while after[ordering[-1]] >= 0:
        ordering.append(after[ordering[-1]])
    if joined:
        adjacent[source].discard(sink)
        adjacent[sink].discard(source)
    return ordering


def _dissolve_zero_vertices(
    adjacent: list[set[int]],
    weight: list[int],
    alive: set[int],
    log: list[tuple[int, int, tuple[int, ...]]],
) -> None:
    """Replace each vertex without members and with at most three neighbours by edges joining
    its neighbours. Valid: with three neighbours or fewer, only one of two disjoint sets can
    use it to connect anything, and that set may take the vertex back."""
    changed = True
    while changed:
        changed = False
        for z in sorted(alive):
            if weight[z] or len(adjacent[z]) > 3:
                continue
            near = tuple(sorted(adjacent[z]))
            for a in near:
                adjacent[a].discard(z)
                adjacent[a].update(b for b in near if b != a)
            adjacent[z] = set()
            alive.discard(z)
            log.append((_DISSOLVED, z, near))
            changed = True


def _search(
    adjacent: list[set[int]], weight: list[int], alive: set[int], threshold: int, budget: int | None
) -> tuple[bool, list[int] | None]:
    """Exhaustive: every connected set S holding a fixed root, grown one vertex at a time.

    Growth stops once S reaches T: if no piece of the rest reaches T then, none will for a
    larger S either. A branch is dropped as soon as the rest has no piece reaching T or S can
    no longer reach T. Each connected set is visited at most once (candidates tried before
    are excluded from later branches). Returns (False, None) when `budget` sets did not settle
    it: the count of connected sets grows fast with wide areas of buildings without members.
    """
    near = [0] * len(weight)
    everything = 0
    for v in alive:
        everything |= 1 << v
        for u in adjacent[v]:
            near[v] |= 1 << u

    def flood(seed: int, within: int) -> int:
        reached = frontier = seed
        while frontier:
            lowest = frontier & -frontier
            frontier ^= lowest
            new = near[lowest.bit_length() - 1] & within & ~reached
            reached |= new
            frontier |= new
        return reached

    def weigh(mask: int) -> int:
        total = 0
        while mask:
            lowest = mask & -mask
            mask ^= lowest
            total += weight[lowest.bit_length() - 1]
        return total

    def heavy_piece(within: int) -> int:
        while within:
            piece = flood(within & -within, within)
            if weigh(piece) >= threshold:
                return piece
            within &= ~piece
        return 0

    root = min(alive, key=lambda v: (-weight[v], v))
    # A frame: the set S, its weight, the candidates not yet tried, the excluded vertices.
    stack = [[1 << root, weight[root], near[root], 0]]
    while stack:
        frame = stack[-1]
        chosen, chosen_weight, untried, excluded = frame
        if not untried:
            stack.pop()
            continue
        lowest = untried & -untried
        v = lowest.bit_length() - 1
        frame[2] = untried ^ lowest
        frame[3] = excluded | lowest
        grown = chosen | lowest
        grown_weight = chosen_weight + weight[v]
        rest = everything & ~grown
        if budget is not None:
            budget -= 1
            if budget < 0:
                return False, None
        if grown_weight >= threshold:
            piece = heavy_piece(rest)
            if piece:
                labels = [0] * len(weight)
                for u in range(len(weight)):
                    if grown >> u & 1:
                        labels[u] = 1
                    elif piece >> u & 1:
                        labels[u] = 2
                return True, labels
            continue
        if not heavy_piece(rest) or weigh(flood(grown, everything & ~excluded)) < threshold:
            continue
        stack.append(
            [grown, grown_weight, (untried ^ lowest | near[v]) & ~grown & ~excluded, excluded]
        )
    return True, None


@dataclass(frozen=True, slots=True)
class _Sweep:
    """Vertices in sweep order; before step i the frontier (processed vertices with unprocessed
    neighbours) is frontiers[i]. Step i keeps the frontier positions in keep[i], appends order[i]
    when it has unprocessed neighbours, and joins it to the frontier positions in touching[i]."""

    order: list[int]
    frontiers: list[list[int]]
    keep: list[list[int]]
    touching: list[list[int]]


def _sweep_order(adjacent: list[set[int]], alive: set[int]) -> _Sweep:
    """A narrow sweep: of greedy sweeps from both ends of a long shortest path, the one whose
    frontiers promise the least work (states grow about 4**width)."""
    first = _farthest(min(alive, key=lambda v: (len(adjacent[v]), v)), adjacent)[0]
    second = _farthest(first, adjacent)[0]
    sweeps = [
        _sweep_from(start, _farthest(start, adjacent)[1], adjacent, alive, by_distance)
        for start in (first, second)
        for by_distance in (True, False)
    ]
    return min(sweeps, key=lambda sweep: sum(4 ** len(frontier) for frontier in sweep.frontiers))


def _farthest(start: int, adjacent: list[set[int]]) -> tuple[int, dict[int, int]]:
    distance = {start: 0}
    queue = [start]
    for v in queue:
        for u in sorted(adjacent[v]):
            if u not in distance:
                distance[u] = distance[v] + 1
                queue.append(u)
    return queue[-1], distance


def _sweep_from(
    start: int,
    distance: dict[int, int],
    adjacent: list[set[int]],
    alive: set[int],
    by_distance: bool,
) -> _Sweep:
    """Always process next the vertex that leaves the smallest frontier, then (if asked) the
    one nearest the start, then the first in canonical order."""
    unprocessed = {v: len(adjacent[v]) for v in alive}  # unprocessed neighbours of each vertex
    processed: set[int] = set()
    frontier: list[int] = []
    sweep = _Sweep([], [], [], [])
    candidates = {start}
    for _ in range(len(alive)):

        def growth(u: int) -> tuple[int, int, int]:
            leaving = sum(1 for f in adjacent[u] if f in processed and unprocessed[f] == 1)
            joined = sum(1 for f in adjacent[u] if f in processed)
            return (unprocessed[u] - joined > 0) - leaving, distance[u] if by_distance else 0, u

        v = min(candidates, key=growth)
        candidates.discard(v)
        candidates.update(u for u in adjacent[v] if u not in processed)
        sweep.order.append(v)
        sweep.frontiers.append(frontier)
        sweep.touching.append([p for p, f in enumerate(frontier) if f in adjacent[v]])
        for u in adjacent[v]:
            unprocessed[u] -= 1
        processed.add(v)
        candidates.discard(v)
        sweep.keep.append([p for p, f in enumerate(frontier) if unprocessed[f]])
        frontier = [frontier[p] for p in sweep.keep[-1]]
        if unprocessed[v]:
            frontier = [*frontier, v]
    sweep.frontiers.append(frontier)
    return sweep


def _frontier_split(
    sweep: _Sweep, adjacent: list[set[int]], weight: list[int], threshold: int
) -> list[int] | None:
    """Exact, by dynamic programming along the sweep: every vertex goes to side 1 or 2; a state
    records each frontier vertex's side and which of them are already joined on that side, the
    weight of each side (capped at T) and which sides are complete. A side's piece that leaves
    the frontier for good must be that whole side, so the side is then complete; the sides of a
    final state are connected and both reach T. States grow with the frontier, not the size."""
    # A state: (codes of the frontier vertices: piece * 2 + side - 1, weights of sides 1 and 2,
    # bit mask of the complete sides). Each layer maps a state to (previous state, side).
    State = tuple[tuple[int, ...], int, int, int]
    still_to_come = [0] * (len(sweep.order) + 1)  # weight of the vertices after each step
    for step in range(len(sweep.order) - 1, -1, -1):
        still_to_come[step] = still_to_come[step + 1] + weight[sweep.order[step]]
    layers: list[dict[State, tuple[State, int]]] = []
    current: dict[State, tuple[State, int]] = {((), 0, 0, 0): (((), 0, 0, 0), 0)}
    for step, v in enumerate(sweep.order):
        keep, touching = sweep.keep[step], sweep.touching[step]
        stays = bool(sweep.frontiers[step + 1]) and sweep.frontiers[step + 1][-1] == v
        following: dict[State, tuple[State, int]] = {}
        left = still_to_come[step + 1]
        for state in current:
            codes, weight_one, weight_two, complete = state
            pieces = set(codes)
            for bit in (0, 1):  # the side of v: 0 for side 1, 1 for side 2
                if complete >> bit & 1 or (step == 0 and bit):
                    continue
                joined = {codes[p] for p in touching if codes[p] & 1 == bit}
                new_piece = -2 + bit  # v's piece, joined with `joined`; -2 & 1 == 0, -1 & 1 == 1
                survivors = [new_piece if codes[p] in joined else codes[p] for p in keep]
                if stays:
                    survivors.append(new_piece)
                still_open = set(survivors)
                closing = [c for c in pieces - joined if c not in still_open]
                if new_piece not in still_open:
                    closing.append(new_piece)
                now_complete = complete
                if closing:
                    open_sides = {c & 1 for c in still_open}
                    for piece in closing:
                        side_bit = 1 << (piece & 1)
                        if now_complete & side_bit or piece & 1 in open_sides:
                            break  # that side would end up in two pieces
                        now_complete |= side_bit
                    else:
                        closing = []
                    if closing:
                        continue
                weight_one_after = min(threshold, weight_one + (0 if bit else weight[v]))
                weight_two_after = min(threshold, weight_two + (weight[v] if bit else 0))
                # A side must reach T: it cannot once complete, nor with less than is left.
                short_one, short_two = threshold - weight_one_after, threshold - weight_two_after
                if short_one and (now_complete & 1 or short_one > left):
                    continue
                if short_two and (now_complete & 2 or short_two > left):
                    continue
                renumber: dict[int, int] = {}
                new_codes = tuple(
                    renumber.setdefault(piece, len(renumber)) * 2 + (piece & 1)
                    for piece in survivors
                )
                following.setdefault(
                    (new_codes, weight_one_after, weight_two_after, now_complete),
                    (state, bit + 1),
                )
        layers.append(following)
        current = following
    goal: State = ((), threshold, threshold, 3)
    if goal not in current:
        return None
    labels = [0] * len(weight)
    state = goal
    for step in range(len(sweep.order) - 1, -1, -1):
        state, labels[sweep.order[step]] = layers[step][state]
    return labels


def _expand(
    labels: list[int],
    log: list[tuple[int, int, tuple[int, ...]]],
    neighbours: Sequence[Sequence[int]],
    weights: Sequence[int],
) -> tuple[list[int], list[int]]:
    """Map two disjoint connected sets of the reduced graph back to a split of the original."""
    for kind, v, others in reversed(log):
        if kind == _MERGED:
            for u in others:
                labels[u] = labels[v]
        else:
            sides = [labels[u] for u in others]
            labels[v] = 1 if sides.count(1) >= 2 else 2 if sides.count(2) >= 2 else 0
    side_weight = [0, 0, 0]
    for v, label in enumerate(labels):
        side_weight[label] += weights[v]
    for start, label in enumerate(labels):
        if label:
            continue
        # A leftover piece touches a side (the graph is connected): it joins the lighter one.
        piece = [start]
        in_piece = {start}
        touching: set[int] = set()
        for v in piece:
            for u in neighbours[v]:
                if labels[u]:
                    touching.add(labels[u])
                elif u not in in_piece:
                    in_piece.add(u)
                    piece.append(u)
        side = min(touching, key=lambda s: (side_weight[s], s))
        for v in piece:
            labels[v] = side
            side_weight[side] += weights[v]
    return (
        [v for v, label in enumerate(labels) if label == 1],
        [v for v, label in enumerate(labels) if label == 2],
    )
