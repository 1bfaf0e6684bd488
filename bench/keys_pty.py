"""Key-to-repaint of the real `deskui` command in a pseudo-terminal, read through a terminal
emulator (pyte), so each key is timed to the moment the part of the screen it changes is
drawn in its final form. Target: each key <= 50 ms.

    pip install pyte
    python bench/keys_pty.py [--db bench/out/demo-1m.db] [--size 120x35] [--repeat 5]
        [--mode embedded|server|both]
    python bench/keys_pty.py --db postgresql+psycopg://postgres@localhost/demo1m

Searches: two-character Chinese words (门锁, a product word; 张伟, a name), English words and
a number prefix, each typed from the All view and from the open queue. Target for a search:
its final queue in <= 100 ms on SQLite, <= 150 ms on PostgreSQL (1M tickets).

For each key the screen is left to settle (no output for 0.4 s) and then compared with what
it showed when the key was sent:
  * first change - the first repaint the key caused (the cursor moved, a dialog closed);
  * queue        - the queue panel (top) reached its final content: new rows, the cursor;
  * detail       - the ticket panel (below it) reached its final content. The detail follows
                   the queue cursor 60 ms after it rests (on purpose: holding a key
                   repaints only the queue), so after moves this includes that pause.
The desk ticks its countdowns and polls for changes; a sample may include one of those, so
medians are reported. A key passes when its final queue (or its first change, if later) is
within the target.

Modes (`--mode`, default both): embedded runs `deskui --db URL`; server starts a real
`deskui server` on the same database and runs `deskui --server SOCKET`, each of the desk's
calls a round trip over the socket. Both desks run at once, and each repetition of a key is
timed in one mode and then the other, so the two see the same machine. Target for server
mode: every key no worse than embedded (within 10 % or 10 ms, whichever is more: the noise
of one run on a busy machine).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import unicodedata
from contextlib import ExitStack
from pathlib import Path

import pyte

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desk_modes import add_mode_option, desk_argv, modes, print_table
from pty_term import Pty

DOWN, PGDN, PGUP, HOME, END, ENTER, ESC = (
    "\x1b[B",
    "\x1b[6~",
    "\x1b[5~",
    "\x1b[H",
    "\x1b[F",
    "\r",
    "\x1b",
)
QUIET = 0.4
VIEWS = 10  # the desk's view tabs, Open first and All last ("]" moves one on)


class Screen:
    """The desk as a terminal shows it."""

    def __init__(self, term: Pty, cols: int, rows: int) -> None:
        self.term, self.cols, self.rows = term, cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)

    def _line(self, y: int, start: int, end: int) -> str:
        """Text and the cursor row's highlight (reverse video) of part of a line."""
        row = self.screen.buffer[y]  # (pyte's `display` trips over wide characters)
        cells = [row[x] for x in range(start, end)]
        return (
            "".join(c.data for c in cells) + "|" + "".join("r" if c.reverse else "." for c in cells)
        )

    def regions(self) -> tuple[str, str]:
        # Wide layout: the queue across the top; below it the ticket (left) beside the
        # callbacks over the KPIs (right). The header (clock) and the footer are left out.
        # The queue ends at its bottom border; the ticket's right border is the split.
        buffer = self.screen.buffer
        fallback = (self.rows - 2) * 2 // 3
        bottom = next((y for y in range(2, self.rows - 1) if buffer[y][0].data == "╰"), fallback)
        below = "".join(buffer[bottom + 1][x].data for x in range(self.cols))
        split = below.find("╮") + 1 or self.cols * 2 // 5
        return (
            "\n".join(self._line(y, 0, self.cols) for y in range(1, bottom + 1)),
            "\n".join(self._line(y, 0, split) for y in range(bottom + 1, self.rows - 1)),
        )

    def settle(self) -> None:
        self.read_until_quiet()

    def read_until_quiet(self) -> list[tuple[float, tuple[str, str]]]:
        """Feed output until QUIET seconds of silence: (time, regions) after each chunk."""
        states: list[tuple[float, tuple[str, str]]] = []
        deadline = time.perf_counter() + 20
        while time.perf_counter() < deadline:
            chunk = self.term.read(QUIET)
            if not chunk:
                break
            at = time.perf_counter()  # before the emulator's own work
            self.stream.feed(chunk)
            states.append((at, self.regions()))
        return states

    def press(self, keys: str) -> tuple[float, float, float]:
        """Milliseconds to the first change, to the final queue and to the final detail."""
        self.settle()
        before = self.regions()
        sent = time.perf_counter()
        self.term.send(keys)
        states = self.read_until_quiet()
        if not states:
            return 0.0, 0.0, 0.0
        final = states[-1][1]

        def settled(part: int) -> float:
            if final[part] == before[part]:
                return 0.0
            at = next(t for t, s in states if s[part] == final[part])
            return (at - sent) * 1000

        first = next((t for t, s in states if s != before), states[0][0])
        return (first - sent) * 1000, settled(0), settled(1)


Results = dict[str, list[tuple[float, float, float]]]
ENV = {"LOGNAME": "admin", "DESKUI_LANG": "en", "DESKUI_REFRESH_SECONDS": "30"}


