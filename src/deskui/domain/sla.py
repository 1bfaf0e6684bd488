"""SLA targets (时效): which rule applies, when a ticket is due, and what state it is in.

Pure functions over instants; the clock is always passed in. Settings are pydantic models so
a site can override the defaults of service-standards §3 in config.toml; `SlaPolicy` is built
from them once and then answers `due_times` quickly (the queue recomputes it often).

Rule matching: every rule whose priority/category/tier fields match (None = any) is a
candidate. For each target (response, resolution) separately the candidate with the earliest
due instant wins; on a tie, the rule listed first.

Complaints (`complaint_resolution`): with "replace" (the default) a complaint's resolution is
decided only among the rules written for complaints (category = complaint), so the complaint
window (投诉处理时限, 15 working days) replaces the priority's resolution target, while a major
complaint (urgent + complaint) keeps its urgent 2 hours. With "earliest" every matching rule
competes and the complaint rule is only a ceiling. Response targets always take the earliest.
The winner's rule name, calendar and target duration are kept in `DueTimes` so the result
can be explained.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import product
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from deskui.domain.calendar import (
    BusinessCalendar,
    Calendar,
    CalendarSettings,
    DayEntry,
    RoundTheClock,
    SiteDay,
    duration_us,
    epoch_us,
    from_epoch_us,
)
from deskui.domain.enums import Category, Priority, SlaState, SlaTarget, Tier

__all__ = [
    "DueTimes",
    "Extension",
    "Pause",
    "Rule",
    "SlaPolicy",
    "SlaSettings",
    "Target",
    "default_rules",
    "explain",
    "extend",
    "extended",
    "format_countdown",
    "remaining",
    "resume",
    "running_calendar",
    "state",
]

CalendarName = Literal["24x7", "business"]
ComplaintResolution = Literal["replace", "earliest"]
ROUND_THE_CLOCK: CalendarName = "24x7"
BUSINESS: CalendarName = "business"
_ZERO = timedelta(0)


# -- settings ---------------------------------------------------------------------------------


class Target(BaseModel):
    """One time limit: exactly one of minutes / hours / working_days, on a calendar.

    `calendar` defaults to "business" for working_days and "24x7" otherwise; a working day is
    the calendar's `day_length` (9 h for the default business calendar, 24 h round the clock).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    minutes: int | None = Field(None, gt=0)
    hours: float | None = Field(None, gt=0)
    working_days: float | None = Field(None, gt=0)
    calendar: CalendarName | None = None

    @model_validator(mode="after")
    def _exactly_one_amount(self) -> Target:
        given = [self.minutes, self.hours, self.working_days]
        if sum(value is not None for value in given) != 1:
            raise ValueError("give exactly one of minutes, hours or working_days")
        if self.calendar is None:
            calendar = BUSINESS if self.working_days is not None else ROUND_THE_CLOCK
            object.__setattr__(self, "calendar", calendar)
        return self

    @property
    def calendar_name(self) -> CalendarName:
        return self.calendar or ROUND_THE_CLOCK

    def duration(self, calendar: Calendar) -> timedelta:
        """The target as calendar time on `calendar` (working days scale by its day length)."""
        if self.minutes is not None:
            return timedelta(minutes=self.minutes)
        if self.hours is not None:
            return timedelta(hours=self.hours)
        assert self.working_days is not None
        return calendar.day_length * self.working_days

    def describe(self) -> str:
        """'15 minutes', '2 hours', '3 working days' — stable English for explanations."""
        if self.minutes is not None:
            return _plural(self.minutes, "minute")
        if self.hours is not None:
            return _plural(self.hours, "hour")
        assert self.working_days is not None
        return _plural(self.working_days, "working day")


def _plural(amount: float, unit: str) -> str:
    shown = f"{amount:g}"
    return f"{shown} {unit}" if shown == "1" else f"{shown} {unit}s"


