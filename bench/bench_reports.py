"""How long the monthly report takes on the 1M-ticket demo database (target: under 10 s).

Run: `python bench/bench_reports.py [--db bench/out/demo-1m.db] [--month YYYY-MM] [--runs 3]`.
The database comes from `python bench/make_db.py --tickets 1000000 --out bench/out/demo-1m.db`.

"Now" is frozen at the newest ticket's creation time, so the figures do not drift as the
database ages; the month defaults to the last complete month before it. Each run builds the
report (every SQL aggregate, the business-time histogram, the per-agent tables) and writes
it as XLSX, which is what `deskui report monthly --out FILE.xlsx` does. The staff assessment
and the weekly report are timed once for reference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from deskui.config import Settings
from deskui.services.context import ServiceContext
from deskui.services.report_render import write_report
from deskui.services.reports import agents_report, month_period, monthly_report, weekly_report
from deskui.store.engine import make_engine
from deskui.store.tables import Ticket

TARGET_SECONDS = 10.0
DEFAULT_DB = Path(__file__).parent / "out" / "demo-1m.db"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--month", help="YYYY-MM (default: the last complete month)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(
            f"{args.db} does not exist; make it with:\n"
            f"  python bench/make_db.py --tickets 1000000 --out {args.db}",
            file=sys.stderr,
        )
        return 2

    url = f"sqlite:///{args.db}"
    engine = make_engine(url)
    with engine.connect() as conn:
        newest: datetime = conn.execute(select(func.max(Ticket.created_at))).scalar_one()
        tickets = conn.execute(select(func.count()).select_from(Ticket)).scalar_one()
    settings = Settings(db_url=url)
    ctx = ServiceContext(engine, settings, clock=lambda: newest)
    month = args.month or month_period("last", newest, ctx.site.zone).label
    print(f"database: {args.db} ({tickets:,} tickets); now = {newest:%Y-%m-%d %H:%M} UTC")

    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "monthly.xlsx"
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            report = monthly_report(ctx, month)
            built = time.perf_counter()
            write_report(report, "xlsx", out)
            done = time.perf_counter()
            samples.append(done - started)
            print(
                f"monthly report {month}, run {run}: {done - started:.2f} s "
                f"(queries {built - started:.2f} s, xlsx {done - built:.2f} s)"
            )
    best, median = min(samples), statistics.median(samples)
    verdict = "OK" if median < TARGET_SECONDS else "TOO SLOW"
    print(
        f"monthly report: best {best:.2f} s, median {median:.2f} s — {verdict} (target < {TARGET_SECONDS:.0f} s)"
    )

    for name, build, period in (
        ("staff assessment", agents_report, "last"),
        ("weekly report", weekly_report, "last"),
    ):
        started = time.perf_counter()
        build(ctx, period)
        print(f"{name} ({period}): {time.perf_counter() - started:.2f} s")
    engine.dispose()
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
