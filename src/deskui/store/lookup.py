"""Small lookups for forms: customers by phone or name prefix, teams, agents, products."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskui.domain.enums import TeamKind
from deskui.domain.rows import AgentRow, CustomerRow, ProductRow, TeamRow
from deskui.store import tickets as _tickets
from deskui.store.tables import Customer, Product, Team, Ticket


def _like_prefix(text: str) -> str:
    """A LIKE pattern matching `text` literally at the start (escape char: backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _customer_row(c: Customer) -> CustomerRow:
    return CustomerRow(c.id, c.name, c.phone, c.email, c.region, c.address, c.tier)


def customers(session: Session, text: str, *, limit: int = 6) -> list[CustomerRow]:
    """Customers whose phone (when `text` is digits) or name starts with `text`.

    Phone lookups use the phone index; fewer than 3 characters find nothing, so typing the
    first digit does not scan the table.
    """
    text = text.strip()
    if len(text) < 2:
        return []
    compact = text.replace(" ", "").replace("-", "")
    if compact.lstrip("+").isdigit():
        if len(compact) < 3:
            return []
        where = Customer.phone.like(_like_prefix(compact), escape="\\")
    else:
        where = Customer.name.like(_like_prefix(text), escape="\\")
    stmt = select(Customer).where(where).order_by(Customer.name, Customer.id).limit(limit)
    return [_customer_row(c) for c in session.execute(stmt).scalars()]


def customer(session: Session, customer_id: int) -> CustomerRow | None:
    found = session.get(Customer, customer_id)
    return None if found is None else _customer_row(found)


def teams(session: Session) -> list[TeamRow]:
    stmt = select(Team).order_by(Team.name)
    return [TeamRow(t.id, t.name, t.kind) for t in session.execute(stmt).scalars()]


def team_for_kind(session: Session, kind: TeamKind) -> TeamRow | None:
    """The first team of a kind: what the dispatch rules suggest."""
    stmt = select(Team).where(Team.kind == kind).order_by(Team.id).limit(1)
    found = session.execute(stmt).scalar()
    return None if found is None else TeamRow(found.id, found.name, found.kind)


def agents(session: Session) -> list[AgentRow]:
    """Active agents, by display name."""
    return _tickets.agents(session, active_only=True)


def _product_row(p: Product) -> ProductRow:
    return ProductRow(
        p.id,
        p.model,
        p.name,
        p.warranty_main_months,
        p.warranty_accessory_months,
        p.warranty_software_months,
    )


def products(session: Session, prefix: str = "", *, limit: int = 50) -> list[ProductRow]:
    stmt = select(Product).order_by(Product.model).limit(limit)
    if prefix.strip():
        stmt = stmt.where(Product.model.like(_like_prefix(prefix.strip()), escape="\\"))
    return [_product_row(p) for p in session.execute(stmt).scalars()]


def product(session: Session, model: str) -> ProductRow | None:
    found = session.execute(select(Product).where(Product.model == model.strip())).scalar()
    return None if found is None else _product_row(found)


def customer_ticket_owners(
    session: Session, customer_id: int
) -> list[tuple[int | None, int | None]]:
    """The distinct (team, assignee) pairs of a customer's tickets: few, whatever the count
    of tickets (the team-scope check for personal data outside a ticket)."""
    stmt = (
        select(Ticket.team_id, Ticket.assignee_id)
        .where(Ticket.customer_id == customer_id)
        .distinct()
    )
    return [(team, assignee) for team, assignee in session.execute(stmt)]


def names_by_id(
    session: Session, team_ids: set[int], agent_ids: set[int]
) -> tuple[dict[int, str], dict[int, str]]:
    """Team and agent display names for just these ids (a timeline's, never the table)."""
    from deskui.store.tables import Agent

    teams_found: dict[int, str] = {}
    agents_found: dict[int, str] = {}
    if team_ids:
        stmt = select(Team.id, Team.name).where(Team.id.in_(sorted(team_ids)))
        teams_found = {row.id: row.name for row in session.execute(stmt)}
    if agent_ids:
        stmt = select(Agent.id, Agent.display_name).where(Agent.id.in_(sorted(agent_ids)))
        agents_found = {row.id: row.display_name for row in session.execute(stmt)}
    return teams_found, agents_found
