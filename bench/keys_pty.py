"""Key-to-repaint in a real terminal: the desk runs under a pseudo-terminal and each key's
time is measured from writing its bytes to the last byte of the repaint it causes (the
output burst ends after 150 ms of silence, which is not counted). Target: each key <= 50 ms.

    python bench/keys_pty.py --db PATH [--size 120x35] [--repeat 5]

'first byte' is when the terminal starts showing the change (the cursor moved, the
dialog closed); 'all done' includes follow-up repaints such as the detail panel catching up.
This is what a user feels, unlike Pilot timings, which include the test harness's own waits.
The desk polls a change marker and ticks its clocks, so a sample may include one of those;
medians are reported.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

CHILD = """
import sys
from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services.context import ServiceContext
from deskui.store.engine import make_engine
from deskui.ui.app import DeskApp
url = f"sqlite:///{sys.argv[1]}"
ctx = ServiceContext(make_engine(url), Settings(db_url=url, lang="en", refresh_seconds=30))
DeskApp(ctx, Actor(1, "admin", "Admin", Role.ADMIN, None)).run()
"""
QUIET = 0.15
DOWN, PGDN, PGUP, HOME, END, ENTER, ESC = (
    "\x1b[B",
    "\x1b[6~",
    "\x1b[5~",
    "\x1b[H",
    "\x1b[F",
    "\r",
    "\x1b",
)


def burst(
    fd: int, quiet: float = QUIET, limit: float = 10.0
) -> tuple[float | None, float | None, int]:
    """Read until `quiet` seconds pass with no output: (first byte, last byte, bytes)."""
    first = last = None
    size = 0
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            break
        chunk = os.read(fd, 65536)
        now = time.perf_counter()
        first = first or now
        last = now
        size += len(chunk)
    return first, last, size


def press(fd: int, keys: str) -> tuple[float, float]:
    """Send keys; milliseconds to the first repaint byte and to the end of the repaint."""
    burst(fd, quiet=0.3)  # start from silence
    sent = time.perf_counter()
    os.write(fd, keys.encode())
    first, last, _size = burst(fd)
    if first is None or last is None:
        return 0.0, 0.0
    return (first - sent) * 1000, (last - sent) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--size", default="120x35")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cols, rows = (int(v) for v in args.size.split("x"))
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(args.db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    results: dict[str, list[tuple[float, float]]] = {}

    def measure(name: str, keys: str, before: str = "") -> None:
        for _ in range(args.repeat):
            if before:
                for key in before:
                    os.write(master, key.encode())
                    burst(master, quiet=0.3)
            results.setdefault(name, []).append(press(master, keys))

    try:
        burst(master, quiet=2.0, limit=60)  # start-up
        measure("down", DOWN)
        measure("pagedown", PGDN)
        measure("pageup", PGUP)
        measure("end", END)
        measure("home", HOME)
        measure("next view", "]")
        measure("sort", "s")
        # filter: open the dialog, pick the first category, measure the apply
        for _ in range(args.repeat):
            for key in ("f", ENTER, DOWN, ENTER):
                os.write(master, key.encode())
                burst(master, quiet=0.3)
            results.setdefault("filter (category)", []).append(press(master, "\x13"))
            os.write(master, b"x")
            burst(master, quiet=0.3)
        for term in ("摄像头", "hotline", "SR-2026112"):
            for _ in range(args.repeat):
                os.write(master, b"/")
                burst(master, quiet=0.3)
                os.write(master, term.encode())
                burst(master, quiet=0.3)
                results.setdefault(f"search {term}", []).append(press(master, ENTER))
                os.write(master, ESC.encode())
                burst(master, quiet=0.3)
                os.write(master, b"x")
                burst(master, quiet=0.3)
        measure("open ticket", ENTER, before=DOWN)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)
    print(f"key -> repaint in a {args.size} pty, median ms (target <= 50):")
    print(f"  {'key':<22} {'first byte':>10} {'all done':>10}")
    for name, samples in results.items():
        first = statistics.median(s[0] for s in samples)
        done = statistics.median(s[1] for s in samples)
        print(f"  {name:<22} {first:10.1f} {done:10.1f}")


if __name__ == "__main__":
    main()
