"""Business calendars: hand-computed due times, DST days, and a minute-by-minute oracle.

A due time wrong by one holiday destroys trust, so every expected value below was worked
out by hand from the 2026 Chinese holiday schedule (holidays package):
Spring Festival Feb 16-20 + Feb 23 off, make-up Saturdays Feb 14 and Feb 28;
Mid-Autumn Sep 25 off; National Day Oct 1-3, 5-7 off, make-up Sunday Sep 20 and Saturday Oct 10.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from deskui.domain.calendar import (
    BusinessCalendar,
    CalendarSettings,
    RoundTheClock,
    Span,
    parse_span,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


def be(*args: int, fold: int = 0) -> datetime:
    """Berlin wall time as a UTC instant (inter-zone == is always False inside a fold)."""
    return datetime(*args, tzinfo=BERLIN, fold=fold).astimezone(UTC)  # type: ignore[misc]


@pytest.fixture(scope="module")
def cn() -> BusinessCalendar:
    return BusinessCalendar()


@pytest.fixture(scope="module")
def lunch() -> BusinessCalendar:
    weekdays = {day: ["09:00-12:00", "13:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    return BusinessCalendar(hours=weekdays)


# -- the default Shanghai calendar ------------------------------------------------------------


def test_defaults(cn: BusinessCalendar) -> None:
    assert cn.name == "business"
    assert cn.day_length == 9 * H
    assert cn.hours_on(date(2026, 3, 9)) == (Span(540, 1080),)


def test_friday_evening_rolls_to_monday(cn: BusinessCalendar) -> None:
    # 2026-03-06 is an ordinary Friday: 1 h left on Friday, 1 h on Monday.
    assert cn.add(sh(2026, 3, 6, 17), 2 * H) == sh(2026, 3, 9, 10)
    assert cn.add(sh(2026, 3, 6, 17), 2 * H).tzinfo is UTC


def test_result_is_earliest_instant(cn: BusinessCalendar) -> None:
    # Exactly one hour fits on Friday: due at Friday 18:00, not Monday 09:00.
    assert cn.add(sh(2026, 3, 6, 17), H) == sh(2026, 3, 6, 18)
    assert cn.add(sh(2026, 3, 6, 20), timedelta(0)) == sh(2026, 3, 6, 20)


def test_start_outside_working_hours(cn: BusinessCalendar) -> None:
    assert cn.add(sh(2026, 3, 10, 7), H) == sh(2026, 3, 10, 10)
    assert cn.add(sh(2026, 3, 10, 20), 30 * M) == sh(2026, 3, 11, 9, 30)
    assert cn.add(sh(2026, 3, 7, 11), H) == sh(2026, 3, 9, 10)  # ordinary Saturday


def test_start_on_a_holiday(cn: BusinessCalendar) -> None:
    assert not cn.is_working_day(date(2026, 10, 1))
    assert cn.holiday_name(date(2026, 10, 1)) == "National Day"
    # Oct 1-7 closed (Oct 4 is a Sunday): first working hour is Thursday Oct 8.
    assert cn.add(sh(2026, 10, 1, 10), H) == sh(2026, 10, 8, 10)
    assert cn.add(sh(2026, 2, 17, 9), 9 * H) == sh(2026, 2, 24, 18)


def test_makeup_saturdays_are_working_days(cn: BusinessCalendar) -> None:
    assert cn.is_makeup_day(date(2026, 2, 14)) and cn.is_working_day(date(2026, 2, 14))
    assert cn.is_makeup_day(date(2026, 2, 28)) and cn.is_working_day(date(2026, 2, 28))
    assert not cn.is_working_day(date(2026, 2, 21))  # an ordinary Saturday
    assert cn.add(sh(2026, 2, 13, 17), 2 * H) == sh(2026, 2, 14, 10)
    assert cn.add(sh(2026, 2, 27, 17), 2 * H) == sh(2026, 2, 28, 10)
    assert cn.add(sh(2026, 2, 28, 9), 9 * H) == sh(2026, 2, 28, 18)


def test_fifteen_working_days_across_spring_festival(cn: BusinessCalendar) -> None:
    # 135 h from Thu Feb 12 10:00: Feb 12 8 h; Feb 13, 14 (make-up); Feb 15 Sun, 16-20 and
    # 23 holidays, 21-22 weekend; Feb 24-27; Feb 28 (make-up); Mar 2-6; Mar 9-10 -> 14 full
    # days = 126 h, total 134 h; the last hour ends Wed Mar 11 10:00.
    assert cn.add(sh(2026, 2, 12, 10), 15 * cn.day_length) == sh(2026, 3, 11, 10)
    assert cn.elapsed(sh(2026, 2, 12, 10), sh(2026, 3, 11, 10)) == 135 * H


def test_national_day_2026(cn: BusinessCalendar) -> None:
    # Sep 20 (Sunday) is a make-up day; Sep 19 (Saturday) is not.
    assert cn.add(sh(2026, 9, 18, 17), 2 * H) == sh(2026, 9, 20, 10)
    # Sep 25 is Mid-Autumn Festival (Friday): Thursday 17:00 + 2 h is Monday 10:00.
    assert cn.add(sh(2026, 9, 24, 17), 2 * H) == sh(2026, 9, 28, 10)
    # Mon Sep 28 09:00 + 5 working days: Sep 28-30, then Oct 8, 9 -> Fri Oct 9 18:00.
    assert cn.add(sh(2026, 9, 28, 9), 5 * cn.day_length) == sh(2026, 10, 9, 18)
    # One more hour lands on the make-up Saturday Oct 10.
    assert cn.add(sh(2026, 9, 28, 9), 46 * H) == sh(2026, 10, 10, 10)
    assert cn.add(sh(2026, 9, 30, 17), 2 * H) == sh(2026, 10, 8, 10)
    assert cn.elapsed(sh(2026, 9, 30, 9), sh(2026, 10, 9, 18)) == 27 * H


def test_makeup_hours_and_open_closed_dates() -> None:
    cal = BusinessCalendar(
        hours={"mon": ["08:00-17:00"], "tue": ["09:00-18:00"], "sat": ["10:00-12:00"]},
        closed_dates=[date(2026, 3, 10)],
        open_dates=[date(2026, 3, 8), date(2026, 10, 2)],
    )
    assert cal.day_length == 9 * H  # Monday's hours
    assert cal.hours_on(date(2026, 2, 14)) == (Span(480, 1020),)  # make-up Sat: Monday hours
    assert cal.hours_on(date(2026, 3, 7)) == (Span(600, 720),)  # ordinary Saturday
    assert cal.hours_on(date(2026, 3, 8)) == (Span(480, 1020),)  # opened Sunday
    assert cal.hours_on(date(2026, 3, 10)) == ()  # closed Tuesday
    # An opened holiday on a weekday without hours gets the make-up (Monday) hours.
    assert cal.hours_on(date(2026, 10, 2)) == (Span(480, 1020),)
    assert cal.hours_on(date(2026, 10, 1)) == ()  # National Day, and no Thursday hours
    custom = BusinessCalendar(makeup_hours=["10:00-16:00"])
    assert custom.hours_on(date(2026, 2, 28)) == (Span(600, 960),)
    assert custom.day_length == 6 * H


def test_no_country_means_no_holidays() -> None:
    cal = BusinessCalendar(country=None)
    assert cal.is_working_day(date(2026, 10, 1))
    assert not cal.is_working_day(date(2026, 2, 14))


def test_any_year_loads_lazily(cn: BusinessCalendar) -> None:
    assert not cn.is_working_day(date(2031, 10, 1))
    assert cn.add(sh(1999, 12, 31, 17), 2 * H) == sh(2000, 1, 4, 10)  # Jan 1 Sat, Jan 3 observed


def test_a_calendar_given_another_ones_public_years_counts_alike_without_the_package(
    cn: BusinessCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A desk takes the server's public holidays (2025-2027 here) instead of importing the
    package: the same days are holidays and make-up days, the same instants come out."""
    given = cn.public_years(range(2025, 2028))
    assert [p.year for p in given] == [2025, 2026, 2027]
    assert date(2026, 2, 28) in given[1].makeup and date(2026, 10, 1) in given[1].holidays
    desk = BusinessCalendar()

    def no_package(year: int) -> None:
        raise AssertionError(f"imported the package for {year}")

    monkeypatch.setattr(desk, "_fetch_public", no_package)
    desk.adopt_public_years(given)
    start = sh(2026, 2, 13, 17)  # the last working Friday before Spring Festival
    assert desk.add(start, 15 * 9 * H) == cn.add(start, 15 * 9 * H)
    assert [desk.day_kind(d) for d in (date(2026, 2, 28), date(2026, 10, 1))] == [
        "makeup",
        "holiday",
    ]
    with pytest.raises(AssertionError, match="2028"):  # a year not given: the package
        desk.is_working_day(date(2028, 3, 1))


