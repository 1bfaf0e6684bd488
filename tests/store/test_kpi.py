"""KPI aggregates on a small hand-made dataset; the right answers are worked out below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from deskui.domain.enums import Category, Channel, Priority, Status, TeamKind, Tier
from deskui.domain.kpi import Kpi, KpiTargets
from deskui.store import kpi
from deskui.store.tables import Callback, Customer, Team, Ticket

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
ZONE = ZoneInfo("Asia/Shanghai")
_number = iter(range(1, 1000))


def _ticket(
    session: Session,
    customer: Customer,
    created: datetime,
    *,
    responded: timedelta | None,
    response_target: timedelta = timedelta(minutes=15),
    resolved: timedelta | None = None,
    first_contact: bool | None = None,
    category: Category = Category.HELP,
    escalation: int = 0,
) -> Ticket:
    ticket = Ticket(
        number=f"SR-20261123-{next(_number):04d}",
        channel=Channel.PHONE,
        category=category,
        priority=Priority.URGENT,
        tier=Tier.NORMAL,
        status=Status.RESOLVED if resolved else Status.IN_PROGRESS,
        is_open=resolved is None,
        subject="s",
        customer_id=customer.id,
        created_at=created,
        updated_at=created,
        first_response_at=created + responded if responded is not None else None,
        resolved_at=created + resolved if resolved is not None else None,
        response_due_at=created + response_target,
        response_warn_at=created + response_target,
        resolve_due_at=created + timedelta(hours=2),
        resolve_warn_at=created + timedelta(hours=2),
        escalation_level=escalation,
        first_contact_resolved=first_contact,
        paused_seconds=0,
        extended_seconds=0,
        reopen_count=0,
    )
    session.add(ticket)
    session.flush()
    return ticket


@pytest.fixture
def dataset(engine: Engine) -> Engine:
    with Session(engine) as session, session.begin():
        session.add(Team(name="Service", kind=TeamKind.SERVICE))
        customer = Customer(name="王芳", phone="13812345678", tier=Tier.NORMAL)
        session.add(customer)
        session.flush()
        # today (local day starts 2026-11-22 16:00 UTC)
        t1 = _ticket(
            session,
            customer,
            NOW - timedelta(hours=1),
            responded=timedelta(minutes=10),
            resolved=timedelta(minutes=30),
            first_contact=True,
        )
        _ticket(session, customer, datetime(2026, 11, 23, 0, 0, tzinfo=UTC), responded=None)  # late
        _ticket(  # still inside its response target: not counted yet
            session,
            customer,
            NOW - timedelta(minutes=5),
            responded=None,
            response_target=timedelta(hours=1),
        )
        # earlier this month
        t4 = _ticket(
            session,
            customer,
            datetime(2026, 11, 10, 2, 0, tzinfo=UTC),
            responded=timedelta(minutes=5),
            resolved=timedelta(hours=24),
            first_contact=False,
            category=Category.COMPLAINT,
            escalation=1,
        )
        _ticket(
            session,
            customer,
            datetime(2026, 11, 12, 2, 0, tzinfo=UTC),
            responded=timedelta(minutes=5),
            category=Category.COMPLAINT,
        )
        # last month, still open
        _ticket(session, customer, datetime(2026, 10, 15, 2, 0, tzinfo=UTC), responded=None)
        session.add_all(
            [
                Callback(
                    ticket_id=t1.id,
                    due_at=NOW,
                    done_at=NOW - timedelta(minutes=1),
                    satisfaction=5,
                    reached=True,
                    solved=True,
                    attempts=1,
                ),
                Callback(
                    ticket_id=t1.id,
                    due_at=NOW,
                    done_at=NOW - timedelta(minutes=2),
                    satisfaction=3,
                    reached=True,
                    solved=True,
                    attempts=1,
                ),
                Callback(
                    ticket_id=t4.id,
                    due_at=NOW,
                    done_at=NOW - timedelta(days=11, hours=21),
                    satisfaction=4,
                    reached=True,
                    solved=True,
                    attempts=1,
                ),
                Callback(ticket_id=t4.id, due_at=NOW, attempts=0),  # not done: not counted
            ]
        )
    return engine


def test_periods_are_local_days_weeks_and_months() -> None:
    today = kpi.period_range(kpi.Period.TODAY, NOW, ZONE)
    assert today.start == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
    assert today.end == NOW
    assert kpi.period_range(kpi.Period.WEEK, NOW, ZONE).start == today.start  # a Monday
    month = kpi.period_range(kpi.Period.MONTH, NOW, ZONE)
    assert month.start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    weeks = kpi.week_ranges(NOW, ZONE)
    assert len(weeks) == 8
    assert weeks[-1].start == today.start
    assert weeks[0].start == today.start - timedelta(weeks=7)


def test_today(dataset: Engine) -> None:
    with Session(dataset) as session:
        r = kpi.period_range(kpi.Period.TODAY, NOW, ZONE)
        assert kpi.response(session, r, NOW) == (1, 2)
        assert kpi.first_contact(session, r) == (1, 1)
        assert kpi.csat(session, r) == (1, 2)
        assert kpi.escalation(session, r) == (0, 0)
        hours, count = kpi.mttr_hours(session, r)
        assert count == 1
        assert hours == pytest.approx(0.5, abs=1e-3)
        assert kpi.backlog(session, NOW) == 4
        got = kpi.figures(session, r, NOW, KpiTargets())
    assert got[Kpi.ON_TIME_RESPONSE].value.value == 0.5
    assert got[Kpi.ON_TIME_RESPONSE].value.warning  # 50% < 80% of 95%
    assert got[Kpi.COMPLAINT_ESCALATION].value.value is None
    assert not got[Kpi.COMPLAINT_ESCALATION].value.warning
    assert got[Kpi.BACKLOG].value.value == 4


def test_month(dataset: Engine) -> None:
    with Session(dataset) as session:
        r = kpi.period_range(kpi.Period.MONTH, NOW, ZONE)
        got = kpi.figures(session, r, NOW, KpiTargets())
    assert (got[Kpi.ON_TIME_RESPONSE].numerator, got[Kpi.ON_TIME_RESPONSE].denominator) == (3, 4)
    assert got[Kpi.FIRST_CONTACT_RESOLUTION].value.value == 0.5
    assert got[Kpi.CSAT].value.value == pytest.approx(2 / 3)
    assert got[Kpi.COMPLAINT_ESCALATION].value.value == 0.5
    assert got[Kpi.COMPLAINT_ESCALATION].value.warning  # 50% > 5% / 0.8
    assert got[Kpi.MTTR_HOURS].value.value == pytest.approx(12.25, abs=1e-3)


def test_empty_period_has_no_values(dataset: Engine) -> None:
    empty = kpi.Range(datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 2, 1, tzinfo=UTC))
    with Session(dataset) as session:
        got = kpi.figures(session, empty, NOW, KpiTargets())
    for name in (
        Kpi.ON_TIME_RESPONSE,
        Kpi.FIRST_CONTACT_RESOLUTION,
        Kpi.CSAT,
        Kpi.COMPLAINT_ESCALATION,
        Kpi.MTTR_HOURS,
    ):
        assert got[name].value.value is None, name
        assert got[name].denominator == 0
        assert not got[name].value.warning
    assert got[Kpi.BACKLOG].value.value == 0


def test_report_has_three_periods_and_an_eight_week_trend(dataset: Engine) -> None:
    with Session(dataset) as session:
        report = kpi.report(session, NOW, ZONE, KpiTargets())
    assert set(report.periods) == set(kpi.Period)
    assert all(len(values) == 8 for values in report.trend.values())
    assert report.trend[Kpi.ON_TIME_RESPONSE][-1] == 0.5
    assert report.trend[Kpi.CSAT][0] is None


def test_backlog_at_any_instant_is_the_tickets_open_then(dataset: Engine) -> None:
    """Counted from the present end (unresolved now, less created since, plus resolved
    since), it is still: created before the instant and not resolved by then."""
    from sqlalchemy import select

    with Session(dataset) as session:
        tickets = session.scalars(select(Ticket)).all()
        instants = sorted(
            {t.created_at for t in tickets} | {t.resolved_at for t in tickets} - {None}
        )
        probes = [
            NOW - timedelta(days=60),
            *instants,
            *(i + timedelta(seconds=1) for i in instants),
        ]
        for at in probes:
            expected = sum(
                1
                for t in tickets
                if t.created_at.replace(tzinfo=UTC) < at
                and (t.resolved_at is None or t.resolved_at.replace(tzinfo=UTC) >= at)
            )
            assert kpi.backlog(session, at) == expected, at
        assert any(kpi.backlog(session, at) for at in probes)
