"""Idle bandwidth: bytes per second an idle desk sends to the terminal (target <= 2 KiB/s).

    python bench/idle_bandwidth.py [--db PATH] [--seconds 10] [--size 120x35]

Runs the desk under a pseudo-terminal of the given size on a demo database, lets it start
(and settle) for a few seconds, then counts what it writes during the measuring window.
Without --db a 300-ticket demo database is generated in a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pty_term import Pty

CHILD = """
import sys
from deskui.api.embedded import EmbeddedDeskApi
from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services.context import ServiceContext
from deskui.store.engine import make_engine
from deskui.ui.app import DeskApp
url = f"sqlite:///{sys.argv[1]}"
ctx = ServiceContext(make_engine(url), Settings(db_url=url, lang=sys.argv[2]))
actor = Actor(1, "admin", "Admin", Role.ADMIN, None)
DeskApp(EmbeddedDeskApi(ctx, actor), actor, settings=ctx.settings).run()
"""


def demo_db(folder: Path) -> Path:
    from datetime import UTC, datetime

    from deskui.services.demo import generate_demo
    from deskui.store.engine import make_engine

    path = folder / "idle.db"
    engine = make_engine(f"sqlite:///{path}")
    generate_demo(engine, tickets=300, now=datetime.now(UTC), seed=7)
    engine.dispose()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--size", default="120x35")
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    cols, rows = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_db(Path(tmp))
        term = Pty([sys.executable, "-c", CHILD, str(db), args.lang], cols, rows, {})
        try:
            startup = term.count(args.warmup)
            idle = term.count(args.seconds)
        finally:
            term.finish()
    rate = idle / args.seconds
    print(f"startup output: {startup} bytes in {args.warmup:.0f} s (first paint)")
    print(f"idle: {idle} bytes in {args.seconds:.0f} s = {rate:.0f} B/s ({rate / 1024:.2f} KiB/s)")
    print("OK" if rate <= 2048 else "OVER the 2 KiB/s budget")


if __name__ == "__main__":
    main()
