"""KPI figures as the KPI panel reads them (plain rows, no SQLAlchemy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from deskui.domain.kpi import Kpi, KpiValue, Period


@dataclass(frozen=True, slots=True)
class Range:
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Figure:
    """One KPI in one period: value plus what it was computed from."""

    value: KpiValue
    numerator: float
    denominator: int


@dataclass(frozen=True, slots=True)
class KpiReport:
    periods: dict[Period, dict[Kpi, Figure]]
    trend: dict[Kpi, list[float | None]]  # the last 8 weeks, oldest first