def test_lunch_break(lunch: BusinessCalendar) -> None:
    assert lunch.day_length == 8 * H
    assert lunch.add(sh(2026, 3, 10, 11, 30), 30 * M) == sh(2026, 3, 10, 12)
    assert lunch.add(sh(2026, 3, 10, 11, 30), H) == sh(2026, 3, 10, 13, 30)
    assert lunch.add(sh(2026, 3, 10, 12, 30), H) == sh(2026, 3, 10, 14)
    assert lunch.add(sh(2026, 3, 10, 17), 2 * H) == sh(2026, 3, 11, 10)
    assert lunch.elapsed(sh(2026, 3, 10, 0), sh(2026, 3, 11, 0)) == 8 * H
    assert lunch.elapsed(sh(2026, 3, 10, 11), sh(2026, 3, 10, 14)) == 2 * H


def test_inputs_in_any_zone_outputs_in_utc(cn: BusinessCalendar) -> None:
    start = sh(2026, 3, 6, 17).astimezone(ZoneInfo("America/New_York"))
    due = cn.add(start, 2 * H)
    assert due == sh(2026, 3, 9, 10) and due.tzinfo is UTC


def test_naive_datetimes_and_negative_durations_are_rejected(cn: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="naive"):
        cn.add(datetime(2026, 3, 9, 10), H)
    with pytest.raises(ValueError, match="naive"):
        cn.elapsed(sh(2026, 3, 9, 10), datetime(2026, 3, 9, 12))
    with pytest.raises(ValueError, match="naive"):
        RoundTheClock().add(datetime(2026, 3, 9, 10), H)
    with pytest.raises(ValueError, match="negative"):
        cn.add(sh(2026, 3, 9, 10), -H)


