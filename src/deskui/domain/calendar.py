"""Calendars that SLA targets are measured in (service-standards §3).

A calendar answers two questions: "when has `duration` of calendar time elapsed since
`start`?" (`add`) and "how much calendar time lies between two instants?" (`elapsed`).
Round-the-clock time is plain UTC arithmetic; business time only counts the working
intervals of working days in a site's time zone, skipping public holidays and honouring
China's make-up working days (调休).

Every instant going in must be timezone-aware (any zone); every instant coming out is UTC.

Wall-clock rules (DST): a working interval such as 09:00-18:00 is turned into real instants
for each date with zoneinfo, so its length is its real elapsed length on that date. A wall
time that does not exist (inside a spring-forward gap) or exists twice (inside a fall-back
fold) is read with zoneinfo's ``fold=0``: the UTC offset in force *before* the transition.
A nonexistent time therefore lands gap-length later than the wall clock suggests, and an
ambiguous one is its first occurrence. Intervals are then clipped so they never overlap
and never run backwards (an interval that collapses is empty).

Cost grows with the number of days spanned, not minutes: each date's working intervals are
computed once (as integer microseconds since the epoch) and cached; whole working days are
skipped with one subtraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import pairwise
from typing import NamedTuple, Protocol, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

__all__ = [
    "DAY_KINDS",
    "SOURCES",
    "WEEKDAYS",
    "BusinessCalendar",
    "Calendar",
    "CalendarSettings",
    "DayEntry",
    "RoundTheClock",
    "SiteDay",
    "Span",
    "YearStatus",
    "duration_us",
    "epoch_us",
    "from_epoch_us",
    "parse_span",
]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
# A calendar with no working time for this many consecutive days is treated as broken
# rather than looped over forever.
MAX_IDLE_DAYS = 800

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_ZERO = timedelta(0)
# Below ~2^53 microseconds a float timestamp converts back to integer microseconds exactly.
_FLOAT_EXACT_SECONDS = 4e9
_SPAN_RE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def epoch_us(moment: datetime) -> int:
    """Microseconds since the epoch; integers keep add/elapsed exact inverses."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: calendars need aware datetimes")
    seconds = moment.timestamp()
    if -_FLOAT_EXACT_SECONDS < seconds < _FLOAT_EXACT_SECONDS:
        return round(seconds * 1_000_000)  # exact: the float error is far below 0.5 us
    return (moment - _EPOCH) // _US


def from_epoch_us(micros: int) -> datetime:
    """The UTC instant `micros` microseconds after the epoch."""
    return _EPOCH + timedelta(0, 0, micros)


def duration_us(duration: timedelta) -> int:
    """A non-negative timedelta as integer microseconds (fast: no timedelta division)."""
    micros = duration.days * 86_400_000_000 + duration.seconds * 1_000_000 + duration.microseconds
    if micros < 0:
        raise ValueError(f"negative duration {duration!r}")
    return micros


@runtime_checkable
class Calendar(Protocol):
    """What SLA code needs from a calendar; see the module docstring for the rules."""

    name: str

    @property
    def day_length(self) -> timedelta:
        """Calendar time in one normal working day ("N working days" = N x this)."""
        ...

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant at which `duration` of calendar time has elapsed since `start`."""
        ...

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Calendar time between two instants; zero when end <= start."""
        ...

    def next_working(self, moment: datetime) -> datetime:
        """`moment` itself when the calendar is running then, else the next instant it runs."""
        ...


class RoundTheClock:
    """24x7: every instant counts."""

    def __init__(self, name: str = "24x7") -> None:
        self.name = name

    @property
    def day_length(self) -> timedelta:
        return timedelta(hours=24)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        return from_epoch_us(epoch_us(start) + duration_us(duration))

    def _add_us(self, cur: int, ordinal: int, left: int) -> int:
        """`add` on epoch microseconds (same shape as BusinessCalendar's, for SLA code)."""
        return cur + left

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        micros = epoch_us(end) - epoch_us(start)
        return timedelta(microseconds=micros) if micros > 0 else _ZERO

    def next_working(self, moment: datetime) -> datetime:
        return from_epoch_us(epoch_us(moment))

    def __repr__(self) -> str:
        return f"RoundTheClock(name={self.name!r})"


