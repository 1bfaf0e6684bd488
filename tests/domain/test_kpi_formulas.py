"""KPI formulas, targets and warnings; business time from bucket histograms.

Every expected number is worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deskui.domain.calendar import BusinessCalendar
from deskui.domain.kpi import (
    DEFINITIONS,
    WARNING_FRACTION,
    BucketRow,
    Kpi,
    KpiTargets,
    KpiValue,
    ReportKpi,
    Unit,
    add_months,
    bucket_width,
    business_seconds,
    change,
    definition,
    mean,
    measure,
    rate,
    target_of,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TARGETS = KpiTargets()


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# -- the vocabulary ----------------------------------------------------------------------------
def test_every_kpi_has_one_definition_shared_by_both_vocabularies() -> None:
    assert set(DEFINITIONS) == {k.value for k in ReportKpi}
    assert {k.value for k in Kpi} <= {k.value for k in ReportKpi}
    for k in Kpi:  # the panel's members find the same entries
        assert definition(k) is definition(ReportKpi(k.value))
        assert DEFINITIONS[k] is definition(k)
    assert definition(ReportKpi.CSAT).label == "Customer satisfaction (CSAT) / 客户满意度"


def test_targets_defaults_including_the_new_ones() -> None:
    assert target_of(Kpi.ON_TIME_RESPONSE, TARGETS) == 0.95
    assert target_of(Kpi.FIRST_CONTACT_RESOLUTION, TARGETS) == 0.80
    assert target_of(Kpi.CSAT, TARGETS) == 0.90
    assert target_of(Kpi.COMPLAINT_ESCALATION, TARGETS) == 0.05
    assert target_of(ReportKpi.REOPEN_RATE, TARGETS) == 0.05
    assert target_of(ReportKpi.CALLBACK_COMPLETION, TARGETS) == 0.95
    for tracked in (Kpi.MTTR_HOURS, ReportKpi.MTTR_BUSINESS_HOURS, Kpi.BACKLOG):
        assert target_of(tracked, TARGETS) is None
    custom = KpiTargets(first_contact_resolution=0.9, reopen_max=0.1)
    assert target_of(Kpi.FIRST_CONTACT_RESOLUTION, custom) == 0.9
    assert target_of(ReportKpi.REOPEN_RATE, custom) == 0.1


def test_directions() -> None:
    lower = {k for k in ReportKpi if definition(k).lower_is_better}
    assert lower == {
        ReportKpi.COMPLAINT_ESCALATION,
        ReportKpi.REOPEN_RATE,
        ReportKpi.MTTR_HOURS,
        ReportKpi.MTTR_BUSINESS_HOURS,
        ReportKpi.BACKLOG,
    }


# -- the formulas --------------------------------------------------------------------------------
def test_rate_and_mean_never_divide_by_zero() -> None:
    assert rate(3, 4) == 0.75
    assert rate(0, 0) is None
    assert mean(79.0, 4) == 19.75
    assert mean(0.0, 0) is None
    assert change(0.6, 0.5) == pytest.approx(0.1)
    assert change(0.6, None) is None
    assert change(None, 0.5) is None


@pytest.mark.parametrize(
    ("kpi", "numerator", "denominator", "value", "met", "warning"),
    [
        # 19 of 20 answered on time = 95% = target: met
        (Kpi.ON_TIME_RESPONSE, 19, 20, 0.95, True, False),
        # 76% = exactly 80% of 95%: below target but not yet a warning
        (Kpi.ON_TIME_RESPONSE, 76, 100, 0.76, False, False),
        # 75% < 76%: warning
        (Kpi.ON_TIME_RESPONSE, 75, 100, 0.75, False, True),
        # FCR 3 of 4 = 75% < 80% target, > 64% warning line
        (Kpi.FIRST_CONTACT_RESOLUTION, 3, 4, 0.75, False, False),
        # CSAT 1 of 2 = 50% < 72%: warning
        (Kpi.CSAT, 1, 2, 0.5, False, True),
        # escalation is a maximum: 1 of 20 = 5% = target: met
        (Kpi.COMPLAINT_ESCALATION, 1, 20, 0.05, True, False),
        # 6% > 5% but <= 5% / 0.8 = 6.25%: not met, no warning
        (Kpi.COMPLAINT_ESCALATION, 6, 100, 0.06, False, False),
        # 1 of 2 = 50% > 6.25%: warning
        (Kpi.COMPLAINT_ESCALATION, 1, 2, 0.5, False, True),
        # reopen 1 of 4 = 25% > 6.25%: warning
        (ReportKpi.REOPEN_RATE, 1, 4, 0.25, False, True),
        # callbacks 3 of 4 = 75% < 95% target, < 76% warning line
        (ReportKpi.CALLBACK_COMPLETION, 3, 4, 0.75, False, True),
        # MTTR: 79 hours over 4 tickets = 19.75 h, tracked (no target)
        (Kpi.MTTR_HOURS, 79.0, 4, 19.75, None, False),
        (ReportKpi.MTTR_BUSINESS_HOURS, 13.0, 4, 3.25, None, False),
        # backlog: the numerator is the count
        (Kpi.BACKLOG, 3, 1, 3.0, None, False),
    ],
)
def test_measure(
    kpi: Kpi | ReportKpi,
    numerator: float,
    denominator: int,
    value: float,
    met: bool | None,
    warning: bool,
) -> None:
    measured = measure(kpi, numerator, denominator, TARGETS)
    assert measured.value == pytest.approx(value)
    assert measured.met is met
    assert measured.warning is warning
    assert measured.lower_is_better is definition(kpi).lower_is_better


@pytest.mark.parametrize("kpi", list(ReportKpi))
def test_an_empty_period_has_no_value(kpi: ReportKpi) -> None:
    if definition(kpi).unit is Unit.COUNT:
        measured = measure(kpi, 0, 1, TARGETS)
        assert measured.value == 0.0  # an empty backlog is a real zero
        return
    measured = measure(kpi, 0, 0, TARGETS)
    assert measured.value is None
    assert measured.met is None
    assert measured.warning is False


def test_warning_line_is_80_percent_of_target() -> None:
    assert WARNING_FRACTION == 0.8
    assert KpiValue(Kpi.CSAT, 0.72, 0.9).warning is False  # 0.9 * 0.8 = 0.72
    assert KpiValue(Kpi.CSAT, 0.7199, 0.9).warning is True
    # a maximum of 0 warns on anything above 0
    assert KpiValue(Kpi.COMPLAINT_ESCALATION, 0.01, 0.0, lower_is_better=True).warning is True
    assert KpiValue(Kpi.COMPLAINT_ESCALATION, 0.0, 0.0, lower_is_better=True).warning is False


def test_add_months() -> None:
    first = local(2026, 1, 15).date()
    assert add_months(first, -1).isoformat() == "2025-12-01"
    assert add_months(first, 0).isoformat() == "2026-01-01"
    assert add_months(first, 13).isoformat() == "2027-02-01"


# -- business time ----------------------------------------------------------------------------
def _rows(
    calendar_width: int, pairs: list[tuple[datetime, datetime]], key: object = None
) -> list[BucketRow]:
    """The histogram the store would return for (created, resolved) pairs."""
    rows: list[BucketRow] = []
    for created, resolved in pairs:
        for sign, moment in ((1, resolved), (-1, created)):
            seconds = moment.timestamp()
            bucket = int(seconds // calendar_width)
            rows.append(BucketRow(key, sign, bucket, 1, seconds - bucket * calendar_width))
    return rows


def test_bucket_width_follows_the_calendar_edges() -> None:
    assert bucket_width(BusinessCalendar()) == 3600  # 09:00-18:00 at UTC+8: whole hours
    half = BusinessCalendar(hours={d: ["08:30-17:30"] for d in range(5)})
    assert bucket_width(half, [2026]) == 1800
    india = BusinessCalendar("Asia/Kolkata", country=None)  # UTC+5:30
    assert bucket_width(india, [2026]) == 1800
    nepal = BusinessCalendar("Asia/Kathmandu", country=None)  # UTC+5:45
    assert bucket_width(nepal, [2026]) == 900


def test_business_seconds_on_ordinary_days() -> None:
    calendar = BusinessCalendar()
    pairs = [
        # Fri 16 Oct 10:00 -> 12:00: 2 h
        (local(2026, 10, 16, 10), local(2026, 10, 16, 12)),
        # Fri 30 Oct 17:00 -> Mon 2 Nov 10:00: 1 h + 1 h (weekend closed)
        (local(2026, 10, 30, 17), local(2026, 11, 2, 10)),
        # Sat 31 Oct 23:30 -> Mon 2 Nov 10:00: 1 h
        (local(2026, 10, 31, 23, 30), local(2026, 11, 2, 10)),
        # Tue 20 Oct 08:15 -> 09:45 (before opening, and 45 minutes): 0.75 h
        (local(2026, 10, 20, 8, 15), local(2026, 10, 20, 9, 45)),
    ]
    total = business_seconds(calendar, 3600, _rows(3600, pairs))
    assert total[None] == pytest.approx((2 + 2 + 1 + 0.75) * 3600)


def test_business_seconds_skip_holidays_and_count_make_up_days() -> None:
    calendar = BusinessCalendar()
    pairs = [
        # Fri 9 Oct 17:00 -> Mon 12 Oct 10:00: 1 h + 9 h on Sat 10 Oct (调休 make-up day) + 1 h
        (local(2026, 10, 9, 17), local(2026, 10, 12, 10)),
        # Wed 30 Sep 23:00 -> Thu 1 Oct 09:30 (National Day): 0 h
        (local(2026, 9, 30, 23), local(2026, 10, 1, 9, 30)),
    ]
    per_key = business_seconds(
        calendar, 3600, _rows(3600, pairs[:1], "a") + _rows(3600, pairs[1:], "b")
    )
    assert per_key["a"] == pytest.approx(11 * 3600)
    assert per_key["b"] == pytest.approx(0.0, abs=1e-6)


def test_business_seconds_match_the_calendar_on_many_tickets() -> None:
    """Oracle: the histogram sum equals the calendar's own elapsed time, ticket by ticket."""
    import random

    calendar = BusinessCalendar()
    rng = random.Random(7)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    pairs = []
    for _ in range(300):
        created = start + timedelta(seconds=rng.randrange(60 * 86400))
        resolved = created + timedelta(seconds=rng.randrange(20 * 86400))
        pairs.append((created, resolved))
    expected = sum(calendar.elapsed(c, r).total_seconds() for c, r in pairs)
    assert business_seconds(calendar, 3600, _rows(3600, pairs))[None] == pytest.approx(expected)


def test_business_seconds_with_coarse_buckets_interpolate() -> None:
    """Buckets that straddle an opening time are shared linearly: close, not exact."""
    calendar = BusinessCalendar(hours={d: ["08:30-17:30"] for d in range(5)})
    pairs = [(local(2026, 10, 20, 8, 0), local(2026, 10, 20, 9, 0))]  # 30 minutes of work
    exact = business_seconds(calendar, 1800, _rows(1800, pairs))[None]
    assert exact == pytest.approx(1800)
    rough = business_seconds(calendar, 3600, _rows(3600, pairs))[None]
    assert rough == pytest.approx(1800, abs=1800)
