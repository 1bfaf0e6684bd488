"""The business calendar as site data (issue 17), with an invented 2027 schedule.

Every 2027 date used here is TEST DATA from tests/calendar_testdata.py: made up, not the
State Council's schedule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from calendar_testdata import (
    TEST_2027_WORKDAYS,
    invented_2027_rows,
    write_invented_2027_csv,
    write_invented_2027_ics,
)
from deskui.domain.actors import Actor
from deskui.domain.enums import Category, ComplaintType, EventKind, Priority, Role, Tier
from deskui.domain.schemas import IntakeForm, ResolveForm
from deskui.services import calendar as service
from deskui.services.accounts import add_agent
from deskui.services.calendar_files import BadCalendarFile
from deskui.services.context import ServiceContext
from deskui.services.errors import PermissionDenied
from deskui.services.sla_report import explain_ticket
from deskui.services.tickets import TicketService
from deskui.store.calendar_tables import CalendarDay
from deskui.store.tables import Ticket, TicketEvent

SH = ZoneInfo("Asia/Shanghai")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HOLIDAYS = {day for day, kind, _name in invented_2027_rows() if kind == "holiday"}
WORKDAYS = {day for day, _name in TEST_2027_WORKDAYS}


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


def reference_working(minute: int) -> bool:
    """Minute-by-minute truth for the TEST DATA schedule: 09:00-18:00 Shanghai on Mon-Fri
    and make-up days, never on holidays."""
    local = EPOCH + timedelta(minutes=minute + 8 * 60)  # Shanghai has no DST
    day = local.date()
    if day in HOLIDAYS:
        return False
    if day.weekday() >= 5 and day not in WORKDAYS:
        return False
    return 9 * 60 <= local.hour * 60 + local.minute < 18 * 60


def reference_add(start: datetime, minutes: int) -> datetime:
    at = int((start - EPOCH).total_seconds()) // 60
    counted = 0
    while counted < minutes:
        counted += reference_working(at)
        at += 1
    return EPOCH + timedelta(minutes=at)


def form(**changes: object) -> IntakeForm:
    data: dict[str, object] = {
        "customer_name": "测试客户",
        "customer_phone": "13800000000",
        "channel": "phone",
        "category": Category.HELP,
        "priority": Priority.NORMAL,
        "subject": "test",
    }
    data.update(changes)
    return IntakeForm.model_validate(data)


@pytest.fixture
def agent(ctx: ServiceContext) -> Actor:
    return add_agent(ctx, "li.agent", role=Role.AGENT, team="Customer Service")


def imported(ctx: ServiceContext, admin: Actor, path: Path) -> service.ChangeResult:
    return service.apply_import(ctx, admin, service.plan_import(ctx, admin, path))


# Starts around the TEST DATA holidays and make-up days, including their edges.
STARTS = [
    sh(2027, 1, 29, 17, 30),  # Friday before a make-up Saturday
    sh(2027, 1, 30, 8, 0),  # make-up Saturday, before hours
    sh(2027, 1, 30, 17, 59),
    sh(2027, 2, 4, 16, 0),  # the last working day before the Spring Festival block
    sh(2027, 2, 6, 12, 0),  # inside the block (a Saturday)
    sh(2027, 2, 11, 23, 59),
    sh(2027, 2, 19, 18, 0),  # Friday evening before the make-up Saturday Feb 20
    sh(2027, 4, 23, 10, 0),  # Friday before the make-up Sunday
    sh(2027, 4, 30, 9, 0),
    sh(2027, 9, 24, 12, 0),
    sh(2027, 9, 30, 17, 0),
    sh(2027, 10, 8, 9, 0),
] + [sh(2027, 1, 27, 0, 0) + timedelta(hours=7 * step) for step in range(0, 100)]


@pytest.mark.parametrize("kind", ["csv", "ics"])
def test_import_gives_the_reference_due_times(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, kind: str
) -> None:
    writer = write_invented_2027_csv if kind == "csv" else write_invented_2027_ics
    result = imported(ctx, admin, writer(tmp_path / f"test-2027.{kind}"))
    assert result.changes == len(invented_2027_rows())
    policy = ctx.policy
    for start in STARTS:
        due = policy.due_times(Priority.NORMAL, Category.HELP, Tier.NORMAL, start)
        assert due.response_due == reference_add(start, 9 * 60), start  # 1 working day
        assert due.resolve_due == reference_add(start, 27 * 60), start  # 3 working days
    fifteen = policy.business.add(sh(2027, 1, 25, 10, 0), timedelta(hours=15 * 9))
    assert fifteen == reference_add(sh(2027, 1, 25, 10, 0), 15 * 9 * 60)


def test_intake_after_import_stores_the_reference_due_times(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, clock
) -> None:
    imported(ctx, admin, write_invented_2027_csv(tmp_path / "test-2027.csv"))
    clock.now = sh(2027, 2, 4, 16, 0).astimezone(UTC)  # Thursday before the TEST block
    ticket = TicketService(ctx).intake(admin, form())
    assert ticket.response_due_at == reference_add(clock.now, 9 * 60)
    # 2 h on Feb 4, nothing in the TEST block Feb 5-11, 9 h on Feb 12 and 15, 7 h on Feb 16.
    assert ticket.resolve_due_at == reference_add(clock.now, 27 * 60)
    assert ticket.resolve_due_at.astimezone(SH).date() == date(2027, 2, 16)


def test_a_year_without_make_up_days_is_estimated(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    calendar = ctx.policy.business
    assert not calendar.year_status(2026).estimated  # the package's official data
    assert calendar.year_status(2026).package_official
    assert calendar.year_status(2027).estimated  # the package only computes 2027
    assert service.estimated_years(ctx, sh(2026, 11, 23, 10, 0)) == [2027]
    assert service.estimated_years(ctx, sh(2026, 10, 31, 10, 0)) == []  # next year from Nov
    assert [ok for _s, ok in service.check(ctx, sh(2026, 12, 1, 10, 0))] == [True, False]
    imported(ctx, admin, write_invented_2027_csv(tmp_path / "test-2027.csv"))
    status = ctx.policy.business.year_status(2027)
    assert not status.estimated and status.workdays == 4
    assert status.site_entries == len(invented_2027_rows())
    assert service.estimated_years(ctx, sh(2026, 11, 23, 10, 0)) == []
    # A site that enters holidays only is still estimated (no make-up working day).
    service.set_day(ctx, admin, date(2028, 5, 2), "holiday", "TEST company day off")
    assert ctx.policy.business.year_status(2028).estimated


def test_site_schedule_replaces_the_packages_guesses(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    guessed = ctx.policy.business
    # The package guesses Qingming 2027 (a weekday in April); the TEST schedule has none.
    qingming = next(
        e.day
        for e in guessed.entries_between(date(2027, 4, 1), date(2027, 4, 10))
        if e.kind == "holiday"
    )
    assert not guessed.is_working_day(qingming)
    imported(ctx, admin, write_invented_2027_csv(tmp_path / "test-2027.csv"))
    assert ctx.policy.business.is_working_day(qingming) == (qingming.weekday() < 5)
    assert ctx.policy.business.entry(date(2027, 2, 5)).source == "file"  # type: ignore[union-attr]


def test_changing_a_date_recomputes_exactly_the_open_tickets_it_affects(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskui.store import calendar as store

    monkeypatch.setattr(store, "CHUNK", 1)  # one ticket per step: the chunks add up
    imported(ctx, admin, write_invented_2027_csv(tmp_path / "test-2027.csv"))
    tickets = TicketService(ctx)

    def intake_at(moment: datetime, **changes: object) -> int:
        clock.now = moment.astimezone(UTC)
        return tickets.intake(admin, form(**changes)).id

    crossing = intake_at(sh(2027, 2, 15, 10, 0))  # 3 working days: Feb 15-18
    complaint = intake_at(
        sh(2027, 2, 16, 17, 0), category=Category.COMPLAINT, complaint_type=ComplaintType.SERVICE
    )
    before = intake_at(sh(2027, 2, 12, 9, 0))  # due Feb 16 18:00, before Feb 17
    after = intake_at(sh(2027, 2, 18, 10, 0))  # created after Feb 17
    urgent = intake_at(sh(2027, 2, 17, 10, 0), priority=Priority.URGENT)  # 24x7 targets
    closed = intake_at(sh(2027, 2, 15, 11, 0))
    detail = tickets.get(closed)
    tickets.resolve(
        admin,
        closed,
        detail.version,
        ResolveForm(solution="replaced the lock's sensor module", first_contact=False),
    )

    def snapshot() -> dict[int, tuple[datetime, datetime, int]]:
        with ctx.read() as session:
            rows = session.execute(
                select(Ticket.id, Ticket.response_due_at, Ticket.resolve_due_at, Ticket.version)
            ).all()
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    old = snapshot()
    clock.now = sh(2027, 2, 1, 9, 0).astimezone(UTC)
    result = service.set_day(ctx, admin, date(2027, 2, 17), "holiday", "TEST extra day off")
    new = snapshot()
    assert result.moved == 2
    moved = {tid for tid in old if old[tid] != new[tid]}
    assert moved == {crossing, complaint}
    for tid in (before, after, urgent, closed):
        assert new[tid] == old[tid]
    # The moved due times are what a fresh policy on the new calendar computes.
    assert new[crossing][1] == reference_add(sh(2027, 2, 15, 10, 0), 36 * 60)
    assert new[crossing][1].astimezone(SH) == sh(2027, 2, 19, 10, 0)
    with ctx.read() as session:
        audit = (
            session.execute(select(TicketEvent).where(TicketEvent.kind == EventKind.CALENDAR))
            .scalars()
            .all()[-1]
        )
        lines = session.execute(
            select(func.count()).where(
                TicketEvent.ticket_id.in_([crossing, complaint]),
                TicketEvent.body.like("due times recomputed%"),
            )
        ).scalar()
    assert audit.actor_id == admin.id and audit.after["tickets_moved"] == 2
    assert lines == 2
    # Undoing the change moves the same two back.
    assert service.unset_day(ctx, admin, date(2027, 2, 17)).moved == 2
    assert {t: v[:2] for t, v in snapshot().items()} == {t: v[:2] for t, v in old.items()}


def test_explain_names_the_calendar_entry(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, clock
) -> None:
    imported(ctx, admin, write_invented_2027_csv(tmp_path / "test-2027.csv"))
    clock.now = sh(2027, 2, 19, 17, 0).astimezone(UTC)
    ticket = TicketService(ctx).intake(admin, form())
    text = "\n".join(explain_ticket(ctx, ticket.number))
    assert "calendar entry: 2027-02-20 Sat make-up working day 'TEST make-up Saturday'" in text
    assert "(source: file)" in text


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("date,kind,name\n2027-02-05,holiday,A\n2027-02-30,holiday,B\n", 3, "is not a date"),
        ("2027-02-05,holiday,A\n2027-02-06,vacation,B\n", 2, "use holiday or workday"),
        ("2027-02-05,holiday,A\n2027-02-05,workday,B\n", 2, "already given on line 1"),
        ("2027-02-05\n", 1, "expected date,kind,name"),
    ],
)
def test_a_bad_file_is_refused_with_line_and_reason_and_changes_nothing(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, content: str, line: int, reason: str
) -> None:
    service.set_day(ctx, admin, date(2027, 3, 1), "holiday", "TEST existing entry")
    revision = service_revision(ctx)
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadCalendarFile) as caught:
        service.plan_import(ctx, admin, path)
    assert caught.value.line == line and reason in caught.value.reason
    assert f"bad.csv:{line}:" in str(caught.value)
    assert [r.entry.day for r in service.site_entries(ctx)] == [date(2027, 3, 1)]
    assert service_revision(ctx) == revision


def test_a_bad_ics_event_names_its_line(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "bad.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20270205\r\nSUMMARY:TEST\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:2\r\nDTSTART:20270206T090000Z\r\nSUMMARY:TEST\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    with pytest.raises(BadCalendarFile) as caught:
        service.plan_import(ctx, admin, path)
    assert caught.value.line == 9 and "all-day" in caught.value.reason
    assert service.site_entries(ctx) == []


def service_revision(ctx: ServiceContext) -> int:
    from deskui.store import calendar as store

    with ctx.read() as session:
        return store.revision(session)


def test_import_shows_changes_and_refuses_a_stale_plan(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    path = write_invented_2027_csv(tmp_path / "test-2027.csv")
    service.set_day(ctx, admin, date(2027, 6, 1), "holiday", "TEST not in the file")
    plan = service.plan_import(ctx, admin, path)
    verbs = {c.day: c.verb for c in plan.changes}
    assert verbs[date(2027, 6, 1)] == "remove" and verbs[date(2027, 2, 5)] == "add"
    service.set_day(ctx, admin, date(2027, 7, 1), "holiday", "TEST concurrent change")
    with pytest.raises(service.CalendarConflict):
        service.apply_import(ctx, admin, plan)
    assert date(2027, 2, 5) not in {r.entry.day for r in service.site_entries(ctx)}


def test_only_admins_and_supervisors_change_it_and_refusals_are_audited(
    ctx: ServiceContext, admin: Actor, agent: Actor, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        service.set_day(ctx, agent, date(2027, 2, 5), "holiday")
    with pytest.raises(PermissionDenied):
        service.plan_import(ctx, agent, write_invented_2027_csv(tmp_path / "t.csv"))
    with ctx.read() as session:
        denied = (
            session.execute(select(TicketEvent).where(TicketEvent.kind == EventKind.REFUSED))
            .scalars()
            .all()
        )
        assert session.execute(select(func.count()).select_from(CalendarDay)).scalar() == 0
    assert [e.actor_id for e in denied] == [agent.id, agent.id]
    supervisor = add_agent(ctx, "zhang.sup", role=Role.SUPERVISOR, team="Customer Service")
    assert service.set_day(ctx, supervisor, date(2027, 2, 5), "holiday").changes == 1
    with ctx.read() as session:
        row = session.get(CalendarDay, date(2027, 2, 5))
        assert row is not None and row.updated_by == supervisor.id and row.source == "admin"


def test_config_dates_move_into_the_database_through_site_import(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskui.services import site

    monkeypatch.setattr("deskui.services.accounts.os_username", lambda: "admin")
    admin = add_agent(ctx, "admin", role=Role.ADMIN)
    old = tmp_path / "config.toml"
    old.write_text(
        'lang = "zh_CN"\n[sla.calendar]\nclosed_dates = [2026-12-24]\nopen_dates = [2026-12-26]\n',
        encoding="utf-8",
    )
    plan = site.plan_import(ctx, old)
    assert plan.personal == ["lang"] and plan.changes == []
    result = site.apply_import(ctx, plan)
    assert result.dates_added == 2
    assert ctx.site.sla.calendar.closed_dates == []  # the calendar holds them, not the policy
    entries = {r.entry.day: r.entry for r in service.site_entries(ctx)}
    assert entries[date(2026, 12, 24)].kind == "holiday"
    assert entries[date(2026, 12, 26)].kind == "workday"
    assert not ctx.policy.business.is_working_day(date(2026, 12, 24))
    # The database is now the calendar: unsetting the date opens it again.
    service.unset_day(ctx, admin, date(2026, 12, 24))
    assert ctx.policy.business.is_working_day(date(2026, 12, 24))


def test_export_round_trips(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    imported(ctx, admin, write_invented_2027_csv(tmp_path / "test-2027.csv"))
    for fmt in ("csv", "ics"):
        out = tmp_path / f"out.{fmt}"
        with out.open("w", encoding="utf-8") as handle:
            service.export_calendar(ctx, handle, fmt, [2027])
        plan = service.plan_import(ctx, admin, out)
        assert plan.changes == [], fmt
