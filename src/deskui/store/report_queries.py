"""SQL for the reports (monthly analysis, staff assessment, weekly feedback).

Every figure is an aggregate computed in the database — COUNT/SUM over CASE with GROUP BY on
an indexed time range — so a month of a million-ticket database is a handful of range scans,
never a Python loop over tickets. Results are plain dataclasses; enum columns come back as
their enums. Periods are half-open UTC ranges `[start, end)` (`store.kpi.Range`).

The predicates (what "decided", "met", "reopened" mean) are the ones `store/kpi.py` uses for
the KPI panel, so a report's per-agent figures add up to the panel's totals; the KPI
definitions are written down in `docs/kpi.md` and `domain/kpi.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, Float, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from deskui.domain.enums import Category, Channel, ComplaintType, Priority, Status, Tier
from deskui.domain.kpi import BucketRow
from deskui.store.kpi import Range
from deskui.store.tables import Agent, Callback, Customer, Device, Product, Team, Ticket


# -- building blocks ---------------------------------------------------------------------------
def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum(expression: ColumnElement) -> ColumnElement[float]:
    return func.coalesce(func.sum(cast(expression, Float)), 0.0)


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def epoch_seconds(session: Session, column: ColumnElement) -> ColumnElement[float]:
    """Seconds since 1970-01-01 UTC of a stored instant, in each dialect's own arithmetic."""
    if _is_sqlite(session):  # stored as naive UTC text; julianday keeps milliseconds
        return (func.julianday(column) - 2440587.5) * 86400.0
    return cast(func.extract("epoch", column), Float)


def _seconds_between(
    session: Session, later: ColumnElement, earlier: ColumnElement
) -> ColumnElement:
    return epoch_seconds(session, later) - epoch_seconds(session, earlier)


def _bucket(session: Session, seconds: ColumnElement, width: int) -> ColumnElement[int]:
    if _is_sqlite(session):  # CAST truncates; instants are after 1970, so this is floor
        return cast(seconds / width, BigInteger)
    return cast(func.floor(seconds / width), BigInteger)


def _created_in(r: Range) -> ColumnElement[bool]:
    return and_(Ticket.created_at >= r.start, Ticket.created_at < r.end)


def _resolved_in(r: Range) -> ColumnElement[bool]:
    return and_(Ticket.resolved_at >= r.start, Ticket.resolved_at < r.end)


# The predicates, as in store/kpi.py.
def response_decided(now: datetime) -> ColumnElement[bool]:
    """Answered, or its response target already passed: the on-time rate can judge it."""
    return or_(Ticket.first_response_at.is_not(None), Ticket.response_due_at < now)


RESPONSE_MET = and_(
    Ticket.first_response_at.is_not(None), Ticket.first_response_at <= Ticket.response_due_at
)


def resolution_decided(now: datetime) -> ColumnElement[bool]:
    return or_(Ticket.resolved_at.is_not(None), Ticket.resolve_due_at < now)


RESOLUTION_MET = and_(Ticket.resolved_at.is_not(None), Ticket.resolved_at <= Ticket.resolve_due_at)
ESCALATED = Ticket.escalation_level > 0
RESOLVED_ONCE = or_(Ticket.resolved_at.is_not(None), Ticket.reopen_count > 0)
REOPENED = Ticket.reopen_count > 0
IS_COMPLAINT = Ticket.category == Category.COMPLAINT


# -- tickets created in a period, by their classification --------------------------------------
@dataclass(frozen=True, slots=True)
class MixRow:
    """Tickets created in the period with one combination of classification values."""

    channel: Channel
    category: Category
    complaint_type: ComplaintType | None
    priority: Priority
    tier: Tier
    tickets: int
    response_decided: int
    response_met: int
    resolution_decided: int
    resolution_met: int
    escalated: int
    resolved_once: int
    reopened: int