class Span(NamedTuple):
    """A working interval in wall-clock minutes after local midnight; end may be 1440 (24:00)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"

    @property
    def minutes(self) -> int:
        return self.end - self.start


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_span(text: str) -> Span:
    """'09:00-18:00' -> Span(540, 1080); '24:00' is allowed as an end. ValueError otherwise."""
    match = _SPAN_RE.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ValueError(f"{text!r} is not a valid time range (00:00 to 24:00)")
    span = Span(h1 * 60 + m1, h2 * 60 + m2)
    if span.end <= span.start:
        raise ValueError(f"{text!r} ends before it starts")
    return span


def _coerce_spans(spans: Iterable[str | Span | tuple[int, int]], where: str) -> tuple[Span, ...]:
    """Parse, sort and check a day's intervals: they may touch but not overlap."""
    result: list[Span] = []
    for item in spans:
        try:
            span = parse_span(item) if isinstance(item, str) else Span(*item)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if not 0 <= span.start < span.end <= MINUTES_PER_DAY:
            raise ValueError(f"{where}: {span} is not a valid time range")
        result.append(span)
    result.sort()
    for before, after in pairwise(result):
        if after.start < before.end:
            raise ValueError(f"{where}: '{after}' overlaps '{before}'")
    return tuple(result)


# -- site calendar entries --------------------------------------------------------------------

# The validation context of a reply from the site's server: what its own models accepted
# (checks that need a heavy import, such as the holidays package's list of countries, are
# not made again in the desk).
FROM_SERVER = {"from_server": True}
HOLIDAY, WORKDAY = "holiday", "workday"
DAY_KINDS: tuple[str, ...] = (HOLIDAY, WORKDAY)
# Where an entry came from: the holidays package, an imported file, or an admin's `set`.
SOURCES: tuple[str, ...] = ("package", "file", "admin")


@dataclass(frozen=True, slots=True)
class SiteDay:
    """One date the site has entered: a public holiday or a (make-up) working day."""

    day: date
    kind: str  # "holiday" | "workday"
    name: str = ""
    source: str = "admin"

    def __post_init__(self) -> None:
        if self.kind not in DAY_KINDS:
            raise ValueError(f"kind {self.kind!r}: use holiday or workday")
        if self.source not in SOURCES:
            raise ValueError(f"source {self.source!r}: use {', '.join(SOURCES)}")


@dataclass(frozen=True, slots=True)
class DayEntry:
    """Why a date is not an ordinary day of its weekday, and who said so.

    kind: "holiday" or "workday" (site or package), "closed" or "open" (config.toml dates);
    source: "package", "file", "admin" or "config".
    """

    day: date
    kind: str
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class YearStatus:
    """What a year's calendar data rests on.

    A year is *estimated* when it has public holidays but no make-up working day: China has
    had make-up working days (调休) every year since 2008, so such data is a rule's guess (the
    holidays package computes future years that way), not the State Council's schedule.
    """

    year: int
    holidays: int
    workdays: int
    package_official: bool
    site_entries: int

    @property
    def estimated(self) -> bool:
        return self.holidays > 0 and self.workdays == 0


@dataclass(frozen=True, slots=True)
class PublicYear:
    """What the holidays package says of one year in a country: its public holidays and its
    make-up working days. A server hands these to its desks, which then count business time
    without importing the package (150 ms of start-up on a small machine)."""

    year: int
    holidays: dict[date, str]
    makeup: tuple[date, ...] = ()


