"""Launch to an interactive queue, and peak memory, of the real `deskui` command in a
pseudo-terminal, against the issue's yardstick: importing textual + sqlalchemy + pydantic
and painting an empty Textual app in the same terminal.

    python bench/launch_pty.py --db bench/out/demo-1m.db [--size 120x35] [--runs 5]
        [--mode embedded|server|both]
    python bench/launch_pty.py --db postgresql+psycopg://postgres@localhost/demo1m

"Interactive queue" is the moment the first ticket number is drawn: the desk is signed in
(the real CLI path: settings, schema check, sign-in with its audit event) and its queue
shows rows. Peak RSS is the desk's maximum resident set over a short session after that:
scrolling to the end and back, every view, opening a ticket, every panel.
Targets: launch <= 1.25 x the empty app; peak RSS <= 90 MiB.

Modes (`--mode`, default both): embedded runs `deskui --db URL`; server starts a real
`deskui server` on the same database once (its start-up is not counted: a site's server is
already running) and runs `deskui --server SOCKET`. The yardstick is the same bare app in both
modes. In server mode the desk must not import SQLAlchemy at all: one more launch, not timed,
records which heavy modules the desk process had loaded once its queue showed rows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk_modes import add_mode_option, cpu_seconds, desk_argv, modes, print_table
from pty_term import Pty

EMPTY_APP = """
import textual, sqlalchemy, pydantic  # noqa
from textual.app import App
from textual.widgets import Static
class Empty(App):
    def compose(self):
        yield Static("ready-to-go")
Empty().run()
"""
DOWN, PGDN, END, HOME, ENTER = "\x1b[B", "\x1b[6~", "\x1b[F", "\x1b[H", "\r"
SESSION = [DOWN] * 5 + [PGDN, PGDN, END, HOME] + ["]"] * 10 + [DOWN, ENTER, "2", "3", "4", "1"]
ENV = {"LOGNAME": "admin", "DESKUI_LANG": "en", "DESKUI_REFRESH_SECONDS": "2"}
HEAVY = ("sqlalchemy", "alembic", "deskui.services", "deskui.store")
# `deskui ARGV…` as its console script runs it, writing (at exit) the heavy modules it loaded.
PROBE = """
import atexit, json, sys
heavy, out = tuple(json.loads(sys.argv[1])), sys.argv[2]
def record():
    loaded = sorted(m for m in sys.modules if m == heavy[0] or m.startswith(heavy))
    with open(out, "w") as f:
        json.dump({"modules": len(sys.modules), "heavy": loaded}, f)
atexit.register(record)
sys.argv = ["deskui", *sys.argv[3:]]
from deskui.cli import main
raise SystemExit(main())
"""


def compile_deskui() -> None:
    """Compile deskui's bytecode first, as installing a wheel does. An editable checkout
    run with PYTHONDONTWRITEBYTECODE (as on the CI machines) would otherwise compile the
    modules it imports on every launch, about 80 ms the yardstick's packages never pay."""
    import compileall

    import deskui

    compileall.compile_dir(Path(deskui.__file__).parent, quiet=1)


def empty_app(cols: int, rows: int) -> tuple[float, float]:
    """Seconds to its first paint, and the CPU seconds it had used by then."""
    term = Pty([sys.executable, "-c", EMPTY_APP], cols, rows, {})
    try:
        seconds = term.until(b"ready-to-go")
        cpu = cpu_seconds(term.proc.pid)
    finally:
        term.finish()  # also when it never drew: no app left running
    return seconds, cpu


def desk(
    argv: list[str], cols: int, rows: int, session: bool, cpu: list[float]
) -> tuple[float, int]:
    """Seconds to the first queue row (its CPU seconds by then appended to `cpu`), and the
    peak RSS after the session if asked for one."""
    term = Pty(argv, cols, rows, ENV)
    try:
        seconds = term.until(b"SR-")
        cpu.append(cpu_seconds(term.proc.pid))
        if session:
            term.burst(quiet=0.5, limit=20)
            for key in SESSION:
                term.send(key)
                term.burst(quiet=0.3, limit=20)
    except BaseException:
        term.finish()
        raise
    return seconds, term.finish()


