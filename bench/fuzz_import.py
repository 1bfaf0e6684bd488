"""A fuzz campaign against the ticket import: thousands of hostile or clumsy files.

Every file must end in one of two ways: imported (the ticket count grows by exactly what
the report says) or refused cleanly (an ImportFileError naming the file, or bad rows each
with a line, a column and a reason, and then nothing in the database changed). Anything
else is counted: a traceback (any other exception), a hang (over --limit seconds), changed
data (a refusal that wrote something, or an import that wrote other than it said).

Usage: python bench/fuzz_import.py [--cases 2000] [--seed 1] [--db URL] [--limit 20]
Prints: tried / imported / refused cleanly / tracebacks / hangs / changed data (target 0/0/0).
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_files import Case, make_case, write_case
from sqlalchemy import func, select

from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services.context import ServiceContext
from deskui.services.exchange import import_tickets
from deskui.services.table_files import ImportFileError
from deskui.store.tables import Customer, Ticket, TicketEvent

FUZZ_ZONE = "Europe/Berlin"  # a zone with DST gaps


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds` (main thread, Unix), so a hang is counted, not waited out."""

    def _alarm(_signum: int, _frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    kind: str  # imported | refused | traceback | hang | changed
    detail: str = ""
    seconds: float = 0.0


def _counts(ctx: ServiceContext) -> tuple[int, int, int]:
    with ctx.read() as session:
        return tuple(  # type: ignore[return-value]
            session.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (Ticket, Customer, TicketEvent)
        )


def run_case(ctx: ServiceContext, actor: Actor, case: Case, folder: Path, limit: float) -> Outcome:
    """Import one case and judge what happened."""
    path = write_case(case, folder)
    before = _counts(ctx)
    began = time.perf_counter()
    try:
        with time_limit(limit):
            report = import_tickets(ctx, actor, path, skip_bad=False)
    except Hang:
        return Outcome("hang", "", time.perf_counter() - began)
    except ImportFileError as exc:
        seconds = time.perf_counter() - began
        message = str(exc)
        if _counts(ctx) != before:
            return Outcome("changed", f"refused file wrote data: {message}", seconds)
        if not (message.startswith(case.name) or message.startswith(str(path))):
            return Outcome("traceback", f"file error without the file's name: {message}", seconds)
        return Outcome("refused", message, seconds)
    except Exception:
        return Outcome("traceback", traceback.format_exc(), time.perf_counter() - began)
    finally:
        path.unlink(missing_ok=True)
    seconds = time.perf_counter() - began
    after = _counts(ctx)
    if report.bad:
        if after != before:
            return Outcome("changed", "bad rows reported but data written", seconds)
        unnamed = [b for b in report.bad if b.line < 2 or not b.column or not b.reason]
        if unnamed:
            return Outcome(
                "traceback", f"a problem without line/column/reason: {unnamed[0]}", seconds
            )
        return Outcome("refused", str(report.bad[0]), seconds)
    if after[0] - before[0] != report.imported:
        return Outcome("changed", f"said {report.imported}, wrote {after[0] - before[0]}", seconds)
    if report.imported and after[2] - before[2] < report.imported + 1:
        return Outcome("changed", "imported tickets without their created events", seconds)
    return Outcome("imported", "", seconds)


def campaign_context(url: str) -> tuple[ServiceContext, Actor]:
    from deskui.services.accounts import add_agent
    from deskui.store.engine import make_engine
    from deskui.store.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    ctx = ServiceContext(engine, Settings(db_url=url))
    set_site_zone(ctx, FUZZ_ZONE)
    return ctx, add_agent(ctx, "fuzz", role=Role.ADMIN, team="Customer Service")


def set_site_zone(ctx: ServiceContext, zone: str) -> None:
    """The campaign's site time zone, stored as the site policy (as `deskui site import` would)."""
    from deskui.domain.site import SitePolicy
    from deskui.store import site as site_store

    policy = SitePolicy(tz=zone)
    ctx.write(
        lambda session: site_store.store(
            session,
            policy,
            expected=None,
            actor_id=None,
            username="fuzz",
            source="fuzz_import.py",
            now=ctx.now(),
            before={},
            after={"changes": {"tz": zone}},
        )
    )
    ctx.forget_policy()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    parser.add_argument("--limit", type=float, default=20.0, help="seconds before a case hangs")
    parser.add_argument("--show", type=int, default=3, help="failures of each kind to print")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ctx, actor = campaign_context(args.db or f"sqlite:///{folder / 'fuzz.db'}")
        tally: Counter[str] = Counter()
        slowest = (0.0, "")
        shown: Counter[str] = Counter()
        began = time.perf_counter()
        for index in range(args.cases):
            case = make_case(args.seed, index)
            outcome = run_case(ctx, actor, case, folder, args.limit)
            tally[outcome.kind] += 1
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, f"{case.name} {case.mutations}")
            if outcome.kind not in ("imported", "refused") and shown[outcome.kind] < args.show:
                shown[outcome.kind] += 1
                print(f"--- {outcome.kind}: {case.name} {case.mutations}\n{outcome.detail}")
        elapsed = time.perf_counter() - began
    print(
        f"tried {args.cases} / imported {tally['imported']} / refused cleanly "
        f"{tally['refused']} / tracebacks {tally['traceback']} / hangs {tally['hang']} / "
        f"changed data {tally['changed']}  ({elapsed:.0f} s; slowest case {slowest[0]:.2f} s: "
        f"{slowest[1][:100]})"
    )
    return 1 if tally["traceback"] or tally["hang"] or tally["changed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
