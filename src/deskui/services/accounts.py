"""Who is signed in: the OS user running deskui, looked up in the agents table.

The OS user is the process's real uid, as the kernel reports it: `LOGNAME` and `USER` are set
by whoever starts the process, so they prove nothing.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from deskui.domain.actors import Actor
from deskui.domain.enums import EventKind, Role, TeamKind
from deskui.i18n import N_
from deskui.services.context import ServiceContext
from deskui.services.errors import PermissionDenied, ServiceError
from deskui.store import tickets as store
from deskui.store.tables import Agent, Team, TicketEvent


class UnknownAgent(ServiceError):
    """The OS user has no (active) agent record; the message says who can fix that and how."""

    def __init__(self, username: str, inactive: bool) -> None:
        if inactive:
            message = N_(
                "'{username}' is deactivated. Ask an admin to run: deskui agent add {username} "
                "--role agent --team TEAM"
            )
        else:
            message = N_(
                "'{username}' is not a deskui agent. Ask an admin to run: deskui agent add "
                "{username} --role agent --team TEAM"
            )
        super().__init__(message, username=username)
        self.username = username
        self.inactive = inactive


@dataclass(frozen=True, slots=True)
class PeerIdentity:
    """Who is calling the server, as the kernel told it (the socket's peer credentials)."""

    username: str
    admin: bool  # root or the server's own OS user


# Set by deskui.remote around one request: in the server, the caller is the socket's peer,
# not the server's own process. Embedded mode never sets it.
_peer: ContextVar[PeerIdentity | None] = ContextVar("deskui_peer", default=None)


@contextmanager
def acting_for(peer: PeerIdentity) -> Iterator[None]:
    """Inside the block (this thread or task only), the caller is `peer`."""
    token = _peer.set(peer)
    try:
        yield
    finally:
        _peer.reset(token)


def os_username() -> str:
    """The real user of this process, from its uid (never from the environment); in the
    server, the socket peer's user, which the kernel reported."""
    peer = _peer.get()
    if peer is not None:
        return peer.username
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no passwd entry (some containers): the number names it
        return str(uid)


def is_superuser() -> bool:
    """root owns the machine and every file on it, so it counts as an admin; over the server's
    socket, so does the server's own OS user (which owns the data)."""
    peer = _peer.get()
    if peer is not None:
        return peer.admin
    return os.getuid() == 0


def require_admin(ctx: ServiceContext, command: str) -> str:
    """The caller's user name when it may run an admin-only `command`; else audit and refuse.

    Admins are agents with the admin role; root counts as one. The refusal is recorded under
    the caller's real name, even when that name is no agent at all.
    """
    from deskui.services.audit import record_refusal

    name = signed_in_name(ctx)
    if is_superuser():
        return name
    with ctx.read() as session:
        row = store.agent_by_username(session, name)
    if row is not None and row.active and row.role is Role.ADMIN:
        return name
    refused = PermissionDenied(
        "{command} is for admins only; {name} is not an admin", command=command, name=name
    )
    trail = f"{command} is for admins only"  # the audit trail's words (English, as all its)
    record_refusal(ctx, name, row.id if row is not None else None, command, trail)
    raise refused


def init_site(ctx: ServiceContext) -> Actor:
    """Make the caller an admin of a database that has none yet; later runs need an admin."""
    with ctx.read() as session:
        has_admin = session.execute(
            select(Agent.id).where(Agent.role == Role.ADMIN, Agent.active.is_(True)).limit(1)
        ).first()
    name = require_admin(ctx, "init") if has_admin else signed_in_name(ctx)
    return add_agent(ctx, name, role=Role.ADMIN)


def signed_in_name(ctx: ServiceContext) -> str:
    """Who is running deskui: the OS user, or the PostgreSQL role when the site says so (not
    in the server: its role is the server's own, the caller is the socket's peer)."""
    if _peer.get() is not None:
        return os_username()
    if ctx.site.identity == "database" and ctx.engine.dialect.name == "postgresql":
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
