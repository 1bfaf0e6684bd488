"""Callback lists and the form lookups (customers, teams, agents, products)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from deskui.domain.enums import Category, Channel, Priority, Role, Status, TeamKind, Tier
from deskui.store import callbacks, lookup
from deskui.store.tables import Agent, Callback, Customer, Product, Team, Ticket

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _seed(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        service = Team(name="Service", kind=TeamKind.SERVICE)
        engineers = Team(name="Engineers", kind=TeamKind.ENGINEERING)
        session.add_all([service, engineers])
        session.flush()
        session.add_all(
            [
                Agent(username="li", display_name="Li Lei", role=Role.AGENT, team_id=service.id),
                Agent(username="old", display_name="Old", role=Role.AGENT, active=False),
                Product(model="WM-100", name="Washer"),
                Product(model="WM_2", name="Underscore"),
            ]
        )
        wang = Customer(name="王芳", phone="13812345678", tier=Tier.VIP)
        zhang = Customer(name="Zhang_Wei", phone="13900001111", tier=Tier.NORMAL)
        session.add_all([wang, zhang])
        session.flush()
        for n, (customer, category) in enumerate(
            [(wang, Category.HELP), (zhang, Category.COMPLAINT), (wang, Category.REPAIR)], 1
        ):
            ticket = Ticket(
                number=f"SR-20261123-{n:04d}",
                channel=Channel.PHONE,
                category=category,
                priority=Priority.NORMAL,
                tier=Tier.NORMAL,
                status=Status.RESOLVED,
                is_open=False,
                subject=f"subject {n}",
                customer_id=customer.id,
                created_at=NOW,
                updated_at=NOW,
                response_due_at=NOW,
                response_warn_at=NOW,
                resolve_due_at=NOW,
                resolve_warn_at=NOW,
                paused_seconds=0,
                extended_seconds=0,
                escalation_level=0,
                reopen_count=0,
            )
            session.add(ticket)
            session.flush()
            due = {1: NOW + timedelta(hours=5), 2: NOW - timedelta(hours=1), 3: NOW}[n]
            done = NOW if n == 3 else None
            session.add(Callback(ticket_id=ticket.id, due_at=due, done_at=done, attempts=n - 1))


def test_due_callbacks_overdue_first_and_not_done(engine: Engine) -> None:
    _seed(engine)
    with Session(engine) as session:
        rows = callbacks.due(session)
        assert [r.number for r in rows] == ["SR-20261123-0002", "SR-20261123-0001"]
        assert callbacks.count_due(session) == 2
        first = rows[0]
        assert first.category is Category.COMPLAINT
        assert first.customer_phone == "13900001111"
        assert first.attempts == 1
        assert callbacks.get(session, first.id) == first
        assert len(callbacks.for_ticket(session, first.ticket_id)) == 1


def test_customer_lookup_by_phone_or_name_prefix(engine: Engine) -> None:
    _seed(engine)
    with Session(engine) as session:
        assert [c.name for c in lookup.customers(session, "138")] == ["王芳"]
        assert [c.name for c in lookup.customers(session, "139 0000")] == ["Zhang_Wei"]
        assert [c.name for c in lookup.customers(session, "王芳")] == ["王芳"]
        assert lookup.customers(session, "1") == []  # too short to search
        assert lookup.customers(session, "Zhang%") == []  # wildcards are literal
        assert [c.name for c in lookup.customers(session, "Zhang_")] == ["Zhang_Wei"]


def test_teams_agents_and_products(engine: Engine) -> None:
    _seed(engine)
    with Session(engine) as session:
        assert [t.name for t in lookup.teams(session)] == ["Engineers", "Service"]
        engineers = lookup.team_for_kind(session, TeamKind.ENGINEERING)
        assert engineers is not None
        assert engineers.name == "Engineers"
        assert lookup.team_for_kind(session, TeamKind.PRODUCT) is None
        assert [a.username for a in lookup.agents(session)] == ["li"]
        assert [p.model for p in lookup.products(session, "WM")] == ["WM-100", "WM_2"]
        assert [p.model for p in lookup.products(session, "WM_")] == ["WM_2"]
        product = lookup.product(session, "WM-100")
        assert product is not None
        assert product.warranty_main_months == 36
