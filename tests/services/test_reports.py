"""Reports on a small hand-made dataset (SQLite and PostgreSQL): every figure below is worked
out by hand in the comments. Then the writers (XLSX opened with openpyxl), the CLI, and a
demo database whose totals must agree with the KPI panel's own queries.

Now is Monday 2026-11-23 10:00 in Shanghai (the `clock` fixture). Times below are local.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskui.domain.enums import (
    Category,
    Channel,
    ComplaintType,
    Priority,
    Role,
    Status,
    TeamKind,
    Tier,
)
from deskui.domain.kpi import Kpi, ReportKpi
from deskui.services import reports
from deskui.services.context import ServiceContext
from deskui.services.report_render import (
    format_value,
    to_csv,
    to_html,
    to_markdown,
    write_report,
)
from deskui.services.reports import ReportError, month_period, quarter_period, week_period
from deskui.store import kpi as kpi_store
from deskui.store.tables import Agent, Callback, Customer, Device, Product, Team, Ticket

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


class Data:
    """Ids of the hand-made rows."""

    team_a: int
    team_b: int
    lina: int
    majun: int


def _ticket(
    session: Session,
    n: int,
    created: datetime,
    *,
    category: Category,
    channel: Channel,
    priority: Priority,
    customer: Customer,
    subject: str,
    team: int | None,
    assignee: int | None,
    respond_after: timedelta | None,
    response_target: timedelta,
    resolved: datetime | None = None,
    resolve_due: datetime,
    fcr: bool | None = None,
    complaint_type: ComplaintType | None = None,
    device: Device | None = None,
    escalation: int = 0,
    reopens: int = 0,
    status: Status | None = None,
) -> Ticket:
    if status is None:
        status = Status.CLOSED if resolved else Status.ASSIGNED if assignee else Status.NEW
    ticket = Ticket(
        number=f"SR-{created:%Y%m%d}-{n:04d}",
        channel=channel,
        category=category,
        complaint_type=complaint_type,
        priority=priority,
        tier=customer.tier,
        status=status,
        is_open=status.is_open,
        subject=subject,
        customer_id=customer.id,
        device_id=device.id if device else None,
        team_id=team,
        assignee_id=assignee,
        created_at=created,
        updated_at=resolved or created,
        first_response_at=created + respond_after if respond_after is not None else None,
        resolved_at=resolved,
        response_due_at=created + response_target,
        response_warn_at=created + response_target,
        resolve_due_at=resolve_due,
        resolve_warn_at=resolve_due,
        escalation_level=escalation,
        first_contact_resolved=fcr,
        reopen_count=reopens,
        paused_seconds=0,
        extended_seconds=0,
    )
    session.add(ticket)
    session.flush()
    return ticket


@pytest.fixture
def data(ctx: ServiceContext) -> Data:
    d = Data()
    with Session(ctx.engine) as s, s.begin():
        a, b = (
            Team(name="Team A", kind=TeamKind.SERVICE),
            Team(name="Team B", kind=TeamKind.COMPLAINTS),
        )
        s.add_all([a, b])
        s.flush()
        lina = Agent(
            username="lina", display_name="李娜", role=Role.AGENT, team_id=a.id, active=True
        )
        majun = Agent(
            username="majun", display_name="马军", role=Role.SUPERVISOR, team_id=b.id, active=True
        )
        c1 = Customer(name="王芳", phone="13812345678", region="华东", tier=Tier.NORMAL)
        c2 = Customer(name="Lisa", phone="13912345678", region="华南", tier=Tier.VIP)
        lock = Product(model="SL-200", name="Smart Lock")
        s.add_all([lina, majun, c1, c2, lock])
        s.flush()
        d1 = Device(customer_id=c1.id, product_id=lock.id, serial="SL200-1")
        s.add(d1)
        s.flush()
        d.team_a, d.team_b, d.lina, d.majun = a.id, b.id, lina.id, majun.id
        common_a = {"team": a.id, "assignee": lina.id}
        common_b = {"team": b.id, "assignee": majun.id}
        # T1 Fri 16 Oct 10:00, answered in 10 min, resolved at 12:00 (2 h, 2 business h), FCR
        t1 = _ticket(
            s, 1, local(2026, 10, 16, 10), category=Category.HELP, channel=Channel.PHONE,
            priority=Priority.NORMAL, customer=c1, device=d1, subject="Fingerprint fails",
            respond_after=10 * M, response_target=H, resolved=local(2026, 10, 16, 12),
            resolve_due=local(2026, 10, 19, 10), fcr=True, **common_a,
        )  # fmt: skip
        # T2 Fri 9 Oct 17:00 complaint (quality), VIP, answered after 2 h (target 1 h), escalated,
        # reopened once, resolved Mon 12 Oct 10:00: 65 h; business 1 + 9 (Sat 10 Oct is a
        # make-up working day) + 1 = 11 h; resolution target Sat 10 Oct 17:00 missed
        t2 = _ticket(
            s, 2, local(2026, 10, 9, 17), category=Category.COMPLAINT, channel=Channel.WECHAT,
            priority=Priority.IMPORTANT, customer=c2, subject="Broke after one month",
            complaint_type=ComplaintType.QUALITY, respond_after=2 * H, response_target=H,
            resolved=local(2026, 10, 12, 10), resolve_due=local(2026, 10, 10, 17), fcr=False,
            escalation=1, reopens=1, **common_b,
        )  # fmt: skip
        # T3 Tue 20 Oct 10:00, never answered (target passed), still open
        _ticket(
            s, 3, local(2026, 10, 20, 10), category=Category.HELP, channel=Channel.PHONE,
            priority=Priority.NORMAL, customer=c1, device=d1, subject="  fingerprint   FAILS ",
            respond_after=None, response_target=H, resolve_due=local(2026, 10, 23, 10), **common_a,
        )  # fmt: skip
        # T4 Sat 31 Oct 23:30, answered in 5 min, resolved Mon 2 Nov 10:00 (34.5 h, 1 business h)
        t4 = _ticket(
            s, 4, local(2026, 10, 31, 23, 30), category=Category.CONSULT, channel=Channel.CHAT,
            priority=Priority.NORMAL, customer=c1, subject="Warranty?", respond_after=5 * M,
            response_target=H, resolved=local(2026, 11, 2, 10), resolve_due=local(2026, 11, 3, 10),
            fcr=False, **common_a,
        )  # fmt: skip
        # T5 Wed 30 Sep 23:00 (September), resolved Thu 1 Oct 09:30, National Day: 10.5 h, 0 business
        t5 = _ticket(
            s, 5, local(2026, 9, 30, 23), category=Category.HELP, channel=Channel.APP,
            priority=Priority.NORMAL, customer=c1, subject="App crash", respond_after=5 * M,
            response_target=H, resolved=local(2026, 10, 1, 9, 30), resolve_due=local(2026, 10, 3),
            fcr=True, status=Status.RESOLVED, **common_b,
        )  # fmt: skip
        # T6 Thu 1 Oct 00:30 (Sep 30 16:30 UTC, but October locally) urgent complaint (service),
        # answered in 10 min (target 15), resolved 02:00: 1.5 h, 0 business h
        t6 = _ticket(
            s, 6, local(2026, 10, 1, 0, 30), category=Category.COMPLAINT, channel=Channel.EMAIL,
            priority=Priority.URGENT, customer=c2, subject="Hotline never answers",
            complaint_type=ComplaintType.SERVICE, respond_after=10 * M, response_target=15 * M,
            resolved=local(2026, 10, 1, 2), resolve_due=local(2026, 10, 1, 2, 30), fcr=True,
            **common_b,
        )  # fmt: skip
        # T7 Thu 5 Nov 10:00, answered in 30 min, resolved 11:00 (1 h, 1 business h), FCR
        _ticket(
            s, 7, local(2026, 11, 5, 10), category=Category.HELP, channel=Channel.PHONE,
            priority=Priority.NORMAL, customer=c1, subject="Fingerprint fails", respond_after=30 * M,
            response_target=H, resolved=local(2026, 11, 5, 11), resolve_due=local(2026, 11, 8, 10),
            fcr=True, status=Status.RESOLVED, **common_a,
        )  # fmt: skip
        # T8 Thu 10 Sep 10:00, never answered, still open
        _ticket(
            s, 8, local(2026, 9, 10, 10), category=Category.REPAIR, channel=Channel.COUNTER,
            priority=Priority.NORMAL, customer=c1, subject="Handle loose", respond_after=None,
            response_target=H, resolve_due=local(2026, 9, 15, 10), **common_a,
        )  # fmt: skip
        # T9 Tue 17 Nov 11:00 suggestion, nobody assigned
        _ticket(
            s, 9, local(2026, 11, 17, 11), category=Category.SUGGESTION, channel=Channel.WEB,
            priority=Priority.NORMAL, customer=c1, subject="Add dark mode", respond_after=None,
            response_target=24 * H, resolve_due=local(2026, 11, 20, 11), team=a.id, assignee=None,
        )  # fmt: skip
        s.add_all(
            [
                Callback(ticket_id=t1.id, due_at=local(2026, 10, 19, 10), done_at=local(2026, 10, 17, 10),
                         agent_id=lina.id, reached=True, solved=True, satisfaction=5, attempts=1),
                Callback(ticket_id=t2.id, due_at=local(2026, 10, 13, 10), done_at=local(2026, 10, 13, 10),
                         agent_id=majun.id, reached=True, solved=True, satisfaction=2, attempts=1),
                Callback(ticket_id=t4.id, due_at=local(2026, 11, 5, 10), done_at=local(2026, 11, 3, 10),
                         agent_id=lina.id, reached=True, solved=True, satisfaction=4, attempts=1),
                # T5: tried once, not reached; due again on 4 Oct
                Callback(ticket_id=t5.id, due_at=local(2026, 10, 4, 10), agent_id=lina.id,
                         reached=False, attempts=1, notes="No answer"),
                # T6: reached, customer gave no score
                Callback(ticket_id=t6.id, due_at=local(2026, 10, 2, 2), done_at=local(2026, 10, 2, 1),
                         agent_id=majun.id, reached=True, solved=True, attempts=1),
            ]
        )  # fmt: skip
    return d


# -- periods ----------------------------------------------------------------------------------
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_periods_are_local_months_quarters_and_iso_weeks() -> None:
    october = month_period("2026-10", NOW, SH)
    assert october.start.astimezone(UTC) == datetime(2026, 9, 30, 16, tzinfo=UTC)
    assert october.end.astimezone(UTC) == datetime(2026, 10, 31, 16, tzinfo=UTC)
    assert month_period(None, NOW, SH).label == "2026-11"
    assert month_period("last", NOW, SH).label == "2026-10"
    assert month_period("2026-1", NOW, SH).label == "2026-01"
    assert reports.previous(month_period("2026-01", NOW, SH)).label == "2025-12"
    q3 = quarter_period("2026Q3", NOW, SH)
    assert (q3.first.isoformat(), q3.after.isoformat()) == ("2026-07-01", "2026-10-01")
    assert quarter_period(None, NOW, SH).label == "2026Q4"
    assert quarter_period("last", NOW, SH).label == "2026Q3"
    assert reports.previous(quarter_period("2026-q1", NOW, SH)).label == "2025Q4"
    w47 = week_period("2026-W47", NOW, SH)
    assert (w47.first.isoformat(), w47.after.isoformat()) == ("2026-11-16", "2026-11-23")
    assert week_period(None, NOW, SH).label == "2026-W48"
    assert week_period("last", NOW, SH).label == "2026-W47"
    assert reports.previous(week_period("2026-W01", NOW, SH)).label == "2025-W52"
    assert week_period("2020-W53", NOW, SH).first.isoformat() == "2020-12-28"
    for bad, parse in [("2026-13", month_period), ("Oct", month_period), ("2026Q5", quarter_period),
                       ("2026-W54", week_period), ("2025-W53", week_period)]:  # fmt: skip
        with pytest.raises(ReportError):
            parse(bad, NOW, SH)


# -- the monthly analysis -----------------------------------------------------------------------
def _kpi(report: reports.Report, k: ReportKpi) -> dict[str, object]:
    from deskui.domain.kpi import definition

    return report.section("KPIs").row(definition(k).label)


def test_monthly_kpis_against_target_and_previous_month(ctx: ServiceContext, data: Data) -> None:
    steps: list[tuple[int, int]] = []
    report = reports.monthly_report(ctx, "2026-10", lambda d, t, _label: steps.append((d, t)))
    assert steps[-1] == (reports.MONTHLY_STEPS, reports.MONTHLY_STEPS)
    assert report.period == "2026-10"

    def row(k: ReportKpi) -> dict[str, object]:
        return _kpi(report, k)

    # on time: T1, T4, T6 of T1 T2 T3 T4 T6 = 3/5; September: T5 of T5, T8 = 1/2
    r = row(ReportKpi.ON_TIME_RESPONSE)
    assert (r["This month"], r["Previous month"], r["Target"]) == (0.6, 0.5, 0.95)
    assert r["Change"] == pytest.approx(0.1)
    assert (r["Numerator"], r["Denominator"]) == (3, 5)
    assert r["Status"].startswith("▼ WARNING")
    # FCR: resolved in October T1 T2 T5 T6, first contact T1 T5 T6 = 3/4; none in September
    r = row(ReportKpi.FIRST_CONTACT_RESOLUTION)
    assert (r["This month"], r["Previous month"], r["Change"]) == (0.75, None, None)
    assert r["Status"].startswith("· below target")
    # CSAT: scored callbacks done in October: T1 5, T2 2 = 1/2 (T6's has no score)
    r = row(ReportKpi.CSAT)
    assert (r["This month"], r["Numerator"], r["Denominator"], r["Previous month"]) == (
        0.5,
        1,
        2,
        None,
    )
    # complaints created in October: T2 (escalated), T6 = 1/2; none in September
    r = row(ReportKpi.COMPLAINT_ESCALATION)
    assert (r["This month"], r["Previous month"]) == (0.5, None)
    # created in October and resolved at least once: T1 T2 T4 T6; reopened T2 = 1/4;
    # September: T5, not reopened = 0/1
    r = row(ReportKpi.REOPEN_RATE)
    assert (r["This month"], r["Previous month"], r["Change"]) == (0.25, 0.0, 0.25)
    # callbacks due in October: T1 T2 T6 done, T5 not = 3/4; none due in September
    r = row(ReportKpi.CALLBACK_COMPLETION)
    assert (r["This month"], r["Numerator"], r["Denominator"], r["Previous month"]) == (
        0.75,
        3,
        4,
        None,
    )
    # MTTR: (2 + 65 + 10.5 + 1.5) / 4 = 19.75 h; business (2 + 11 + 0 + 0) / 4 = 3.25 h
    r = row(ReportKpi.MTTR_HOURS)
    assert r["This month"] == pytest.approx(19.75)
    assert (r["Previous month"], r["Target"], r["Status"]) == (None, None, "tracked / 跟踪")
    assert row(ReportKpi.MTTR_BUSINESS_HOURS)["This month"] == pytest.approx(3.25)
    # backlog at the end of October: T3, T4 (resolved 2 Nov), T8 = 3; end of September: T5, T8
    r = row(ReportKpi.BACKLOG)
    assert (r["This month"], r["Previous month"], r["Change"]) == (3.0, 2.0, 1.0)


def test_monthly_volumes_pareto_and_sla(ctx: ServiceContext, data: Data) -> None:
    report = reports.monthly_report(ctx, "2026-10")
    # October by local time: T1 T2 T3 T4 T6 (T6 is 30 Sep in UTC; T5 is 30 Sep locally)
    channels = report.section("Channels")
    assert channels.row("Phone / 电话")["Tickets"] == 2
    assert channels.row("WeChat / 公众号")["Tickets"] == 1
    assert channels.row("Online chat / 在线客服")["Tickets"] == 1
    assert channels.row("Email / 邮件")["Tickets"] == 1
    assert channels.row("Counter / 柜台")["Tickets"] == 0
    assert channels.row("Total / 合计")["Tickets"] == 5
    assert channels.row("Phone / 电话")["Share"] == 0.4
    categories = report.section("Categories")
    assert [categories.row(f"{c} / {z}")["Tickets"] for c, z in
            [("Consult", "咨询"), ("Help", "求助"), ("Complaint", "投诉"), ("Suggestion", "建议"),
             ("Repair", "维修")]] == [1, 2, 2, 0, 0]  # fmt: skip
    types = report.section("Complaint types")
    assert types.row("Product quality / 产品质量")["Tickets"] == 1
    assert types.row("Service / 售后服务")["Tickets"] == 1
    assert types.row("Total / 合计")["Tickets"] == 2
    products = report.section("Products")
    assert products.column("Product")[:2] == [
        "(no product recorded) / 未登记产品",
        "SL-200 Smart Lock",
    ]
    assert products.column("Tickets")[:2] == [3, 2]
    regions = report.section("Regions")
    assert regions.row("华东")["Tickets"] == 3
    assert regions.row("华南")["Tickets"] == 2
    tiers = report.section("Customer tiers")
    # T2 and T6 are the VIP customer's
    assert (tiers.row("Normal / 普通")["Tickets"], tiers.row("VIP")["Tickets"]) == (3, 2)

    # "Fingerprint fails" and "  fingerprint   FAILS " are one problem
    pareto = report.section("Pareto")
    assert pareto.column("Problem (subject)") == [
        "Fingerprint fails",
        "Broke after one month",
        "Hotline never answers",
        "Warranty?",
        "Total / 合计",
    ]
    assert pareto.column("Tickets") == [2, 1, 1, 1, 5]
    assert pareto.column("Cumulative share")[:4] == pytest.approx([0.4, 0.6, 0.8, 1.0])
    assert pareto.column("Vital few") == ["●", "●", "●", "", ""]
    assert pareto.column("Category")[0] == "Help / 求助"
    assert pareto.chart is not None and pareto.chart.rows == 4

    sla = report.section("SLA")
    # normal: T1 T3 T4, response met T1 T4, resolution met T1 T4 (T3 overdue)
    assert sla.row("Normal / 一般") == {
        "Priority": "Normal / 一般", "Tickets": 3, "Response decided": 3, "Response met": 2,
        "Response met %": pytest.approx(2 / 3), "Resolution decided": 3, "Resolution met": 2,
        "Resolution met %": pytest.approx(2 / 3),
    }  # fmt: skip
    # important: T2 late on both; urgent: T6 on time on both
    assert sla.row("Important / 重要")["Response met %"] == 0.0
    assert sla.row("Important / 重要")["Resolution met %"] == 0.0
    assert sla.row("Urgent / 紧急")["Resolution met %"] == 1.0
    assert sla.row("Total / 合计")["Response met"] == 3


def test_monthly_per_team_and_agent_add_up(ctx: ServiceContext, data: Data) -> None:
    report = reports.monthly_report(ctx, "2026-10")
    teams = report.section("Teams")
    a, b, total = teams.row("Team A"), teams.row("Team B"), teams.row("Total / 合计")
    # Team A (lina): created T1 T3 T4, on time T1 T4; resolved T1 (2 h); CSAT T1 = 5
    assert (a["New tickets"], a["Resolved"], a["On-time response"]) == (3, 1, pytest.approx(2 / 3))
    assert (a["CSAT"], a["Reopen rate"]) == (1.0, 0.0)
    assert (a["MTTR clock"], a["MTTR business"]) == (pytest.approx(2.0), pytest.approx(2.0))
    # Team B (majun): created T2 T6; resolved T2 T5 T6: (65 + 10.5 + 1.5) / 3 h, business 11 / 3
    assert (b["New tickets"], b["Resolved"], b["On-time response"]) == (2, 3, 0.5)
    assert b["First-contact resolution"] == pytest.approx(2 / 3)
    assert b["MTTR clock"] == pytest.approx(77 / 3)
    assert b["MTTR business"] == pytest.approx(11 / 3)
    assert (b["CSAT"], b["Escalated"], b["Reopen rate"]) == (0.0, 1, 0.5)
    # the totals are the KPIs
    assert total["On-time response"] == 0.6
    assert total["First-contact resolution"] == 0.75
    assert total["MTTR clock"] == pytest.approx(19.75)
    assert total["MTTR business"] == pytest.approx(3.25)
    agents = report.section("Agents")
    assert agents.column("Agent") == ["马军 (majun)", "李娜 (lina)", "Total / 合计"]
    assert agents.row("马军 (majun)")["Team"] == "Team B"
    assert agents.row("李娜 (lina)")["Resolved"] == 1


def test_an_empty_month_shows_dashes(ctx: ServiceContext, data: Data) -> None:
    report = reports.monthly_report(ctx, "2026-07")
    kpis = report.section("KPIs")
    for k in ReportKpi:
        if k is not ReportKpi.BACKLOG:
            assert _kpi(report, k)["This month"] is None
    assert _kpi(report, ReportKpi.BACKLOG)["This month"] == 0.0
    assert report.section("Channels").row("Total / 合计") == {
        "Channel": "Total / 合计", "Tickets": 0, "Share": None,
    }  # fmt: skip
    assert report.section("Agents").column("Agent") == ["Total / 合计"]
    text = to_markdown(report)
    assert "| On-time response rate / 响应及时率 | — | ≥ 95.0% | — | — |" in text
    assert format_value(None, "percent") == "—"
    assert kpis.notes


# -- staff assessment ---------------------------------------------------------------------------
def test_staff_assessment_for_a_quarter(ctx: ServiceContext, data: Data) -> None:
    report = reports.agents_report(ctx, "2026Q4")
    table = report.section("Assessment")
    assert table.column("Agent") == ["李娜 (lina)", "马军 (majun)", "Total / 合计"]
    lina = table.row("李娜 (lina)")
    # resolved in Q4: T1 (2 h), T4 (34.5 h), T7 (1 h); business 2 + 1 + 1
    assert lina["Tickets handled"] == 3
    assert lina["MTTR clock"] == pytest.approx(12.5)
    assert lina["MTTR business"] == pytest.approx(4 / 3)
    assert lina["First-contact resolution"] == pytest.approx(2 / 3)
    # scores on her tickets: T1 5, T4 4
    assert (lina["CSAT"], lina["Mean score"], lina["Scored callbacks"], lina["Complaint rate"]) == (
        1.0, 4.5, 2, 0.0,
    )  # fmt: skip
    # created in Q4: T1 10 min, T3 never, T4 5 min, T7 30 min: mean 15 min, on time 3 of 4
    assert lina["Mean response time"] == pytest.approx(0.25)
    assert lina["On-time response"] == 0.75
    majun = table.row("马军 (majun)")
    # resolved T2 T5 T6; the only score is T2's 2: a complaint
    assert (majun["Tickets handled"], majun["CSAT"], majun["Complaint rate"]) == (3, 0.0, 1.0)
    assert majun["Mean score"] == 2.0
    # created in Q4: T2 after 2 h, T6 after 10 min
    assert majun["Mean response time"] == pytest.approx(65 / 60)
    assert majun["Escalated"] == 1
    total = table.row("Total / 合计")
    assert total["Tickets handled"] == 6
    assert total["Mean score"] == pytest.approx(11 / 3)
    assert total["Mean response time"] == pytest.approx(35 / 60)
    assert any("1 new and 0 resolved tickets without an assignee" in n for n in table.notes)
    assert report.section("Teams").row("Total / 合计")["Resolved"] == 6


# -- weekly feedback -------------------------------------------------------------------------------
def test_weekly_report(ctx: ServiceContext, data: Data) -> None:
    report = reports.weekly_report(ctx, "2026-W41")  # 5-11 Oct: only T2 is new
    summary = report.section("Summary")
    assert summary.row("New tickets / 新增问题")["Count"] == 1
    assert summary.row("New complaints / 新增投诉")["Count"] == 1
    assert summary.row("Complaints: Product quality / 产品质量")["Count"] == 1
    assert summary.row("New suggestions / 新增建议")["Count"] == 0
    assert summary.row("Callbacks not reached / 未接通回访")["Count"] == 1  # T5's
    complaints = report.section("Complaints")
    assert complaints.column("Number") == ["SR-20261009-0002"]
    assert complaints.row("SR-20261009-0002")["Received"] == local(2026, 10, 9, 17)
    assert complaints.row("SR-20261009-0002")["Assignee"] == "马军"
    assert report.section("Suggestions").notes == ["None this week.", "本周无。"]
    assert report.section("Top issues").column("Problem (subject)")[0] == "Broke after one month"
    unreached = report.section("Callbacks not reached")
    assert unreached.column("Number") == ["SR-20260930-0005"]
    assert unreached.row("SR-20260930-0005")["Last caller"] == "李娜"
    # on time this week: T2 late = 0/1; the week before (28 Sep - 4 Oct): T5, T6 = 2/2
    kpi = _kpi(report, ReportKpi.ON_TIME_RESPONSE)
    assert (kpi["This week"], kpi["Previous week"], kpi["Change"]) == (0.0, 1.0, -1.0)

    later = reports.weekly_report(ctx, "2026-W47")
    assert later.section("Suggestions").column("Subject") == ["Add dark mode"]
    assert later.section("Complaints").rows == []


# -- writers -------------------------------------------------------------------------------------
def _hours(value: object) -> float:
    """A duration cell as openpyxl reads it back (time, timedelta or days) in hours."""
    from datetime import time

    if isinstance(value, time):
        return value.hour + value.minute / 60 + value.second / 3600 + value.microsecond / 3.6e9
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    assert isinstance(value, int | float)
    return value * 24


def test_every_header_and_note_reads_in_both_languages(ctx: ServiceContext, data: Data) -> None:
    """A report is one document for English and Chinese readers, whoever made it."""
    import re

    from deskui.i18n import speaking
    from deskui.services.repairs import fees_report

    han = re.compile(r"[\u4e00-\u9fff]")
    with speaking("en"):
        made = [
            reports.monthly_report(ctx, "2026-10"),
            reports.agents_report(ctx, "2026Q4"),
            reports.weekly_report(ctx, "2026-W41"),
            fees_report(ctx, "2026-10"),
        ]
    for report in made:
        assert han.search(report.subtitle), report.subtitle
        for section in report.sections:
            for column in section.columns:
                assert han.search(column.title), (report.kind, section.key, column.title)
            notes = "".join(section.notes)
            assert not section.notes or han.search(notes), (report.kind, section.key, notes)
    with speaking("zh_CN"):
        again = reports.monthly_report(ctx, "2026-10")
    assert [c.title for c in again.section("KPIs").columns] == [
        c.title for c in made[0].section("KPIs").columns
    ]


def test_xlsx_has_sheets_headers_formats_and_numbers(
    ctx: ServiceContext, data: Data, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    report = reports.monthly_report(ctx, "2026-10")
    path = tmp_path / "october.xlsx"
    write_report(report, "xlsx", path)
    book = load_workbook(path)
    assert book.sheetnames == [
        "Report", "KPIs", "Channels", "Categories", "Complaint types", "Products", "Regions",
        "Customer tiers", "Pareto", "SLA", "Failing products", "Parts replaced", "Teams", "Agents",
    ]  # fmt: skip
    assert book["Report"]["A1"].value.startswith("Monthly after-sales analysis")
    kpis = book["KPIs"]
    assert kpis["A1"].value == "KPIs against target / 考核指标"
    assert [c.value for c in kpis[3]] == [
        "KPI / 指标", "This month / 本月", "Target / 目标", "Previous month / 上个月",
        "Change / 变化", "Status / 状态", "Numerator / 分子", "Denominator / 分母",
    ]  # fmt: skip
    on_time = kpis[4]
    assert on_time[0].value == "On-time response rate / 响应及时率"
    assert (on_time[1].value, on_time[1].number_format) == (0.6, "0.0%")
    assert (on_time[2].value, on_time[2].number_format) == (0.95, '"≥ "0.0%')
    assert on_time[4].number_format == "+0.0%;-0.0%;0.0%"
    fcr = kpis[5]
    assert fcr[3].value == "—"  # no resolved tickets in September
    mttr = next(r for r in kpis.iter_rows(min_row=4) if r[0].value.startswith("MTTR, clock"))
    assert _hours(mttr[1].value) == pytest.approx(19.75)  # stored as days, read back as time
    assert mttr[1].number_format == "[h]:mm"
    channels = book["Channels"]
    assert [c.value for c in channels[3]] == ["Channel / 渠道", "Tickets / 工单数", "Share / 占比"]
    assert (channels["B4"].value, channels["B4"].number_format) == (2, "#,##0")
    assert (channels["C4"].value, channels["C4"].number_format) == (0.4, "0.0%")
    assert channels["A12"].value == "Total / 合计" and channels["A12"].font.b
    pareto = book["Pareto"]
    assert pareto["B4"].value == "Fingerprint fails"
    assert pareto["F5"].number_format == "0.0%"
    assert len(pareto._charts) == 1 and len(channels._charts) == 1
    agents = book["Agents"]
    assert agents["A4"].value == "马军 (majun)"
    assert agents["L4"].number_format == "[h]:mm"
    assert _hours(agents["L4"].value) == pytest.approx(11 / 3)
    assert agents.freeze_panes == "A4"


def test_markdown_html_and_csv(ctx: ServiceContext, data: Data) -> None:
    report = reports.monthly_report(ctx, "2026-10")
    md = to_markdown(report)
    assert md.startswith("# Monthly after-sales analysis / 售后问题月度分析报告 2026-10")
    assert "| On-time response rate / 响应及时率 | 60.0% | ≥ 95.0% | 50.0% | +10.0 pp |" in md
    assert "| MTTR, clock time (hours) / 平均修复时间（自然时间） | 19h 45m |" in md
    assert "| **Total / 合计** | **5** | **100.0%** |" in md
    page = to_html(report)
    assert '<h2 id="Pareto">' in page and "Fingerprint fails" in page
    text = to_csv(report)
    rows = list(csv.reader(io.StringIO(text)))
    start = rows.index(["# Channels: Volume by channel / 按渠道"])
    assert rows[start + 1] == ["Channel / 渠道", "Tickets / 工单数", "Share / 占比 (ratio)"]
    assert rows[start + 2] == ["Phone / 电话", "2", "0.4"]
    fcr = next(r for r in rows if r and r[0].startswith("First-contact"))
    assert fcr[3] == ""  # no value in September: an empty cell


# -- the command ---------------------------------------------------------------------------------
def test_cli_writes_each_report(
    ctx: ServiceContext, data: Data, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deskui.cli import main

    url = ctx.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "m.xlsx"
    assert main(["report", "monthly", "--db", url, "--month", "2026-10", "--out", str(out)]) == 0
    assert out.stat().st_size > 0
    assert "wrote the monthly report for 2026-10" in capsys.readouterr().err
    assert main(["report", "agents", "--db", url, "--quarter", "2026Q4", "--format", "md"]) == 0
    assert "李娜 (lina)" in capsys.readouterr().out
    html_out = tmp_path / "w.html"
    assert (
        main(["report", "weekly", "--db", url, "--week", "2026-W41", "--out", str(html_out)]) == 0
    )
    assert html_out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    csv_out = tmp_path / "m.csv"
    assert (
        main(["report", "monthly", "--db", url, "--month", "2026-10", "--out", str(csv_out)]) == 0
    )
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf# Monthly")  # BOM for spreadsheets
    assert main(["report", "monthly", "--db", url, "--month", "2026-13"]) == 2
    assert "use YYYY-MM" in capsys.readouterr().err


# -- a demo database: the report agrees with the KPI panel and the calendar -------------------------
def test_demo_totals_agree_with_the_panel_and_the_calendar(ctx: ServiceContext) -> None:
    from deskui.services.demo import generate_demo

    generate_demo(ctx.engine, tickets=400, now=ctx.now(), seed=11)
    report = reports.monthly_report(ctx, "2026-10")
    october = month_period("2026-10", ctx.now(), SH)
    with ctx.read() as session:
        panel = kpi_store.figures(session, october.range, ctx.now(), ctx.site.kpi)
        resolved = session.execute(
            select(Ticket.created_at, Ticket.resolved_at).where(
                Ticket.resolved_at >= october.range.start, Ticket.resolved_at < october.range.end
            )
        ).all()
    for k in Kpi:
        assert _kpi(report, ReportKpi(k.value))["This month"] == pytest.approx(panel[k].value.value)
    totals = report.section("Agents").row("Total / 合计")
    assert totals["Resolved"] == panel[Kpi.MTTR_HOURS].denominator == len(resolved)
    assert totals["On-time response"] == pytest.approx(panel[Kpi.ON_TIME_RESPONSE].value.value)
    assert totals["CSAT"] == pytest.approx(panel[Kpi.CSAT].value.value)
    calendar = ctx.policy.business
    oracle = sum(calendar.elapsed(c, r).total_seconds() for c, r in resolved) / 3600 / len(resolved)
    assert _kpi(report, ReportKpi.MTTR_BUSINESS_HOURS)["This month"] == pytest.approx(oracle)
    assert totals["MTTR business"] == pytest.approx(oracle)
    assert (
        sum(report.section("Channels").column("Tickets")[:-1])
        == report.section("Channels").row("Total / 合计")["Tickets"]
    )