def heavy_imports(argv: list[str], cols: int, rows: int) -> tuple[int, list[str]]:
    """The desk's module count and the heavy modules among them, after a launch (untimed)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "modules.json"
        probe = [sys.executable, "-c", PROBE, json.dumps(HEAVY), str(out), *argv[1:]]
        term = Pty(probe, cols, rows, ENV)
        try:
            term.until(b"SR-")
        finally:
            term.finish()
        found = json.loads(out.read_text())
    return found["modules"], found["heavy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        default=str(Path(__file__).parent / "out" / "demo-1m.db"),
        help="a SQLite file or a database URL (postgresql+psycopg://…)",
    )
    parser.add_argument("--size", default="120x35")
    parser.add_argument("--runs", type=int, default=5)
    add_mode_option(parser)
    args = parser.parse_args()
    if "://" not in args.db and not Path(args.db).exists():
        raise SystemExit(f"{args.db} missing: python bench/make_db.py --out {args.db}")
    cols, rows = (int(v) for v in args.size.split("x"))
    compile_deskui()
    chosen = modes(args.mode)
    empty: list[float] = []
    empty_cpu: list[float] = []
    desk_cpu: dict[str, list[float]] = {mode: [] for mode in chosen}
    server_cpu: list[float] = []
    launch: dict[str, list[float]] = {mode: [] for mode in chosen}
    rss: dict[str, list[float]] = {mode: [] for mode in chosen}
    with ExitStack() as stack:
        started = {mode: stack.enter_context(desk_argv(mode, args.db)) for mode in chosen}
        argv = {mode: found[0] for mode, found in started.items()}
        servers = {mode: found[1] for mode, found in started.items()}
        for run in range(args.runs):  # interleaved, so every mode sees the same machine
            seconds, cpu = empty_app(cols, rows)
            empty.append(seconds)
            empty_cpu.append(cpu)
            for mode in chosen:
                server = servers[mode]
                before = server.cpu() if server else 0.0
                seconds, peak = desk(argv[mode], cols, rows, run == 0, desk_cpu[mode])
                if server and run:
                    server_cpu.append(server.cpu() - before)  # the session run left out
                launch[mode].append(seconds)
                rss[mode].append(peak / 1024)
        probes = {mode: heavy_imports(argv[mode], cols, rows) for mode in chosen}
    e = statistics.median(empty)
    print(f"{args.size} pty, {args.runs} runs, medians; {args.db}")
    for mode in chosen:
        d = statistics.median(launch[mode])
        count, heavy = probes[mode]
        rows_out = [
            ("bare Textual app (textual+sqlalchemy+pydantic)", f"{e * 1000:.0f} ms", "", None),
            ("deskui to its first queue row", f"{d * 1000:.0f} ms", "", None),
            ("ratio", f"{d / e:.2f}x", "<= 1.25x", d / e <= 1.25),
            ("CPU by then: bare app", f"{statistics.median(empty_cpu) * 1000:.0f} ms", "", None),
            ("CPU by then: deskui", f"{statistics.median(desk_cpu[mode]) * 1000:.0f} ms", "", None),
            (
                "peak RSS after a session",
                f"{rss[mode][0]:.0f} MiB",
                "<= 90 MiB",
                rss[mode][0] <= 90,
            ),
            ("peak RSS, launch only", f"{max(rss[mode][1:] or [0]):.0f} MiB", "", None),
            ("modules the desk loaded", str(count), "", None),
        ]
        if mode == "server" and server_cpu:
            cpu = f"{statistics.median(server_cpu) * 1000:.0f} ms"
            rows_out.append(("CPU of the server for a launch", cpu, "", None))
        if mode == "server":
            names = sorted({m.split(".")[0] if m.startswith(HEAVY[:2]) else m for m in heavy})
            rows_out.append(
                (
                    "sqlalchemy/alembic/services/store loaded",
                    ", ".join(names) or "none",
                    "none",
                    not heavy,
                )
            )
        else:
            rows_out.append(
                ("sqlalchemy loaded", "yes" if "sqlalchemy" in heavy else "no", "", None)
            )
        title = (
            "embedded: deskui --db URL"
            if mode == "embedded"
            else ("server: deskui --server SOCKET (a real deskui server on the same database)")
        )
        print_table(title, rows_out)


if __name__ == "__main__":
    main()