def test_elapsed_is_zero_backwards(cn: BusinessCalendar) -> None:
    assert cn.elapsed(sh(2026, 3, 9, 12), sh(2026, 3, 9, 10)) == timedelta(0)
    assert RoundTheClock().elapsed(sh(2026, 3, 9, 12), sh(2026, 3, 9, 10)) == timedelta(0)


def test_round_the_clock() -> None:
    clock = RoundTheClock()
    assert clock.name == "24x7" and clock.day_length == 24 * H
    assert clock.add(sh(2026, 2, 16, 23), 2 * H) == sh(2026, 2, 17, 1)
    assert clock.elapsed(sh(2026, 2, 16, 23), sh(2026, 2, 17, 1)) == 2 * H
    # Real time across a DST change: Berlin loses an hour on 2026-03-29.
    assert clock.add(be(2026, 3, 29, 1), 2 * H) == be(2026, 3, 29, 4)


def test_a_calendar_without_hours_is_rejected() -> None:
    with pytest.raises(ValueError, match="no working hours"):
        BusinessCalendar(hours={})


def test_parse_span() -> None:
    assert parse_span("09:00-18:00") == Span(540, 1080)
    assert parse_span("20:00-24:00") == Span(1200, 1440)
    assert str(Span(540, 1080)) == "09:00-18:00"
    for bad in ("9-18", "09:00", "18:00-09:00", "25:00-26:00", "10:61-11:00", "24:30-24:40"):
        with pytest.raises(ValueError):
            parse_span(bad)


