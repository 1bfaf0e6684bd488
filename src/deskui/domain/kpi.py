"""KPI formulas and targets (service-standards §6), shared by the KPI panel and reports.

The split of work: the store counts, the domain decides. A store query returns, per period
(and per team or agent), a *numerator* and a *denominator*; `measure()` turns them into a
`KpiValue` with the KPI's formula (a share, a mean, or a count), its target from
`KpiTargets`, its direction, and the "below 80% of target" warning. Which records go into
each numerator and denominator is written down in `docs/kpi.md` and in `DEFINITIONS` below.

Every rate is `numerator / denominator`; an empty period has no value (None, shown as "—"),
never a division by zero.

Two vocabularies, one set of definitions:
- `Kpi` is the six KPIs the desk's KPI panel shows (`store/kpi.figures` computes exactly these
  and the panel iterates over `Kpi`, so adding members here would break both).
- `ReportKpi` is every KPI the reports show: those six plus reopen rate, callback completion
  and MTTR in business hours. Shared members have the same string values, so
  `DEFINITIONS[Kpi.CSAT]` and `DEFINITIONS[ReportKpi.CSAT]` are the same entry.

This module also holds the arithmetic behind MTTR in business time (`business_seconds`): the
store groups instants into aligned buckets, and the business calendar turns the bucket
histogram into exact business seconds without a Python loop over tickets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field


class Period(StrEnum):
    """The desk's KPI periods: today, this week, this month (site time)."""

    TODAY = "today"
    WEEK = "week"
    MONTH = "month"


WARNING_FRACTION = 0.8  # a KPI below 80% of its target raises a warning
# Exactly on a line counts as on it: 0.9 * 0.8 is 0.7200000000000001 in binary floating point.
_EPSILON = 1e-9


class Kpi(StrEnum):
    """The KPIs of the desk's KPI panel (computed by `store/kpi.figures`)."""

    ON_TIME_RESPONSE = "on_time_response"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution"
    CSAT = "csat"
    COMPLAINT_ESCALATION = "complaint_escalation"
    MTTR_HOURS = "mttr_hours"
    BACKLOG = "backlog"


class ReportKpi(StrEnum):
    """Every KPI in the reports, in the order they are listed."""

    ON_TIME_RESPONSE = "on_time_response"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution"
    CSAT = "csat"
    COMPLAINT_ESCALATION = "complaint_escalation"
    REOPEN_RATE = "reopen_rate"
    CALLBACK_COMPLETION = "callback_completion"
    MTTR_HOURS = "mttr_hours"
    MTTR_BUSINESS_HOURS = "mttr_business_hours"
    BACKLOG = "backlog"


class KpiTargets(BaseModel):
    """Targets a site measures itself against; rates are fractions (0.95 = 95%)."""

    model_config = ConfigDict(extra="forbid")
    on_time_response: float = Field(0.95, ge=0, le=1)
    first_contact_resolution: float = Field(0.80, ge=0, le=1)
    csat: float = Field(0.90, ge=0, le=1)
    complaint_escalation_max: float = Field(0.05, ge=0, le=1)
    # Not in the service standards; defaults chosen for deskui (see docs/kpi.md).
    reopen_max: float = Field(0.05, ge=0, le=1)
    callback_completion: float = Field(0.95, ge=0, le=1)


class Unit(StrEnum):
    RATE = "rate"  # numerator / denominator, a fraction
    HOURS = "hours"  # numerator is a sum of hours, denominator a count: the mean
    COUNT = "count"  # numerator is the value; denominator unused


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    kpi: ReportKpi
    _: KW_ONLY
    name: str
    name_zh: str
    unit: Unit
    lower_is_better: bool
    target_field: str | None  # attribute of KpiTargets, None when only tracked
    numerator: str
    denominator: str

    @property
    def label(self) -> str:
        """Bilingual name for report files: 'On-time response rate / 响应及时率'."""
        return f"{self.name} / {self.name_zh}"


def _define(*items: KpiDefinition) -> dict[str, KpiDefinition]:
    return {item.kpi.value: item for item in items}


