"""Make a demo database for the benchmarks.

    python bench/make_db.py --tickets 1000000 --out bench/out/demo-1m.db
    python bench/make_db.py --tickets 20000 --db postgresql+psycopg://postgres@localhost/demo

Creates (or migrates) the database, fills it with `deskui.services.demo.generate_demo`, and
prints what was written and how long it took. An existing SQLite file is kept unless --force.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="default 100000")
    parser.add_argument("--out", type=Path, help="SQLite file (default bench/out/demo-<N>.db)")
    parser.add_argument("--db", help="a database URL instead of --out (must be empty)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", help="ISO instant the history ends at (default: now)")
    parser.add_argument("--workers", type=int, help="generator processes (default: automatic)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    return parser.parse_args(argv)


def _sqlite_url(out: Path, force: bool) -> str:
    """Refuse to overwrite unless told to; then remove the file and its WAL companions."""
    companions = [out.with_name(out.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
    if out.exists():
        if not force:
            raise SystemExit(f"{out} exists; use --force to replace it")
        for path in (out, *companions):
            path.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{out}"


def _now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _progress(started: float) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"\r  {done:>10,} / {total:,} tickets  {elapsed:6.1f} s", end="", file=sys.stderr)

    return report


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    from deskui.services.demo import generate_demo  # after argparse: --help stays instant
    from deskui.store.engine import make_engine

    out = args.out or HERE / "out" / f"demo-{args.tickets}.db"
    url = args.db or _sqlite_url(out, args.force)
    started = time.perf_counter()
    engine = make_engine(url)
    try:
        summary = generate_demo(
            engine,
            tickets=args.tickets,
            now=_now(args.now),
            seed=args.seed,
            workers=args.workers,
            progress=_progress(started),
        )
    finally:
        engine.dispose()  # also checkpoints and removes a SQLite WAL
    total = time.perf_counter() - started
    print(file=sys.stderr)
    print(summary)
    print(f"total time (with migration): {total:.1f} s")
    if not args.db:
        print(f"file: {out} ({out.stat().st_size / 1e6:,.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