# -- DST: Europe/Berlin -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def berlin() -> BusinessCalendar:
    every_day = {day: ["09:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
    return BusinessCalendar(
        "Europe/Berlin", every_day | {"sun": ["01:00-04:00", "09:00-18:00"]}, None
    )


def test_berlin_office_hours_are_nine_real_hours_on_dst_days(berlin: BusinessCalendar) -> None:
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        start = datetime(day.year, day.month, day.day, 9, tzinfo=BERLIN)
        assert berlin.add(start, 9 * H) == start.replace(hour=18)


def test_berlin_night_interval_across_the_gap(berlin: BusinessCalendar) -> None:
    # 01:00-04:00 on 2026-03-29: 01:00 CET = 00:00Z, 04:00 CEST = 02:00Z: two real hours.
    intervals = berlin.working_intervals(date(2026, 3, 29))
    assert intervals[0] == (
        datetime(2026, 3, 29, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 2, tzinfo=UTC),
    )
    assert berlin.add(be(2026, 3, 29, 1, 30), H) == be(2026, 3, 29, 3, 30)
    assert berlin.add(be(2026, 3, 29, 1), 3 * H) == be(2026, 3, 29, 10)
    assert berlin.elapsed(be(2026, 3, 29, 0), be(2026, 3, 30, 0)) == 11 * H


def test_berlin_night_interval_across_the_fold(berlin: BusinessCalendar) -> None:
    # 01:00-04:00 on 2026-10-25: 01:00 CEST = 23:00Z, 04:00 CET = 03:00Z: four real hours.
    assert berlin.elapsed(be(2026, 10, 25, 0), be(2026, 10, 26, 0)) == 13 * H
    assert berlin.add(be(2026, 10, 25, 1), 2 * H) == be(2026, 10, 25, 2, fold=1)
    assert berlin.add(be(2026, 10, 25, 2, 30, fold=1), H) == be(2026, 10, 25, 3, 30)


def test_nonexistent_and_ambiguous_endpoints_use_fold_0() -> None:
    sunday = {"mon": ["09:00-18:00"], "sun": ["02:30-04:00"]}
    cal = BusinessCalendar("Europe/Berlin", sunday, None)
    # 02:30 does not exist on 2026-03-29; fold=0 reads it as CET, i.e. 03:30 CEST.
    assert cal.working_intervals(date(2026, 3, 29)) == [
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), datetime(2026, 3, 29, 2, tzinfo=UTC))
    ]
    # 02:30 happens twice on 2026-10-25; fold=0 is the first (CEST) occurrence.
    assert cal.working_intervals(date(2026, 10, 25)) == [
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 3, tzinfo=UTC))
    ]
    collapsed = BusinessCalendar("Europe/Berlin", {"mon": ["09:00-18:00"], "sun": ["02:10-02:50"]})
    assert collapsed.working_intervals(date(2026, 3, 29)) == [
        (datetime(2026, 3, 29, 1, 10, tzinfo=UTC), datetime(2026, 3, 29, 1, 50, tzinfo=UTC))
    ]


def test_round_the_clock_business_calendar_follows_real_time() -> None:
    always = BusinessCalendar("Europe/Berlin", {day: ["00:00-24:00"] for day in range(7)}, None)
    assert always.day_length == 24 * H
    assert always.elapsed(be(2026, 3, 29), be(2026, 3, 30)) == 23 * H
    assert always.elapsed(be(2026, 10, 25), be(2026, 10, 26)) == 25 * H
    assert always.add(be(2026, 3, 28, 12), 24 * H) == be(2026, 3, 29, 13)


# -- settings ---------------------------------------------------------------------------------


def test_settings_build_the_default_calendar() -> None:
    cal = CalendarSettings().build()
    assert cal.tz.key == "Asia/Shanghai" and cal.country == "CN"
    assert cal.add(sh(2026, 2, 12, 10), 15 * cal.day_length) == sh(2026, 3, 11, 10)


