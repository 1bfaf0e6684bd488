"""Ticket use-cases: intake numbering, SLA fields, workflow, versions, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from deskui.domain.actors import Actor
from deskui.domain.enums import Category, Channel, ComplaintType, EventKind, Priority, Role, Status
from deskui.domain.schemas import CallbackForm, IntakeForm, ResolveForm
from deskui.services.accounts import add_agent
from deskui.services.context import ServiceContext
from deskui.services.errors import Conflict, InvalidAction, PermissionDenied
from deskui.services.tickets import TicketService
from deskui.store.tables import Callback
from site_testing import set_site


def open_callbacks(ctx: ServiceContext) -> list[Callback]:
    with ctx.read() as session:
        return list(session.execute(select(Callback).where(Callback.done_at.is_(None))).scalars())


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


def test_intake_numbers_per_day_and_sets_sla(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    first = service.intake(admin, form())
    second = service.intake(admin, form(customer_phone="13900000000"))
    assert first.number == "SR-20261123-0001"
    assert second.number == "SR-20261123-0002"
    # important: 2 h response / 24 h resolution round the clock
    assert first.response_due_at == ctx.now() + timedelta(hours=2)
    assert first.resolve_due_at == ctx.now() + timedelta(hours=24)
    assert first.status is Status.NEW
    assert first.customer.name == "王芳"
    assert [e.kind for e in first.events] == [EventKind.CREATED]
    again = service.intake(admin, form(customer_name="someone else"))
    assert again.customer.id == first.customer.id  # same phone, same customer


def test_full_lifecycle_with_pause_and_callback(ctx: ServiceContext, admin: Actor, clock) -> None:
    service = TicketService(ctx)
    ticket = service.intake(admin, form(priority=Priority.NORMAL))
    ticket = service.assign(admin, ticket.id, ticket.version, assignee_id=admin.id)
    assert ticket.status is Status.ASSIGNED
    clock.now += timedelta(minutes=30)
    ticket = service.comment(
        admin, ticket.id, ticket.version, "已联系客户 / called the customer", internal=False
    )
    assert ticket.first_response_at == clock.now
    assert ticket.status is Status.IN_PROGRESS
    due_before = ticket.resolve_due_at
    ticket = service.pend(admin, ticket.id, ticket.version, "waiting for the customer's logs")
    assert ticket.status is Status.PENDING_CUSTOMER and ticket.paused_at == clock.now
    clock.now += timedelta(hours=3)  # 10:30 -> 13:30 Shanghai, all business time
    ticket = service.resume(admin, ticket.id, ticket.version)
    assert ticket.paused_seconds == 3 * 3600
    assert ticket.resolve_due_at > due_before
    assert ctx.policy is not None
    ticket = service.resolve(
        admin,
        ticket.id,
        ticket.version,
        ResolveForm(solution="Reset the lock and re-enrolled fingerprints", first_contact=False),
    )
    assert ticket.status is Status.RESOLVED and ticket.resolved_at == clock.now
    callbacks = open_callbacks(ctx)
    assert len(callbacks) == 1 and callbacks[0].due_at == clock.now + timedelta(hours=72)
    ticket = service.record_callback(
        admin, callbacks[0].id, CallbackForm(reached=True, solved=True, satisfaction=5)
    )
    assert ticket.status is Status.CLOSED
    kinds = [e.kind for e in ticket.events]
    for kind in (
        EventKind.ASSIGN,
        EventKind.COMMENT,
        EventKind.RESPONDED,
        EventKind.PAUSE,
        EventKind.RESUME,
        EventKind.RESOLVE,
        EventKind.CALLBACK,
        EventKind.CLOSE,
    ):
        assert kind in kinds


def test_failed_callback_reopens(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    ticket = service.intake(admin, form())
    ticket = service.resolve(
        admin,
        ticket.id,
        ticket.version,
        ResolveForm(solution="Replaced the battery pack", first_contact=True),
    )
    callback = open_callbacks(ctx)[0]
    not_reached = service.record_callback(admin, callback.id, CallbackForm(reached=False))
    assert not_reached.status is Status.RESOLVED
    ticket = service.record_callback(
        admin,
        callback.id,
        CallbackForm(reached=True, solved=False, satisfaction=2, notes="still fails"),
    )
    assert ticket.status is Status.IN_PROGRESS and ticket.reopen_count == 1
    assert ticket.events[-1].kind is EventKind.REOPEN and ticket.events[-1].body == "still fails"


def test_stale_version_is_a_conflict_listing_changes(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    other = add_agent(ctx, "lina", role=Role.AGENT, team="Customer Service", display_name="李娜")
    ticket = service.intake(admin, form())
    service.comment(other, ticket.id, ticket.version, "I'm on it")
    with pytest.raises(Conflict) as caught:
        service.comment(admin, ticket.id, ticket.version, "me too")
    assert caught.value.current == ticket.version + 1
    assert [c.actor for c in caught.value.changes] == ["李娜"]
    assert "李娜" in str(caught.value)
    assert len(service.get(ticket.id).events) == 2  # nothing of the stale edit was written


def test_reclassifying_recomputes_due_times(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    ticket = service.intake(admin, form(priority=Priority.IMPORTANT))
    ticket = service.change(admin, ticket.id, ticket.version, priority=Priority.URGENT)
    assert ticket.response_due_at == ctx.now() + timedelta(minutes=15)
    ticket = service.change(admin, ticket.id, ticket.version, category=Category.COMPLAINT)
    assert ticket.response_due_at == ctx.now() + timedelta(minutes=5)  # urgent complaint


def test_workflow_and_permissions_are_enforced(ctx: ServiceContext, admin: Actor) -> None:
    service = TicketService(ctx)
    qa = add_agent(ctx, "qa1", role=Role.QA)
    ticket = service.intake(
        admin, form(category=Category.COMPLAINT, complaint_type=ComplaintType.SERVICE)
    )
    with pytest.raises(PermissionDenied):
        service.comment(qa, ticket.id, ticket.version, "hello")
    with pytest.raises(InvalidAction):
        service.close(admin, ticket.id, ticket.version)
    with pytest.raises(InvalidAction, match="reason"):
        service.extend(admin, ticket.id, ticket.version, 60, "  ")
    extended = service.extend(
        admin, ticket.id, ticket.version, 60, "customer agreed to wait for parts"
    )
    assert extended.extended_seconds == 3600
    assert extended.events[-1].kind is EventKind.EXTEND


def test_identity_from_the_database_role_on_postgresql(ctx: ServiceContext, monkeypatch) -> None:
    from deskui.services.accounts import UnknownAgent, actor_for, signed_in_name

    monkeypatch.setattr("deskui.services.accounts.os_username", lambda: "os-user")
    assert signed_in_name(ctx) == "os-user"
    set_site(ctx, identity="database")
    if ctx.engine.dialect.name != "postgresql":
        assert signed_in_name(ctx) == "os-user"  # SQLite has no roles: the OS user it is
        return
    role = signed_in_name(ctx)
    assert role == ctx.engine.url.username
    with pytest.raises(UnknownAgent, match=role):
        actor_for(ctx)
    add_agent(ctx, role, role=Role.SUPERVISOR)
    assert actor_for(ctx).role is Role.SUPERVISOR


def test_agents_work_only_on_their_own_or_their_teams_tickets(
    ctx: ServiceContext, admin: Actor
) -> None:
    service = TicketService(ctx)
    outsider = add_agent(ctx, "engineer1", role=Role.AGENT, team="After-sales Engineers")
    ticket = service.intake(admin, form())  # dispatched to the service team
    with pytest.raises(PermissionDenied, match="belongs to another team"):
        service.comment(outsider, ticket.id, ticket.version, "not mine")
    mine = service.assign(admin, ticket.id, ticket.version, assignee_id=outsider.id)
    assert service.comment(outsider, mine.id, mine.version, "now it is").status is mine.status
