"""Personal data: masked by default; seeing it in full is a deliberate, audited action."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Select, and_, exists, func, select, update
from sqlalchemy.orm import Session

from deskui.domain.actors import Actor
from deskui.domain.enums import EventKind, Status
from deskui.services.context import ServiceContext
from deskui.services.errors import InvalidAction, NotFound, PermissionDenied
from deskui.store.lookup import customer_ticket_owners
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
            raise NotFound("no customer {customer_id}", customer_id=customer_id)
        ticket = session.get(Ticket, ticket_id) if ticket_id is not None else None
        if ticket_id is not None and ticket is None:
            raise NotFound("no ticket with id {ticket_id}", ticket_id=ticket_id)
        if ticket is not None:
            if ticket.customer_id != customer_id:
                raise PermissionDenied("that customer is not the ticket's customer")
            allowed = actor.may_work_on(ticket.team_id, ticket.assignee_id)
        else:
            allowed = actor.may_see_customer(customer_ticket_owners(session, customer_id))
        if not allowed:
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

    try:
        return ctx.write(work)
    except PermissionDenied as exc:
        _audit_refusal(ctx, actor, customer_id, field, ticket_id, str(exc))
        raise


def _audit_refusal(
    ctx: ServiceContext,
    actor: Actor,
    customer_id: int,
    field: str,
    ticket_id: int | None,
    reason: str,
) -> None:
    """A refused reveal is recorded too, in its own transaction (the refused one rolled
    back), with the agent who asked."""

    def work(session: Session) -> None:
        known = ticket_id is not None and session.get(Ticket, ticket_id) is not None
        session.add(
            TicketEvent(
                ticket_id=ticket_id if known else None,
                actor_id=actor.id,
                at=ctx.now(),
                kind=EventKind.REVEAL,
                body=f"refused: {field}",
                after={
                    "customer_id": customer_id,
                    "field": field,
                    "refused": True,
                    "reason": reason,
                    "ticket_id": ticket_id,
                },
            )
        )

    ctx.write(work)


MAX_RETENTION_YEARS = 100


def _cutoff(ctx: ServiceContext, years: int, now: datetime | None) -> datetime:
    if not 1 <= years <= MAX_RETENTION_YEARS:
        raise InvalidAction(
            "--years {years}: the retention period is 1 to {max_retention_years} years (the "
            "standard keeps closed tickets at least 2)",
            years=years,
            max_retention_years=MAX_RETENTION_YEARS,
        )
    return (now or ctx.now()) - timedelta(days=365 * years + years // 4)


def _expired(cutoff: datetime) -> Select[tuple[int]]:
    """Customers whose every ticket was closed before `cutoff`, not yet anonymised."""
    recent = exists().where(
        Ticket.customer_id == Customer.id,
        ~and_(Ticket.status == Status.CLOSED, Ticket.closed_at < cutoff),
    )
    has_old = exists().where(Ticket.customer_id == Customer.id)
    return select(Customer.id).where(has_old, ~recent, Customer.name != ANONYMISED)


def retention_preview(
    ctx: ServiceContext, *, years: int = 2, now: datetime | None = None
) -> tuple[int, datetime]:
    """(customers `apply_retention` would anonymise, the cutoff): shown before asking."""
    cutoff = _cutoff(ctx, years, now)
    with ctx.read() as session:
        count = session.execute(
            select(func.count()).select_from(_expired(cutoff).subquery())
        ).scalar_one()
    return count, cutoff


def apply_retention(ctx: ServiceContext, *, years: int = 2, now: datetime | None = None) -> int:
    """Anonymise customers whose every ticket was closed more than `years` ago; statistics stay."""
    cutoff = _cutoff(ctx, years, now)

    def work(session: Session) -> int:
        ids = list(session.execute(_expired(cutoff)).scalars())
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