def test_settings_parse_dates_and_lowercase_country() -> None:
    cal = CalendarSettings.model_validate(
        {"country": "de", "closed_dates": ["2026-03-10"], "open_dates": ["2026-03-07"]}
    ).build()
    assert cal.country == "DE"
    assert not cal.is_working_day(date(2026, 3, 10))
    assert cal.is_working_day(date(2026, 3, 7))
    assert CalendarSettings(country=None).build().country is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hours": {"mon": ["9-18"]}}, "hours.mon: '9-18' is not HH:MM-HH:MM"),
        ({"hours": {"mon": ["18:00-09:00"]}}, "hours.mon: '18:00-09:00' ends before it starts"),
        ({"hours": {"mon": ["09:00-13:00", "12:00-18:00"]}}, "hours.mon: '12:00-18:00' overlaps"),
        ({"hours": {"monday": ["09:00-18:00"]}}, "unknown weekday 'monday'"),
        ({"hours": {"mon": []}}, "no working hours on any weekday"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"country": "XX"}, "unknown country 'XX'"),
        ({"closed_dates": ["2026-05-01"], "open_dates": ["2026-05-01"]}, "2026-05-01"),
        ({"makeup_hours": ["9:00-18:00"]}, "makeup_hours: '9:00-18:00' is not HH:MM-HH:MM"),
        ({"weekends": True}, "Extra inputs are not permitted"),
    ],
)
def test_settings_errors_are_clear(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        CalendarSettings.model_validate(data)
    assert message in str(info.value)


def test_a_country_is_any_code_the_holidays_package_knows_and_none_is_imported_for_it() -> None:
    """The check reads the package's registry (aliases such as UK included) instead of
    importing every country's module, which a desk would pay at its first paint."""
    import subprocess
    import sys

    probe = (
        "import sys; from deskui.domain.calendar import CalendarSettings as C; "
        "print([C(country=c).country for c in ('cn', ' UK ', 'de', '')]); "
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    assert out == ["['CN', 'UK', 'DE', None]", "[]"]


# -- properties against a brute-force minute-by-minute oracle ---------------------------------

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CALENDARS: dict[str, dict[str, object]] = {
    "cn": {"timezone": "Asia/Shanghai", "country": "CN"},
    "cn-lunch": {
        "timezone": "Asia/Shanghai",
        "country": "CN",
        "hours": {day: ["08:30-12:00", "13:30-17:45"] for day in WEEKDAY_NAMES[:5]}
        | {"sat": ["10:00-12:00"]},
        "closed_dates": [date(2026, 3, 11), date(2025, 12, 24)],
        "open_dates": [date(2026, 10, 3), date(2026, 3, 15)],
    },
    "berlin": {
        "timezone": "Europe/Berlin",
        "country": "DE",
        "hours": {day: ["08:00-12:00", "13:00-17:30"] for day in WEEKDAY_NAMES[:5]}
        | {"sat": ["10:00-14:00"], "sun": ["01:00-04:00", "20:00-24:00"]},
    },
}
SPECIAL_DAYS = [
    date(2025, 1, 26), date(2025, 1, 28), date(2025, 2, 8), date(2025, 9, 28),
    date(2025, 10, 11), date(2025, 3, 30), date(2025, 10, 26), date(2026, 2, 13),
    date(2026, 2, 14), date(2026, 2, 15), date(2026, 2, 28), date(2026, 3, 29),
    date(2026, 9, 20), date(2026, 9, 30), date(2026, 10, 10), date(2026, 10, 25),
    date(2026, 12, 31), date(2027, 3, 28), date(2027, 10, 31), date(2027, 2, 5),
]  # fmt: skip


@cache
def business(key: str) -> BusinessCalendar:
    return CalendarSettings.model_validate(CALENDARS[key]).build()


class Oracle:
    """The calendar's definition, applied one UTC minute at a time.

    A minute counts when its local wall-clock time lies inside a working interval of its
    local date. Dates follow the documented precedence (closed > open > holiday > make-up >
    weekday), from the holidays package directly. Interval ends in the oracle calendars
    avoid DST gaps/folds, where this instant-based reading equals the calendar's fold=0 one.
    """

    def __init__(self, key: str) -> None:
        spec = CalendarSettings.model_validate(CALENDARS[key])
        self.tz = ZoneInfo(spec.timezone)
        self.weekly = [[parse_span(s) for s in spec.hours.get(d, [])] for d in WEEKDAY_NAMES]
        self.makeup = self.weekly[0]
        self.closed, self.open = set(spec.closed_dates), set(spec.open_dates)
        found = holidays.country_holidays(spec.country, years=range(2024, 2030))
        self.holidays = set(found)
        self.makeup_days = set(getattr(found, "weekend_workdays", ()))
        self._offsets: dict[int, int] = {}
        self._days: dict[int, list[Span]] = {}

    def spans(self, ordinal: int) -> list[Span]:
        if ordinal not in self._days:
            day = date.fromordinal(ordinal)
            weekly = self.weekly[day.weekday()]
            if day in self.closed:
                found: list[Span] = []
            elif day in self.open:
                found = weekly or self.makeup
            elif day in self.holidays:
                found = []
            elif day in self.makeup_days:
                found = self.makeup
            else:
                found = weekly
            self._days[ordinal] = found
        return self._days[ordinal]

    def working(self, minute: int) -> bool:
        """Is the UTC minute [minute, minute+1) (minutes since the epoch) working time?"""
        hour = minute // 60
        if hour not in self._offsets:
            moment = EPOCH + timedelta(hours=hour)
            offset = moment.astimezone(self.tz).utcoffset()
            assert offset is not None
            self._offsets[hour] = int(offset.total_seconds()) // 60
        local = minute + self._offsets[hour]
        wall = local % 1440
        return any(s.start <= wall < s.end for s in self.spans(EPOCH_ORDINAL + local // 1440))

    def add(self, start: int, minutes: int) -> int:
        at, counted = start, 0
        while counted < minutes:
            counted += self.working(at)
            at += 1
        return at

    def elapsed(self, start: int, end: int) -> int:
        return sum(self.working(m) for m in range(start, end))


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = EPOCH.toordinal()
ORACLES = {key: Oracle(key) for key in CALENDARS}
FIRST = int((datetime(2025, 1, 1, tzinfo=UTC) - EPOCH).total_seconds()) // 60
LAST = int((datetime(2027, 12, 1, tzinfo=UTC) - EPOCH).total_seconds()) // 60


def to_minute(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds()) // 60


def from_minute(minute: int) -> datetime:
    return EPOCH + timedelta(minutes=minute)


@st.composite
def start_minutes(draw: st.DrawFn) -> int:
    """Any minute of 2025-2027, often on a holiday, make-up day or DST day."""
    if draw(st.booleans()):
        return draw(st.integers(FIRST, LAST))
    day = draw(st.sampled_from(SPECIAL_DAYS))
    midnight = to_minute(datetime(day.year, day.month, day.day, tzinfo=UTC)) - 8 * 60
    return midnight + draw(st.integers(0, 3 * 1440))


calendar_keys = st.sampled_from(sorted(CALENDARS))
# Up to ~20 nine-hour working days, plus small and exact-boundary amounts.
durations = st.one_of(st.integers(0, 20 * 9 * 60), st.sampled_from([1, 59, 60, 255, 540, 541]))
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(key=calendar_keys, start=start_minutes(), minutes=durations)
def test_add_matches_the_minute_oracle(key: str, start: int, minutes: int) -> None:
    due = business(key).add(from_minute(start), timedelta(minutes=minutes))
    assert due == from_minute(ORACLES[key].add(start, minutes))


@PROPERTY
@given(key=calendar_keys, start=start_minutes(), span=st.integers(0, 12 * 1440))
def test_elapsed_matches_the_minute_oracle(key: str, start: int, span: int) -> None:
    got = business(key).elapsed(from_minute(start), from_minute(start + span))
    assert got == timedelta(minutes=ORACLES[key].elapsed(start, start + span))


@settings(max_examples=300, deadline=None)
@given(
    key=calendar_keys,
    start=start_minutes(),
    micros=st.integers(0, 10**6 * 3600 * 9 * 40),
    jitter=st.integers(0, 59_999_999),
)
def test_elapsed_inverts_add(key: str, start: int, micros: int, jitter: int) -> None:
    cal = business(key)
    begin = from_minute(start) + timedelta(microseconds=jitter)
    duration = timedelta(microseconds=micros)
    due = cal.add(begin, duration)
    assert cal.elapsed(begin, due) == duration
    # Earliest instant: a microsecond earlier is not enough.
    if micros:
        assert cal.elapsed(begin, due - timedelta(microseconds=1)) < duration


@settings(max_examples=300, deadline=None)
@given(
    key=calendar_keys,
    start=start_minutes(),
    later=st.integers(0, 5 * 1440),
    first=st.integers(0, 10**6 * 3600 * 200),
    second=st.integers(0, 10**6 * 3600 * 200),
)
def test_add_is_monotonic(key: str, start: int, later: int, first: int, second: int) -> None:
    cal = business(key)
    small, big = sorted((timedelta(microseconds=first), timedelta(microseconds=second)))
    begin = from_minute(start)
    assert cal.add(begin, small) <= cal.add(begin, big)
    assert cal.add(begin, small) <= cal.add(begin + timedelta(minutes=later), small)


@settings(max_examples=100, deadline=None)
@given(start=start_minutes(), minutes=st.integers(0, 30 * 1440))
def test_round_the_clock_is_plain_arithmetic(start: int, minutes: int) -> None:
    clock = RoundTheClock()
    begin = from_minute(start).astimezone(BERLIN)
    assert clock.add(begin, timedelta(minutes=minutes)) == from_minute(start + minutes)
    assert clock.elapsed(begin, from_minute(start + minutes)) == timedelta(minutes=minutes)
