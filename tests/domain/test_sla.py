"""SLA policy: default targets (service-standards §3), earliest-wins, pauses, states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from deskui.domain.calendar import BusinessCalendar, RoundTheClock
from deskui.domain.enums import Category, Priority, SlaState, SlaTarget, Tier
from deskui.domain.sla import (
    DueTimes,
    Extension,
    Pause,
    Rule,
    SlaPolicy,
    SlaSettings,
    Target,
    explain,
    extend,
    format_countdown,
    remaining,
    resume,
    state,
)

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


@pytest.fixture(scope="module")
def policy() -> SlaPolicy:
    return SlaPolicy.from_settings(SlaSettings())


# Received Tuesday 2026-03-10 10:00 Shanghai, an ordinary working week. Expected by hand:
# (response due, response rule, resolution due, resolution rule).
START = sh(2026, 3, 10, 10)
EARLIEST = {
    (Priority.URGENT, False): (sh(2026, 3, 10, 10, 15), "urgent", sh(2026, 3, 10, 12), "urgent"),
    # Major complaint: 5 min response; resolution 2 h ties with "urgent", listed first.
    (Priority.URGENT, True): (
        sh(2026, 3, 10, 10, 5),
        "major complaint",
        sh(2026, 3, 10, 12),
        "urgent",
    ),
    (Priority.IMPORTANT, False): (
        sh(2026, 3, 10, 12),
        "important",
        sh(2026, 3, 11, 10),
        "important",
    ),
    # Complaint: 1 h response beats 2 h; 24 h beats 15 working days.
    (Priority.IMPORTANT, True): (
        sh(2026, 3, 10, 11),
        "complaint",
        sh(2026, 3, 11, 10),
        "important",
    ),
    # 1 working day = 9 business hours: Tue 10:00 -> Wed 10:00; 3 days -> Fri 10:00.
    (Priority.NORMAL, False): (sh(2026, 3, 11, 10), "normal", sh(2026, 3, 13, 10), "normal"),
    # 1 h (24x7) beats 1 working day; 3 working days beat 15.
    (Priority.NORMAL, True): (sh(2026, 3, 10, 11), "complaint", sh(2026, 3, 13, 10), "normal"),
}
# The shipped reading ("replace"): a complaint's resolution comes from the complaint rules:
# 15 working days (Tue 10 March + 15 working days = Tue 31 March 10:00), except a major
# complaint (urgent), which stays at 2 hours. Responses are unchanged.
REPLACE = EARLIEST | {
    (Priority.URGENT, True): (
        sh(2026, 3, 10, 10, 5),
        "major complaint",
        sh(2026, 3, 10, 12),
        "major complaint",
    ),
    (Priority.IMPORTANT, True): (
        sh(2026, 3, 10, 11),
        "complaint",
        sh(2026, 3, 31, 10),
        "complaint",
    ),
    (Priority.NORMAL, True): (sh(2026, 3, 10, 11), "complaint", sh(2026, 3, 31, 10), "complaint"),
}


@pytest.mark.parametrize("reading", ["replace", "earliest"])
@pytest.mark.parametrize(("priority", "category", "tier"), list(product(Priority, Category, Tier)))
def test_default_targets(reading: str, priority: Priority, category: Category, tier: Tier) -> None:
    policy = SlaPolicy(SlaSettings(complaint_resolution=reading))  # type: ignore[arg-type]
    expected = REPLACE if reading == "replace" else EARLIEST
    due = policy.due_times(priority, category, tier, START)
    response_due, response_rule, resolve_due, resolve_rule = expected[
        priority, category == Category.COMPLAINT
    ]
    assert (due.response_due, due.response_rule) == (response_due, response_rule)
    assert (due.resolve_due, due.resolve_rule) == (resolve_due, resolve_rule)
    assert due.response_due.tzinfo is UTC and due.resolve_warn.tzinfo is UTC


def test_complaint_reading_defaults_to_replace_and_is_explained() -> None:
    policy = SlaPolicy()
    assert policy.settings.complaint_resolution == "replace"
    assert "replaces the priority" in policy.describe_complaint_rule()
    assert policy.competing_rules(
        Priority.NORMAL, Category.COMPLAINT, Tier.NORMAL, SlaTarget.RESOLUTION
    ) == ["complaint"]
    assert policy.competing_rules(
        Priority.NORMAL, Category.COMPLAINT, Tier.NORMAL, SlaTarget.RESPONSE
    ) == ["normal", "complaint"]
    earliest = SlaPolicy(SlaSettings(complaint_resolution="earliest"))
    assert "only a ceiling" in earliest.describe_complaint_rule()
    with pytest.raises(ValueError):
        SlaSettings(complaint_resolution="sometimes")  # type: ignore[arg-type]


def test_warn_instants_leave_a_quarter_of_calendar_time(policy: SlaPolicy) -> None:
    urgent = policy.due_times(Priority.URGENT, Category.HELP, Tier.VIP, START)
    assert urgent.response_warn == sh(2026, 3, 10, 10, 11, 15)  # 75% of 15 min
    assert urgent.resolve_warn == sh(2026, 3, 10, 11, 30)
    normal = policy.due_times(Priority.NORMAL, Category.CONSULT, Tier.NORMAL, START)
    # 75% of 9 business hours = 6 h 45 m: Tue 10:00-18:00 is 8 h -> Tue 16:45.
    assert normal.response_warn == sh(2026, 3, 10, 16, 45)
    # 75% of 27 h = 20 h 15 m: Tue 8 h, Wed 9 h, Thu 3 h 15 m -> Thu 12:15.
    assert normal.resolve_warn == sh(2026, 3, 12, 12, 15)
    assert (normal.resolve_calendar, normal.resolve_target) == ("business", 27 * H)
    assert (normal.response_calendar, normal.response_target) == ("business", 9 * H)


def test_due_times_across_spring_festival(policy: SlaPolicy) -> None:
    due = policy.due_times(Priority.NORMAL, Category.HELP, Tier.NORMAL, sh(2026, 2, 12, 10))
    # 27 h: Feb 12 8 h, Feb 13 9 h, make-up Saturday Feb 14 9 h, then Feb 24 09:00-10:00.
    assert due.resolve_due == sh(2026, 2, 24, 10)
    assert due.response_due == sh(2026, 2, 13, 10)


def test_fifteen_working_days_when_the_complaint_rule_is_the_only_one() -> None:
    rules = [Rule(name="complaint", response=Target(hours=1), resolution=Target(working_days=15))]
    only = SlaPolicy(SlaSettings(rules=rules))
    due = only.due_times(Priority.NORMAL, Category.COMPLAINT, Tier.NORMAL, sh(2026, 2, 12, 10))
    assert due.resolve_due == sh(2026, 3, 11, 10)
    assert due.resolve_target == 135 * H


def _rules(**targets: Target) -> list[Rule]:
    base = Rule(name="base", response=Target(hours=48), resolution=Target(hours=480))
    return [base] + [
        Rule(name=name, category=Category.COMPLAINT, response=target)
        for name, target in targets.items()
    ]


def test_earliest_due_wins_and_depends_on_start() -> None:
    policy = SlaPolicy(SlaSettings(rules=_rules(day=Target(working_days=1), ten=Target(hours=10))))

    def winner(start: datetime) -> tuple[str, datetime]:
        due = policy.due_times(Priority.NORMAL, Category.COMPLAINT, Tier.NORMAL, start)
        return due.response_rule, due.response_due

    # Tue 10:00: one working day ends Wed 10:00, ten hours end Tue 20:00.
    assert winner(sh(2026, 3, 10, 10)) == ("ten", sh(2026, 3, 10, 20))
    # Tue 09:00: one working day ends Tue 18:00, ten hours Tue 19:00.
    assert winner(sh(2026, 3, 10, 9)) == ("day", sh(2026, 3, 10, 18))
    # Tue 08:00: both end Tue 18:00; the rule listed first wins the tie.
    assert winner(sh(2026, 3, 10, 8)) == ("day", sh(2026, 3, 10, 18))
    # A consult ticket only matches the base rule.
    due = policy.due_times(Priority.NORMAL, Category.CONSULT, Tier.NORMAL, sh(2026, 3, 10, 8))
    assert due.response_rule == "base"


def test_a_stricter_complaint_rule_beats_the_priority_rule() -> None:
    rules = [r for r in SlaSettings().rules if r.name != "complaint"] + [
        Rule(name="complaint", category=Category.COMPLAINT, resolution=Target(hours=4))
    ]
    policy = SlaPolicy(SlaSettings(rules=rules))
    due = policy.due_times(Priority.NORMAL, Category.COMPLAINT, Tier.NORMAL, START)
    assert (due.resolve_rule, due.resolve_due) == ("complaint", sh(2026, 3, 10, 14))
    assert (due.response_rule, due.response_due) == ("normal", sh(2026, 3, 11, 10))


def test_tier_rules_match() -> None:
    rules = [*SlaSettings().rules, Rule(name="vip", tier=Tier.VIP, response=Target(minutes=30))]
    policy = SlaPolicy(SlaSettings(rules=rules))
    vip = policy.due_times(Priority.NORMAL, Category.CONSULT, Tier.VIP, START)
    normal = policy.due_times(Priority.NORMAL, Category.CONSULT, Tier.NORMAL, START)
    assert (vip.response_rule, vip.response_due) == ("vip", sh(2026, 3, 10, 10, 30))
    assert normal.response_rule == "normal"


def test_at_risk_fraction_is_configurable() -> None:
    policy = SlaPolicy(SlaSettings(at_risk_fraction=0.5))
    due = policy.due_times(Priority.URGENT, Category.HELP, Tier.NORMAL, START)
    assert due.resolve_warn == sh(2026, 3, 10, 11)


def test_start_in_another_zone(policy: SlaPolicy) -> None:
    start = START.astimezone(ZoneInfo("Europe/London"))
    due = policy.due_times(Priority.NORMAL, Category.HELP, Tier.NORMAL, start)
    assert due.resolve_due == sh(2026, 3, 13, 10)
    with pytest.raises(ValueError, match="naive"):
        policy.due_times(Priority.NORMAL, Category.HELP, Tier.NORMAL, datetime(2026, 3, 10))


def test_due_times_is_frozen(policy: SlaPolicy) -> None:
    due = policy.due_times(Priority.NORMAL, Category.HELP, Tier.NORMAL, START)
    assert isinstance(due, DueTimes)
    with pytest.raises(AttributeError):
        due.resolve_due = START  # type: ignore[misc]


# -- pause / resume / extend ------------------------------------------------------------------


def test_pause_over_the_weekend_moves_by_paused_business_time(policy: SlaPolicy) -> None:
    # Received Thu Mar 5 10:00: 27 h -> Thu 8 h, Fri 9 h, Mon 9 h, Tue 1 h -> Tue Mar 10 10:00.
    due = policy.due_times(Priority.NORMAL, Category.HELP, Tier.NORMAL, sh(2026, 3, 5, 10))
    assert due.resolve_due == sh(2026, 3, 10, 10)
    assert due.resolve_warn == sh(2026, 3, 9, 12, 15)
    # Paused Fri 17:00, resumed Mon 10:00: 2 business hours passed (Fri 17-18, Mon 9-10).
    paused, resumed = sh(2026, 3, 6, 17), sh(2026, 3, 9, 10)
    moved = resume(
        policy, due.resolve_due, due.resolve_warn, paused, resumed, calendar=due.resolve_calendar
    )
    assert moved == (sh(2026, 3, 10, 12), sh(2026, 3, 9, 14, 15))
    calendar = policy.resolution_calendar(due)
    assert resume(calendar, due.resolve_due, due.resolve_warn, paused, resumed) == moved


def test_pause_on_a_round_the_clock_target(policy: SlaPolicy) -> None:
    due = policy.due_times(Priority.URGENT, Category.HELP, Tier.NORMAL, sh(2026, 3, 6, 17))
    assert due.resolve_calendar == "24x7"
    calendar = policy.resolution_calendar(due)
    assert isinstance(calendar, RoundTheClock)
    moved = resume(
        calendar, due.resolve_due, due.resolve_warn, sh(2026, 3, 6, 18), sh(2026, 3, 7, 18)
    )
    assert moved == (sh(2026, 3, 7, 19), sh(2026, 3, 7, 18, 30))


def test_extend_uses_calendar_time(policy: SlaPolicy) -> None:
    business = policy.calendar("business")
    assert isinstance(business, BusinessCalendar)
    due, warn = extend(sh(2026, 3, 6, 17), sh(2026, 3, 6, 15), 2 * H, business)
    assert (due, warn) == (sh(2026, 3, 9, 10), sh(2026, 3, 6, 17))
    assert extend(sh(2026, 3, 6, 17), sh(2026, 3, 6, 15), 2 * H, RoundTheClock()) == (
        sh(2026, 3, 6, 19),
        sh(2026, 3, 6, 17),
    )


# -- states ---------------------------------------------------------------------------------

DUE = sh(2026, 3, 10, 12)
WARN = sh(2026, 3, 10, 11, 30)


@pytest.mark.parametrize(
    ("now", "stopped_at", "paused", "expected"),
    [
        (sh(2026, 3, 10, 10), None, False, SlaState.ON_TRACK),
        (WARN - timedelta(microseconds=1), None, False, SlaState.ON_TRACK),
        (WARN, None, False, SlaState.AT_RISK),
        (DUE, None, False, SlaState.AT_RISK),
        (DUE + timedelta(microseconds=1), None, False, SlaState.BREACHED),
        (sh(2026, 3, 10, 10), None, True, SlaState.PAUSED),
        (WARN, None, True, SlaState.PAUSED),
        (DUE + H, None, True, SlaState.BREACHED),
        # Paused before due: the clock stopped, so not breached however long the wait.
        (DUE + 48 * H, None, sh(2026, 3, 10, 11), SlaState.PAUSED),
        (DUE + 48 * H, None, DUE + M, SlaState.BREACHED),
        (DUE + 48 * H, DUE, False, SlaState.MET),
        (DUE + 48 * H, WARN, False, SlaState.MET),
        (DUE + 48 * H, DUE + timedelta(microseconds=1), False, SlaState.BREACHED),
        (sh(2026, 3, 10, 10), sh(2026, 3, 10, 10), True, SlaState.MET),
    ],
)
def test_state(
    now: datetime, stopped_at: datetime | None, paused: bool | datetime, expected: SlaState
) -> None:
    assert state(DUE, WARN, now, stopped_at=stopped_at, paused=paused) == expected


def test_remaining() -> None:
    assert remaining(DUE, sh(2026, 3, 10, 10, 48)) == timedelta(hours=1, minutes=12)
    assert remaining(DUE, sh(2026, 3, 10, 12, 5)) == -5 * M


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (timedelta(hours=1, minutes=12), "1h 12m"),
        (timedelta(hours=1, minutes=12, seconds=59), "1h 12m"),
        (-5 * M, "-0h 05m"),
        (timedelta(0), "0h 00m"),
        (timedelta(seconds=-30), "-0h 00m"),
        (timedelta(hours=23, minutes=59), "23h 59m"),
        (timedelta(hours=24), "1d 00h"),
        (timedelta(days=2, hours=3, minutes=40), "2d 03h"),
        (-timedelta(days=1, hours=2, minutes=5), "-1d 02h"),
        (timedelta(days=15), "15d 00h"),
        (-timedelta(days=99, hours=23), "-99d 23h"),
        (-timedelta(days=347, hours=5), "-347d"),
    ],
)
def test_format_countdown(td: timedelta, text: str) -> None:
    assert format_countdown(td) == text


# -- explanations ---------------------------------------------------------------------------


def test_explain(policy: SlaPolicy) -> None:
    due = policy.due_times(Priority.NORMAL, Category.HELP, Tier.NORMAL, sh(2026, 3, 5, 10))
    lines = explain(
        policy,
        due,
        pauses=[Pause(sh(2026, 3, 6, 17), sh(2026, 3, 9, 10)), Pause(sh(2026, 3, 10, 11))],
        extensions=[Extension(sh(2026, 3, 9, 11), H, "waiting for spare parts")],
    )
    assert lines == [
        "Received: 2026-03-05 10:00 CST",
        "Response: rule 'normal', 1 working day on the business calendar (9h 00m of calendar time)",
        "Response due: 2026-03-06 10:00 CST (at risk from 2026-03-05 16:45 CST)",
        "Resolution: rule 'normal', 3 working days on the business calendar "
        "(27h 00m of calendar time)",
        "Resolution due: 2026-03-10 10:00 CST (at risk from 2026-03-09 12:15 CST)",
        "Paused 2026-03-06 17:00 CST to 2026-03-09 10:00 CST: +2h 00m of business time",
        "Paused since 2026-03-10 11:00 CST: resolution clock stopped",
        "Extended 2026-03-09 11:00 CST by 1h 00m of business time: waiting for spare parts",
        "Resolution due now: 2026-03-10 13:00 CST (at risk from 2026-03-09 15:15 CST)",
    ]


def test_explain_round_the_clock_in_utc(policy: SlaPolicy) -> None:
    due = policy.due_times(Priority.URGENT, Category.COMPLAINT, Tier.VIP, sh(2026, 3, 5, 10))
    lines = explain(policy, due, zone=UTC)
    assert lines[1] == (
        "Response: rule 'major complaint', 5 minutes on the 24x7 calendar (0h 05m of calendar time)"
    )
    assert lines[2] == "Response due: 2026-03-05 02:05 UTC (at risk from 2026-03-05 02:03 UTC)"


# -- settings validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"minutes": 5, "hours": 1}, "give exactly one of minutes, hours or working_days"),
        ({}, "give exactly one of minutes, hours or working_days"),
        ({"minutes": 0}, "greater than 0"),
        ({"hours": 2, "calendar": "weekdays"}, "'24x7' or 'business'"),
        ({"hours": 2, "unit": "h"}, "Extra inputs are not permitted"),
    ],
)
def test_target_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        Target.model_validate(data)
    assert message in str(info.value)


def test_target_defaults_and_durations() -> None:
    business = BusinessCalendar()
    assert Target(working_days=3).calendar == "business"
    assert Target(hours=2).calendar == "24x7"
    assert Target(working_days=0.5).duration(business) == timedelta(hours=4, minutes=30)
    assert Target(working_days=1, calendar="24x7").duration(RoundTheClock()) == 24 * H
    assert Target(hours=1.5).duration(business) == 90 * M
    assert Target(minutes=1).describe() == "1 minute"
    assert Target(hours=1.5).describe() == "1.5 hours"
    assert Target(working_days=15).describe() == "15 working days"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"at_risk_fraction": 1}, "less than 1"),
        ({"at_risk_fraction": 0}, "greater than 0"),
        ({"escalation_grace_minutes": -1}, "greater than or equal to 0"),
        ({"callback_hours": {}}, "Extra inputs are not permitted"),
        ({"rules": [{"name": "x", "priority": "urgent"}]}, "rule 'x' has neither"),
        ({"rules": [{"name": "x", "priority": "asap", "response": {"minutes": 5}}]}, "priority"),
        (
            {"rules": [{"name": "x", "priority": "urgent", "response": {"minutes": 5},
                        "resolution": {"hours": 2}}]},
            "no rule gives a response target for priority=important, category=consult",
        ),
        (
            {"rules": [{"name": "x", "response": {"minutes": 5}}]},
            "no rule gives a resolution target for priority=urgent, category=consult, tier=normal",
        ),
        (
            {"rules": [{"name": "x", "response": {"minutes": 5}, "resolution": {"hours": 1}}] * 2},
            "rule names must be unique; repeated: x",
        ),
        ({"calendar": {"hours": {"mon": ["9-18"]}}}, "hours.mon: '9-18' is not HH:MM-HH:MM"),
    ],
)  # fmt: skip
def test_sla_settings_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        SlaSettings.model_validate(data)
    assert message in str(info.value)


def test_settings_round_trip_through_plain_data() -> None:
    dumped = SlaSettings().model_dump(mode="json")
    again = SlaSettings.model_validate(dumped)
    assert again == SlaSettings()
    assert [rule.name for rule in again.rules] == [
        "urgent",
        "important",
        "normal",
        "complaint",
        "major complaint",
    ]
