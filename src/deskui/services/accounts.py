"""Who is signed in: the OS user running deskui, looked up in the agents table."""

from __future__ import annotations

import getpass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from deskui.domain.actors import Actor
from deskui.domain.enums import EventKind, Role, TeamKind
from deskui.services.context import ServiceContext
from deskui.services.errors import ServiceError
from deskui.store import tickets as store
from deskui.store.tables import Agent, Team, TicketEvent


class UnknownAgent(ServiceError):
    """The OS user has no (active) agent record; the message says who can fix that and how."""

    def __init__(self, username: str, inactive: bool) -> None:
        state = "is deactivated" if inactive else "is not a deskui agent"
        super().__init__(
            f"{username!r} {state}. Ask an admin to run: deskui agent add {username} --role agent --team TEAM"
        )
        self.username = username
        self.inactive = inactive


def os_username() -> str:
    return getpass.getuser()


def signed_in_name(ctx: ServiceContext) -> str:
    """Who is running deskui: the OS user, or the PostgreSQL role when the site says so."""
    if ctx.settings.identity == "database" and ctx.engine.dialect.name == "postgresql":
        with ctx.read() as session:
            return str(session.execute(text("SELECT current_user")).scalar_one())
    return os_username()


def actor_for(ctx: ServiceContext, username: str | None = None) -> Actor:
    username = username or signed_in_name(ctx)
    with ctx.read() as session:
        row = store.agent_by_username(session, username)
    if row is None or not row.active:
        raise UnknownAgent(username, inactive=row is not None)
    return Actor(row.id, row.username, row.display_name, row.role, row.team_id)


def sign_in(ctx: ServiceContext, username: str | None = None) -> Actor:
    """Resolve the agent and record the login in the audit trail."""
    actor = actor_for(ctx, username)

    def work(session: Session) -> None:
        session.add(
            TicketEvent(
                ticket_id=None, actor_id=actor.id, at=ctx.now(), kind=EventKind.LOGIN, body=""
            )
        )

    ctx.write(work)
    return actor


def add_agent(
    ctx: ServiceContext,
    username: str,
    *,
    role: Role,
    team: str | None = None,
    display_name: str | None = None,
) -> Actor:
    """Create or update an agent (the team is created when new)."""

    def work(session: Session) -> Actor:
        team_id = None
        if team:
            found = session.execute(select(Team).where(Team.name == team)).scalar()
            if found is None:
                found = Team(name=team, kind=TeamKind.SERVICE)
                session.add(found)
                session.flush()
            team_id = found.id
        agent = session.execute(select(Agent).where(Agent.username == username)).scalar()
        if agent is None:
            agent = Agent(
                username=username, display_name=display_name or username, role=role, team_id=team_id
            )
            session.add(agent)
        else:
            agent.role, agent.active = role, True
            agent.team_id = team_id if team else agent.team_id
            agent.display_name = display_name or agent.display_name
        session.flush()
        return Actor(agent.id, agent.username, agent.display_name, agent.role, agent.team_id)

    return ctx.write(work)
