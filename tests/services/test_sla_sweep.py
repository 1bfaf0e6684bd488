"""The sweep: reminders at risk and on breach, escalation after grace, each exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from deskui.domain.actors import Actor
from deskui.domain.enums import Category, Channel, EventKind, Priority, Role
from deskui.domain.schemas import IntakeForm
from deskui.services.accounts import add_agent
from deskui.services.context import ServiceContext
from deskui.services.sla_report import explain_ticket
from deskui.services.sla_sweep import sweep
from deskui.services.tickets import TicketService
from deskui.store.tables import TicketEvent


def urgent(service: TicketService, admin: Actor) -> int:
    form = IntakeForm(
        customer_name="VIP 客户",
        customer_phone="13600000000",
        channel=Channel.PHONE,
        category=Category.REPAIR,
        priority=Priority.URGENT,
        subject="门锁无法开门 / locked out",
    )
    return service.intake(admin, form).id


def kinds(ctx: ServiceContext, ticket_id: int) -> list[tuple[str, str]]:
    with ctx.read() as session:
        rows = session.execute(
            select(TicketEvent.kind, TicketEvent.body)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(TicketEvent.id)
        ).all()
    return [(k.value, b) for k, b in rows if k in (EventKind.REMINDER, EventKind.ESCALATE)]


def test_thresholds_fire_once_in_order(ctx: ServiceContext, admin: Actor, clock) -> None:
    service = TicketService(ctx)
    add_agent(ctx, "boss", role=Role.SUPERVISOR, team="Customer Service")
    ticket_id = urgent(service, admin)
    assert str(sweep(ctx)) == "reminders: 0 at risk, 0 breached; escalations: 0"
    clock.now += timedelta(minutes=12)  # 15-minute response target: 3 minutes (20%) left
    first = sweep(ctx)
    assert (first.at_risk, first.breached) == (1, 0)
    assert sweep(ctx).at_risk == 0  # once only
    clock.now += timedelta(minutes=5)
    assert sweep(ctx).breached == 1
    clock.now += timedelta(
        hours=2, minutes=61
    )  # resolution (2 h) breached for more than the 60-min grace
    result = sweep(ctx)
    assert result.escalated == 1
    assert kinds(ctx, ticket_id) == [
        ("reminder", "response at risk"),
        ("reminder", "response breached"),
        ("reminder", "resolution breached"),
        ("escalate", "resolution target breached past the grace time"),
    ]
    detail = service.get(ticket_id)
    assert detail.escalation_level == 1 and detail.version == 2
    assert sweep(ctx).escalated == 0


def test_concurrent_sweeps_notify_once(ctx: ServiceContext, admin: Actor, clock) -> None:
    service = TicketService(ctx)
    ids = [urgent(service, admin) for _ in range(5)]
    clock.now += timedelta(hours=4)
    results = []
    barrier = threading.Barrier(4)

    def run() -> None:
        barrier.wait()
        results.append(sweep(ctx))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.breached for r in results) == 10  # 5 tickets x (response, resolution)
    assert sum(r.escalated for r in results) == 5
    for ticket_id in ids:
        assert len(kinds(ctx, ticket_id)) == 3


def test_paused_ticket_does_not_breach_resolution(ctx: ServiceContext, admin: Actor, clock) -> None:
    service = TicketService(ctx)
    ticket = service.get(urgent(service, admin))
    ticket = service.pend(admin, ticket.id, ticket.version, "need a photo of the lock")
    clock.now += timedelta(hours=5)
    assert sweep(ctx).breached == 0
    explained = "\n".join(explain_ticket(ctx, ticket.number))
    assert "rule 'urgent', 2 hours on the 24x7 calendar" in explained
    assert "Paused since" in explained


def test_sweep_notes_read_in_the_desk_language_with_the_level(
    ctx: ServiceContext, admin: Actor, clock
) -> None:
    """The sweep stores English bodies with their ids: a Chinese desk reads them in Chinese,
    and the escalation says which level it reached."""
    from deskui.domain.rows import EventRow
    from deskui.i18n import set_language
    from deskui.ui.common.formatting import describe_event

    service = TicketService(ctx)
    ticket_id = urgent(service, admin)
    clock.now += timedelta(minutes=12)
    sweep(ctx)
    clock.now += timedelta(hours=3, minutes=10)
    sweep(ctx)
    with ctx.read() as session:
        rows = (
            session.execute(
                select(TicketEvent).where(
                    TicketEvent.ticket_id == ticket_id,
                    TicketEvent.kind.in_([EventKind.REMINDER, EventKind.ESCALATE]),
                )
            )
            .scalars()
            .all()
        )
        events = [
            EventRow(
                id=r.id,
                ticket_id=r.ticket_id,
                at=r.at,
                kind=r.kind,
                actor=None,
                internal=r.internal,
                body=r.body,
                before=r.before,
                after=r.after,
            )
            for r in rows
        ]
    set_language("zh_CN")
    try:
        shown = [describe_event(e, clock.now.tzinfo).plain for e in events]
    finally:
        set_language("en")
    assert any("响应即将超时" in s for s in shown), shown
    assert any("解决已超时" in s for s in shown), shown
    escalated = [s for s in shown if "升级" in s and "宽限期" in s]
    assert escalated and "级别 1" in escalated[0], shown
    assert not any("breached" in s or "at risk" in s for s in shown), shown


def test_sweep_notes_stored_before_their_ids_read_in_chinese_too() -> None:
    from datetime import UTC, datetime

    from deskui.domain.rows import EventRow
    from deskui.i18n import set_language
    from deskui.ui.common.formatting import describe_event

    old = EventRow(
        id=1,
        ticket_id=1,
        at=datetime(2026, 12, 1, tzinfo=UTC),
        kind=EventKind.ESCALATE,
        actor=None,
        internal=True,
        body="resolution target breached past the grace time",
        before=None,
        after={"notify": None, "version": 3},
    )
    set_language("zh_CN")
    try:
        shown = describe_event(old, UTC).plain
    finally:
        set_language("en")
    assert "宽限期" in shown and "breached" not in shown and "?" not in shown, shown
