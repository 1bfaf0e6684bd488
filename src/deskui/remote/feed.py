"""Push: after any write, subscribers hear which tickets changed, and an assignee hears of their
own reminders and escalations. The timeline (ticket_events) is append-only and every write
adds to it, so new rows there are the changes, whichever process or server wrote them.

The feed looks after each request this server answers, and every `interval` seconds for
writers elsewhere; on PostgreSQL, other servers' NOTIFY wakes it at once.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from deskui.domain.enums import EventKind
from deskui.remote.hub import Hub

log = logging.getLogger("deskui.server")
BATCH = 500
LOOKBACK = 200  # PostgreSQL ids can commit out of order: look this far behind for stragglers
NOTIFIED = {EventKind.REMINDER, EventKind.ESCALATE}


class Feed:
    def __init__(self, ctx: Any, hub: Hub) -> None:
        from deskui.store import feed as store

        self.ctx, self.hub = ctx, hub
        self._lock = threading.Lock()
        with ctx.read() as session:
            self.last = store.newest_event_id(session)
            # What was written before the server started is not news: only a straggler
            # committed from now on is.
            before = store.event_ids_after(session, max(0, self.last - LOOKBACK), LOOKBACK)
        self._seen: dict[int, None] = dict.fromkeys(before)  # published lately, oldest first
        self._wake = threading.Event()
        self.on_change: list[Any] = []  # called after a scan that found changes

    def scan(self) -> int:
        """Publish events newer than the last scan; how many there were."""
        from deskui.store import feed as store

        found = 0
        with self._lock:
            while True:
                with self.ctx.read() as session:
                    ids = store.event_ids_after(session, max(0, self.last - LOOKBACK), BATCH)
                    fresh = [i for i in ids if i not in self._seen]
                    rows = store.events_with_ids(session, fresh) if fresh else []
                    notify_ids = {
                        int(row.after["notify"])
                        for row in rows
                        if row.kind in NOTIFIED and row.after and row.after.get("notify")
                    }
                    names = store.usernames(session, notify_ids)
                if not rows:
                    break
                found += len(rows)
                self._publish(rows, names)
                self._remember(fresh)
                self.last = max(self.last, rows[-1].id)
                if len(ids) < BATCH // 2:
                    break
        if found:
            for hook in self.on_change:
                hook()
        return found

    def _remember(self, ids: list[int]) -> None:
        self._seen.update(dict.fromkeys(ids))
        for old in list(self._seen)[: max(0, len(self._seen) - 4 * LOOKBACK)]:
            del self._seen[old]

    def _publish(self, rows: list[Any], names: dict[int, str]) -> None:
        tickets = sorted({row.ticket_id for row in rows if row.ticket_id is not None})
        if tickets:
            self.hub.publish("changed", {"tickets": tickets, "event_id": rows[-1].id})
        for row in rows:
            if row.kind not in NOTIFIED or not row.after or not row.after.get("notify"):
                continue
            user = names.get(int(row.after["notify"]))
            if user is None:
                continue
            self.hub.publish(
                "notification",
                {
                    "ticket": row.ticket_id,
                    "number": row.number,
                    "kind": row.kind.value,
                    "target": row.after.get("target"),
                    "threshold": row.after.get(
                        "threshold", "escalated" if row.kind is EventKind.ESCALATE else None
                    ),
                    "body": row.body,
                    "at": row.at.isoformat(),
                    "event_id": row.id,
                },
                to_user=user,
            )

    def safe_scan(self) -> None:
        try:
            self.scan()
        except Exception as exc:  # the database is away: try again on the next tick
            log.warning("change feed: %s", exc)

    def poke(self) -> None:
        """Scan soon, on the feed's own thread (a request's answer does not wait for it)."""
        self._wake.set()

    def run(self, stop: threading.Event, interval: float) -> None:
        while not stop.is_set():
            self._wake.wait(interval)
            self._wake.clear()
            if not stop.is_set():
                self.safe_scan()


class PgListener:
    """LISTEN on PostgreSQL: another server's NOTIFY makes this one scan at once."""

    def __init__(self, url: str, feed: Feed) -> None:
        self.url, self.feed = url, feed

    def run(self, stop: threading.Event) -> None:
        import psycopg

        from deskui.store.feed import CHANNEL

        while not stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self.feed.safe_scan()
            except Exception as exc:
                log.warning("LISTEN %s: %s; retrying", CHANNEL, exc)
                stop.wait(2.0)


def notifier(engine: Any) -> Any:
    """A hook that NOTIFYs the other servers (PostgreSQL only)."""
    from deskui.store.feed import notify

    def send() -> None:
        try:
            with engine.begin() as conn:
                notify(conn)
        except Exception as exc:
            log.warning("NOTIFY: %s", exc)

    return send