def years_around(year: int) -> range:
    """The years a remote desk gets the public holidays of: a ticket's clock may have started
    a few years ago, and a due time may fall next year (which counts the year after it)."""
    return range(year - 3, year + 3)


class _Day(NamedTuple):
    """One date's working time as UTC microsecond intervals (sorted, disjoint, non-empty)."""

    total: int
    first: int
    last: int
    spans: tuple[tuple[int, int], ...]


_CLOSED_DAY = _Day(0, 0, 0, ())


class BusinessCalendar:
    """Working hours per weekday in one time zone, minus holidays, plus make-up days.

    Which hours a date has, in order of precedence:
    ``closed_dates`` -> none; ``open_dates`` -> its weekday's hours, or ``makeup_hours`` if
    that weekday has none; a site entry (``site_days``): holiday -> none, workday -> like an
    open date; a public holiday -> none; a make-up working day (from the holidays package's
    ``weekend_workdays``) -> ``makeup_hours``; otherwise its weekday's hours.
    ``makeup_hours`` default to Monday's (or the first weekday that has hours).

    The package is the default source for the years it covers officially (it lists make-up
    working days for them). For a year it only estimates, the site's entries replace the
    package's guesses as soon as they include a working day: the site has entered the
    published schedule, and a guessed holiday left standing would be wrong.
    """

    def __init__(
        self,
        timezone: str | ZoneInfo = "Asia/Shanghai",
        hours: Mapping[int | str, Sequence[str | Span | tuple[int, int]]] | None = None,
        country: str | None = "CN",
        closed_dates: Iterable[date] = (),
        open_dates: Iterable[date] = (),
        makeup_hours: Sequence[str | Span | tuple[int, int]] | None = None,
        name: str = "business",
        site_days: Iterable[SiteDay] = (),
    ) -> None:
        self.name = name
        self.tz = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
        self.country = country
        self.weekly = self._weekly_spans(hours)
        if makeup_hours is not None:
            self.makeup = _coerce_spans(makeup_hours, "makeup_hours")
        else:
            self.makeup = next((spans for spans in self.weekly if spans), ())
        if not self.makeup:
            raise ValueError("no working hours on any weekday")
        self.closed_dates = frozenset(closed_dates)
        self.open_dates = frozenset(open_dates)
        both = self.closed_dates & self.open_dates
        if both:
            raise ValueError(f"dates both closed and open: {sorted(both)}")
        self._day_length = timedelta(minutes=sum(span.minutes for span in self.makeup))
        self.site: dict[date, SiteDay] = {entry.day: entry for entry in site_days}
        self._site_schedule_years = {d.year for d, e in self.site.items() if e.kind == WORKDAY}
        self._holidays: dict[date, str] = {}
        self._makeup_days: set[date] = set()
        self._official_years: set[int] = set()
        self._year_status: dict[int, YearStatus] = {}
        self._fetched_years: set[int] = set()
        self._public: dict[int, PublicYear] = {}
        self._ready_years: set[int] = set()
        self._days: dict[int, _Day] = {}

    @staticmethod
    def _weekly_spans(
        hours: Mapping[int | str, Sequence[str | Span | tuple[int, int]]] | None,
    ) -> tuple[tuple[Span, ...], ...]:
        """Weekday (0=Monday, or 'mon'..'sun') -> intervals; default Mon-Fri 09:00-18:00."""
        if hours is None:
            hours = {day: ["09:00-18:00"] for day in range(5)}
        weekly: list[tuple[Span, ...]] = [() for _ in WEEKDAYS]
        for key, spans in hours.items():
            index = WEEKDAYS.index(key) if isinstance(key, str) and key in WEEKDAYS else key
            if not isinstance(index, int) or not 0 <= index < 7:
                raise ValueError(f"hours: unknown weekday {key!r} (use {', '.join(WEEKDAYS)})")
            weekly[index] = _coerce_spans(spans, f"hours.{WEEKDAYS[index]}")
        return tuple(weekly)

    # -- the Calendar protocol -------------------------------------------------------------

    @property
    def day_length(self) -> timedelta:
        """Nominal length of a normal working day: the make-up (= Monday's) hours."""
        return self._day_length

    def add(self, start: datetime, duration: timedelta) -> datetime:
        cur = epoch_us(start)
        left = duration_us(duration)
        if left == 0:
            return from_epoch_us(cur)
        return from_epoch_us(self._add_us(cur, self.local_ordinal(start), left))

    def next_working(self, moment: datetime) -> datetime:
        """The first working instant at or after `moment` (itself during working hours):
        one microsecond of working time added, less that microsecond."""
        cur = epoch_us(moment)
        return from_epoch_us(self._add_us(cur, self.local_ordinal(moment), 1) - 1)

    def local_ordinal(self, moment: datetime) -> int:
        """The proleptic ordinal of the instant's local date in this calendar's zone."""
        return moment.astimezone(self.tz).toordinal()

    def _add_us(self, cur: int, ordinal: int, left: int) -> int:
        """`add` on epoch microseconds; `ordinal` may be at or before cur's local date."""
        if left <= 0:
            return cur
        days = self._days
        idle = 0
        while True:
            day = days.get(ordinal) or self._load(ordinal)
            ordinal += 1
            if day.last <= cur:
                idle += 1
                if idle > MAX_IDLE_DAYS:
                    raise ValueError(f"{self.name}: no working time for {MAX_IDLE_DAYS} days")
                continue
            idle = 0
            if cur <= day.first and left > day.total:
                left -= day.total
                cur = day.last
                continue
            for lo, hi in day.spans:
                if hi <= cur:
                    continue
                if lo > cur:
                    cur = lo
                if left <= hi - cur:
                    return cur + left
                left -= hi - cur
                cur = hi

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        low, high = epoch_us(start), epoch_us(end)
        if high <= low:
            return _ZERO
        ordinal = self.local_ordinal(start)
        # One date past the end's local date: covers the second pass of a fold at midnight.
        stop = self.local_ordinal(end) + 1
        days = self._days
        total = 0
        while ordinal <= stop:
            day = days.get(ordinal) or self._load(ordinal)
            ordinal += 1
            if not day.total:
                continue
            if low <= day.first and day.last <= high:
                total += day.total
                continue
            for lo, hi in day.spans:
                lo = max(lo, low)
                hi = min(hi, high)
                if hi > lo:
                    total += hi - lo
        return timedelta(microseconds=total)

    # -- what a date looks like ------------------------------------------------------------

    def hours_on(self, day: date) -> tuple[Span, ...]:
        """The wall-clock working intervals of a local date (empty when closed)."""
        if day in self.closed_dates:
            return ()
        weekly = self.weekly[day.weekday()]
        if day in self.open_dates:
            return weekly or self.makeup
        site = self.site.get(day)
        if site is not None:
            return () if site.kind == HOLIDAY else (weekly or self.makeup)
        self._ensure_year(day.year)
        if day in self._holidays:
            return ()
        if day in self._makeup_days:
            return self.makeup
        return weekly

    def is_working_day(self, day: date) -> bool:
        return bool(self.hours_on(day))

    def holiday_name(self, day: date) -> str | None:
        """The public holiday's name, from the site's entry or the holidays package."""
        entry = self.entry(day)
        return entry.name if entry is not None and entry.kind == HOLIDAY else None

    def is_makeup_day(self, day: date) -> bool:
        """A working day on a weekday that normally has no hours (调休)."""
        return not self.weekly[day.weekday()] and bool(self.hours_on(day))

    def entry(self, day: date) -> DayEntry | None:
        """The entry that makes `day` differ from its weekday (the one `hours_on` obeys)."""
        if day in self.closed_dates:
            return DayEntry(day, "closed", "", "config")
        if day in self.open_dates:
            return DayEntry(day, "open", "", "config")
        site = self.site.get(day)
        if site is not None:
            return DayEntry(day, site.kind, site.name, site.source)
        self._ensure_year(day.year)
        if day in self._holidays:
            return DayEntry(day, HOLIDAY, self._holidays[day], "package")
        if day in self._makeup_days:
            return DayEntry(day, WORKDAY, "", "package")
        return None

    def day_kind(self, day: date) -> str:
        """ "working", "weekend", "holiday" or "makeup" (a make-up working day)."""
        if self.hours_on(day):
            return "working" if self.weekly[day.weekday()] else "makeup"
        entry = self.entry(day)
        if entry is not None and entry.kind in (HOLIDAY, "closed"):
            return "holiday"
        return "weekend"

    def entries_between(self, start: date, end: date) -> list[DayEntry]:
        """Every entry from `start` to `end` (local dates, inclusive), in date order."""
        found: list[DayEntry] = []
        ordinal = start.toordinal()
        while ordinal <= end.toordinal():
            entry = self.entry(date.fromordinal(ordinal))
            if entry is not None:
                found.append(entry)
            ordinal += 1
        return found

    def year_status(self, year: int) -> YearStatus:
        """Holidays and make-up working days of a year, and where its data comes from."""
        status = self._year_status.get(year)
        if status is None:
            self._ensure_year(year)
            holidays_count = workdays = 0
            day = date(year, 1, 1)
            while day.year == year:
                kind = self.day_kind(day)
                holidays_count += kind == "holiday"
                workdays += kind == "makeup"
                day += timedelta(days=1)
            site = sum(1 for d in self.site if d.year == year)
            status = YearStatus(year, holidays_count, workdays, year in self._official_years, site)
            self._year_status[year] = status
        return status

    def working_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """A date's working time as UTC instants (after DST handling and clipping)."""
        loaded = self._days.get(day.toordinal()) or self._load(day.toordinal())
        return [(from_epoch_us(lo), from_epoch_us(hi)) for lo, hi in loaded.spans]

    # -- caches ----------------------------------------------------------------------------

    def _ensure_year(self, year: int) -> None:
        """Load holidays for the year and its neighbours (observed days cross year ends)."""
        if year in self._ready_years or self.country is None:
            return
        for wanted in (year - 1, year, year + 1):
            if wanted not in self._fetched_years and 1 <= wanted <= 9999:
                self._take_public(self._fetch_public(wanted))
        self._ready_years.add(year)

    def public_years(self, years: Iterable[int]) -> list[PublicYear]:
        """The package's entries for `years`, to hand to another process's calendar of the
        same settings (`adopt_public_years`)."""
        if self.country is None:
            return []
        return [self._public.get(y) or self._fetch_public(y) for y in years if 1 <= y <= 9999]

    def adopt_public_years(self, found: Iterable[PublicYear]) -> None:
        """Take the package's entries from `public_years` of a calendar elsewhere: those
        years need no import of the package here."""
        for public in found:
            if self.country is not None and public.year not in self._fetched_years:
                self._take_public(public)

    def _fetch_public(self, year: int) -> PublicYear:
        import holidays  # on first use: 150 ms (all its countries) a desk's start need not pay

        found = holidays.country_holidays(self.country, years=year)
        makeup = sorted(d for d in getattr(found, "weekend_workdays", ()) if d.year == year)
        entries = {d: n for d, n in found.items() if d.year == year}
        return PublicYear(year, entries, tuple(makeup))

    def _take_public(self, public: PublicYear) -> None:
        year = public.year
        self._public[year] = public
        if public.makeup:
            self._official_years.add(year)
        # A year the package only estimates gives way to a schedule the site entered.
        if public.makeup or year not in self._site_schedule_years:
            self._holidays.update(public.holidays)
            self._makeup_days.update(public.makeup)
        self._fetched_years.add(year)

    def _load(self, ordinal: int) -> _Day:
        """Build and cache one date's working intervals as UTC microseconds."""
        day = date.fromordinal(ordinal)
        wall = self._wall_us
        raw = sorted((wall(day, span.start), wall(day, span.end)) for span in self.hours_on(day))
        spans: list[tuple[int, int]] = []
        for lo, hi in raw:
            if hi <= lo:
                continue  # collapsed by a DST gap
            if spans and lo <= spans[-1][1]:
                # Touching, or overlapping after a DST gap: keep the union.
                spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
            else:
                spans.append((lo, hi))
        built = (
            _Day(sum(hi - lo for lo, hi in spans), spans[0][0], spans[-1][1], tuple(spans))
            if spans
            else _CLOSED_DAY
        )
        if len(self._days) > 200_000:  # ~550 years of dates: only reachable by abuse
            self._days.clear()
        self._days[ordinal] = built
        return built

    def _wall_us(self, day: date, minute: int) -> int:
        """A local wall-clock time on `day` as epoch microseconds, read with fold=0."""
        if minute >= MINUTES_PER_DAY:
            day, minute = day + timedelta(days=1), minute - MINUTES_PER_DAY
        local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.tz)
        return epoch_us(local)

    def __repr__(self) -> str:
        return (
            f"BusinessCalendar(name={self.name!r}, timezone={self.tz.key!r}, "
            f"country={self.country!r})"
        )


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)"
        ) from exc
    return value


