"""Many agents, one database: N processes each make M edits on the same few tickets.

Afterwards every successful edit must be in the timeline, every rejected one must have been
reported to its process as a conflict, ticket numbers must be unique and no process may have
seen a locking error.

Usage: python bench/stress.py --db URL [--procs 20] [--edits 500] [--tickets 8]
Prints a JSON summary; exits 1 when an invariant fails.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import time
from queue import Empty
from typing import Any

SUBJECT = "stress"


def _setup(url: str, procs: int, tickets: int) -> list[int]:
    from deskui.config import Settings
    from deskui.domain.enums import Category, Channel, Priority, Role
    from deskui.domain.schemas import IntakeForm
    from deskui.services.accounts import add_agent
    from deskui.services.context import ServiceContext
    from deskui.services.tickets import TicketService
    from deskui.store.engine import make_engine
    from deskui.store.migrate import ensure_current

    engine = make_engine(url)
    ensure_current(engine)
    ctx = ServiceContext(engine, Settings(db_url=url))
    boss = add_agent(ctx, "stress-admin", role=Role.ADMIN, team="Stress")
    for i in range(procs):
        add_agent(ctx, f"stress{i}", role=Role.SUPERVISOR, team="Stress")
    service = TicketService(ctx)
    form = IntakeForm(
        customer_name="压力测试",
        customer_phone="13000000000",
        channel=Channel.PHONE,
        category=Category.HELP,
        priority=Priority.NORMAL,
        subject=SUBJECT,
    )
    ids = [service.intake(boss, form).id for _ in range(tickets)]
    engine.dispose()
    return ids


def _worker(url: str, index: int, edits: int, ticket_ids: list[int], queue: Any) -> None:
    from sqlalchemy.exc import OperationalError

    from deskui.config import Settings
    from deskui.domain.enums import Category, Channel, Priority, Status
    from deskui.domain.schemas import IntakeForm
    from deskui.services.accounts import actor_for
    from deskui.services.context import ServiceContext
    from deskui.services.errors import Conflict, InvalidAction
    from deskui.services.tickets import TicketService
    from deskui.store.engine import make_engine

    rng = random.Random(index)
    ctx = ServiceContext(make_engine(url), Settings(db_url=url))
    actor = actor_for(ctx, f"stress{index}")
    service = TicketService(ctx)
    done: list[tuple[str, int, str]] = []  # (kind, ticket id, token)
    numbers: list[str] = []
    conflicts = invalid = locked = other = 0
    for n in range(edits):
        token = f"p{index}-{n}"
        try:
            roll = rng.random()
            if roll < 0.08:
                form = IntakeForm(
                    customer_name=f"客户 {token}",
                    channel=Channel.CHAT,
                    category=Category.CONSULT,
                    priority=Priority.IMPORTANT,
                    subject=f"intake {token}",
                )
                numbers.append(service.intake(actor, form).number)
                done.append(("intake", 0, token))
                continue
            ticket = service.get(rng.choice(ticket_ids))
            time.sleep(rng.random() * 0.002)  # think time: lets others get in between
            if roll < 0.6:
                service.comment(actor, ticket.id, ticket.version, f"comment {token}")
                done.append(("comment", ticket.id, token))
            elif roll < 0.8:
                if ticket.status is Status.PENDING_CUSTOMER:
                    service.resume(actor, ticket.id, ticket.version, f"resume {token}")
                    done.append(("resume", ticket.id, token))
                else:
                    service.pend(actor, ticket.id, ticket.version, f"pend {token}")
                    done.append(("pend", ticket.id, token))
            else:
                service.assign(actor, ticket.id, ticket.version, assignee_id=actor.id)
                done.append(("assign", ticket.id, token))
        except Conflict:
            conflicts += 1
        except InvalidAction:
            invalid += 1
        except OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                locked += 1
            else:
                other += 1
        except Exception:
            other += 1
    queue.put(
        {
            "index": index,
            "done": done,
            "numbers": numbers,
            "conflicts": conflicts,
            "invalid": invalid,
            "locked": locked,
            "other": other,
        }
    )


def _verify(url: str, results: list[dict[str, Any]], actors: int) -> dict[str, Any]:
    from sqlalchemy import func, select

    from deskui.store.engine import make_engine
    from deskui.store.tables import Agent, Ticket, TicketEvent

    engine = make_engine(url)
    with engine.connect() as conn:
        bodies = set(
            conn.execute(select(TicketEvent.body).where(TicketEvent.body.like("% p%-%"))).scalars()
        )
        subjects = set(
            conn.execute(select(Ticket.subject).where(Ticket.subject.like("intake p%"))).scalars()
        )
        total, distinct = conn.execute(
            select(func.count(), func.count(func.distinct(Ticket.number)))
        ).one()
        assigns = dict(
            conn.execute(
                select(Agent.username, func.count())
                .join(TicketEvent, TicketEvent.actor_id == Agent.id)
                .where(TicketEvent.kind == "assign")
                .group_by(Agent.username)
            ).all()
        )
    engine.dispose()
    missing = []
    for result in results:
        expected_assigns = 0
        for kind, _ticket, token in result["done"]:
            if kind == "intake":
                ok = f"intake {token}" in subjects
            elif kind == "assign":
                expected_assigns += 1
                continue
            else:
                ok = f"{kind} {token}" in bodies
            if not ok:
                missing.append(token)
        if assigns.get(f"stress{result['index']}", 0) != expected_assigns:
            missing.append(f"assign count of stress{result['index']}")
    numbers = [n for r in results for n in r["numbers"]]
    return {
        "processes": len(results),
        "successful_edits": sum(len(r["done"]) for r in results),
        "conflicts_reported": sum(r["conflicts"] for r in results),
        "refused_by_workflow": sum(r["invalid"] for r in results),
        "locking_errors": sum(r["locked"] for r in results),
        "other_errors": sum(r["other"] for r in results),
        "missing_from_timeline": missing[:20],
        "intakes": len(numbers),
        "duplicate_numbers": total - distinct + (len(numbers) - len(set(numbers))),
    }


def run(url: str, procs: int, edits: int, tickets: int) -> dict[str, Any]:
    ticket_ids = _setup(url, procs, tickets)
    context = mp.get_context("spawn")
    queue = context.Queue()
    began = time.perf_counter()
    workers = [
        context.Process(target=_worker, args=(url, i, edits, ticket_ids, queue))
        for i in range(procs)
    ]
    for worker in workers:
        worker.start()
    results = []
    while len(results) < procs:
        try:
            results.append(queue.get(timeout=5))
        except Empty:
            dead = [w for w in workers if w.exitcode not in (None, 0)]
            if dead:
                raise SystemExit(
                    f"{len(dead)} worker process(es) died; see their output above"
                ) from None
    for worker in workers:
        worker.join()
    summary = _verify(url, results, procs)
    summary["edits_attempted"] = procs * edits
    summary["seconds"] = round(time.perf_counter() - began, 1)
    summary["backend"] = url.split(":", 1)[0]
    return summary


def healthy(summary: dict[str, Any]) -> bool:
    accounted = (
        summary["successful_edits"] + summary["conflicts_reported"] + summary["refused_by_workflow"]
    )
    return (
        not summary["missing_from_timeline"]
        and summary["duplicate_numbers"] == 0
        and summary["locking_errors"] == 0
        and summary["other_errors"] == 0
        and accounted == summary["edits_attempted"]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="an empty database URL")
    parser.add_argument("--procs", type=int, default=20)
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--tickets", type=int, default=8)
    args = parser.parse_args()
    summary = run(args.db, args.procs, args.edits, args.tickets)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0 if healthy(summary) else 1


if __name__ == "__main__":
    sys.exit(main())
