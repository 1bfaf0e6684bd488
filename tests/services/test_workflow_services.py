"""Issue 18 through the services, on SQLite and PostgreSQL: first contact, purchase dates,
extensions, callback retries, closing before the callback, the callback team check and race,
and reveals outside a ticket."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from deskui.domain.actors import Actor
from deskui.domain.enums import Category, Channel, ComplaintType, EventKind, Priority, Role, Status
from deskui.domain.rows import TicketDetail
from deskui.domain.schemas import CallbackForm, IntakeForm, ResolveForm
from deskui.services.accounts import add_agent
from deskui.services.audit import audit_trail
from deskui.services.context import ServiceContext
from deskui.services.errors import CallbackRecorded, Conflict, InvalidAction, PermissionDenied
from deskui.services.privacy import reveal
from deskui.services.products import add_product
from deskui.services.tickets import TicketService
from deskui.store import callbacks as callback_store
from deskui.store.kpi import Range, first_contact
from deskui.store.report_queries import callback_completion
from deskui.store.tables import Callback, Ticket

SH = ZoneInfo("Asia/Shanghai")


def form(**changes: object) -> IntakeForm:
    data: dict[str, object] = {
        "customer_name": "王芳",
        "customer_phone": "13812345678",
        "channel": Channel.PHONE,
        "category": Category.HELP,
        "priority": Priority.IMPORTANT,
        "subject": "门锁指纹识别失败",
    }
    data.update(changes)
    return IntakeForm.model_validate(data)


def resolved(service: TicketService, actor: Actor, *, first_contact: bool = False) -> TicketDetail:
    ticket = service.intake(actor, form())
    return service.resolve(
        actor,
        ticket.id,
        ticket.version,
        ResolveForm(solution="Re-enrolled the fingerprints", first_contact=first_contact),
    )


def callback_of(ctx: ServiceContext, ticket_id: int) -> Callback:
    with ctx.read() as session:
        return session.execute(
            select(Callback).where(Callback.ticket_id == ticket_id).order_by(Callback.id)
        ).scalar_one()


def kinds(detail: TicketDetail) -> list[EventKind]:
    return [e.kind for e in detail.events]


# -- first contact -----------------------------------------------------------------------------
def test_first_contact_cannot_be_claimed_after_a_reopen(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    ticket = resolved(service, admin, first_contact=True)
    ticket = service.reopen(admin, ticket.id, ticket.version, "the lock fails again")
    with pytest.raises(InvalidAction, match="first contact"):
        service.resolve(
            admin,
            ticket.id,
            ticket.version,
            ResolveForm(solution="Replaced the sensor module", first_contact=True),
        )
    again = service.resolve(
        admin,
        ticket.id,
        ticket.version,
        ResolveForm(solution="Replaced the sensor module", first_contact=False),
    )
    assert again.first_contact_resolved is False


def test_first_contact_kpi_counts_only_tickets_never_reopened(
    ctx: ServiceContext, admin: Actor, clock
) -> None:
    service = TicketService(ctx)
    kept = resolved(service, admin, first_contact=True)
    came_back = resolved(service, admin, first_contact=True)

    def old_data(session) -> None:  # written before the rule: claimed after a reopen
        ticket = session.get(Ticket, came_back.id)
        ticket.reopen_count = 1

    ctx.write(old_data)
    r = Range(clock.now - timedelta(days=1), clock.now + timedelta(days=1))
    with ctx.read() as session:
        assert first_contact(session, r) == (1, 2)
    assert kept.first_contact_resolved is True


# -- warranty at intake ------------------------------------------------------------------------
def test_intake_refuses_a_future_purchase_date(ctx: ServiceContext, admin: Actor, clock) -> None:
    add_product(ctx, admin, model="AC-100", name="Air conditioner")
    service = TicketService(ctx)
    today = clock.now.astimezone(SH).date()
    with pytest.raises(InvalidAction, match="future"):
        service.intake(admin, form(product_model="AC-100", purchase_date=today + timedelta(days=1)))
    ok = service.intake(admin, form(product_model="AC-100", purchase_date=today))
    assert ok.device is not None and ok.device.purchase_date == today


# -- time --------------------------------------------------------------------------------------
def test_an_extension_of_a_business_target_is_working_time(
    ctx: ServiceContext, admin: Actor, clock
) -> None:
    service = TicketService(ctx)
    ticket = service.intake(
        admin,
        form(category=Category.COMPLAINT, complaint_type=ComplaintType.SERVICE),
    )  # important complaint, Monday 10:00: 15 working days → Monday 14 December 10:00
    assert ticket.resolve_due_at.astimezone(SH) == datetime(2026, 12, 14, 10, tzinfo=SH)
    ticket = service.extend(admin, ticket.id, ticket.version, 600, "parts on order")
    # 10 working hours: 8 on Monday 14th (to 18:00), 2 on Tuesday: 11:00, not 20:00
    assert ticket.resolve_due_at.astimezone(SH) == datetime(2026, 12, 15, 11, tzinfo=SH)
    assert ticket.events[-1].after is not None
    assert ticket.events[-1].after["calendar"] == "business"
    help_ticket = service.intake(admin, form(customer_phone="13900000000"))
    extended = service.extend(admin, help_ticket.id, help_ticket.version, 240, "waiting")
    assert extended.resolve_due_at - help_ticket.resolve_due_at == timedelta(hours=4)  # 24x7
    assert extended.events[-1].after is not None
    assert extended.events[-1].after["calendar"] == "24x7"


def test_a_callback_retry_falls_in_working_hours(ctx: ServiceContext, admin: Actor, clock) -> None:
    service = TicketService(ctx)
    ticket = resolved(service, admin)
    callback = callback_of(ctx, ticket.id)
    clock.now = datetime(2026, 11, 23, 16, 16, tzinfo=SH)  # + 4 h would be 20:16
    service.record_callback(admin, callback.id, CallbackForm(reached=False))
    assert callback_of(ctx, ticket.id).due_at.astimezone(SH) == datetime(
        2026, 11, 24, 9, 0, tzinfo=SH
    )


# -- callbacks ---------------------------------------------------------------------------------
def test_closing_before_the_callback_needs_a_reason_and_counts_as_not_done(
    ctx: ServiceContext, admin: Actor, clock
) -> None:
    service = TicketService(ctx)
    ticket = resolved(service, admin)
    with pytest.raises(InvalidAction, match="callback"):
        service.close(admin, ticket.id, ticket.version)
    closed = service.close(admin, ticket.id, ticket.version, "customer asked not to be called")
    assert closed.status is Status.CLOSED
    callback = callback_of(ctx, ticket.id)
    assert callback.skipped_at == clock.now and callback.done_at is None
    assert callback.skip_reason == "customer asked not to be called"
    assert closed.events[-1].after is not None
    assert closed.events[-1].after["callback_skipped"] == callback.id
    with ctx.read() as session:
        assert callback_store.due(session) == []
        assert callback_store.count_due(session) == 0
        r = Range(clock.now - timedelta(days=1), clock.now + timedelta(days=7))
        assert callback_completion(session, r, clock.now + timedelta(minutes=1)) == (0, 1)
    # the callback cannot be recorded afterwards, so "Closed" is logged once
    with pytest.raises(InvalidAction, match="skipped"):
        service.record_callback(
            admin, callback.id, CallbackForm(reached=True, solved=True, satisfaction=5)
        )
    assert kinds(service.get(ticket.id)).count(EventKind.CLOSE) == 1


def test_a_callback_closes_the_ticket_once(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    ticket = resolved(service, admin)
    callback = callback_of(ctx, ticket.id)
    done = service.record_callback(
        admin, callback.id, CallbackForm(reached=True, solved=True, satisfaction=4)
    )
    assert done.status is Status.CLOSED
    assert kinds(done).count(EventKind.CLOSE) == 1


def test_record_callback_checks_the_team(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    outsider = add_agent(ctx, "zhao", role=Role.AGENT, team="Other Team", display_name="赵")
    ticket = resolved(service, admin)  # dispatched to Customer Service
    callback = callback_of(ctx, ticket.id)
    with pytest.raises(PermissionDenied, match="another team"):
        service.record_callback(
            outsider, callback.id, CallbackForm(reached=True, solved=False, notes="reopen it")
        )
    after = service.get(ticket.id)
    assert after.status is Status.RESOLVED and after.version == ticket.version
    assert callback_of(ctx, ticket.id).attempts == 0
    colleague = add_agent(ctx, "lina", role=Role.AGENT, team="Customer Service")
    assert (
        service.record_callback(
            colleague, callback.id, CallbackForm(reached=True, solved=True, satisfaction=5)
        ).status
        is Status.CLOSED
    )


def test_two_qa_recording_one_callback_at_once_get_a_conflict(
    ctx: ServiceContext, admin: Actor, clock
) -> None:
    """A real race: two threads, two sessions, both inside the transaction at once (the
    clock holds each for half a second). One wins; the other gets a Conflict, never an
    unhandled StaleDataError, and nothing is written twice."""
    service = TicketService(ctx)
    ticket = resolved(service, admin)
    callback = callback_of(ctx, ticket.id)
    qa = [add_agent(ctx, f"qa{i}", role=Role.QA, display_name=f"QA {i}") for i in (1, 2)]
    local = threading.local()

    def slow_clock() -> datetime:
        if not getattr(local, "waited", False):
            local.waited = True
            time.sleep(0.5)
        return clock.now

    racing = TicketService(ServiceContext(ctx.engine, ctx.settings, clock=slow_clock))
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def record(actor: Actor) -> None:
        start.wait()
        try:
            results[actor.username] = racing.record_callback(
                actor, callback.id, CallbackForm(reached=True, solved=True, satisfaction=5)
            )
        except Exception as exc:
            results[actor.username] = exc

    threads = [threading.Thread(target=record, args=(actor,)) for actor in qa]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    outcomes = sorted(type(value).__name__ for value in results.values())
    assert outcomes == ["CallbackRecorded", "TicketDetail"], results
    conflict = next(v for v in results.values() if isinstance(v, Exception))
    assert isinstance(conflict, Conflict)
    winner = next(v for v in results.values() if isinstance(v, TicketDetail))
    assert winner.status is Status.CLOSED
    assert kinds(service.get(ticket.id)).count(EventKind.CALLBACK) == 1
    assert kinds(service.get(ticket.id)).count(EventKind.CLOSE) == 1
    assert callback_of(ctx, ticket.id).attempts == 1


def test_a_stale_not_reached_attempt_is_a_conflict(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    ticket = resolved(service, admin)
    callback = callback_of(ctx, ticket.id)
    service.record_callback(admin, callback.id, CallbackForm(reached=False), attempts_seen=0)
    with pytest.raises(CallbackRecorded):
        service.record_callback(admin, callback.id, CallbackForm(reached=False), attempts_seen=0)
    assert callback_of(ctx, ticket.id).attempts == 1


# -- reveals -----------------------------------------------------------------------------------
def test_a_reveal_without_a_ticket_checks_the_team_and_refusals_are_audited(
    ctx: ServiceContext, admin: Actor
) -> None:
    service = TicketService(ctx)
    ticket = service.intake(admin, form())  # Customer Service's ticket
    outsider = add_agent(ctx, "zhao", role=Role.AGENT, team="Other Team", display_name="赵")
    with pytest.raises(PermissionDenied):
        reveal(ctx, outsider, ticket.customer.id, "phone")
    with pytest.raises(PermissionDenied):
        reveal(ctx, outsider, ticket.customer.id, "phone", ticket_id=ticket.id)
    refused = [line for line in audit_trail(ctx, actor="zhao") if line.kind == "reveal"]
    assert len(refused) == 2
    assert all(line.after and line.after["refused"] is True for line in refused)
    assert refused[0].after is not None and refused[0].after["customer_id"] == ticket.customer.id
    assert refused[1].ticket == ticket.number
    colleague = add_agent(ctx, "lina", role=Role.AGENT, team="Customer Service")
    assert reveal(ctx, colleague, ticket.customer.id, "phone") == "13812345678"


# -- the complaint rule's reading --------------------------------------------------------------
@pytest.mark.parametrize("reading", ["replace", "earliest"])
def test_sla_show_states_the_complaint_reading(reading: str) -> None:
    from deskui.domain.sla import SlaSettings
    from deskui.services.sla_report import policy_table

    table = policy_table(SlaSettings(complaint_resolution=reading))  # type: ignore[arg-type]
    assert f'sla.complaint_resolution = "{reading}"' in table
    row = next(line for line in table.splitlines() if line.startswith("normal     complaint"))
    resolution = row.split("  ")[-1].strip()
    assert resolution == ("complaint" if reading == "replace" else "normal / complaint")


def test_a_complaint_gets_its_own_window_through_intake(ctx: ServiceContext, admin: Actor) -> None:
    ticket = TicketService(ctx).intake(
        admin,
        form(
            category=Category.COMPLAINT,
            complaint_type=ComplaintType.QUALITY,
            priority=Priority.NORMAL,
        ),
    )  # Monday 10:00 + 15 working days (not the 3 of a normal question)
    assert ticket.resolve_due_at.astimezone(SH) == datetime(2026, 12, 14, 10, tzinfo=SH)
    urgent = TicketService(ctx).intake(
        admin,
        form(
            category=Category.COMPLAINT,
            complaint_type=ComplaintType.QUALITY,
            priority=Priority.URGENT,
            customer_phone="13900000000",
        ),
    )  # a major complaint stays urgent: 2 hours
    assert urgent.resolve_due_at - urgent.created_at == timedelta(hours=2)


# -- migration 0006 ----------------------------------------------------------------------------
def test_migration_0006_clears_first_contact_on_reopened_tickets(
    ctx: ServiceContext, admin: Actor
) -> None:
    from alembic import command
    from sqlalchemy import inspect, text

    from deskui.store.migrate import alembic_config, current_revision, head_revision, upgrade

    service = TicketService(ctx)
    kept = resolved(service, admin, first_contact=True)
    came_back = resolved(service, admin, first_contact=True)
    command.downgrade(alembic_config(ctx.engine), "0004")
    assert "skipped_at" not in {c["name"] for c in inspect(ctx.engine).get_columns("callbacks")}
    with ctx.engine.begin() as conn:  # data written before the rule: claimed after a reopen
        conn.execute(
            text("UPDATE tickets SET reopen_count = 1 WHERE id = :id"), {"id": came_back.id}
        )
    upgrade(ctx.engine)
    assert current_revision(ctx.engine) == head_revision(ctx.engine)
    assert service.get(kept.id).first_contact_resolved is True
    assert service.get(came_back.id).first_contact_resolved is False
    assert callback_of(ctx, kept.id).skipped_at is None


def test_the_report_words_a_ceiling_above_the_maximum() -> None:
    from deskui.domain.kpi import KpiTargets, ReportKpi, measure
    from deskui.services.reports import status_text

    targets = KpiTargets()
    assert status_text(measure(ReportKpi.COMPLAINT_ESCALATION, 3, 43, targets)) == (
        "▼ WARNING: above the maximum / 超出上限"
    )
    assert status_text(measure(ReportKpi.COMPLAINT_ESCALATION, 3, 50, targets)) == (
        "· above the maximum / 超出上限"
    )
    assert "below 80% of target" in status_text(measure(ReportKpi.CSAT, 1, 10, targets))
