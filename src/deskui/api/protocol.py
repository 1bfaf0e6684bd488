"""`DeskApi`: every call the desk (deskui.ui) makes, and nothing else.

Two parts:
- `DeskCalls`, the calls that may cross a connection. Their parameters and results are domain
  types only (dataclasses, enums, pydantic models), so `codec` encodes them from these
  annotations. The signed-in agent is not a parameter: an embedded API is built for one actor,
  a server knows its caller from the socket's peer credentials.
- `DeskApi` adds what stays in the desk's process: whether the desk runs the SLA sweep itself,
  and a hook for pushed changes.

The queue stays a window: counts and keyset pages, never a call that returns every ticket.
A `now` parameter (and a `Query`'s `now`) is the desk's clock: in-process it is the moment
answered for; a server answers for its own clock instead (`deskui.remote.desk_served`).
This module imports no services, store or SQLAlchemy (`lint-imports` checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Protocol

from deskui.api.types import ChangeBatch, Notice, PolicyInputs, SiteInfo
from deskui.domain.actors import Actor
from deskui.domain.enums import Category, Priority
from deskui.domain.queue import Choice, Key, Query, QueueFilter, QueueRow, View

if TYPE_CHECKING:
    # Types of calls a desk makes later, if at all: the codec imports each module when a call
    # first needs it (`codec.signature`), so a desk starts without them.
    from deskui.domain.calendar import PublicYear
    from deskui.domain.calendar_views import ChangeResult, YearView
    from deskui.domain.kpi_rows import KpiReport
    from deskui.domain.repair_rows import EngineerRow, RepairRow, ReplacementRow, VisitRow
    from deskui.domain.repairs import FeeKind, FeeLine, PartLine, RepairKind, ReplacementCheck
    from deskui.domain.report_model import Report
    from deskui.domain.rows import (
        AgentRow,
        CallbackRow,
        CustomerRow,
        EventRow,
        Names,
        ProductRow,
        TeamRow,
        TicketDetail,
    )
    from deskui.domain.schemas import CallbackForm, IntakeForm, ResolveForm
    from deskui.domain.sla import SlaPolicy

RevealField = Literal["phone", "email", "address"]
Progress = Callable[[int, int, str], None]
# Parameters that never cross a connection (a remote call runs without them).
LOCAL_PARAMS = frozenset({"progress"})


class DeskCalls(Protocol):
    """The calls a desk makes; each one blocks, so the desk makes them from thread workers."""

    # -- the site -------------------------------------------------------------------------------
    def me(self) -> Actor:
        """The agent the desk acts as (on a server: the socket's peer, as the kernel says)."""
        ...

    def site(self) -> SiteInfo:
        """The site's time zone and callback settings."""
        ...

    def policy_inputs(self) -> PolicyInputs:
        """What the SLA policy is built from (the countdowns' calendars)."""
        ...

    def public_years(self, years: list[int]) -> list[PublicYear]:
        """The holidays package's entries for `years` (at most 10) in the site's country: a
        remote desk's calendar takes them instead of importing the package at start-up."""
        ...

    def changes(self, since: int) -> ChangeBatch:
        """The latest change marker, and whether it moved past `since` (the desk's poll)."""
        ...

    # -- the queue: windows and counts ----------------------------------------------------------
    def queue_first(self, query: Query, limit: int) -> tuple[int, list[QueueRow]]:
        """The query's count and its first `limit` rows."""
        ...

    def queue_last(self, query: Query, limit: int) -> tuple[int, list[QueueRow]]:
        """The query's count and its last `limit` rows (End: one call, as Home's first)."""
        ...

    def queue_after(
        self, query: Query, key: Key, limit: int, inclusive: bool = False
    ) -> list[QueueRow]:
        """Up to `limit` rows after `key` (from it when `inclusive`), in queue order."""
        ...

    def queue_before(self, query: Query, key: Key, limit: int) -> list[QueueRow]:
        """Up to `limit` rows just before `key`, in queue order."""
        ...

    def queue_at(self, query: Query, offset: int, limit: int) -> list[QueueRow]:
        """Up to `limit` rows from an absolute position (scrollbar jumps)."""
        ...

    def queue_count(self, query: Query) -> int: ...

    def queue_counts(
        self, actor_id: int | None, now: datetime, marker: int, flt: QueueFilter | None = None
    ) -> dict[View, int]:
        """Every view's count (the tabs)."""
        ...

    def queue_choices(self) -> tuple[list[Choice], list[Choice]]:
        """Teams and active agents, for the filter dialog."""
        ...

    # -- tickets ------------------------------------------------------------------------------
    def ticket(self, ticket_id: int) -> TicketDetail: ...

    def event_names(self, events: Sequence[EventRow]) -> Names:
        """Team and agent names for the ids a timeline mentions (one read)."""
        ...

    def intake(self, form: IntakeForm) -> TicketDetail: ...

    def comment(self, ticket_id: int, version: int, text: str, internal: bool) -> TicketDetail: ...

    def assign(
        self, ticket_id: int, version: int, team_id: int | None, assignee_id: int | None
    ) -> TicketDetail: ...

    def change(
        self, ticket_id: int, version: int, priority: Priority | None, category: Category | None
    ) -> TicketDetail: ...

    def pend(self, ticket_id: int, version: int, note: str) -> TicketDetail: ...

    def resume(self, ticket_id: int, version: int, note: str) -> TicketDetail: ...

    def escalate(self, ticket_id: int, version: int, reason: str) -> TicketDetail: ...

    def resolve(self, ticket_id: int, version: int, form: ResolveForm) -> TicketDetail: ...

    def reopen(self, ticket_id: int, version: int, reason: str) -> TicketDetail: ...

    def close(self, ticket_id: int, version: int, note: str) -> TicketDetail: ...

    def extend(self, ticket_id: int, version: int, minutes: int, note: str) -> TicketDetail: ...

    def reveal(self, customer_id: int, field: RevealField, ticket_id: int | None) -> str:
        """One unmasked value, audited (who saw it, when, for which ticket)."""
        ...

    # -- callbacks ------------------------------------------------------------------------------
    def callbacks_due(self) -> list[CallbackRow]: ...

    def record_callback(
        self, callback_id: int, form: CallbackForm, attempts_seen: int | None
    ) -> TicketDetail: ...

    # -- directory ------------------------------------------------------------------------------
    def agents(self) -> list[AgentRow]: ...

    def people(self) -> tuple[list[AgentRow], list[TeamRow]]: ...

    def products(self, limit: int = 500) -> list[ProductRow]: ...

    def customers(self, text: str) -> list[CustomerRow]: ...

    # -- repairs ------------------------------------------------------------------------------
    def repair(self, repair_id: int) -> RepairRow: ...

    def repair_records(self, ticket_id: int) -> tuple[list[RepairRow], list[ReplacementRow]]: ...

    def visits(self, engineer_id: int | None, days: int) -> list[VisitRow]: ...

    def engineers(self) -> list[EngineerRow]: ...

    def replacement_check(self, ticket_id: int, quality_defect: bool) -> ReplacementCheck: ...

    def schedule_repair(
        self,
        ticket_id: int,
        kind: RepairKind,
        engineer_id: int,
        appointment_at: datetime,
        device_id: int | None = None,
    ) -> RepairRow: ...

    def quote(self, repair_id: int, fees: list[FeeLine]) -> RepairRow: ...

    def accept_quote(self, repair_id: int, accepted_by: str) -> RepairRow: ...

    def record_work(
        self,
        repair_id: int,
        diagnosis: str,
        fault_code: str | None,
        work_done: str,
        parts: list[PartLine],
        quality_defect: bool = False,
        function_lost: bool = False,
    ) -> RepairRow: ...

    def add_fee(self, repair_id: int, kind: FeeKind, amount: Decimal, note: str) -> RepairRow: ...

    def approve_fees(self, repair_id: int) -> RepairRow: ...

    def complete_repair(self, repair_id: int, accepted_by: str) -> RepairRow: ...

    def cancel_repair(self, repair_id: int, reason: str) -> RepairRow: ...

    def replace_device(
        self,
        ticket_id: int,
        new_model: str,
        colour: str,
        accepted_by: str,
        reason: str,
        quality_defect: bool = False,
    ) -> ReplacementRow: ...

    # -- KPIs and reports -----------------------------------------------------------------------
    def kpi_board(self, now: datetime) -> KpiReport: ...

    def report_month(self, text: str | None, now: datetime) -> str:
        """The month `text` names ('2026-10', 'last'; None: this month) as YYYY-MM."""
        ...

    def monthly_report(self, month: str, progress: Progress | None = None) -> Report:
        """The monthly report; `progress(done, total, step)` is called in-process only."""
        ...

    # -- the business calendar ----------------------------------------------------------------
    def year_view(self, year: int) -> YearView: ...

    def estimated_years(self, now: datetime) -> list[int]: ...

    def set_day(self, day: date, kind: str, name: str) -> ChangeResult: ...

    def unset_day(self, day: date) -> ChangeResult: ...


class DeskApi(DeskCalls, Protocol):
    """`DeskCalls` plus what stays in the desk's process."""

    @property
    def runs_sweep(self) -> bool:
        """True when this desk runs the SLA sweep itself (embedded); a server sweeps for its
        clients."""
        ...

    def sla_policy(self) -> SlaPolicy | None:
        """The site's SLA policy (a domain object), kept up to date within
        POLICY_CHECK_SECONDS; cheap enough to ask for every repaint. None while a remote
        desk has not reached its server yet (countdowns then run in clock time)."""
        ...

    def sweep(self) -> None:
        """Reminders and escalations due now (only called when `runs_sweep`)."""
        ...

    def on_change(self, callback: Callable[[ChangeBatch | None], None]) -> bool:
        """Ask for changes to be pushed to `callback` (from any thread); `None` says the
        connection is lost (the desk shows "Reconnecting…" until the next batch). False: this
        API cannot push, the desk polls `changes`."""
        ...

    def on_notice(self, callback: Callable[[Notice], None]) -> bool:
        """Ask for the caller's reminders and escalations to be pushed to `callback` (from any
        thread). False: nobody pushes them (embedded: they are rows in the timeline)."""
        ...


def call_names() -> list[str]:
    """The calls that may cross a connection: `DeskCalls`' methods, nothing else."""
    return sorted(
        name
        for name, value in vars(DeskCalls).items()
        if callable(value) and not name.startswith("_")
    )
