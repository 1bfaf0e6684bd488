"""KPI formulas and targets (service-standards §6), shared by the KPI panel and reports.

Every rate is `numerator / denominator`; an empty period has no value (None, shown as "—"),
never a division by zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

WARNING_FRACTION = 0.8  # a KPI below 80% of its target raises a warning


class Kpi(StrEnum):
    ON_TIME_RESPONSE = "on_time_response"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution"
    CSAT = "csat"
    COMPLAINT_ESCALATION = "complaint_escalation"
    MTTR_HOURS = "mttr_hours"
    BACKLOG = "backlog"


class KpiTargets(BaseModel):
    """Targets a site measures itself against; rates are fractions (0.95 = 95%)."""

    model_config = ConfigDict(extra="forbid")
    on_time_response: float = Field(0.95, ge=0, le=1)
    first_contact_resolution: float = Field(0.80, ge=0, le=1)
    csat: float = Field(0.90, ge=0, le=1)
    complaint_escalation_max: float = Field(0.05, ge=0, le=1)


def rate(numerator: int, denominator: int) -> float | None:
    """A share, or None for an empty period."""
    return None if denominator == 0 else numerator / denominator


@dataclass(frozen=True, slots=True)
class KpiValue:
    """A measured value against its target; `lower_is_better` flips the comparison."""

    kpi: Kpi
    value: float | None
    target: float | None
    lower_is_better: bool = False

    @property
    def warning(self) -> bool:
        """Below 80% of target (or, for a maximum, above target / 0.8)."""
        if self.value is None or self.target is None:
            return False
        if self.lower_is_better:
            return self.value > self.target / WARNING_FRACTION if self.target else self.value > 0
        return self.value < self.target * WARNING_FRACTION

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value <= self.target if self.lower_is_better else self.value >= self.target