class Rule(BaseModel):
    """Targets for the tickets it matches; an unset match field matches anything."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    priority: Priority | None = None
    category: Category | None = None
    tier: Tier | None = None
    response: Target | None = None
    resolution: Target | None = None

    @model_validator(mode="after")
    def _has_a_target(self) -> Rule:
        if self.response is None and self.resolution is None:
            raise ValueError(f"rule {self.name!r} has neither a response nor a resolution target")
        return self

    def matches(self, priority: Priority, category: Category, tier: Tier) -> bool:
        return (
            (self.priority is None or self.priority == priority)
            and (self.category is None or self.category == category)
            and (self.tier is None or self.tier == tier)
        )

    def target(self, which: SlaTarget) -> Target | None:
        return self.response if which == SlaTarget.RESPONSE else self.resolution


def default_rules() -> list[Rule]:
    """Service-standards §3. Complaints also match their priority's rule: the earliest wins."""
    return [
        Rule(
            name="urgent",
            priority=Priority.URGENT,
            response=Target(minutes=15),
            resolution=Target(hours=2),
        ),
        Rule(
            name="important",
            priority=Priority.IMPORTANT,
            response=Target(hours=2),
            resolution=Target(hours=24),
        ),
        Rule(
            name="normal",
            priority=Priority.NORMAL,
            response=Target(working_days=1),
            resolution=Target(working_days=3),
        ),
        Rule(
            name="complaint",
            category=Category.COMPLAINT,
            response=Target(hours=1),
            resolution=Target(working_days=15),
        ),
        Rule(
            name="major complaint",
            priority=Priority.URGENT,
            category=Category.COMPLAINT,
            response=Target(minutes=5),
            resolution=Target(hours=2),
        ),
    ]


class SlaSettings(BaseModel):
    """Everything about SLA targets a site can configure (callback timing lives elsewhere)."""

    model_config = ConfigDict(extra="forbid")

    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    rules: list[Rule] = Field(default_factory=default_rules)
    at_risk_fraction: float = Field(0.25, gt=0, lt=1)
    escalation_grace_minutes: int = Field(60, ge=0)
    # "replace": a complaint's own resolution window replaces the priority's; "earliest": the
    # earliest of all matching rules wins (the complaint rule is then only a ceiling).
    complaint_resolution: ComplaintResolution = "replace"

    @field_validator("rules")
    @classmethod
    def _rules_cover_everything(cls, rules: list[Rule]) -> list[Rule]:
        """Every ticket must get both targets: the stored due columns are not nullable."""
        names = [rule.name for rule in rules]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"rule names must be unique; repeated: {', '.join(duplicates)}")
        for priority, category, tier in product(Priority, Category, Tier):
            matching = [rule for rule in rules if rule.matches(priority, category, tier)]
            for which in SlaTarget:
                if not any(rule.target(which) for rule in matching):
                    raise ValueError(
                        f"no rule gives a {which.value} target for priority={priority.value}, "
                        f"category={category.value}, tier={tier.value}"
                    )
        return rules


# -- the policy -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueTimes:
    """When a ticket's targets fall due, and which rule/calendar/duration produced each."""

    start: datetime
    response_due: datetime
    response_warn: datetime
    resolve_due: datetime
    resolve_warn: datetime
    response_rule: str
    resolve_rule: str
    response_calendar: str
    resolve_calendar: str
    response_target: timedelta
    resolve_target: timedelta


@dataclass(frozen=True, slots=True)
class _Candidate:
    """One rule's target, pre-converted to microseconds on its calendar."""

    order: int
    rule: str
    calendar_name: str
    calendar: BusinessCalendar | RoundTheClock
    target: timedelta
    warn: timedelta
    target_us: int
    warn_us: int


_Row = tuple[list[_Candidate], list[_Candidate], bool]


