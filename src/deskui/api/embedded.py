"""`EmbeddedDeskApi`: the desk's calls served in-process by the services, for one actor.

One-line delegations only: every rule (roles, team scope, masking, audit) stays in the
services. A server builds one of these per caller (the actor its socket's peer credentials
name) and hands it to `codec.dispatch`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from deskui.api.protocol import Progress, RevealField
from deskui.api.types import ChangeBatch, Notice, PolicyInputs, SiteInfo
from deskui.domain.actors import Actor
from deskui.domain.calendar import PublicYear
from deskui.domain.calendar_views import ChangeResult, YearView
from deskui.domain.enums import Category, Priority
from deskui.domain.errors import BadRequest
from deskui.domain.kpi_rows import KpiReport
from deskui.domain.queue import Choice, Key, Query, QueueFilter, QueueRow, View, end_key
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
from deskui.services.context import ServiceContext
from deskui.services.queue import QueueReader

if TYPE_CHECKING:
    from deskui.services.repairs import RepairService
    from deskui.services.tickets import TicketService


class EmbeddedDeskApi:
    """`DeskApi` over a `ServiceContext`, acting as `actor`."""

    runs_sweep = True  # no server sweeps for an embedded desk

    def __init__(self, ctx: ServiceContext, actor: Actor) -> None:
        self.ctx = ctx
        self.actor = actor
        self.reader = QueueReader(ctx.read)  # keeps what each count learnt for the reads after it

    # The services are imported on first use: the desk shows its queue before it needs them.
    @cached_property
    def tickets(self) -> TicketService:
        from deskui.services.tickets import TicketService

        return TicketService(self.ctx)

    @cached_property
    def repairs(self) -> RepairService:
        from deskui.services.repairs import RepairService

        return RepairService(self.ctx)

    # -- in-process only ------------------------------------------------------------------------
    def sweep(self) -> None:
        from deskui.services import sla_sweep

        sla_sweep.sweep(self.ctx)

    def on_change(self, callback: Callable[[ChangeBatch | None], None]) -> bool:
        return False  # nobody pushes to an embedded desk: it polls the change marker

    def on_notice(self, callback: Callable[[Notice], None]) -> bool:
        return False  # embedded: reminders are timeline rows, the sweep runs in this desk

    def sla_policy(self) -> SlaPolicy:
        return self.ctx.policy

    # -- the site -------------------------------------------------------------------------------
    def me(self) -> Actor:
        return self.actor

    def site(self) -> SiteInfo:
        site = self.ctx.site
        return SiteInfo(site.tz, site.callbacks.retry_hours)

    def policy_inputs(self) -> PolicyInputs:
        revision, days, config_dates = self.ctx.policy_inputs()
        site = self.ctx.site
        return PolicyInputs(revision, site.sla, days, config_dates, self.ctx.site_revision)

    def public_years(self, years: list[int]) -> list[PublicYear]:
        if len(years) > 10:
            raise BadRequest("public_years: at most 10 years at a time")
        return self.ctx.policy.business.public_years(years)

    def changes(self, since: int) -> ChangeBatch:
        marker = self.reader.marker()
        return ChangeBatch(marker, marker != since)

    # -- the queue ------------------------------------------------------------------------------
    # "Mine" means the caller: whatever agent id a client puts in a query, the one used is the
    # actor's (on a server, the socket's peer).
    def _own(self, query: Query) -> Query:
        return query if query.actor_id == self.actor.id else replace(query, actor_id=self.actor.id)

    def queue_first(self, query: Query, limit: int) -> tuple[int, list[QueueRow]]:
        return self.reader.first(self._own(query), limit)

    def queue_last(self, query: Query, limit: int) -> tuple[int, list[QueueRow]]:
        own = self._own(query)
        return self.reader.count(own), self.reader.before(own, end_key(own.sort), limit)

    def queue_after(
        self, query: Query, key: Key, limit: int, inclusive: bool = False
    ) -> list[QueueRow]:
        return self.reader.after(self._own(query), key, limit, inclusive=inclusive)

    def queue_before(self, query: Query, key: Key, limit: int) -> list[QueueRow]:
        return self.reader.before(self._own(query), key, limit)

    def queue_at(self, query: Query, offset: int, limit: int) -> list[QueueRow]:
        return self.reader.at(self._own(query), offset, limit)

    def queue_count(self, query: Query) -> int:
        return self.reader.count(self._own(query))

    def queue_counts(
        self, actor_id: int | None, now: datetime, marker: int, flt: QueueFilter | None = None
    ) -> dict[View, int]:
        return self.reader.counts(actor_id=self.actor.id, now=now, marker=marker, flt=flt)

    def queue_choices(self) -> tuple[list[Choice], list[Choice]]:
        return self.reader.choices()

    # -- tickets ------------------------------------------------------------------------------
    def ticket(self, ticket_id: int) -> TicketDetail:
        return self.tickets.get(ticket_id)

    def event_names(self, events: Sequence[EventRow]) -> Names:
        from deskui.services import directory

        return directory.event_names(self.ctx, events)

    def intake(self, form: IntakeForm) -> TicketDetail:
        return self.tickets.intake(self.actor, form)

    def comment(self, ticket_id: int, version: int, text: str, internal: bool) -> TicketDetail:
        return self.tickets.comment(self.actor, ticket_id, version, text, internal=internal)

    def assign(
        self, ticket_id: int, version: int, team_id: int | None, assignee_id: int | None
    ) -> TicketDetail:
        return self.tickets.assign(
            self.actor, ticket_id, version, team_id=team_id, assignee_id=assignee_id
        )

    def change(
        self, ticket_id: int, version: int, priority: Priority | None, category: Category | None
    ) -> TicketDetail:
        return self.tickets.change(
            self.actor, ticket_id, version, priority=priority, category=category
        )

    def pend(self, ticket_id: int, version: int, note: str) -> TicketDetail:
        return self.tickets.pend(self.actor, ticket_id, version, note)

    def resume(self, ticket_id: int, version: int, note: str) -> TicketDetail:
        return self.tickets.resume(self.actor, ticket_id, version, note)

    def escalate(self, ticket_id: int, version: int, reason: str) -> TicketDetail:
        return self.tickets.escalate(self.actor, ticket_id, version, reason)

    def resolve(self, ticket_id: int, version: int, form: ResolveForm) -> TicketDetail:
        return self.tickets.resolve(self.actor, ticket_id, version, form)

    def reopen(self, ticket_id: int, version: int, reason: str) -> TicketDetail:
        return self.tickets.reopen(self.actor, ticket_id, version, reason)

    def close(self, ticket_id: int, version: int, note: str) -> TicketDetail:
        return self.tickets.close(self.actor, ticket_id, version, note)

    def extend(self, ticket_id: int, version: int, minutes: int, note: str) -> TicketDetail:
        return self.tickets.extend(self.actor, ticket_id, version, minutes, note)

    def reveal(self, customer_id: int, field: RevealField, ticket_id: int | None) -> str:
        from deskui.services import privacy

        return privacy.reveal(self.ctx, self.actor, customer_id, field, ticket_id=ticket_id)

    # -- callbacks ------------------------------------------------------------------------------
    def callbacks_due(self) -> list[CallbackRow]:
        return self.tickets.callbacks_due()

    def record_callback(
        self, callback_id: int, form: CallbackForm, attempts_seen: int | None
    ) -> TicketDetail:
        return self.tickets.record_callback(
            self.actor, callback_id, form, attempts_seen=attempts_seen
        )

    # -- directory ------------------------------------------------------------------------------
    def agents(self) -> list[AgentRow]:
        from deskui.services import directory

        return directory.agents(self.ctx)

    def people(self) -> tuple[list[AgentRow], list[TeamRow]]:
        from deskui.services import directory

        return directory.people(self.ctx)

    def products(self, limit: int = 500) -> list[ProductRow]:
        from deskui.services import directory

        return directory.products(self.ctx, limit=limit)

    def customers(self, text: str) -> list[CustomerRow]:
        from deskui.services import directory

        return directory.customers(self.ctx, text)

    # -- repairs ------------------------------------------------------------------------------
    def repair(self, repair_id: int) -> RepairRow:
        return self.repairs.get(repair_id)

    def repair_records(self, ticket_id: int) -> tuple[list[RepairRow], list[ReplacementRow]]:
        return self.repairs.records(ticket_id)

    def visits(self, engineer_id: int | None, days: int) -> list[VisitRow]:
        return self.repairs.visits(engineer_id, days=days)

    def engineers(self) -> list[EngineerRow]:
        return self.repairs.engineers()

    def replacement_check(self, ticket_id: int, quality_defect: bool) -> ReplacementCheck:
        return self.repairs.replacement_check(ticket_id, quality_defect=quality_defect)

    def schedule_repair(
        self,
        ticket_id: int,
        kind: RepairKind,
        engineer_id: int,
        appointment_at: datetime,
        device_id: int | None = None,
    ) -> RepairRow:
        return self.repairs.schedule(
            self.actor,
            ticket_id,
            kind=kind,
            engineer_id=engineer_id,
            appointment_at=appointment_at,
            device_id=device_id,
        )

    def quote(self, repair_id: int, fees: list[FeeLine]) -> RepairRow:
        return self.repairs.quote(self.actor, repair_id, fees)

    def accept_quote(self, repair_id: int, accepted_by: str) -> RepairRow:
        return self.repairs.accept_quote(self.actor, repair_id, accepted_by)

    def record_work(
        self,
        repair_id: int,
        diagnosis: str,
        fault_code: str | None,
        work_done: str,
        parts: list[PartLine],
        quality_defect: bool = False,
        function_lost: bool = False,
    ) -> RepairRow:
        return self.repairs.record_work(
            self.actor,
            repair_id,
            diagnosis=diagnosis,
            fault_code=fault_code,
            work_done=work_done,
            parts=parts,
            quality_defect=quality_defect,
            function_lost=function_lost,
        )

    def add_fee(self, repair_id: int, kind: FeeKind, amount: Decimal, note: str) -> RepairRow:
        return self.repairs.add_fee(self.actor, repair_id, kind, amount, note)

    def approve_fees(self, repair_id: int) -> RepairRow:
        return self.repairs.approve_fees(self.actor, repair_id)

    def complete_repair(self, repair_id: int, accepted_by: str) -> RepairRow:
        return self.repairs.complete(self.actor, repair_id, accepted_by)

    def cancel_repair(self, repair_id: int, reason: str) -> RepairRow:
        return self.repairs.cancel(self.actor, repair_id, reason)

    def replace_device(
        self,
        ticket_id: int,
        new_model: str,
        colour: str,
        accepted_by: str,
        reason: str,
        quality_defect: bool = False,
    ) -> ReplacementRow:
        return self.repairs.replace(
            self.actor,
            ticket_id,
            new_model=new_model,
            colour=colour,
            accepted_by=accepted_by,
            reason=reason,
            quality_defect=quality_defect,
        )

    # -- KPIs and reports -----------------------------------------------------------------------
    def kpi_board(self, now: datetime) -> KpiReport:
        from deskui.services import kpi_board

        return kpi_board.board(self.ctx, now)

    def report_month(self, text: str | None, now: datetime) -> str:
        from deskui.services import reports

        return reports.month_period(text, now, self.ctx.site.zone).label

    def monthly_report(self, month: str, progress: Progress | None = None) -> Report:
        from deskui.services import reports

        return reports.monthly_report(self.ctx, month, progress)

    # -- the business calendar ----------------------------------------------------------------
    def year_view(self, year: int) -> YearView:
        from deskui.services import calendar

        return calendar.year_view(self.ctx, year)

    def estimated_years(self, now: datetime) -> list[int]:
        from deskui.services import calendar

        return calendar.estimated_years(self.ctx, now)

    def set_day(self, day: date, kind: str, name: str) -> ChangeResult:
        from deskui.services import calendar

        return calendar.set_day(self.ctx, self.actor, day, kind, name)

    def unset_day(self, day: date) -> ChangeResult:
        from deskui.services import calendar

        return calendar.unset_day(self.ctx, self.actor, day)
