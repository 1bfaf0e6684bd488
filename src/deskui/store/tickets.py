"""Reads of single tickets, their timeline, and the numbers that identify them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskui.domain.rows import AgentRow, CustomerRow, DeviceRow, EventRow, TicketDetail
from deskui.store.tables import (
    Agent,
    Callback,
    Customer,
    Device,
    Product,
    Team,
    Ticket,
    TicketCounter,
    TicketEvent,
)
from deskui.store.upsert import insert_for


def next_number(session: Session, day: str) -> str:
    """Hand out the next `SR-YYYYMMDD-NNNN` for a day; the row lock keeps it unique."""
    stmt = (
        insert_for(session, TicketCounter)
        .values(day=day, last=1)
        .on_conflict_do_update(index_elements=["day"], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    )
    sequence = session.execute(stmt).scalar_one()
    return f"SR-{day}-{sequence:04d}"


def _event_row(event: TicketEvent, actor: str | None) -> EventRow:
    return EventRow(
        id=event.id,
        ticket_id=event.ticket_id,
        at=event.at,
        kind=event.kind,
        actor=actor,
        internal=event.internal,
        body=event.body,
        before=event.before,
        after=event.after,
    )


def events(session: Session, ticket_id: int, after_id: int = 0) -> list[EventRow]:
    """The ticket's timeline, oldest first; `after_id` gives only newer events."""
    stmt = (
        select(TicketEvent, Agent.display_name)
        .outerjoin(Agent, Agent.id == TicketEvent.actor_id)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.id > after_id)
        .order_by(TicketEvent.id)
    )
    return [_event_row(e, name) for e, name in session.execute(stmt)]


def latest_event_id(session: Session) -> int:
    """The cheap change marker other desks poll to notice edits."""
    return session.execute(select(func.max(TicketEvent.id))).scalar() or 0


def ticket_id_by_number(session: Session, number: str) -> int | None:
    return session.execute(select(Ticket.id).where(Ticket.number == number)).scalar()


def detail(session: Session, ticket_id: int) -> TicketDetail | None:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        return None
    customer = session.get(Customer, ticket.customer_id)
    assert customer is not None
    device_row = None
    if ticket.device_id is not None:
        found = session.execute(
            select(Device, Product)
            .join(Product, Product.id == Device.product_id)
            .where(Device.id == ticket.device_id)
        ).one_or_none()
        if found is not None:
            device, product = found
            device_row = DeviceRow(
                id=device.id,
                product_model=product.model,
                product_name=product.name,
                serial=device.serial,
                purchase_date=device.purchase_date,
                proof_of_purchase=device.proof_of_purchase,
                warranty_main_months=product.warranty_main_months,
                warranty_accessory_months=product.warranty_accessory_months,
                warranty_software_months=product.warranty_software_months,
            )
    team = session.get(Team, ticket.team_id) if ticket.team_id else None
    assignee = session.get(Agent, ticket.assignee_id) if ticket.assignee_id else None
    return TicketDetail(
        id=ticket.id,
        number=ticket.number,
        version=ticket.version,
        channel=ticket.channel,
        category=ticket.category,
        complaint_type=ticket.complaint_type,
        priority=ticket.priority,
        tier=ticket.tier,
        status=ticket.status,
        subject=ticket.subject,
        description=ticket.description,
        customer_request=ticket.customer_request,
        solution=ticket.solution,
        customer=CustomerRow(
            id=customer.id,
            name=customer.name,
            phone=customer.phone,
            email=customer.email,
            region=customer.region,
            address=customer.address,
            tier=customer.tier,
        ),
        device=device_row,
        team_id=ticket.team_id,
        team_name=team.name if team else None,
        assignee_id=ticket.assignee_id,
        assignee_name=assignee.display_name if assignee else None,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        first_response_at=ticket.first_response_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        response_due_at=ticket.response_due_at,
        response_warn_at=ticket.response_warn_at,
        resolve_due_at=ticket.resolve_due_at,
        resolve_warn_at=ticket.resolve_warn_at,
        paused_at=ticket.paused_at,
        paused_seconds=ticket.paused_seconds,
        extended_seconds=ticket.extended_seconds,
        escalation_level=ticket.escalation_level,
        first_contact_resolved=ticket.first_contact_resolved,
        reopen_count=ticket.reopen_count,
        events=tuple(events(session, ticket.id)),
    )


def agent_by_username(session: Session, username: str) -> AgentRow | None:
    row = session.execute(
        select(Agent, Team.name)
        .outerjoin(Team, Team.id == Agent.team_id)
        .where(Agent.username == username)
    ).one_or_none()
    if row is None:
        return None
    agent, team_name = row
    return AgentRow(
        agent.id,
        agent.username,
        agent.display_name,
        agent.role,
        agent.team_id,
        team_name,
        agent.active,
    )


def agents(session: Session, *, active_only: bool = True) -> list[AgentRow]:
    stmt = (
        select(Agent, Team.name)
        .outerjoin(Team, Team.id == Agent.team_id)
        .order_by(Agent.display_name)
    )
    if active_only:
        stmt = stmt.where(Agent.active.is_(True))
    return [
        AgentRow(a.id, a.username, a.display_name, a.role, a.team_id, name, a.active)
        for a, name in session.execute(stmt)
    ]


def stamp(value: datetime) -> str:
    """ISO 8601 for audit payloads."""
    return value.isoformat()


def pending_callback(session: Session, ticket_id: int) -> Callback | None:
    """The ticket's callback still to be made (not done, not skipped), for update."""
    return session.execute(
        select(Callback)
        .where(
            Callback.ticket_id == ticket_id,
            Callback.done_at.is_(None),
            Callback.skipped_at.is_(None),
        )
        .order_by(Callback.id)
        .limit(1)
    ).scalar()
