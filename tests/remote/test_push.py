"""Push: a write through the server reaches subscribers as a "changed" event; an assignee's
reminders reach that assignee's subscription; on PostgreSQL a second server hears of the
first one's writes (NOTIFY), and only one server sweeps (advisory lock)."""

from __future__ import annotations

import os
import pwd
import queue
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from deskui.cli import main
from deskui.config import load_settings
from deskui.domain.enums import EventKind
from deskui.remote import client, wire
from deskui.remote.serve import SiteServer
from deskui.services.accounts import os_username
from deskui.store.tables import Agent, Ticket, TicketEvent

WAIT = 10.0  # generous: behaviour, not speed (bench/server_roundtrip.py measures that)


def _listen(path: Path) -> queue.Queue[wire.Event]:
    got: queue.Queue[wire.Event] = queue.Queue()
    subscribed = threading.Event()

    def run() -> None:
        with client.connect(path) as conn:
            conn.call("subscribe", {})
            subscribed.set()
            while True:
                try:
                    message = conn._receive()
                except client.ServerError:
                    return
                if isinstance(message, wire.Event):
                    got.put(message)

    threading.Thread(target=run, daemon=True).start()
    assert subscribed.wait(WAIT)
    return got


def _next(got: queue.Queue[wire.Event], topic: str) -> wire.Event:
    while True:
        event = got.get(timeout=WAIT)
        if event.topic == topic:
            return event


def _open_ticket(site: SiteServer) -> tuple[int, str]:
    with site.ctx.read() as session:
        return session.execute(
            select(Ticket.id, Ticket.number)
            .where(Ticket.is_open.is_(True))
            .order_by(Ticket.id)
            .limit(1)
        ).one()


def test_a_write_through_the_server_is_pushed_to_subscribers(site: SiteServer, clock) -> None:
    got = _listen(site.server.path)
    clock.now = clock.now.replace(year=2027)  # every open target is breached by then
    assert main(["--server", str(site.server.path), "sla", "sweep"]) == 0
    event = _next(got, "changed")
    with site.ctx.read() as session:
        reminded = set(
            session.execute(
                select(TicketEvent.ticket_id).where(TicketEvent.kind == EventKind.REMINDER)
            ).scalars()
        )
    assert reminded and reminded <= set(event.data["tickets"])


def test_an_assignees_reminders_reach_only_their_subscription(site: SiteServer, clock) -> None:
    ticket_id, number = _open_ticket(site)
    me = os_username()

    def assign_to_me(session: Any) -> None:
        agent_id = session.execute(select(Agent.id).where(Agent.username == me)).scalar_one()
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(assignee_id=agent_id))

    site.ctx.write(assign_to_me)
    got = _listen(site.server.path)
    clock.now = clock.now.replace(year=2027)
    site.sweeper.once()
    notes = []
    while True:
        event = _next(got, "notification")
        notes.append(event.data)
        if event.data["ticket"] == ticket_id:
            break
    mine = [n for n in notes if n["ticket"] == ticket_id]
    assert mine[0]["number"] == number and mine[0]["kind"] in ("reminder", "escalate")
    assert set(mine[0]) == {
        "ticket",
        "number",
        "kind",
        "target",
        "threshold",
        "body",
        "at",
        "event_id",
    }
    with site.ctx.read() as session:
        for note in notes:  # every notification this user got is for a ticket assigned to it
            assignee = session.execute(
                select(Agent.username)
                .join(Ticket, Ticket.assignee_id == Agent.id)
                .where(Ticket.id == note["ticket"])
            ).scalar()
            assert assignee == me or note["kind"] == "escalate"
    assert pwd.getpwuid(os.getuid()).pw_name == me


@pytest.mark.postgres
def test_two_servers_on_one_postgresql_share_pushes_and_one_sweeps(
    site: SiteServer, db_url: str, clock, short_dir: Path
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY and advisory locks are PostgreSQL's")
    other = SiteServer(
        load_settings(overrides={"db_url": db_url}),
        short_dir / "two" / "s.sock",
        sweep_seconds=0,
        feed_seconds=3600,  # no periodic scan: only NOTIFY can wake it in time
        clock=clock,
    )
    other.start()
    try:
        got = _listen(other.server.path)
        clock.now = clock.now.replace(year=2027)
        assert main(["--server", str(site.server.path), "sla", "sweep"]) == 0
        assert _next(got, "changed").data["tickets"]
        assert site.sweeper.leads() is True
        assert other.sweeper.leads() is False  # the lock is held by the first server
        assert other.sweeper.once() is None
        site.sweeper.release()  # the first server goes away: the other one takes over
        # on one of its next tries: PostgreSQL frees the lock once it has seen the
        # connection close, which under load takes a moment
        deadline = time.monotonic() + 10
        while not other.sweeper.leads():
            assert time.monotonic() < deadline, "the other server never took the sweep over"
            time.sleep(0.1)
    finally:
        other.stop()


def test_the_feed_publishes_what_is_written_after_it_starts_and_each_event_once(
    site: SiteServer, clock
) -> None:
    """Events older than the server are no news; a new one is published once, however often
    the feed looks (it looks after every request)."""
    from deskui.remote.feed import Feed
    from deskui.remote.hub import Hub

    published: list[tuple[str, Any]] = []
    hub = Hub()
    hub.publish = lambda topic, data, **_: published.append((topic, data))  # type: ignore[method-assign]
    feed = Feed(site.ctx, hub)
    assert feed.scan() == 0 and published == []  # the demo's history: not news
    clock.now = clock.now.replace(year=2027)  # every open target is breached by then
    assert main(["--server", str(site.server.path), "sla", "sweep"]) == 0
    with site.ctx.read() as session:
        newest = session.execute(select(TicketEvent.id).order_by(TicketEvent.id.desc())).first()
    assert newest is not None
    assert feed.scan() >= 1 and feed.scan() == 0 and feed.scan() == 0
    changed = [data for topic, data in published if topic == "changed"]
    assert changed and changed[-1]["event_id"] == newest[0]