class SlaPolicy:
    """SlaSettings turned into calendars and a lookup table of candidate targets."""

    def __init__(
        self,
        settings: SlaSettings | None = None,
        site_days: Iterable[SiteDay] = (),
        *,
        config_dates: bool = True,
    ) -> None:
        """`site_days`: the site's calendar entries (from the database). `config_dates=False`
        drops config.toml's closed/open dates once they have moved into the database."""
        self.settings = SlaSettings() if settings is None else settings
        calendar = self.settings.calendar
        if not config_dates:
            calendar = calendar.model_copy(update={"closed_dates": [], "open_dates": []})
        self.business: BusinessCalendar = calendar.build(name=BUSINESS, site_days=site_days)
        self.round_the_clock = RoundTheClock(name=ROUND_THE_CLOCK)
        self._calendars: dict[str, BusinessCalendar | RoundTheClock] = {
            ROUND_THE_CLOCK: self.round_the_clock,
            BUSINESS: self.business,
        }
        self.rules: dict[str, Rule] = {rule.name: rule for rule in self.settings.rules}
        self._table: dict[tuple[str, str, str], _Row] = {}
        for key in product(Priority, Category, Tier):
            response = self._candidates(key, SlaTarget.RESPONSE)
            resolution = self._candidates(key, SlaTarget.RESOLUTION)
            needs_local = any(c.calendar is self.business for c in response + resolution)
            self._table[key] = (response, resolution, needs_local)

    @classmethod
    def from_settings(cls, settings: SlaSettings) -> SlaPolicy:
        return cls(settings)

    def calendar(self, name: str) -> Calendar:
        """'24x7' or 'business'."""
        return self._calendars[name]

    def resolution_calendar(self, due: DueTimes) -> Calendar:
        """The calendar the resolution clock runs on: pauses and extensions are measured in it."""
        return self._calendars[due.resolve_calendar]

    def response_calendar(self, due: DueTimes) -> Calendar:
        return self._calendars[due.response_calendar]

    def _candidates(
        self, key: tuple[Priority, Category, Tier], which: SlaTarget
    ) -> list[_Candidate]:
        """Matching targets, minus those that can never be earliest.

        Calendar time never runs faster than real time, so a 24x7 target no longer than
        another target (on any calendar) is always at least as early; and on one calendar
        the shorter target is always at least as early. Ties go to the rule listed first.
        """
        fraction = self.settings.at_risk_fraction
        found: list[_Candidate] = []
        for order, rule in enumerate(self._competing(key, which)):
            target = rule.target(which)
            if target is None:
                continue
            calendar = self._calendars[target.calendar_name]
            duration = target.duration(calendar)
            warn = duration * (1 - fraction)
            found.append(
                _Candidate(
                    order=order,
                    rule=rule.name,
                    calendar_name=target.calendar_name,
                    calendar=calendar,
                    target=duration,
                    warn=warn,
                    target_us=duration_us(duration),
                    warn_us=duration_us(warn),
                )
            )
        return [cand for cand in found if not any(_dominates(other, cand) for other in found)]

    def _competing(self, key: tuple[Priority, Category, Tier], which: SlaTarget) -> list[Rule]:
        """The rules that compete for one target, in listed order (see the module docstring:
        with "replace", a complaint's resolution is decided among the complaint rules)."""
        matching = [rule for rule in self.settings.rules if rule.matches(*key)]
        if (
            which == SlaTarget.RESOLUTION
            and key[1] == Category.COMPLAINT
            and self.settings.complaint_resolution == "replace"
        ):
            own = [r for r in matching if r.category == Category.COMPLAINT and r.resolution]
            if own:
                return own
        return matching

    def competing_rules(
        self, priority: Priority, category: Category, tier: Tier, which: SlaTarget
    ) -> list[str]:
        """Names of the rules that compete for a target (for `deskui sla show`)."""
        return [
            r.name for r in self._competing((priority, category, tier), which) if r.target(which)
        ]

    def describe_complaint_rule(self) -> str:
        """The complaint reading in force, in one stable English sentence."""
        if self.settings.complaint_resolution == "replace":
            return (
                'Complaints (sla.complaint_resolution = "replace"): a complaint\'s resolution '
                "target comes only from the complaint rules, so its own window replaces the "
                "priority's; the earliest of those wins (a major complaint stays urgent). "
                "Response: the earliest of all matching rules."
            )
        return (
            'Complaints (sla.complaint_resolution = "earliest"): every matching rule '
            "competes and the earliest due time wins; the complaint window is only a ceiling."
        )

    def due_times(
        self, priority: Priority, category: Category, tier: Tier, start: datetime
    ) -> DueTimes:
        """Response and resolution due/warn instants (UTC) for a ticket received at `start`."""
        try:
            response, resolution, needs_local = self._table[priority, category, tier]
        except KeyError:
            raise ValueError(
                f"unknown priority/category/tier {priority!r}/{category!r}/{tier!r}"
            ) from None
        start_us = epoch_us(start)
        start_utc = from_epoch_us(start_us)
        ordinal = self.business.local_ordinal(start) if needs_local else 0
        resp, resp_due, resp_warn = _winner(response, start_us, start_utc, ordinal)
        reso, reso_due, reso_warn = _winner(resolution, start_us, start_utc, ordinal)
        return DueTimes(
            start,
            resp_due,
            resp_warn,
            reso_due,
            reso_warn,
            resp.rule,
            reso.rule,
            resp.calendar_name,
            reso.calendar_name,
            resp.target,
            reso.target,
        )


