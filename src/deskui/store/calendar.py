"""Every SQL statement of the business calendar: site entries, the revision, and the open
tickets whose due times a calendar change can move (read in keyset chunks, never all)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from deskui.domain.calendar import SiteDay
from deskui.domain.enums import Category, EventKind, Priority, Status, Tier
from deskui.store.calendar_tables import CalendarDay, CalendarState
from deskui.store.tables import Agent, Ticket, TicketEvent
from deskui.store.upsert import insert_for

STATE_ID = 1
CHUNK = 1000  # open tickets read, recomputed and written per step of a calendar change


@dataclass(frozen=True, slots=True)
class SiteDayRow:
    entry: SiteDay
    version: int
    updated_at: datetime
    updated_by: str | None


@dataclass(frozen=True, slots=True)
class StateRow:
    revision: int
    config_adopted: bool


@dataclass(frozen=True, slots=True)
class DueRow:
    """What recomputing one open ticket's due times needs, and what it had."""

    id: int
    version: int
    priority: Priority
    category: Category
    tier: Tier
    status: Status
    created_at: datetime
    first_response_at: datetime | None
    paused_at: datetime | None
    paused_seconds: int
    extended_seconds: int
    response_due_at: datetime
    response_warn_at: datetime
    resolve_due_at: datetime
    resolve_warn_at: datetime
    next_due_at: datetime | None
    next_warn_at: datetime | None


DUE_COLUMNS = (
    "response_due_at",
    "response_warn_at",
    "resolve_due_at",
    "resolve_warn_at",
    "next_due_at",
    "next_warn_at",
)


def site_days(session: Session) -> list[SiteDayRow]:
    rows = session.execute(
        select(CalendarDay, Agent.username)
        .outerjoin(Agent, Agent.id == CalendarDay.updated_by)
        .order_by(CalendarDay.day)
    ).all()
    return [
        SiteDayRow(SiteDay(d.day, d.kind, d.name, d.source), d.version, d.updated_at, username)
        for d, username in rows
    ]


def state(session: Session) -> StateRow:
    """The state row; before the first change there is none: revision 0, nothing moved."""
    row = session.get(CalendarState, STATE_ID)
    if row is None:
        return StateRow(0, False)
    return StateRow(row.revision, row.config_adopted)


def revision(session: Session) -> int:
    found = session.execute(
        select(CalendarState.revision).where(CalendarState.id == STATE_ID)
    ).scalar()
    return int(found or 0)


def _state_row(session: Session) -> CalendarState:
    """The state row, locked for this transaction; made on first use."""
    row = session.get(CalendarState, STATE_ID, with_for_update=True)
    if row is None:
        session.execute(
            insert_for(session, CalendarState)
            .values(id=STATE_ID, revision=0, config_adopted=False)
            .on_conflict_do_nothing()
        )
        row = session.get(CalendarState, STATE_ID, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


def bump_revision(session: Session, expected: int | None = None) -> int | None:
    """Move the revision on; None when `expected` is given and no longer current."""
    row = _state_row(session)
    if expected is not None and row.revision != expected:
        return None
    row.revision += 1
    session.flush()
    return row.revision


def mark_config_adopted(session: Session) -> bool:
    """Set the flag once; False when another process already did."""
    _state_row(session)
    result = session.execute(
        update(CalendarState)
        .where(CalendarState.id == STATE_ID, CalendarState.config_adopted.is_(False))
        .values(config_adopted=True)
    )
    return bool(result.rowcount)


def put_day(session: Session, entry: SiteDay, actor_id: int | None, now: datetime) -> None:
    found = session.get(CalendarDay, entry.day)
    if found is None:
        session.add(
            CalendarDay(
                day=entry.day,
                kind=entry.kind,
                name=entry.name,
                source=entry.source,
                version=1,
                updated_at=now,
                updated_by=actor_id,
            )
        )
    else:
        found.kind, found.name, found.source = entry.kind, entry.name, entry.source
        found.version += 1
        found.updated_at, found.updated_by = now, actor_id
    session.flush()


def delete_days(session: Session, days: Iterable[date]) -> None:
    wanted = list(days)
    if wanted:
        session.execute(delete(CalendarDay).where(CalendarDay.day.in_(wanted)))


def audit(
    session: Session,
    actor_id: int | None,
    now: datetime,
    kind: EventKind,
    body: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        TicketEvent(
            ticket_id=None,
            actor_id=actor_id,
            at=now,
            kind=kind,
            internal=True,
            body=body,
            before=before,
            after=after,
        )
    )
    session.flush()


def open_tickets_crossing(
    session: Session, ranges: Sequence[tuple[datetime, datetime]], chunk: int | None = None
) -> Iterator[list[DueRow]]:
    """Open tickets whose clocks run across any [start, end) range, `chunk` rows at a time.

    A clock runs from `created_at` to its due instant; a ticket whose due instants all lie
    before a range, or that was created after it, cannot be moved by it. One query finds
    the ids (the due-time indexes serve it); the rows are then read and locked by id chunk.
    """
    if not ranges:
        return
    crossing = or_(
        *(
            and_(
                Ticket.created_at < end,
                or_(Ticket.response_due_at > start, Ticket.resolve_due_at > start),
            )
            for start, end in ranges
        )
    )
    ids = list(
        session.execute(
            select(Ticket.id).where(Ticket.is_open.is_(True), crossing).order_by(Ticket.id)
        ).scalars()
    )
    columns = [getattr(Ticket, name) for name in DueRow.__dataclass_fields__]
    chunk = chunk or CHUNK
    for index in range(0, len(ids), chunk):
        wanted = ids[index : index + chunk]
        stmt = (
            select(*columns)
            .where(Ticket.id.in_(wanted), Ticket.is_open.is_(True))
            .order_by(Ticket.id)
            .with_for_update()
        )
        yield [DueRow(*row) for row in session.execute(stmt)]


def update_due_times(
    session: Session, changes: Sequence[tuple[DueRow, dict[str, datetime | None]]], now: datetime
) -> None:
    """Write new due instants (version-checked, version moved so open desks reload) and one
    timeline line per ticket saying why they moved."""
    if not changes:
        return
    table = Ticket.__table__
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values(
            **{name: bindparam(f"b_{name}") for name in DUE_COLUMNS},
            version=table.c.version + 1,
            updated_at=now,
        )
    )
    session.execute(
        stmt,
        [
            {"b_id": row.id, "b_version": row.version, **{f"b_{k}": v for k, v in new.items()}}
            for row, new in changes
        ],
    )
    session.execute(
        insert(TicketEvent),
        [
            {
                "ticket_id": row.id,
                "actor_id": None,
                "at": now,
                "kind": EventKind.FIELD_CHANGE,
                "internal": True,
                "body": "due times recomputed: the business calendar changed",
                "before": {
                    "response_due_at": row.response_due_at.isoformat(),
                    "resolve_due_at": row.resolve_due_at.isoformat(),
                },
                "after": {
                    "response_due_at": _iso(new["response_due_at"]),
                    "resolve_due_at": _iso(new["resolve_due_at"]),
                    "version": row.version + 1,
                },
            }
            for row, new in changes
        ],
    )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
