"""The few results of `DeskApi` calls that are not rows of their own: plain, frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from deskui.domain.calendar import SiteDay
from deskui.domain.sla import SlaSettings


@dataclass(frozen=True)
class SiteInfo:
    """What the desk needs of the site's settings: its time zone and callback retry delay."""

    timezone: str
    callback_retry_hours: int

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Notice:
    """A reminder or an escalation the server pushed to the ticket's assignee (or supervisor):
    shown as a toast, kept in the desk's "my reminders" list."""

    ticket_id: int
    number: str
    kind: str  # "reminder" | "escalate"
    body: str
    at: str  # ISO time, as the server sent it


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    """Whether anything changed after `since`: `marker` is the latest change's id (pass it as
    `since` next time)."""

    marker: int
    changed: bool


@dataclass(frozen=True, slots=True)
class PolicyInputs:
    """What the site's SLA policy is built from (`SlaPolicy(sla, days, config_dates=…)`):
    a desk rebuilds it when `revision` moves, and counts down in the site's own calendars."""

    revision: int  # the calendar's
    sla: SlaSettings
    days: list[SiteDay]
    config_dates: bool
    site_revision: int = 0  # the site policy's (its SLA rules)
