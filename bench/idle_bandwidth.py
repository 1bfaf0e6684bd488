"""Idle traffic of a desk nobody touches: what it draws on the terminal, and in server mode
what crosses the socket and what the server and the desk spend in CPU.

    python bench/idle_bandwidth.py [--db PATH] [--seconds 60] [--size 120x35]
        [--mode embedded|server|both]

Runs the real `deskui` command in a pseudo-terminal of the given size, waits for its first
queue row, lets it settle (`--warmup` seconds, then until its CPU stays under 5 % for 3 s:
its counts and side panels), then measures during the next `--seconds`. Without --db a
300-ticket demo database is generated in a temporary folder.

Modes (`--mode`, default both): embedded runs `deskui --db URL`; server starts a real
`deskui server` on the same database and runs `deskui --server SOCKET`, the desk connected
through a relay that counts the bytes each way.
Targets: terminal <= 2 KiB/s; server mode: socket <= 60 KiB/min (the terminal's budget
halved, for one idle desk), the idle server < 5 % of a core, the idle desk < 5 % of a core.
On a big database the server's sweep (`--sweep-seconds`, 60) may write reminders as tickets
cross their thresholds: each is a change, pushed, and the desk re-reads what it shows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desk_modes import (
    CountingRelay,
    ServerProcess,
    add_mode_option,
    cpu_seconds,
    db_url,
    deskui_exe,
    modes,
    print_table,
)
from pty_term import Pty

ENV = {"DESKUI_LANG": "en"}
TERMINAL_BUDGET = 2048  # bytes per second
SOCKET_BUDGET = 60 * 1024  # bytes per minute
CPU_BUDGET = 0.05  # of one core
SETTLE_STEP = 3.0  # seconds


def demo_db(folder: Path) -> Path:
    from datetime import UTC, datetime

    from deskui.services.demo import generate_demo
    from deskui.store.engine import make_engine

    path = folder / "idle.db"
    engine = make_engine(f"sqlite:///{path}")
    generate_demo(engine, tickets=300, now=datetime.now(UTC), seed=7)
    engine.dispose()
    return path


def settle(pid: int, wait: Callable[[], object], limit: float = 90.0) -> float:
    """Seconds until the desk's CPU stays under the budget for one SETTLE_STEP (a 1M-ticket
    desk is still filling its side panels some seconds after its first row)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
        wait()
        if (cpu_seconds(pid) - cpu0) / (time.perf_counter() - wall0) < CPU_BUDGET:
            break
    return time.perf_counter() - start


def measure(
    argv: list[str],
    size: tuple[int, int],
    warmup: float,
    seconds: float,
    server: tuple[ServerProcess, CountingRelay] | None = None,
) -> dict[str, float]:
    """Terminal bytes at start-up and while idle, and CPU shares over the idle window (and,
    with a server, its CPU share and the socket's bytes per minute)."""
    term = Pty(argv, *size, ENV)
    try:
        first = term.until(b"SR-")
        term.count(warmup)
        settled = settle(term.proc.pid, lambda: term.count(SETTLE_STEP))
        startup = term.drawn
        sent0 = server[1].total() if server else 0
        desk0 = cpu_seconds(term.proc.pid)
        server0 = server[0].cpu() if server else 0.0
        wall0 = time.perf_counter()
        idle = term.count(seconds)
        wall = time.perf_counter() - wall0
        figures = {
            "first_row": first,
            "settled": settled,
            "startup": startup,
            "terminal": idle / wall,
            "desk_cpu": (cpu_seconds(term.proc.pid) - desk0) / wall,
        }
        if server:
            figures["socket"] = (server[1].total() - sent0) / wall * 60
            figures["server_cpu"] = (server[0].cpu() - server0) / wall
    finally:
        term.finish()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a SQLite file or a database URL (default: a 300-ticket demo)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0, help="after the first row")
    parser.add_argument("--size", default="120x35")
    parser.add_argument("--lang", default="en")
    parser.add_argument(
        "--sweep-seconds",
        type=float,
        default=60.0,
        help="the server's SLA sweep (60, as a site runs it; 0: off, so nothing at all changes "
        "and a sweep that writes reminders pushes no change the desk then re-reads)",
    )
    add_mode_option(parser)
    args = parser.parse_args()
    ENV["DESKUI_LANG"] = args.lang
    cols, rows = (int(v) for v in args.size.split("x"))
    print(
        f"{args.size} pty: first row, {args.warmup:.0f} s to settle, then {args.seconds:.0f} s idle"
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(demo_db(Path(tmp)))
        for mode in modes(args.mode):
            if mode == "embedded":
                argv = [deskui_exe(), "--db", db_url(db)]
                f = measure(argv, (cols, rows), args.warmup, args.seconds)
                title = "embedded: deskui --db URL"
            else:
                with ServerProcess(db, sweep_seconds=args.sweep_seconds) as process:
                    relay = CountingRelay(process.socket)
                    try:
                        argv = [deskui_exe(), "--server", str(relay.path)]
                        f = measure(argv, (cols, rows), args.warmup, args.seconds, (process, relay))
                    finally:
                        relay.close()
                title = "server: deskui --server SOCKET (a real deskui server on the same database)"
            table = [
                ("first row", f"{f['first_row']:.1f} s", "", None),
                ("settled (CPU < 5 %) after", f"{f['settled'] + args.warmup:.0f} s more", "", None),
                ("start-up (terminal bytes)", f"{f['startup']:.0f} B", "", None),
                (
                    "terminal, idle",
                    f"{f['terminal']:.0f} B/s",
                    "<= 2 KiB/s",
                    f["terminal"] <= TERMINAL_BUDGET,
                ),
                ("desk CPU, idle", f"{f['desk_cpu']:.2%}", "< 5 %", f["desk_cpu"] < CPU_BUDGET),
            ]
            if mode == "server":
                table += [
                    (
                        "socket, idle (both ways)",
                        f"{f['socket'] / 1024:.2f} KiB/min",
                        "<= 60 KiB/min",
                        f["socket"] <= SOCKET_BUDGET,
                    ),
                    (
                        "server CPU, idle with this desk",
                        f"{f['server_cpu']:.2%}",
                        "< 5 %",
                        f["server_cpu"] < CPU_BUDGET,
                    ),
                ]
            print_table(title, table)


if __name__ == "__main__":
    main()
