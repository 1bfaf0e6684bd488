"""The SLA sweep: reminders when a target becomes at risk or breaches, and escalation to the
team's supervisor after a grace time. Run by the app's timer and by `deskui sla sweep`.

Each notice is a row keyed by (ticket, target, threshold), inserted with ON CONFLICT DO NOTHING,
so it happens exactly once even when several sweeps run at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, insert, literal, select, update
from sqlalchemy.orm import Session

from deskui.domain.enums import EventKind, Role, SlaTarget
from deskui.domain.notes import note
from deskui.services.context import ServiceContext
from deskui.store.tables import Agent, SlaNotice, Ticket, TicketEvent
from deskui.store.upsert import insert_for

AT_RISK, BREACHED, ESCALATED = "at_risk", "breached", "escalated"
# Timeline notes in English with their ids beside them, so each desk shows them in its language.
REMINDER_NOTES = {
    (SlaTarget.RESPONSE, AT_RISK): note("response at risk"),
    (SlaTarget.RESPONSE, BREACHED): note("response breached"),
    (SlaTarget.RESOLUTION, AT_RISK): note("resolution at risk"),
    (SlaTarget.RESOLUTION, BREACHED): note("resolution breached"),
}
ESCALATION_NOTE = note("resolution target breached past the grace time")


@dataclass(frozen=True, slots=True)
class SweepResult:
    at_risk: int
    breached: int
    escalated: int

    def __str__(self) -> str:
        return f"reminders: {self.at_risk} at risk, {self.breached} breached; escalations: {self.escalated}"


def _running(target: SlaTarget) -> ColumnElement[bool]:
    if target is SlaTarget.RESPONSE:
        return and_(Ticket.is_open.is_(True), Ticket.first_response_at.is_(None))
    return and_(Ticket.is_open.is_(True), Ticket.paused_at.is_(None))


def _columns(target: SlaTarget) -> tuple[ColumnElement[datetime], ColumnElement[datetime]]:
    if target is SlaTarget.RESPONSE:
        return Ticket.response_warn_at, Ticket.response_due_at
    return Ticket.resolve_warn_at, Ticket.resolve_due_at


def _claim(
    session: Session, target: SlaTarget, threshold: str, when: ColumnElement[bool], now: datetime
) -> list[int]:
    """Insert the notices not yet given; return the tickets this sweep won."""
    already = exists().where(
        SlaNotice.ticket_id == Ticket.id,
        SlaNotice.target == target,
        SlaNotice.threshold == threshold,
    )
    chosen = select(
        Ticket.id, literal(target.value), literal(threshold), literal(now, type_=SlaNotice.at.type)
    ).where(_running(target), when, ~already)
    stmt = (
        insert_for(session, SlaNotice)
        .from_select(["ticket_id", "target", "threshold", "at"], chosen)
        .on_conflict_do_nothing()
        .returning(SlaNotice.ticket_id)
    )
    return list(session.execute(stmt).scalars())


def _remind(
    session: Session, ids: list[int], target: SlaTarget, threshold: str, now: datetime
) -> None:
    if not ids:
        return
    assignees = dict(
        session.execute(select(Ticket.id, Ticket.assignee_id).where(Ticket.id.in_(ids))).all()
    )
    said = REMINDER_NOTES[(target, threshold)]
    session.execute(
        insert(TicketEvent),
        [
            {
                "ticket_id": ticket_id,
                "actor_id": None,
                "at": now,
                "kind": EventKind.REMINDER,
                "internal": True,
                "body": said.text,
                "before": None,
                "after": {
                    "target": target.value,
                    "threshold": threshold,
                    "notify": assignees.get(ticket_id),
                    "message_id": said.message_id,
                    "params": said.params,
                },
            }
            for ticket_id in ids
        ],
    )


def _escalate(session: Session, ids: list[int], now: datetime) -> None:
    """Raise the level and address the team's supervisor; the version moves so open desks reload."""
    if not ids:
        return
    rows = session.execute(
        select(Ticket.id, Ticket.team_id, Ticket.version, Ticket.escalation_level).where(
            Ticket.id.in_(ids)
        )
    ).all()
    supervisors = dict(
        session.execute(
            select(Agent.team_id, Agent.id)
            .where(Agent.role == Role.SUPERVISOR, Agent.active.is_(True))
            .order_by(Agent.id)
        ).all()
    )
    session.execute(
        update(Ticket)
        .where(Ticket.id.in_(ids))
        .values(
            escalation_level=Ticket.escalation_level + 1, version=Ticket.version + 1, updated_at=now
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        insert(TicketEvent),
        [
            {
                "ticket_id": ticket_id,
                "actor_id": None,
                "at": now,
                "kind": EventKind.ESCALATE,
                "internal": True,
                "body": ESCALATION_NOTE.text,
                "before": {"escalation_level": level},
                "after": {
                    "notify": supervisors.get(team_id),
                    "version": version + 1,
                    "escalation_level": level + 1,
                    "message_id": ESCALATION_NOTE.message_id,
                    "params": ESCALATION_NOTE.params,
                },
            }
            for ticket_id, team_id, version, level in rows
        ],
    )


def sweep(ctx: ServiceContext, now: datetime | None = None) -> SweepResult:
    """One pass over the running targets; cheap when nothing crossed a threshold."""
    moment = now or ctx.now()
    grace = timedelta(minutes=ctx.site.sla.escalation_grace_minutes)

    def work(session: Session) -> SweepResult:
        counts = {AT_RISK: 0, BREACHED: 0}
        for target in SlaTarget:
            warn, due = _columns(target)
            for threshold, when in (
                (AT_RISK, and_(warn <= moment, due > moment)),
                (BREACHED, due <= moment),
            ):
                ids = _claim(session, target, threshold, when, moment)
                _remind(session, ids, target, threshold, moment)
                counts[threshold] += len(ids)
        escalated = _claim(
            session,
            SlaTarget.RESOLUTION,
            ESCALATED,
            Ticket.resolve_due_at <= moment - grace,
            moment,
        )
        _escalate(session, escalated, moment)
        return SweepResult(counts[AT_RISK], counts[BREACHED], len(escalated))

    return ctx.write(work)