# Keyed by the string value: StrEnum members hash and compare as their values, so both
# `Kpi` and `ReportKpi` members (and plain strings) look entries up.
DEFINITIONS: dict[str, KpiDefinition] = _define(
    KpiDefinition(
        ReportKpi.ON_TIME_RESPONSE,
        name="On-time response rate",
        name_zh="响应及时率",
        unit=Unit.RATE,
        lower_is_better=False,
        target_field="on_time_response",
        numerator="of those, tickets first answered at or before response_due_at",
        denominator="tickets created in the period whose response is decided (answered, "
        "or response_due_at already passed)",
    ),
    KpiDefinition(
        ReportKpi.FIRST_CONTACT_RESOLUTION,
        name="First-contact resolution",
        name_zh="一次性解决率",
        unit=Unit.RATE,
        lower_is_better=False,
        target_field="first_contact_resolution",
        numerator="of those, tickets marked solved at first contact",
        denominator="tickets resolved in the period (resolved_at in the period)",
    ),
    KpiDefinition(
        ReportKpi.CSAT,
        name="Customer satisfaction (CSAT)",
        name_zh="客户满意度",
        unit=Unit.RATE,
        lower_is_better=False,
        target_field="csat",
        numerator="of those, callbacks scored 4 or 5",
        denominator="callbacks recorded in the period (done_at) with a 1-5 score",
    ),
    KpiDefinition(
        ReportKpi.COMPLAINT_ESCALATION,
        name="Complaint escalation rate",
        name_zh="投诉升级率",
        unit=Unit.RATE,
        lower_is_better=True,
        target_field="complaint_escalation_max",
        numerator="of those, complaints escalated at least once (escalation_level > 0)",
        denominator="complaints created in the period",
    ),
    KpiDefinition(
        ReportKpi.REOPEN_RATE,
        name="Reopen rate",
        name_zh="问题复现率",
        unit=Unit.RATE,
        lower_is_better=True,
        target_field="reopen_max",
        numerator="of those, tickets reopened at least once (reopen_count > 0)",
        denominator="tickets created in the period that were resolved at least once "
        "(resolved_at set, or reopened since)",
    ),
    KpiDefinition(
        ReportKpi.CALLBACK_COMPLETION,
        name="Callback completion rate",
        name_zh="回访完成率",
        unit=Unit.RATE,
        lower_is_better=False,
        target_field="callback_completion",
        numerator="of those, callbacks done (customer reached: done_at set)",
        denominator="callbacks that fell due in the period, up to now (due_at in the "
        "period and before now)",
    ),
    KpiDefinition(
        ReportKpi.MTTR_HOURS,
        name="MTTR, clock time (hours)",
        name_zh="平均修复时间（自然时间）",
        unit=Unit.HOURS,
        lower_is_better=True,
        target_field=None,
        numerator="sum over those tickets of resolved_at - created_at, in hours",
        denominator="tickets resolved in the period",
    ),
    KpiDefinition(
        ReportKpi.MTTR_BUSINESS_HOURS,
        name="MTTR, business time (hours)",
        name_zh="平均修复时间（工作时间）",
        unit=Unit.HOURS,
        lower_is_better=True,
        target_field=None,
        numerator="sum over those tickets of the business-calendar working time between "
        "created_at and resolved_at, in hours",
        denominator="tickets resolved in the period",
    ),
    KpiDefinition(
        ReportKpi.BACKLOG,
        name="Open backlog",
        name_zh="未结工单",
        unit=Unit.COUNT,
        lower_is_better=True,
        target_field=None,
        numerator="tickets created before the period's end (or now, if sooner) and not "
        "resolved by then",
        denominator="—",
    ),
)


def definition(kpi: str) -> KpiDefinition:
    """The definition of a `Kpi`/`ReportKpi` member (or its string value)."""
    return DEFINITIONS[str(kpi)]


def rate(numerator: int, denominator: int) -> float | None:
    """A share, or None for an empty period."""
    return None if denominator == 0 else numerator / denominator


def mean(total: float, count: int) -> float | None:
    """An average, or None when there is nothing to average."""
    return None if count == 0 else total / count


def target_of(kpi: str, targets: KpiTargets) -> float | None:
    """The KPI's target, or None for a KPI that is only tracked."""
    field = definition(kpi).target_field
    return None if field is None else float(getattr(targets, field))


def value_of(kpi: str, numerator: float, denominator: int) -> float | None:
    """The KPI's formula applied to its numerator and denominator."""
    unit = definition(kpi).unit
    if unit is Unit.RATE:
        return rate(int(numerator), denominator)
    if unit is Unit.HOURS:
        return mean(numerator, denominator)
    return float(numerator)


@dataclass(frozen=True, slots=True)
class KpiValue:
    """A measured value against its target; `lower_is_better` flips the comparison."""

    kpi: Kpi | ReportKpi
    value: float | None
    target: float | None
    lower_is_better: bool = False

    @property
    def warning(self) -> bool:
        """Below 80% of target (or, for a maximum, above target / 0.8)."""
        if self.value is None or self.target is None:
            return False
        if self.lower_is_better:
            if not self.target:
                return self.value > 0
            return self.value > self.target / WARNING_FRACTION + _EPSILON
        return self.value < self.target * WARNING_FRACTION - _EPSILON

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        if self.lower_is_better:
            return self.value <= self.target + _EPSILON
        return self.value >= self.target - _EPSILON


WARNING_BELOW = "below 80% of target"
WARNING_ABOVE = "above the maximum"