class Desk:
    """One running desk and where its queue's view is."""

    def __init__(self, argv: list[str], cols: int, rows: int) -> None:
        self.term = Pty(argv, cols, rows, ENV)
        self.screen = Screen(self.term, cols, rows)
        self.view = 0

    def send(self, *keys: str) -> None:
        for key in keys:
            self.term.send(key)
            self.screen.settle()

    def go_to(self, target: int) -> None:
        self.send(*["]"] * ((target - self.view) % VIEWS))
        self.view = target


def run_keys(argvs: dict[str, list[str]], cols: int, rows: int, repeat: int) -> dict[str, Results]:
    """Every key of the session, `repeat` times each, in a desk per mode started at once:
    each repetition is timed in every mode in turn, so all modes see the same machine."""
    desks = {mode: Desk(argv, cols, rows) for mode, argv in argvs.items()}
    results: dict[str, Results] = {mode: {} for mode in desks}

    def measure(name: str, keys: str, before: tuple[str, ...] = ()) -> None:
        for _ in range(repeat):
            for mode, desk in desks.items():
                desk.send(*before)
                results[mode].setdefault(name, []).append(desk.screen.press(keys))

    def each(*keys: str, view: int | None = None) -> None:
        for desk in desks.values():
            desk.send(*keys)
            if view is not None:
                desk.go_to(view)

    try:
        for desk in desks.values():
            desk.term.until(b"SR-")
        time.sleep(1.0)
        each()
        measure("down", DOWN)
        measure("pagedown", PGDN)
        measure("pageup", PGUP, before=(PGDN,))
        measure("end", END, before=(HOME,))
        measure("home", HOME, before=(END,))
        measure("next view", "]")
        for desk in desks.values():
            desk.view = repeat % VIEWS  # where "next view" left the queue
        measure("sort", "s")
        measure("filter (category)", "\x13", before=("x", "f", ENTER, DOWN, ENTER))
        each(view=0)  # the open queue
        for term_text in ("摄像头", "门锁", "张伟", "hotline", "refund", "SR-2026112"):
            measure(f"search {term_text}", ENTER, before=(ESC, "x", "/", term_text))
        each(ESC, "x", view=VIEWS - 1)  # All
        for term_text in ("门锁", "张伟", "refund"):
            measure(f"search {term_text} (All)", ENTER, before=(ESC, "x", "/", term_text))
        each(ESC, "x", view=0)
        measure("open ticket (down, enter)", DOWN + ENTER, before=(ESC, "x", "1"))
    finally:
        for desk in desks.values():
            desk.term.finish()
    return results


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, width - len(text) - wide)


def medians(samples: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    first, queue, detail = (statistics.median(s[i] for s in samples) for i in range(3))
    return first, queue, detail


def judged(cells: tuple[float, float, float]) -> float:
    """What a key is held to: its final queue, or its first change if that came later."""
    return max(cells[0], cells[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        default=str(Path(__file__).parent / "out" / "demo-1m.db"),
        help="a SQLite file or a database URL (postgresql+psycopg://…)",
    )
    parser.add_argument("--size", default="120x35")
    parser.add_argument("--repeat", type=int, default=5)
    add_mode_option(parser)
    args = parser.parse_args()
    cols, rows = (int(v) for v in args.size.split("x"))
    search_target = 150.0 if "://" in args.db and not args.db.startswith("sqlite") else 100.0
    with ExitStack() as stack:
        argvs = {
            mode: stack.enter_context(desk_argv(mode, args.db))[0] for mode in modes(args.mode)
        }
        results = run_keys(argvs, cols, rows, args.repeat)
    print(f"key -> repaint in a {args.size} pty (real deskui, pyte), medians of {args.repeat}")
    embedded = results.get("embedded")
    worse: list[str] = []
    for mode, found in results.items():
        print(f"\n{mode}: {'deskui --db URL' if mode == 'embedded' else 'deskui --server SOCKET'}")
        compare = mode == "server" and embedded is not None
        head = f"  {'key':<26} {'first change':>12} {'queue':>8} {'detail':>8} {'target':>9} result"
        print(head + ("  embedded  no worse" if compare else ""))
        for name, samples in found.items():
            cells = medians(samples)
            target = search_target if name.startswith("search") else 50.0
            verdict = "PASS" if judged(cells) <= target else "FAIL"
            line = f"  {pad(name, 26)} {cells[0]:12.1f} {cells[1]:8.1f} {cells[2]:8.1f} {target:6.0f} ms {verdict:>6}"
            if compare and embedded is not None and name in embedded:
                base = judged(medians(embedded[name]))
                same = judged(cells) <= base + max(10.0, base * 0.1)
                worse += [] if same else [name]
                line += f"  {base:8.1f}  {'PASS' if same else 'FAIL':>8}"
            print(line)
    if embedded is not None and "server" in results:
        count = len(results["server"])
        print_table(
            "server mode against embedded (within 10 % or 10 ms)",
            [("keys no worse than embedded", f"{count - len(worse)}/{count}", "all", not worse)],
        )
        if worse:
            print("  worse: " + ", ".join(worse))


if __name__ == "__main__":
    main()
