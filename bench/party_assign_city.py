"""A contact member for every household of a city: about 9,000,000 households.

Calls `party.assignment.assign_households` once per Party group: 72,000 groups of 3–12 members
(one in ten excused from contacts) with 50–200 households each in 1–6 buildings. Groups are
generated the same way on every run, a batch at a time (outside the timing), so memory stays
flat. Baseline, measured in the same run on the same batches: merely iterating the households
and bucketing them by building.

    python bench/party_assign_city.py              # scales 1/4, 1/2 and 1
    python bench/party_assign_city.py --scale 1    # one scale
    python bench/party_assign_city.py --quick      # 1/100 of the city (CI smoke)
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jinlin.party.assignment import Household, Member, assign_households  # noqa: E402

GROUPS = 72_000
BATCH = 1_000

Group = tuple[list[Member], list[Household]]


def generate_groups(rng: random.Random, first: int, count: int) -> list[Group]:
    groups = []
    for number in range(first, first + count):
        buildings = [
            f"c{number // 20}-{k}号楼" for k in rng.sample(range(1, 41), rng.randint(1, 6))
        ]
        members = [
            Member(f"p{number}-{i}", rng.choice(buildings), rng.random() > 0.1)
            for i in range(rng.randint(3, 12))
        ]
        households = [
            Household(f"{building}-{rng.randint(1, 30)}{i:03d}", building)
            for i, building in enumerate(rng.choice(buildings) for _ in range(rng.randint(50, 200)))
        ]
        groups.append((members, households))
    return groups


def bucket_only(groups: list[Group]) -> int:
    """The baseline: iterate the households and bucket them by building, nothing more."""
    touched = 0
    for _, households in groups:
        by_building: dict[str, list[str]] = {}
        for household in households:
            by_building.setdefault(household.building, []).append(household.id)
        touched += len(by_building)
    return touched


def run_scale(scale: float) -> str:
    rng = random.Random(2026)
    total_groups = round(GROUPS * scale)
    seconds = baseline = 0.0
    households = members = uncovered = 0
    worst_spread = 0
    for first in range(0, total_groups, BATCH):
        batch = generate_groups(rng, first, min(BATCH, total_groups - first))
        started = time.perf_counter()
        bucket_only(batch)
        baseline += time.perf_counter() - started
        started = time.perf_counter()
        results = [
            assign_households(group_members, group_households)
            for group_members, group_households in batch
        ]
        seconds += time.perf_counter() - started
        for (group_members, group_households), result in zip(batch, results, strict=True):
            households += len(group_households)
            members += len(group_members)
            uncovered += len(result.uncovered)
            if result.loads:
                worst_spread = max(
                    worst_spread, max(result.loads.values()) - min(result.loads.values())
                )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"scale {scale:<5g} {total_groups:>6,} groups {members:>8,} members {households:>10,} households | "
        f"assign {seconds:6.2f} s ({seconds / households * 1e6:4.2f} µs/household) | "
        f"baseline {baseline:5.2f} s | ratio {seconds / baseline:4.1f}× | peak {peak:5.0f} MB | "
        f"largest load spread {worst_spread}, {uncovered:,} households uncovered"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, action="append")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scales = [0.01] if args.quick else args.scale or [0.25, 0.5, 1.0]
    print(
        "Contact members for a city (assign_households per group; baseline: bucketing by building)"
    )
    for scale in scales:
        print(run_scale(scale), flush=True)


if __name__ == "__main__":
    main()
