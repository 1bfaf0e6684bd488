"""Desk bench on the 1M-ticket demo database.

    python bench/bench_desk.py [--db bench/out/demo-1m.db]

Measures, each in a fresh subprocess:
  * launch: process start -> the queue shows its first rows (interactive), vs. importing
    textual + sqlalchemy + pydantic and painting an empty Textual app (target <= 1.25x);
  * peak RSS of the desk run (target <= 90 MiB);
  * key -> repaint for scroll (down, pagedown, end, home), view switch, filter, search and
    opening a ticket (target <= 50 ms each), timed as `pilot.press` + settled workers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DB = HERE / "out" / "demo-1m.db"

CHILD_PRELUDE = """
import sys, time, json
T0 = float(sys.argv[1])
"""

BASELINE = (
    CHILD_PRELUDE
    + """
import textual, sqlalchemy, pydantic  # noqa
from textual.app import App
from textual.widgets import Static
class Empty(App):
    def compose(self):
        yield Static("ready")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        print(json.dumps({"ready": time.time() - T0}))
        self.exit()
Empty().run(headless=True, size=(120, 35))
"""
)

DESK = (
    CHILD_PRELUDE
    + """
import asyncio, statistics
from datetime import UTC, datetime
DB = sys.argv[2]
MODE = sys.argv[3]
from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services.context import ServiceContext
from deskui.store.engine import make_engine
from deskui.ui.app import DeskApp

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
url = f"sqlite:///{DB}"
ctx = ServiceContext(make_engine(url), Settings(db_url=url, lang="en"), clock=lambda: NOW)
app = DeskApp(ctx, Actor(1, "admin", "Admin", Role.ADMIN, None), clock=lambda: NOW)

async def settle(pilot):
    for _ in range(50):
        await pilot.pause()
        if not any(w.is_running for w in app.workers if w.group == "queue-window"):
            tables = app.screen.query("QueueTable")
            if tables and not tables.first()._busy and tables.first().reader is not None:
                break  # the read finished (an empty result is a result too)
        await asyncio.sleep(0.001)

async def main():
    out = {}
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        out["ready"] = time.time() - T0
        if MODE == "launch":
            print(json.dumps(out)); return
        from deskui.ui.widgets.queue import QueuePanel, QueueTable
        table = app.screen.query_one(QueueTable)
        panel = app.screen.query_one(QueuePanel)
        await app.workers.wait_for_complete()
        await pilot.pause()
        timings = {}

        async def timed(name, *keys, prepare=None):
            samples = []
            for _ in range(5):
                if prepare:
                    await prepare()
                t = time.perf_counter()
                await pilot.press(*keys)
                await settle(pilot)
                samples.append((time.perf_counter() - t) * 1000)
            timings[name] = samples

        await timed("down", "down")
        await timed("pagedown", "pagedown")
        await timed("end", "end")
        await timed("pageup (from end)", "pageup")
        await timed("home", "home")
        async def to_open():
            panel.set_view(__import__("deskui.store.queue", fromlist=["View"]).View.OPEN)
            await app.workers.wait_for_complete(); await pilot.pause()
        await timed("next view", "right_square_bracket", prepare=to_open)
        await timed("sort", "s")
        from deskui.domain.enums import Category
        from deskui.store.queue import QueueFilter, View
        async def set_filter():
            t = time.perf_counter()
            panel.set_filter(QueueFilter(category=Category.COMPLAINT))
            await settle(pilot)
            return (time.perf_counter() - t) * 1000
        timings["filter (category)"] = [await set_filter() for _ in range(3)]
        panel.set_view(View.ALL)
        await app.workers.wait_for_complete()
        for term in ("摄像头", "hotline", "SR-20261120"):
            samples = []
            for _ in range(3):
                t = time.perf_counter()
                panel.set_filter(QueueFilter(search=term))
                await settle(pilot)
                samples.append((time.perf_counter() - t) * 1000)
            timings[f"search {term}"] = samples
        panel.set_filter(QueueFilter())
        await app.workers.wait_for_complete()
        # opening a ticket: enter -> detail panel shows it
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            await pilot.press("down", "enter")
            for _ in range(200):
                await pilot.pause()
                detail = app.screen.panel_widget(2)
                if not any(w.is_running for w in app.workers if w.node is detail):
                    break
                await asyncio.sleep(0.001)
            samples.append((time.perf_counter() - t) * 1000)
        timings["open ticket"] = samples
        out["timings"] = {k: round(statistics.median(v), 1) for k, v in timings.items()}
        out["timings_max"] = {k: round(max(v), 1) for k, v in timings.items()}
    print(json.dumps(out))

asyncio.run(main())
"""
)


def run_child(code: str, *args: str) -> tuple[dict, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-c", code, str(time.time()), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "TEXTUAL": ""},
        check=False,
    )
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode:
        raise SystemExit(f"child failed:\n{proc.stderr[-3000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(line), max(rss, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(
            f"{args.db} missing: python bench/make_db.py --tickets 1000000 --out {args.db}"
        )
    base = [run_child(BASELINE)[0]["ready"] for _ in range(args.runs)]
    launches, rss = [], 0.0
    for _ in range(args.runs):
        result, peak = run_child(DESK, str(args.db), "launch")
        launches.append(result["ready"])
        rss = max(rss, peak)
    keys, peak = run_child(DESK, str(args.db), "keys")
    rss = max(rss, peak)
    b, d = statistics.median(base), statistics.median(launches)
    print(f"empty Textual app (import textual+sqlalchemy+pydantic, first paint): {b * 1000:.0f} ms")
    print(f"desk launch to interactive queue:                                   {d * 1000:.0f} ms")
    print(f"ratio: {d / b:.2f}x (target <= 1.25x)")
    print(f"peak RSS (max over children, RUSAGE_CHILDREN): {rss:.0f} MiB (target <= 90)")
    print("key -> repaint, median / max ms (target <= 50):")
    for name, value in keys["timings"].items():
        print(f"  {name:24s} {value:7.1f} / {keys['timings_max'][name]:7.1f}")


if __name__ == "__main__":
    main()
