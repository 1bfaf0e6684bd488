"""Launch to an interactive queue, and peak memory, of the real `deskui` command in a
pseudo-terminal, against the issue's yardstick: importing textual + sqlalchemy + pydantic
and painting an empty Textual app in the same terminal.

    python bench/launch_pty.py --db bench/out/demo-1m.db [--size 120x35] [--runs 5]
    python bench/launch_pty.py --db postgresql+psycopg://postgres@localhost/demo1m

"Interactive queue" is the moment the first ticket number is drawn: the desk is signed in
(the real CLI path: settings, schema check, sign-in with its audit event) and its queue
shows rows. Peak RSS is the desk's maximum resident set over a short session after that:
scrolling to the end and back, every view, opening a ticket, every panel.
Targets: launch <= 1.25 x the empty app; peak RSS <= 90 MiB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def compile_deskui() -> None:
    """Compile deskui's bytecode first, as installing a wheel does. An editable checkout
    run with PYTHONDONTWRITEBYTECODE (as on the CI machines) would otherwise compile the
    modules it imports on every launch, about 80 ms the yardstick's packages never pay."""
    import compileall

    import deskui

    compileall.compile_dir(Path(deskui.__file__).parent, quiet=1)


def empty_app(cols: int, rows: int) -> tuple[float, int]:
    term = Pty([sys.executable, "-c", EMPTY_APP], cols, rows, {})
    seconds = term.until(b"ready-to-go")
    return seconds, term.finish()


def db_url(db: str) -> str:
    """A database URL as given (PostgreSQL), or a SQLite file's."""
    return db if "://" in db else f"sqlite:///{Path(db).resolve()}"


def desk(db: str, cols: int, rows: int, session: bool) -> tuple[float, int]:
    exe = shutil.which("deskui", path=str(Path(sys.executable).parent)) or "deskui"
    env = {"LOGNAME": "admin", "DESKUI_LANG": "en", "DESKUI_REFRESH_SECONDS": "2"}
    term = Pty([exe, "--db", db_url(db)], cols, rows, env)
    seconds = term.until(b"SR-")
    if session:
        term.burst(quiet=0.5, limit=20)
        for key in SESSION:
            term.send(key)
            term.burst(quiet=0.3, limit=20)
    return seconds, term.finish()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        default=str(Path(__file__).parent / "out" / "demo-1m.db"),
        help="a SQLite file or a database URL (postgresql+psycopg://…)",
    )
    parser.add_argument("--size", default="120x35")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if "://" not in args.db and not Path(args.db).exists():
        raise SystemExit(f"{args.db} missing: python bench/make_db.py --out {args.db}")
    cols, rows = (int(v) for v in args.size.split("x"))
    compile_deskui()
    empty, launch, rss = [], [], []
    for run in range(args.runs):  # interleaved, so both see the same machine
        seconds, _ = empty_app(cols, rows)
        empty.append(seconds)
        seconds, peak = desk(args.db, cols, rows, session=run == 0)
        launch.append(seconds)
        rss.append(peak / 1024)
    e, d = statistics.median(empty), statistics.median(launch)
    print(f"{args.size} pty, {args.runs} runs, medians")
    print(f"empty Textual app (textual+sqlalchemy+pydantic, first paint): {e * 1000:6.0f} ms")
    print(f"deskui to its first queue row:                               {d * 1000:6.0f} ms")
    print(f"ratio: {d / e:.2f}x (target <= 1.25x)")
    print(f"peak RSS after a session: {rss[0]:.0f} MiB; launch only: {max(rss[1:] or [0]):.0f} MiB")
    print("(target <= 90 MiB)")


if __name__ == "__main__":
    main()