def _default_hours() -> dict[str, list[str]]:
    return {day: ["09:00-18:00"] for day in WEEKDAYS[:5]}


@cache
def _country_codes() -> frozenset[str]:
    """The country codes the holidays package knows, read from its registry: its
    `list_supported_countries()` imports every country's module (100-250 ms), which a desk
    would pay at its first paint, where the site's calendar settings are read."""
    from holidays.registry import EntityLoader

    return frozenset(EntityLoader.get_country_codes())


class CalendarSettings(BaseModel):
    """The business calendar a site works to; `build()` makes the BusinessCalendar."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = "Asia/Shanghai"
    country: str | None = "CN"
    hours: dict[str, list[str]] = Field(default_factory=_default_hours)
    makeup_hours: list[str] | None = None
    closed_dates: list[date] = Field(default_factory=list)
    open_dates: list[date] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return _check_timezone(value)

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or value.strip() == "":
            return None
        code = value.strip().upper()
        if info.context != FROM_SERVER and code not in _country_codes():
            raise ValueError(
                f"unknown country {value!r} for public holidays (use an ISO code such as CN)"
            )
        return code

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, spans in value.items():
            if key not in WEEKDAYS:
                raise ValueError(f"hours: unknown weekday {key!r} (use {', '.join(WEEKDAYS)})")
            _coerce_spans(spans, f"hours.{key}")
        if not any(value.values()):
            raise ValueError("hours: no working hours on any weekday")
        return value

    @field_validator("makeup_hours")
    @classmethod
    def _valid_makeup(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not _coerce_spans(value, "makeup_hours"):
            raise ValueError("makeup_hours: give at least one interval (or leave it unset)")
        return value

    @model_validator(mode="after")
    def _closed_open_disjoint(self) -> CalendarSettings:
        both = sorted(set(self.closed_dates) & set(self.open_dates))
        if both:
            shown = ", ".join(day.isoformat() for day in both)
            raise ValueError(f"dates both in closed_dates and open_dates: {shown}")
        return self

    def build(self, name: str = "business", site_days: Iterable[SiteDay] = ()) -> BusinessCalendar:
        return BusinessCalendar(
            timezone=self.timezone,
            hours=self.hours,  # type: ignore[arg-type]
            country=self.country,
            closed_dates=self.closed_dates,
            open_dates=self.open_dates,
            makeup_hours=self.makeup_hours,
            name=name,
            site_days=site_days,
        )
