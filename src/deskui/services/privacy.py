"""Personal data: masked by default; seeing it in full is a deliberate, audited action."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import Session

from deskui.domain.actors import Actor
from deskui.domain.enums import EventKind, Status
from deskui.services.context import ServiceContext
from deskui.services.errors import NotFound, PermissionDenied
from deskui.store.tables import Customer, Ticket, TicketEvent

Field = Literal["phone", "email", "address"]
ANONYMISED = "(anonymised)"


def reveal(
    ctx: ServiceContext,
    actor: Actor,
    customer_id: int,
    field: Field,
    *,
    ticket_id: int | None = None,
) -> str:
    """Return one unmasked value and record who saw it, when, and for which ticket."""
    if field not in ("phone", "email", "address"):
        raise ValueError(f"cannot reveal {field!r}")

    def work(session: Session) -> str:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id}")
        if ticket_id is not None:
            ticket = session.get(Ticket, ticket_id)
            if ticket is not None and not actor.may_work_on(ticket.team_id, ticket.assignee_id):
                raise PermissionDenied("personal data of another team's customer is not shown")
        session.add(
            TicketEvent(
                ticket_id=ticket_id,
                actor_id=actor.id,
                at=ctx.now(),
                kind=EventKind.REVEAL,
                body=field,
                after={"customer_id": customer_id, "field": field},
            )
        )
        return getattr(customer, field) or ""

    return ctx.write(work)


def apply_retention(ctx: ServiceContext, *, years: int = 2, now: datetime | None = None) -> int:
    """Anonymise customers whose every ticket was closed more than `years` ago; statistics stay."""
    cutoff = (now or ctx.now()) - timedelta(days=365 * years + years // 4)

    def work(session: Session) -> int:
        recent = exists().where(
            Ticket.customer_id == Customer.id,
            ~and_(Ticket.status == Status.CLOSED, Ticket.closed_at < cutoff),
        )
        has_old = exists().where(Ticket.customer_id == Customer.id)
        ids = list(
            session.execute(
                select(Customer.id).where(has_old, ~recent, Customer.name != ANONYMISED)
            ).scalars()
        )
        for start in range(0, len(ids), 900):
            batch = ids[start : start + 900]
            session.execute(
                update(Customer)
                .where(Customer.id.in_(batch))
                .values(name=ANONYMISED, phone=None, email=None, address=None)
                .execution_options(synchronize_session=False)
            )
        session.add(
            TicketEvent(
                ticket_id=None,
                actor_id=None,
                at=ctx.now(),
                kind=EventKind.FIELD_CHANGE,
                body="retention",
                after={"customers_anonymised": len(ids), "cutoff": cutoff.isoformat()},
            )
        )
        return len(ids)

    return ctx.write(work)
