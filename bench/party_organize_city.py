"""Party groups for a whole city: 13,000 compounds, 250,000 buildings, 1,500,000 members.

Calls `party.formation.propose_groups` once per compound. The city is generated the same way
on every run: compounds of 10–40 buildings in rows or grids, a few buildings not yet linked
to their neighbours, 0–2 counted members in about a third of the buildings and 6 on average.
Baseline, measured in the same run: merely reading each compound into adjacency lists.
Each scale runs in a process of its own, so its peak memory is its own.

    python bench/party_organize_city.py              # scales 1/4, 1/2, 1 and 2
    python bench/party_organize_city.py --scale 1    # one scale
    python bench/party_organize_city.py --quick      # 1/50 of the city (CI smoke)
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jinlin.party.formation import Building, propose_groups  # noqa: E402

COMPOUNDS = 13_000

Compound = tuple[list[Building], list[tuple[str, str]]]


def generate_city(scale: float, seed: int = 2026) -> list[Compound]:
    rng = random.Random(seed)
    city = []
    for _ in range(round(COMPOUNDS * scale)):
        count = 10 + int(rng.betavariate(1.8, 3.95) * 31)
        columns = count if rng.random() < 0.4 else rng.randint(3, 8)  # a row, or a grid
        ids = [f"{k + 1}号楼" for k in range(count)]
        edges = [(ids[k], ids[k + 1]) for k in range(count - 1) if (k + 1) % columns]
        edges += [(ids[k], ids[k + columns]) for k in range(count - columns)]
        unlinked = {ids[k] for k in range(count) if rng.random() < 0.01}
        edges = [(a, b) for a, b in edges if a not in unlinked and b not in unlinked]
        buildings = [Building(building_id, _members(rng)) for building_id in ids]
        city.append((buildings, edges))
    return city


def _members(rng: random.Random) -> int:
    if rng.random() < 0.35:
        return rng.randint(0, 2)
    return 3 + int(rng.expovariate(1 / 6.2))


def read_only(city: list[Compound]) -> int:
    """The baseline: index the buildings and build adjacency lists, nothing more."""
    touched = 0
    for buildings, edges in city:
        index = {building.id: position for position, building in enumerate(buildings)}
        near: list[list[int]] = [[] for _ in buildings]
        for a, b in edges:
            near[index[a]].append(index[b])
            near[index[b]].append(index[a])
        touched += len(near)
    return touched


def run_scale(scale: float) -> dict[str, float]:
    city = generate_city(scale)
    started = time.perf_counter()
    read_only(city)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    plans = [propose_groups(buildings, edges) for buildings, edges in city]
    seconds = time.perf_counter() - started
    return {
        "scale": scale,
        "compounds": len(city),
        "buildings": sum(len(buildings) for buildings, _ in city),
        "members": sum(b.members for buildings, _ in city for b in buildings),
        "groups": sum(len(plan.groups) for plan in plans),
        "unplaceable": sum(len(part.buildings) for plan in plans for part in plan.unplaceable),
        "seconds": seconds,
        "baseline": baseline,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def describe(result: dict[str, float]) -> str:
    return (
        f"scale {result['scale']:<5g} {result['compounds']:>6,.0f} compounds "
        f"{result['buildings']:>8,.0f} buildings {result['members']:>10,.0f} members | "
        f"organise {result['seconds']:6.2f} s "
        f"({result['seconds'] / result['buildings'] * 1e6:5.1f} µs/building) | "
        f"baseline {result['baseline']:5.2f} s | ratio {result['seconds'] / result['baseline']:5.1f}× | "
        f"peak {result['peak_mb']:6.0f} MB | {result['groups']:,.0f} groups, "
        f"{result['unplaceable']:,.0f} buildings unplaceable"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, action="append")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_scale(args.scale[0])))
        return
    scales = [0.02] if args.quick else args.scale or [0.25, 0.5, 1.0, 2.0]
    print("Party groups for a city (propose_groups per compound; baseline: reading adjacency)")
    results = []
    for scale in scales:
        child = subprocess.run(
            [sys.executable, __file__, "--child", "--scale", str(scale)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(child.stdout))
        print(describe(results[-1]), flush=True)
    if len(results) > 1:
        per_building = ", ".join(f"{r['seconds'] / r['buildings'] * 1e6:.1f}" for r in results)
        print(f"µs per building across scales: {per_building} (flat = linear growth)")


if __name__ == "__main__":
    main()