def warning_reason(value: KpiValue) -> str | None:
    """Why a KPI warns, in words that fit its direction: a minimum falls "below 80% of
    target"; a ceiling (a maximum such as complaint escalation ≤ 5%) is "above the maximum"
    (by more than a quarter: value > maximum ÷ 0.8). None when it does not warn."""
    if not value.warning:
        return None
    return WARNING_ABOVE if value.lower_is_better else WARNING_BELOW


def shortfall(value: KpiValue) -> str | None:
    """A target not met, in words that fit its direction: "below target" for a minimum,
    "above the maximum" for a ceiling; None when met or not judged."""
    if value.met is not False:
        return None
    return WARNING_ABOVE if value.lower_is_better else "below target"


def measure(
    kpi: Kpi | ReportKpi, numerator: float, denominator: int, targets: KpiTargets
) -> KpiValue:
    """The one place a KPI's value, target, direction and warning are put together."""
    found = definition(kpi)
    return KpiValue(
        kpi,
        value_of(kpi, numerator, denominator),
        target_of(kpi, targets),
        lower_is_better=found.lower_is_better,
    )


def change(current: float | None, previous: float | None) -> float | None:
    """Current minus previous (percentage points for rates), None when either is missing."""
    if current is None or previous is None:
        return None
    return current - previous


# -- business time from bucket histograms -----------------------------------------------------


class _Elapsing(Protocol):
    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class BucketRow:
    """Instants of one sign and key that fall in one bucket.

    `bucket` is floor(epoch seconds / width); `count` instants lie in it and `offsets` is the
    sum of their seconds past the bucket's start. `sign` is +1 for resolved_at, -1 for
    created_at, so the sum over rows is the total business time from creation to resolution.
    """

    key: Any
    sign: int
    bucket: int
    count: int
    offsets: float


def bucket_width(calendar: Any, years: Iterable[int] = ()) -> int:
    """The widest bucket (a divisor of an hour) whose edges include every working-interval
    edge of the calendar: then each bucket is wholly working or wholly closed time and
    `business_seconds` is exact.

    Computed from the wall-clock edges of the calendar's hours and its zone's UTC offsets
    (in January and July of `years`). A calendar without hours (round the clock) gets 3600.
    """
    width = 3600
    spans: list[Any] = []
    for day_spans in getattr(calendar, "weekly", ()):
        spans.extend(day_spans)
    spans.extend(getattr(calendar, "makeup", ()))
    for span in spans:
        width = math.gcd(width, int(span.start) * 60, int(span.end) * 60)
    zone = getattr(calendar, "tz", None)
    if zone is not None:
        for year in set(years) or {datetime.now(UTC).year}:
            for month in (1, 7):
                offset = datetime(year, month, 1, 12, tzinfo=zone).utcoffset()
                if offset is not None:
                    width = math.gcd(width, abs(int(offset.total_seconds())))
    return max(width, 1)


def business_seconds(
    calendar: _Elapsing, width: int, rows: Iterable[BucketRow]
) -> dict[Any, float]:
    """Sum of signed business-calendar positions per key, in seconds.

    With B(t) = business time from a fixed origin to t, an instant t in bucket b sits at
    B(start of b) + r_b · (t - start of b), where r_b is the share of the bucket that is
    working time (0 or 1 when `width` comes from `bucket_width`). So a bucket's `count`
    instants add count · B(start) + r_b · offsets, and the sum over resolved (+) and created
    (-) instants is the total business time the tickets took.
    """
    rows = list(rows)
    starts = sorted({row.bucket for row in rows})
    position: dict[int, tuple[float, float]] = {}  # bucket -> (B(start), working share)
    cumulative = 0.0
    previous: datetime | None = None
    for bucket in starts:
        start = _EPOCH + timedelta(seconds=bucket * width)
        if previous is not None:
            cumulative += calendar.elapsed(previous, start).total_seconds()
        inside = calendar.elapsed(start, start + timedelta(seconds=width)).total_seconds()
        position[bucket] = (cumulative, inside / width)
        previous = start
    totals: dict[Any, float] = {}
    for row in rows:
        base, share = position[row.bucket]
        amount = row.sign * (row.count * base + share * row.offsets)
        totals[row.key] = totals.get(row.key, 0.0) + amount
    return totals


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


__all__ = [
    "DEFINITIONS",
    "WARNING_FRACTION",
    "BucketRow",
    "Kpi",
    "KpiDefinition",
    "KpiTargets",
    "KpiValue",
    "ReportKpi",
    "Unit",
    "add_months",
    "bucket_width",
    "business_seconds",
    "change",
    "definition",
    "mean",
    "measure",
    "rate",
    "shortfall",
    "target_of",
    "value_of",
    "warning_reason",
]