def _winner(
    candidates: list[_Candidate], start_us: int, start_utc: datetime, ordinal: int
) -> tuple[_Candidate, datetime, datetime]:
    """The earliest candidate with its due and warn instants (hot path: no datetime maths
    beyond what the winner needs; 24x7 instants are plain UTC additions)."""
    best = candidates[0]
    best_us = -1
    if len(candidates) > 1:
        best_us = best.calendar._add_us(start_us, ordinal, best.target_us)
        for cand in candidates[1:]:
            due_us = cand.calendar._add_us(start_us, ordinal, cand.target_us)
            if due_us < best_us:
                best, best_us = cand, due_us
    if best.calendar_name == ROUND_THE_CLOCK:
        return best, start_utc + best.target, start_utc + best.warn
    calendar = best.calendar
    if best_us < 0:
        best_us = calendar._add_us(start_us, ordinal, best.target_us)
    warn_us = calendar._add_us(start_us, ordinal, best.warn_us)
    return best, from_epoch_us(best_us), from_epoch_us(warn_us)


def _dominates(other: _Candidate, cand: _Candidate) -> bool:
    """True when `other` is due no later than `cand` from every start, and wins ties."""
    if other is cand:
        return False
    if other.calendar_name != cand.calendar_name and other.calendar_name != ROUND_THE_CLOCK:
        return False
    if other.target_us != cand.target_us:
        return other.target_us < cand.target_us
    return other.order < cand.order


# -- lifecycle --------------------------------------------------------------------------------


def resume(
    clock: Calendar | SlaPolicy,
    due: datetime,
    warn: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    *,
    calendar: str = BUSINESS,
) -> tuple[datetime, datetime]:
    """Move due and warn out by the calendar time that passed while pending customer.

    `clock` is the resolution target's calendar, or a policy plus `calendar=` naming it
    (normally `DueTimes.resolve_calendar`).
    """
    cal = clock.calendar(calendar) if isinstance(clock, SlaPolicy) else clock
    paused = cal.elapsed(paused_at, resumed_at)
    return cal.add(due, paused), cal.add(warn, paused)


def extend(
    due: datetime, warn: datetime, by: timedelta, calendar: Calendar
) -> tuple[datetime, datetime]:
    """Move due and warn out by `by` of calendar time (an extension granted with a reason)."""
    return calendar.add(due, by), calendar.add(warn, by)