def created_mix(session: Session, r: Range, now: datetime) -> list[MixRow]:
    """One GROUP BY over the period's new tickets: volume by channel, category, complaint
    type, priority and tier, with SLA and escalation counts, all from the same scan."""
    keys = (Ticket.channel, Ticket.category, Ticket.complaint_type, Ticket.priority, Ticket.tier)
    stmt = (
        select(
            *keys,
            func.count(),
            _count_if(response_decided(now)),
            _count_if(RESPONSE_MET),
            _count_if(resolution_decided(now)),
            _count_if(RESOLUTION_MET),
            _count_if(ESCALATED),
            _count_if(RESOLVED_ONCE),
            _count_if(REOPENED),
        )
        .where(_created_in(r))
        .group_by(*keys)
    )
    return [MixRow(*row[:5], *(int(v) for v in row[5:])) for row in session.execute(stmt)]


def reopen_counts(session: Session, r: Range) -> tuple[int, int]:
    """Reopen rate (问题复现率): (reopened, resolved at least once) among tickets created in
    the period."""
    stmt = select(_count_if(REOPENED), _count_if(RESOLVED_ONCE)).where(_created_in(r))
    reopened, resolved = session.execute(stmt).one()
    return int(reopened), int(resolved)


@dataclass(frozen=True, slots=True)
class Volume:
    key: str | None
    name: str | None
    tickets: int


def volume_by_product(session: Session, r: Range) -> list[Volume]:
    """New tickets per product model (through the ticket's device); None: no device recorded."""
    stmt = (
        select(Product.model, Product.name, func.count())
        .select_from(Ticket)
        .outerjoin(Device, Device.id == Ticket.device_id)
        .outerjoin(Product, Product.id == Device.product_id)
        .where(_created_in(r))
        .group_by(Product.model, Product.name)
        .order_by(func.count().desc(), Product.model)
    )
    return [Volume(model, name, int(count)) for model, name, count in session.execute(stmt)]


def volume_by_region(session: Session, r: Range) -> list[Volume]:
    """New tickets per customer region; None: region not recorded."""
    stmt = (
        select(Customer.region, func.count())
        .select_from(Ticket)
        .join(Customer, Customer.id == Ticket.customer_id)
        .where(_created_in(r))
        .group_by(Customer.region)
        .order_by(func.count().desc(), Customer.region)
    )
    return [Volume(region, None, int(count)) for region, count in session.execute(stmt)]


# -- the most frequent problems ------------------------------------------------------------------
def normalised_subject(column: ColumnElement[str] = Ticket.subject) -> ColumnElement[str]:
    """Subject folded for grouping: full-width spaces made plain, runs of up to 8 spaces made
    one, trimmed, lower-cased (ASCII; Chinese has no case)."""
    text = func.replace(column, "\u3000", " ")
    for _ in range(3):
        text = func.replace(text, "  ", " ")
    return func.lower(func.trim(text))


@dataclass(frozen=True, slots=True)
class Problem:
    subject: str  # one spelling of the group (the smallest, spaces tidied)
    category: Category | None  # None when the group spans categories
    tickets: int


def top_problems(session: Session, r: Range, limit: int = 20) -> list[Problem]:
    """The `limit` most frequent normalised subjects among tickets created in the period."""
    key = normalised_subject().label("problem")
    count = func.count().label("n")
    stmt = (
        select(
            func.min(func.trim(Ticket.subject)),
            func.min(Ticket.category),
            func.max(Ticket.category),
            count,
        )
        .where(_created_in(r))
        .group_by(key)
        .order_by(count.desc(), key)
        .limit(limit)
    )
    problems = []
    for subject, low, high, n in session.execute(stmt):
        same = low == high
        shown = " ".join(subject.split())  # the group's first spelling, spaces tidied
        problems.append(Problem(shown, Category(low) if same else None, int(n)))
    return problems


# -- per team and agent --------------------------------------------------------------------------
_OWNER = (Ticket.team_id, Ticket.assignee_id)


@dataclass(frozen=True, slots=True)
class CreatedByOwner:
    team_id: int | None
    assignee_id: int | None
    tickets: int
    response_decided: int
    response_met: int
    responded: int
    response_seconds: float  # sum of first_response_at - created_at over answered tickets
    complaints: int
    complaints_escalated: int
    escalated: int
    resolved_once: int
    reopened: int


