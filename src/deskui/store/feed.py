"""What the server needs to push changes and to lead the sweep: recent timeline events, and
PostgreSQL's advisory lock and NOTIFY."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from deskui.domain.enums import EventKind
from deskui.store.tables import Agent, Ticket, TicketEvent

SWEEP_LOCK = 0x6465736B  # "desk": the advisory lock the sweeping server holds
CHANNEL = "deskui_changes"


@dataclass(frozen=True, slots=True)
class FeedEvent:
    id: int
    ticket_id: int | None
    number: str | None
    kind: EventKind
    at: datetime
    body: str
    after: dict[str, Any] | None


def newest_event_id(session: Session) -> int:
    return int(session.execute(select(func.max(TicketEvent.id))).scalar() or 0)


def event_ids_after(session: Session, after: int, limit: int) -> list[int]:
    """The ids of the events above `after`, oldest first: the primary key alone, cheap
    enough to ask after every request."""
    query = select(TicketEvent.id).where(TicketEvent.id > after).order_by(TicketEvent.id)
    return list(session.execute(query.limit(limit)).scalars())


def events_with_ids(session: Session, ids: list[int]) -> list[FeedEvent]:
    """Those events in full, oldest first."""
    rows = session.execute(
        select(
            TicketEvent.id,
            TicketEvent.ticket_id,
            Ticket.number,
            TicketEvent.kind,
            TicketEvent.at,
            TicketEvent.body,
            TicketEvent.after,
        )
        .outerjoin(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.id.in_(ids))
        .order_by(TicketEvent.id)
    ).all()
    return [FeedEvent(*row) for row in rows]


def usernames(session: Session, agent_ids: set[int]) -> dict[int, str]:
    if not agent_ids:
        return {}
    rows = session.execute(select(Agent.id, Agent.username).where(Agent.id.in_(agent_ids)))
    return {agent_id: name for agent_id, name in rows}


def try_lead(conn: Connection) -> bool:
    """Take the sweep lock for this connection's life, if no other server holds it."""
    return bool(conn.execute(select(func.pg_try_advisory_lock(SWEEP_LOCK))).scalar())


def notify(conn: Connection) -> None:
    """Tell the other servers on this PostgreSQL database to look for new events."""
    conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
