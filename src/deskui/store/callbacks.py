"""Callback (回访) lists: what is due, overdue first."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from deskui.domain.rows import CallbackRow
from deskui.store.tables import Callback, Customer, Ticket


def _select() -> Select:
    return (
        select(
            Callback.id,
            Callback.ticket_id,
            Ticket.number,
            Ticket.category,
            Ticket.subject,
            Customer.name,
            Customer.phone,
            Callback.due_at,
            Callback.done_at,
            Callback.attempts,
            Callback.reached,
            Callback.solved,
            Callback.satisfaction,
            Callback.skipped_at,
            Callback.skip_reason,
        )
        .join(Ticket, Ticket.id == Callback.ticket_id)
        .join(Customer, Customer.id == Ticket.customer_id)
    )


def due(session: Session, *, limit: int = 200) -> list[CallbackRow]:
    """Callbacks not done yet, the longest overdue first (index on done_at, due_at)."""
    stmt = (
        _select()
        .where(Callback.done_at.is_(None), Callback.skipped_at.is_(None))
        .order_by(Callback.due_at, Callback.id)
        .limit(limit)
    )
    return [CallbackRow(*row) for row in session.execute(stmt)]


def count_due(session: Session) -> int:
    stmt = (
        select(func.count())
        .select_from(Callback)
        .where(Callback.done_at.is_(None), Callback.skipped_at.is_(None))
    )
    return session.execute(stmt).scalar_one()


def for_ticket(session: Session, ticket_id: int) -> list[CallbackRow]:
    """Every callback of one ticket, oldest first."""
    stmt = _select().where(Callback.ticket_id == ticket_id).order_by(Callback.id)
    return [CallbackRow(*row) for row in session.execute(stmt)]


def get(session: Session, callback_id: int) -> CallbackRow | None:
    row = session.execute(_select().where(Callback.id == callback_id)).one_or_none()
    return None if row is None else CallbackRow(*row)