def created_by_owner(session: Session, r: Range, now: datetime) -> list[CreatedByOwner]:
    """Tickets created in the period per (team, assignee)."""
    answered = Ticket.first_response_at.is_not(None)
    response_time = case(
        (answered, _seconds_between(session, Ticket.first_response_at, Ticket.created_at)),
        else_=0.0,
    )
    stmt = (
        select(
            *_OWNER,
            func.count(),
            _count_if(response_decided(now)),
            _count_if(RESPONSE_MET),
            _count_if(answered),
            _sum(response_time),
            _count_if(IS_COMPLAINT),
            _count_if(and_(IS_COMPLAINT, ESCALATED)),
            _count_if(ESCALATED),
            _count_if(RESOLVED_ONCE),
            _count_if(REOPENED),
        )
        .where(_created_in(r))
        .group_by(*_OWNER)
    )
    result = []
    for row in session.execute(stmt):
        team, assignee, n, decided, met, responded, seconds, *rest = row
        result.append(
            CreatedByOwner(
                team,
                assignee,
                int(n),
                int(decided),
                int(met),
                int(responded),
                float(seconds),
                *(int(v) for v in rest),
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class ResolvedByOwner:
    team_id: int | None
    assignee_id: int | None
    resolved: int
    first_contact: int
    clock_seconds: float  # sum of resolved_at - created_at


def resolved_by_owner(session: Session, r: Range) -> list[ResolvedByOwner]:
    """Tickets resolved in the period per (team, assignee)."""
    stmt = (
        select(
            *_OWNER,
            func.count(),
            _count_if(and_(Ticket.first_contact_resolved.is_(True), Ticket.reopen_count == 0)),
            _sum(_seconds_between(session, Ticket.resolved_at, Ticket.created_at)),
        )
        .where(_resolved_in(r))
        .group_by(*_OWNER)
    )
    return [
        ResolvedByOwner(team, assignee, int(n), int(fcr), float(seconds))
        for team, assignee, n, fcr, seconds in session.execute(stmt)
    ]


@dataclass(frozen=True, slots=True)
class CallbacksByOwner:
    team_id: int | None
    assignee_id: int | None
    scored: int
    satisfied: int  # scores of 4-5
    dissatisfied: int  # scores of 1-2
    score_sum: int


def callbacks_by_owner(session: Session, r: Range) -> list[CallbacksByOwner]:
    """Scored callbacks recorded in the period, per the called-back ticket's team and assignee
    (the people whose work the customer is scoring)."""
    stmt = (
        select(
            *_OWNER,
            func.count(),
            _count_if(Callback.satisfaction >= 4),
            _count_if(Callback.satisfaction <= 2),
            func.coalesce(func.sum(Callback.satisfaction), 0),
        )
        .select_from(Callback)
        .join(Ticket, Ticket.id == Callback.ticket_id)
        .where(
            Callback.done_at >= r.start,
            Callback.done_at < r.end,
            Callback.satisfaction.is_not(None),
        )
        .group_by(*_OWNER)
    )
    return [
        CallbacksByOwner(team, assignee, int(n), int(happy), int(unhappy), int(total))
        for team, assignee, n, happy, unhappy, total in session.execute(stmt)
    ]


def resolution_buckets(
    session: Session, r: Range, width: int, *, by_owner: bool = False
) -> list[BucketRow]:
    """Histogram of resolved_at (+1) and created_at (-1) of the tickets resolved in the period,
    in buckets of `width` seconds, for `domain.kpi.business_seconds`. Keys are (team_id,
    assignee_id) with `by_owner`, else None."""
    rows: list[BucketRow] = []
    for sign, column in ((1, Ticket.resolved_at), (-1, Ticket.created_at)):
        seconds = epoch_seconds(session, column)
        bucket = _bucket(session, seconds, width).label("bucket")
        owner = _OWNER if by_owner else ()
        stmt = (
            select(bucket, func.count(), _sum(seconds - bucket * width), *owner)
            .where(_resolved_in(r))
            .group_by(*owner, bucket)
        )
        for b, n, offsets, *key in session.execute(stmt):
            rows.append(
                BucketRow(tuple(key) if by_owner else None, sign, int(b), int(n), float(offsets))
            )
    return rows


# -- callbacks -----------------------------------------------------------------------------------
def callback_completion(session: Session, r: Range, now: datetime) -> tuple[int, int]:
    """Callback completion (回访完成率): (done, due) over callbacks whose due_at falls in the
    period and before now. A callback that was not reached is rescheduled (due_at moves on),
    so it counts in the period of its latest due time. A callback skipped because the ticket
    was closed first is due at the close (at the latest) and is never done: it counts against
    completion."""
    until = min(r.end, now)
    stmt = select(_count_if(Callback.done_at.is_not(None)), func.count()).where(
        Callback.due_at >= r.start, Callback.due_at < until
    )
    done, due = session.execute(stmt).one()
    return int(done), int(due)


@dataclass(frozen=True, slots=True)
class CallbackLine:
    number: str
    category: Category
    resolved_at: datetime | None
    due_at: datetime
    attempts: int
    agent: str | None
    notes: str


def unreached_callbacks(
    session: Session, resolved_before: datetime, limit: int = 50
) -> tuple[list[CallbackLine], int]:
    """Callbacks still open after at least one attempt that did not reach the customer, for
    tickets resolved before `resolved_before`; oldest due first. Also their total count."""
    where = (
        Callback.done_at.is_(None),
        Callback.skipped_at.is_(None),
        Callback.attempts > 0,
        Ticket.resolved_at < resolved_before,
    )
    total = session.execute(
        select(func.count())
        .select_from(Callback)
        .join(Ticket, Ticket.id == Callback.ticket_id)
        .where(*where)
    ).scalar_one()
    stmt = (
        select(
            Ticket.number,
            Ticket.category,
            Ticket.resolved_at,
            Callback.due_at,
            Callback.attempts,
            Agent.display_name,
            Callback.notes,
        )
        .select_from(Callback)
        .join(Ticket, Ticket.id == Callback.ticket_id)
        .outerjoin(Agent, Agent.id == Callback.agent_id)
        .where(*where)
        .order_by(Callback.due_at, Callback.id)
        .limit(limit)
    )
    return [CallbackLine(*row) for row in session.execute(stmt)], int(total)


# -- ticket lists (weekly report) ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TicketLine:
    number: str
    created_at: datetime
    category: Category
    complaint_type: ComplaintType | None
    priority: Priority
    tier: Tier
    status: Status
    subject: str
    team: str | None
    assignee: str | None


def new_tickets(
    session: Session, r: Range, categories: Sequence[Category], limit: int = 50
) -> list[TicketLine]:
    """The newest `limit` tickets of the given categories created in the period (no customer
    data: reports leave personal data out, service-standards §8)."""
    stmt = (
        select(
            Ticket.number,
            Ticket.created_at,
            Ticket.category,
            Ticket.complaint_type,
            Ticket.priority,
            Ticket.tier,
            Ticket.status,
            Ticket.subject,
            Team.name,
            Agent.display_name,
        )
        .select_from(Ticket)
        .outerjoin(Team, Team.id == Ticket.team_id)
        .outerjoin(Agent, Agent.id == Ticket.assignee_id)
        .where(_created_in(r), Ticket.category.in_(list(categories)))
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    return [TicketLine(*row) for row in session.execute(stmt)]


# -- names ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AgentName:
    id: int
    username: str
    display_name: str
    team_id: int | None


def team_names(session: Session) -> dict[int, str]:
    return {tid: name for tid, name in session.execute(select(Team.id, Team.name))}


def agent_names(session: Session) -> dict[int, AgentName]:
    stmt = select(Agent.id, Agent.username, Agent.display_name, Agent.team_id)
    return {row[0]: AgentName(*row) for row in session.execute(stmt)}