def state(
    due: datetime,
    warn: datetime,
    now: datetime,
    stopped_at: datetime | None = None,
    paused: bool | datetime = False,
) -> SlaState:
    """The state of one target at `now`.

    MET when the clock was stopped (responded/resolved) by the due instant, BREACHED when
    stopped or still running after it; PAUSED while pending customer; AT_RISK from the warn
    instant on. Exactly at `due` a running target is AT_RISK, not yet BREACHED.
    `paused` may be the instant the pause began: breach is then judged at that instant,
    since the clock stopped there (a plain True judges it at `now`).
    """
    if stopped_at is not None:
        return SlaState.MET if stopped_at <= due else SlaState.BREACHED
    judged_at = paused if isinstance(paused, datetime) else now
    if judged_at > due:
        return SlaState.BREACHED
    if paused is not False:
        return SlaState.PAUSED
    if now >= warn:
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def remaining(due: datetime, now: datetime, calendar: Calendar | None = None) -> timedelta:
    """Time left until due on the target's calendar (real time without one); negative when
    overdue. On the business calendar this is the working time left, the same clock the
    at-risk instant was computed on, so a countdown and its at-risk mark always agree."""
    if calendar is None:
        return due - now
    if due >= now:
        return calendar.elapsed(now, due)
    return -calendar.elapsed(due, now)


def running_calendar(
    policy: SlaPolicy,
    priority: Priority,
    category: Category,
    tier: Tier,
    created_at: datetime,
    running_due: datetime,
    resolve_due: datetime,
) -> str:
    """The calendar name of a ticket's running target ("24x7" or "business"): the resolution
    target when `running_due` is its (stored) resolution due, else the response target."""
    due = policy.due_times(priority, category, tier, created_at)
    return due.resolve_calendar if running_due == resolve_due else due.response_calendar


def extended(policy: SlaPolicy, due: DueTimes, shift: timedelta) -> tuple[datetime, datetime, str]:
    """Resolution due and warn moved by `shift` (pauses plus granted extensions) on the
    resolution target's calendar: working time on the business calendar, clock time where the
    target runs 24x7. Returns the calendar's name too, so callers can say which it was."""
    calendar = policy.resolution_calendar(due)
    if not shift:
        return due.resolve_due, due.resolve_warn, calendar.name
    return (
        calendar.add(due.resolve_due, shift),
        calendar.add(due.resolve_warn, shift),
        calendar.name,
    )


