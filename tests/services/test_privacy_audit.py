"""Audit trail, retention and moving a site between databases."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deskui.cli import main
from deskui.domain.actors import Actor
from deskui.domain.enums import Category, Channel, EventKind, Priority
from deskui.domain.schemas import CallbackForm, IntakeForm, ResolveForm
from deskui.services.audit import audit_trail
from deskui.services.context import ServiceContext
from deskui.services.privacy import ANONYMISED, apply_retention, reveal
from deskui.services.tickets import TicketService
from deskui.store.copy import TargetNotEmpty, copy_database
from deskui.store.engine import make_engine
from deskui.store.tables import Callback, Customer, Ticket, TicketEvent


def closed_ticket(ctx: ServiceContext, admin: Actor, phone: str) -> int:
    service = TicketService(ctx)
    form = IntakeForm(
        customer_name="李雷",
        customer_phone=phone,
        channel=Channel.PHONE,
        category=Category.CONSULT,
        priority=Priority.NORMAL,
        subject="如何开具发票",
    )
    ticket = service.intake(admin, form)
    ticket = service.resolve(
        admin,
        ticket.id,
        ticket.version,
        ResolveForm(solution="Sent the invoice by email", first_contact=True),
    )
    with ctx.read() as session:
        callback_id = session.execute(
            select(Callback.id).where(Callback.ticket_id == ticket.id)
        ).scalar_one()
    service.record_callback(
        admin, callback_id, CallbackForm(reached=True, solved=True, satisfaction=5)
    )
    return ticket.id


def test_reveal_and_export_are_audited(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    ticket_id = closed_ticket(ctx, admin, "13512345678")
    detail = TicketService(ctx).get(ticket_id)
    assert reveal(ctx, admin, detail.customer.id, "phone", ticket_id=ticket_id) == "13512345678"
    lines = list(audit_trail(ctx, actor="admin"))
    kinds = [line.kind for line in lines]
    assert kinds[0] == "created" and "reveal" in kinds and "close" in kinds
    reveal_line = next(line for line in lines if line.kind == "reveal")
    assert reveal_line.ticket == detail.number and reveal_line.after == {
        "customer_id": detail.customer.id,
        "field": "phone",
    }
    assert list(audit_trail(ctx, actor="nobody")) == []
    assert list(audit_trail(ctx, since=ctx.now() + timedelta(minutes=1))) == []


def test_retention_anonymises_old_closed_customers_only(
    ctx: ServiceContext, admin: Actor, clock
) -> None:
    old = closed_ticket(ctx, admin, "13500000001")
    clock.now += timedelta(days=365 * 2 + 30)
    recent = closed_ticket(ctx, admin, "13500000002")
    assert apply_retention(ctx) == 1
    service = TicketService(ctx)
    gone, kept = service.get(old), service.get(recent)
    assert (gone.customer.name, gone.customer.phone) == (ANONYMISED, None)
    assert kept.customer.phone == "13500000002"
    assert gone.subject == "如何开具发票" and gone.status.value == "closed"  # statistics stay
    assert apply_retention(ctx) == 0  # idempotent


def test_db_copy_moves_everything_and_keeps_working(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    closed_ticket(ctx, admin, "13500000003")
    target_url = f"sqlite:///{tmp_path / 'copy.db'}"
    target = make_engine(target_url)
    counts = copy_database(ctx.engine, target)
    assert counts["tickets"] == 1 and counts["ticket_events"] >= 5 and counts["callbacks"] == 1
    with target.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Customer)).scalar_one() == 1
    with pytest.raises(TargetNotEmpty):
        copy_database(ctx.engine, target)
    copied = ServiceContext(target, ctx.settings, clock=ctx.clock)
    again = TicketService(copied).intake(
        admin,
        IntakeForm(
            customer_phone="13500000003",
            channel=Channel.EMAIL,
            category=Category.HELP,
            priority=Priority.URGENT,
            subject="second",
        ),
    )
    assert again.id == 2 and again.number.endswith("-0002")  # ids and counters carried over
    target.dispose()


def test_cli_db_copy_sqlite_to_postgresql(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the move to PostgreSQL needs DESKUI_TEST_PG_URL")
    source = f"sqlite:///{tmp_path / 'site.db'}"
    assert main(["--db", source, "demo", "--tickets", "300"]) == 0
    assert main(["--db", source, "db", "copy", "--to", db_url]) == 0
    out = capsys.readouterr().out
    assert "tickets: 300 rows" in out
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Ticket)).scalar_one() == 300
        assert conn.execute(select(func.count()).select_from(TicketEvent)).scalar_one() > 300
    ctx = ServiceContext(
        engine, __import__("deskui.config", fromlist=["Settings"]).Settings(db_url=db_url)
    )
    admin_row = next(iter(audit_trail(ctx, limit=1)))
    assert admin_row.kind in {k.value for k in EventKind}
    engine.dispose()


def test_cli_audit_prints_the_trail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "export", "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "audit", "--since", "2000-01-01"]) == 0
    out = capsys.readouterr().out
    assert "export" in out and '"unmasked": false' in out
    assert main(["--db", db, "audit", "--since", "yesterday-ish"]) == 2
