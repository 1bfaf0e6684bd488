"""The audit trail: every change, login, reveal and export, newest last."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskui.domain.actors import Actor
from deskui.domain.enums import EventKind
from deskui.services.context import ServiceContext
from deskui.services.errors import PermissionDenied
from deskui.store.tables import Agent, Ticket, TicketEvent


@dataclass(frozen=True, slots=True)
class AuditLine:
    id: int
    at: datetime
    actor: str
    kind: str
    ticket: str
    body: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def audit_trail(
    ctx: ServiceContext,
    *,
    since: datetime | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> Iterator[AuditLine]:
    """Stream events (index on `at`), optionally for one agent's user name."""
    stmt = (
        select(TicketEvent, Agent.username, Ticket.number)
        .outerjoin(Agent, Agent.id == TicketEvent.actor_id)
        .outerjoin(Ticket, Ticket.id == TicketEvent.ticket_id)
        .order_by(TicketEvent.id)
        .execution_options(yield_per=1000)
    )
    if since is not None:
        stmt = stmt.where(TicketEvent.at >= since)
    if actor is not None:
        stmt = stmt.where(Agent.username == actor)
    if limit is not None:
        stmt = stmt.limit(limit)
    with ctx.read() as session:
        for event, username, number in session.execute(stmt):
            yield AuditLine(
                event.id,
                event.at,
                username or (event.after or {}).get("user") or "system",
                event.kind.value,
                number or "",
                event.body,
                event.before,
                event.after,
            )


def record_refusal(
    ctx: ServiceContext,
    username: str,
    actor_id: int | None,
    action: str,
    reason: str,
    *,
    ticket_id: int | None = None,
) -> None:
    """Audit a refused attempt in its own transaction (the refused one wrote nothing).

    `username` is the caller's real name, kept even when it belongs to no agent.
    """

    def work(session: Session) -> None:
        session.add(
            TicketEvent(
                ticket_id=ticket_id,
                actor_id=actor_id,
                at=ctx.now(),
                kind=EventKind.REFUSED,
                body=action,
                after={"user": username, "reason": reason},
            )
        )

    ctx.write(work)


def refuse(
    ctx: ServiceContext,
    actor: Actor,
    action: str,
    reason: str,
    /,
    *,
    ticket_id: int | None = None,
    **params: object,
) -> PermissionDenied:
    """Audit `actor`'s refused `action` and return the error to raise: `raise refuse(...)`.
    `reason` is a message id filled by `params`: the trail keeps it in English, the caller
    reads it in their language."""
    error = PermissionDenied(reason, **params)
    record_refusal(ctx, actor.username, actor.id, action, str(error), ticket_id=ticket_id)
    return error
