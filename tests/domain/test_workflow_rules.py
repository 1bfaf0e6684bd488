"""Issue 18: the workflow rules that must hold, one test (at least) per rule, pure domain."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from deskui.domain import workflow
from deskui.domain.actors import Actor
from deskui.domain.enums import Category, Priority, Role, SlaState, Status, Tier
from deskui.domain.kpi import KpiTargets, ReportKpi, measure, shortfall, warning_reason
from deskui.domain.repairs import (
    RepairStatus,
    acceptance_needed,
    charges_total,
    check_appointment,
    example_appointment,
    part_amount,
    visit_missed,
)
from deskui.domain.sla import SlaPolicy, SlaSettings, extended, remaining, running_calendar, state
from deskui.domain.warranty import check_purchase_date

SH = ZoneInfo("Asia/Shanghai")


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


# -- first-contact resolution ------------------------------------------------------------------
def test_first_contact_cannot_be_claimed_after_a_reopen() -> None:
    assert workflow.first_contact(True, reopen_count=0) is True
    assert workflow.first_contact(False, reopen_count=2) is False
    with pytest.raises(workflow.WorkflowError, match="reopened"):
        workflow.first_contact(True, reopen_count=1)


# -- warranty and repairs ----------------------------------------------------------------------
def test_a_future_purchase_date_is_refused() -> None:
    today = date(2026, 11, 23)
    assert check_purchase_date(today, today) == today
    assert check_purchase_date(None, today) is None
    with pytest.raises(ValueError, match="future"):
        check_purchase_date(date(2027, 5, 1), today)


def test_a_repair_cannot_be_scheduled_in_the_past() -> None:
    now = sh(2026, 11, 23, 10)
    assert check_appointment(now + timedelta(hours=1), now)
    with pytest.raises(ValueError, match="past"):
        check_appointment(sh(2026, 11, 1, 10), now)


@pytest.mark.parametrize(
    "now", [sh(2026, 11, 23, 10), sh(2027, 12, 31, 23, 59), sh(2030, 2, 28, 0)]
)
def test_the_example_appointment_follows_the_clock(now: datetime) -> None:
    example = example_appointment(now, SH)
    assert example > now
    assert check_appointment(example, now) == example
    assert example.astimezone(SH).hour == 10 and example - now < timedelta(days=2)


def test_a_missed_visit_is_recognised() -> None:
    now = sh(2026, 11, 23, 10)
    past = sh(2026, 11, 20, 14)
    assert visit_missed(RepairStatus.SCHEDULED, past, now)
    assert visit_missed(RepairStatus.ACCEPTED, past, now)
    assert not visit_missed(RepairStatus.IN_PROGRESS, past, now)  # the engineer was there
    assert not visit_missed(RepairStatus.DONE, past, now)
    assert not visit_missed(RepairStatus.SCHEDULED, now + timedelta(hours=2), now)


def test_charged_parts_are_in_the_total() -> None:
    fees = [Decimal("500.50"), Decimal("50.00")]
    parts = [
        part_amount(Decimal("120.00"), 1, charged=True),
        part_amount(Decimal("80.00"), 2, charged=False),
    ]
    assert charges_total(fees, parts) == Decimal("670.50")


def test_a_quote_changed_after_acceptance_needs_acceptance_again() -> None:
    accepted = Decimal("550.50")
    assert acceptance_needed(paid=True, accepted_amount=accepted, total=accepted) is None
    again = acceptance_needed(paid=True, accepted_amount=accepted, total=Decimal("630.50"))
    assert again is not None and "550.50" in str(again) and "630.50" in str(again)
    assert acceptance_needed(paid=True, accepted_amount=None, total=accepted) is not None
    assert acceptance_needed(paid=False, accepted_amount=None, total=Decimal("15.00")) is None


# -- time --------------------------------------------------------------------------------------
def test_an_extension_is_business_time_on_a_business_target_and_clock_time_on_24x7() -> None:
    policy = SlaPolicy()
    start = sh(2026, 11, 23, 16, 8)  # Monday 16:08
    # An important complaint: its 15 working days replace the 24 h (24x7), so a 4-hour
    # extension is working time and lands inside working hours, never at 20:08.
    due = policy.due_times(Priority.IMPORTANT, Category.COMPLAINT, Tier.NORMAL, start)
    new_due, _warn, calendar = extended(policy, due, timedelta(hours=4))
    local = new_due.astimezone(SH)
    assert calendar == "business"
    assert 9 <= local.hour < 18 and policy.business.elapsed(due.resolve_due, new_due) == timedelta(
        hours=4
    )
    # An important help request runs round the clock: the extension is clock time.
    due = policy.due_times(Priority.IMPORTANT, Category.HELP, Tier.NORMAL, start)
    new_due, _warn, calendar = extended(policy, due, timedelta(hours=4))
    assert calendar == "24x7" and new_due - due.resolve_due == timedelta(hours=4)


def test_a_callback_retry_falls_in_working_hours() -> None:
    calendar = SlaPolicy().business
    evening = sh(2026, 11, 23, 16, 16)  # + 4 h = 20:16, after closing
    retry = workflow.callback_retry_at(evening, 4, calendar)
    assert retry == sh(2026, 11, 24, 9, 0)
    morning = sh(2026, 11, 24, 10, 0)
    assert workflow.callback_retry_at(morning, 4, calendar) == sh(2026, 11, 24, 14, 0)
    friday = sh(2026, 11, 27, 17, 30)
    assert workflow.callback_retry_at(friday, 4, calendar) == sh(2026, 11, 30, 9, 0)


def test_countdown_and_at_risk_mark_use_the_same_clock() -> None:
    """A business target's countdown is working time: at risk exactly when a quarter of the
    target or less is left on that clock (no "▲ 17h 14m" beside a calm "17h 51m")."""
    policy = SlaPolicy(SlaSettings())
    start = sh(2026, 11, 23, 10)
    due = policy.due_times(Priority.NORMAL, Category.HELP, Tier.NORMAL, start)
    name = running_calendar(
        policy,
        Priority.NORMAL,
        Category.HELP,
        Tier.NORMAL,
        start,
        due.resolve_due,
        due.resolve_due,
    )
    assert name == "business"
    calendar = policy.calendar(name)
    quarter = due.resolve_target * policy.settings.at_risk_fraction
    now = start
    seen = set()
    while now < due.resolve_due + timedelta(hours=30):
        left = remaining(due.resolve_due, now, calendar)
        current = state(due.resolve_due, due.resolve_warn, now)
        if current is not SlaState.BREACHED:
            assert (current is SlaState.AT_RISK) == (left <= quarter), now
        else:
            assert left <= timedelta(0)
        seen.add(current)
        now += timedelta(minutes=37)
    assert {SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.BREACHED} <= seen
    # overnight the clock-time countdown would run on; the business one stands still
    evening, morning = sh(2026, 11, 24, 18), sh(2026, 11, 25, 9)
    assert remaining(due.resolve_due, evening, calendar) == remaining(
        due.resolve_due, morning, calendar
    )
    assert remaining(due.resolve_due, evening) > remaining(due.resolve_due, morning)
    # the response target (before the first response) runs on its own calendar
    assert (
        running_calendar(
            policy,
            Priority.IMPORTANT,
            Category.HELP,
            Tier.NORMAL,
            start,
            due.response_due,
            due.resolve_due,
        )
        == "24x7"
    )


# -- callbacks ---------------------------------------------------------------------------------
def test_closing_before_the_callback_needs_a_reason() -> None:
    assert workflow.close_reason(False, "") == ""
    assert workflow.close_reason(True, "  customer asked us not to call ") == (
        "customer asked us not to call"
    )
    with pytest.raises(workflow.WorkflowError, match="reason"):
        workflow.close_reason(True, "   ")


def test_a_callback_closes_a_ticket_once() -> None:
    assert workflow.after_callback(Status.RESOLVED, reached=True, solved=True) == "close"
    assert workflow.after_callback(Status.CLOSED, reached=True, solved=True) == "none"
    assert workflow.after_callback(Status.RESOLVED, reached=True, solved=False) == "reopen"
    assert workflow.after_callback(Status.RESOLVED, reached=False, solved=None) == "retry"


# -- reveals -----------------------------------------------------------------------------------
def test_personal_data_outside_a_ticket_follows_team_scope() -> None:
    agent = Actor(7, "lina", "李娜", Role.AGENT, team_id=1)
    assert agent.may_see_customer([(1, None)])
    assert agent.may_see_customer([(2, 9), (3, 7)])  # assigned to her in another team
    assert not agent.may_see_customer([(2, None), (3, 9)])
    assert agent.may_see_customer([])  # a customer being registered: no ticket yet
    supervisor = Actor(8, "wang", "王", Role.SUPERVISOR, team_id=1)
    assert supervisor.may_see_customer([(2, None)])


# -- KPI wording -------------------------------------------------------------------------------
def test_a_ceiling_kpi_warns_above_the_maximum() -> None:
    targets = KpiTargets()
    ceiling = measure(ReportKpi.COMPLAINT_ESCALATION, 2, 10, targets)  # 20% against ≤ 5%
    assert ceiling.warning and warning_reason(ceiling) == "above the maximum"
    slightly = measure(ReportKpi.COMPLAINT_ESCALATION, 6, 100, targets)  # 6%: not met, no warning
    assert not slightly.warning and shortfall(slightly) == "above the maximum"
    floor = measure(ReportKpi.CSAT, 5, 10, targets)
    assert warning_reason(floor) == "below 80% of target" and shortfall(floor) == "below target"
    assert warning_reason(measure(ReportKpi.CSAT, 10, 10, targets)) is None


def test_a_working_time_countdown_counts_working_days() -> None:
    from deskui.domain.sla import format_countdown

    nine = timedelta(hours=9)
    assert format_countdown(timedelta(hours=12, minutes=5), nine) == "1d 03h"
    assert format_countdown(-timedelta(hours=8, minutes=59), nine) == "-8h 59m"
    assert format_countdown(timedelta(hours=12, minutes=5)) == "12h 05m"
