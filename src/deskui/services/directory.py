"""What the desk offers to pick from: teams, agents, products, known customers, admins.

Reads only; the UI calls these (from workers) instead of opening database sessions itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from deskui.domain.enums import Role
from deskui.domain.rows import AgentRow, CustomerRow, EventRow, Names
from deskui.services.context import ServiceContext
from deskui.store import lookup
from deskui.store.lookup import ProductRow, TeamRow
from deskui.store.tickets import agents as all_agents

__all__ = ["AgentRow", "CustomerRow", "Names", "ProductRow", "TeamRow"]


def teams(ctx: ServiceContext) -> list[TeamRow]:
    with ctx.read() as session:
        return lookup.teams(session)


def agents(ctx: ServiceContext) -> list[AgentRow]:
    with ctx.read() as session:
        return lookup.agents(session)


def people(ctx: ServiceContext) -> tuple[list[AgentRow], list[TeamRow]]:
    """Agents and teams in one read (the assign dialog and the intake form show both)."""
    with ctx.read() as session:
        return lookup.agents(session), lookup.teams(session)


def products(ctx: ServiceContext, *, limit: int = 500) -> list[ProductRow]:
    with ctx.read() as session:
        return lookup.products(session, limit=limit)


def customers(ctx: ServiceContext, text: str) -> list[CustomerRow]:
    """Known customers whose phone or name starts with `text` (the intake form's lookup)."""
    with ctx.read() as session:
        return lookup.customers(session, text)


def admin_names(ctx: ServiceContext) -> list[str]:
    """Who to ask for an account (the unknown-user screen)."""
    with ctx.read() as session:
        return [a.username for a in all_agents(session) if a.role is Role.ADMIN]


def event_names(ctx: ServiceContext, events: Iterable[EventRow]) -> Names:
    """One read for every team and agent id in `events` (their before/after values)."""
    team_ids: set[int] = set()
    agent_ids: set[int] = set()
    for event in events:
        for values in (event.before or {}, event.after or {}):
            for key, ids in (("team_id", team_ids), ("assignee_id", agent_ids)):
                value = values.get(key)
                if isinstance(value, int):
                    ids.add(value)
    if not team_ids and not agent_ids:
        return Names()
    with ctx.read() as session:
        teams_found, agents_found = lookup.names_by_id(session, team_ids, agent_ids)
    return Names(teams_found, agents_found)
