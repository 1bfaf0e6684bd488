"""Import speed: N ticket rows from CSV into an empty SQLite database (target: 100k < 60 s).

Usage: python bench/bench_import.py [--rows 100000] [--db URL]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskui.config import Settings
from deskui.domain.enums import Category, Channel, Priority, Role, Tier
from deskui.services.accounts import add_agent
from deskui.services.context import ServiceContext
from deskui.services.exchange import import_tickets
from deskui.store.engine import make_engine
from deskui.store.migrate import upgrade


def write_rows(path: Path, rows: int) -> None:
    rng = random.Random(1)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "created_at",
                "channel",
                "category",
                "priority",
                "tier",
                "customer_name",
                "customer_phone",
                "subject",
                "description",
            ]
        )
        for i in range(rows):
            created = start + timedelta(minutes=rng.randrange(0, 400 * 24 * 60))
            writer.writerow(
                [
                    created.isoformat(),
                    rng.choice(list(Channel)).value,
                    rng.choice(list(Category)).value,
                    rng.choice(list(Priority)).value,
                    rng.choice(list(Tier)).value,
                    f"客户{i % 20000}",
                    f"138{i % 20000:08d}",
                    f"路由器频繁掉线 #{i}",
                    "customer reports intermittent drops",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "rows.csv"
        write_rows(source, args.rows)
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        ctx = ServiceContext(engine, Settings(db_url=url))
        admin = add_agent(ctx, "bench", role=Role.ADMIN)
        began = time.perf_counter()
        report = import_tickets(ctx, admin, source)
        elapsed = time.perf_counter() - began
        print(
            f"imported {report.imported:,} rows in {elapsed:.1f} s ({report.imported / elapsed:,.0f} rows/s); "
            f"target: 100,000 in < 60 s"
        )


if __name__ == "__main__":
    main()
