"""Site policy: the rules one site works to, the same for every agent on it.

SLA rules, callback hours, KPI targets, the site time zone (which also decides on which day a
ticket number is counted) and how agents are identified. It is stored in the database and
changed only by admins (`deskui site import`); a user's own config file cannot touch it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from deskui.domain.kpi import KpiTargets
from deskui.domain.sla import SlaSettings

Identity = Literal["os", "database"]
TICKET_PREFIX = "SR"  # ticket numbers are SR-YYYYMMDD-NNNN; search and import rely on it


class CallbackSettings(BaseModel):
    """When a resolved ticket's callback is due (service-standards §5)."""

    model_config = ConfigDict(extra="forbid")
    complaint_hours: int = Field(24, ge=1, le=720)
    other_hours: int = Field(72, ge=1, le=720)
    retry_hours: int = Field(4, ge=1, le=168)


class SitePolicy(BaseModel):
    """Everything a site decides for all its agents; the defaults are deskui's."""

    model_config = ConfigDict(extra="forbid")

    tz: str = "Asia/Shanghai"
    # "os": the agent is the OS user running deskui. "database": on PostgreSQL with peer
    # authentication the database role proves who the user is, so it names the agent.
    identity: Identity = "os"
    sla: SlaSettings = Field(default_factory=SlaSettings)
    callbacks: CallbackSettings = Field(default_factory=CallbackSettings)
    kpi: KpiTargets = Field(default_factory=KpiTargets)

    @field_validator("tz")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)"
            ) from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def number_day(self, instant: datetime) -> str:
        """The day a ticket received at `instant` is numbered under: the site's local date."""
        return instant.astimezone(self.zone).strftime("%Y%m%d")
