"""How many due-time computations per second the default SLA policy manages.

Run: `python bench/bench_sla.py [N]`. The queue recomputes due times whenever a ticket's
priority/category/tier changes and on imports, so this must stay well above 50,000/s.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from deskui.domain.enums import Category, Priority, Tier
from deskui.domain.sla import SlaPolicy, SlaSettings

TARGET_PER_SECOND = 50_000


Ticket = tuple[Priority, Category, Tier, datetime]


def make_inputs(count: int, seed: int = 20261123) -> list[Ticket]:
    """Random tickets received at any minute of 2025-2027 (Shanghai time)."""
    rng = random.Random(seed)
    zone = ZoneInfo("Asia/Shanghai")
    base = datetime(2025, 1, 1, tzinfo=zone)
    span_minutes = 3 * 365 * 24 * 60
    priorities, categories, tiers = list(Priority), list(Category), list(Tier)
    return [
        (
            rng.choice(priorities),
            rng.choice(categories),
            rng.choice(tiers),
            base + timedelta(minutes=rng.randrange(span_minutes)),
        )
        for _ in range(count)
    ]


def run(count: int) -> float:
    """Computations per second over `count` inputs (calendar caches warmed first)."""
    policy = SlaPolicy.from_settings(SlaSettings())
    inputs = make_inputs(count)
    for args in inputs[: min(count, 5_000)]:
        policy.due_times(*args)
    due_times = policy.due_times
    began = time.perf_counter()
    for priority, category, tier, start in inputs:
        due_times(priority, category, tier, start)
    return count / (time.perf_counter() - began)


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 200_000
    rate = run(count)
    verdict = "ok" if rate >= TARGET_PER_SECOND else f"below target {TARGET_PER_SECOND:,}/s"
    print(f"{count:,} due-time computations: {rate:,.0f}/s ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