def format_countdown(
    td: timedelta,
    day: timedelta | None = None,
    units: tuple[str, str, str] = ("d", "h", "m"),
    sep: str = " ",
) -> str:
    """'1h 12m', '-0h 05m'; from 24 h on '2d 03h', '-1d 02h'; from 100 days on '-347d', so the
    text fits a 9-cell column. Truncates toward zero. `day` is the length of a day on the
    target's calendar (a business day is 9 working hours), 24 h by default. `units` are the
    day, hour and minute marks and `sep` what parts them (the UI passes its language's,
    `deskui.i18n.formats`: wide CJK marks go without a space, so the text keeps its width)."""
    d, h, m = units
    sign = "-" if td < _ZERO else ""
    minutes = int(abs(td).total_seconds() // 60)
    hours, minute = divmod(minutes, 60)
    per_day = 24 if day is None else max(1, int(day.total_seconds() // 3600))
    if hours >= per_day:
        days, hour = divmod(hours, per_day)
        return f"{sign}{days}{d}" if days >= 100 else f"{sign}{days}{d}{sep}{hour:02d}{h}"
    return f"{sign}{hours}{h}{sep}{minute:02d}{m}"


# -- explanations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pause:
    """A wait on the customer; `resumed_at` None means still paused."""

    paused_at: datetime
    resumed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Extension:
    """A granted extension of the resolution target, by calendar time, with its reason."""

    at: datetime
    by: timedelta
    reason: str = ""


def _when(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _amount(td: timedelta) -> str:
    """Calendar time as '27h 00m': hours, since a business 'day' is not 24 h."""
    minutes = int(td.total_seconds() // 60)
    return f"{minutes // 60}h {minutes % 60:02d}m"


_KIND_TEXT = {
    "holiday": "holiday",
    "workday": "make-up working day",  # a deciding workday is always on a day without hours
    "closed": "closed (config.toml)",
    "open": "open (config.toml)",
}


def deciding_entries(calendar: BusinessCalendar, start: datetime, end: datetime) -> list[DayEntry]:
    """The calendar entries between two instants that changed whether a day was worked."""
    first = start.astimezone(calendar.tz).date()
    last = end.astimezone(calendar.tz).date()
    return [
        entry
        for entry in calendar.entries_between(first, last)
        if bool(calendar.weekly[entry.day.weekday()]) != bool(calendar.hours_on(entry.day))
    ]


def _entry_text(entry: DayEntry) -> str:
    kind = _KIND_TEXT.get(entry.kind, entry.kind)
    name = f" '{entry.name}'" if entry.name else ""
    return f"{entry.day.isoformat()} {entry.day:%a} {kind}{name} (source: {entry.source})"


def explain(
    policy: SlaPolicy,
    due: DueTimes,
    pauses: Iterable[Pause] = (),
    extensions: Iterable[Extension] = (),
    zone: tzinfo | None = None,
) -> list[str]:
    """Human-readable lines saying how a ticket's due times were reached (English, stable)."""
    zone = zone or policy.business.tz
    lines = [f"Received: {_when(due.start, zone)}"]
    for label, rule_name, cal_name, target, due_at, warn_at in (
        (
            "Response",
            due.response_rule,
            due.response_calendar,
            due.response_target,
            due.response_due,
            due.response_warn,
        ),
        (
            "Resolution",
            due.resolve_rule,
            due.resolve_calendar,
            due.resolve_target,
            due.resolve_due,
            due.resolve_warn,
        ),
    ):
        rule = policy.rules.get(rule_name)
        spec = rule.target(SlaTarget(label.lower())) if rule else None
        described = spec.describe() if spec else _amount(target)
        lines.append(
            f"{label}: rule '{rule_name}', {described} on the {cal_name} calendar "
            f"({_amount(target)} of calendar time)"
        )
        lines.append(f"{label} due: {_when(due_at, zone)} (at risk from {_when(warn_at, zone)})")
        if cal_name == BUSINESS:
            lines.extend(
                f"  calendar entry: {_entry_text(entry)}"
                for entry in deciding_entries(policy.business, due.start, due_at)
            )
    calendar = policy.resolution_calendar(due)
    due_at, warn_at = due.resolve_due, due.resolve_warn
    changed = False
    for pause in pauses:
        if pause.resumed_at is None:
            lines.append(f"Paused since {_when(pause.paused_at, zone)}: resolution clock stopped")
            continue
        spent = calendar.elapsed(pause.paused_at, pause.resumed_at)
        due_at, warn_at = resume(calendar, due_at, warn_at, pause.paused_at, pause.resumed_at)
        changed = True
        lines.append(
            f"Paused {_when(pause.paused_at, zone)} to {_when(pause.resumed_at, zone)}: "
            f"+{_amount(spent)} of {calendar.name} time"
        )
    for ext in extensions:
        due_at, warn_at = extend(due_at, warn_at, ext.by, calendar)
        changed = True
        reason = f": {ext.reason}" if ext.reason else ""
        lines.append(
            f"Extended {_when(ext.at, zone)} by {_amount(ext.by)} of {calendar.name} time{reason}"
        )
    if changed:
        lines.append(
            f"Resolution due now: {_when(due_at, zone)} (at risk from {_when(warn_at, zone)})"
        )
    return lines
