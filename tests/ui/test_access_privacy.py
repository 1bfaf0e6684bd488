"""Many agents, one server, in the UI: masked / revealed phone with its audit event, a
permission refusal shown to the user, and the screen an unknown OS user gets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rich.console import Console
from sqlalchemy import select
from textual.widgets import Static, TextArea

from deskui.domain.actors import Actor
from deskui.domain.enums import EventKind, Role
from deskui.services.context import ServiceContext
from deskui.store.tables import Agent, Customer, Ticket, TicketEvent
from deskui.ui.common.lines import Lines
from deskui.ui.ticket.action_dialogs import ActionDialog
from deskui.ui.unknown_user import UnknownUserApp
from ui_workers import workers_done


def plain(renderable: Any, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


async def settle(pilot: Any, app: Any) -> None:
    for _ in range(4):
        await pilot.pause()
        await workers_done(app)
    await pilot.pause()


def a_ticket_with_phone(ctx: ServiceContext, *, not_team: int | None = None) -> tuple[int, str]:
    with ctx.read() as session:
        stmt = (
            select(Ticket.id, Customer.phone)
            .join(Customer, Customer.id == Ticket.customer_id)
            .where(
                Customer.phone.is_not(None), Ticket.is_open.is_(True), Ticket.team_id.is_not(None)
            )
            .order_by(Ticket.id)
        )
        if not_team is not None:
            stmt = stmt.where(
                Ticket.team_id != not_team,
                Ticket.assignee_id.is_(None) | (Ticket.assignee_id != -1),
            )
        ticket_id, phone = session.execute(stmt.limit(1)).one()
    return ticket_id, phone


def test_phone_is_masked_until_revealed_and_the_reveal_is_audited(
    make_app: Callable[..., Any], admin_actor: Actor
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot, app)
            ticket_id, phone = a_ticket_with_phone(app.test_ctx)
            detail = app.screen.panel_widget(2)
            detail.show_ticket(ticket_id)
            await settle(pilot, app)
            fields = plain(detail.query_one("#detail-fields", Lines).content)
            assert phone not in fields and f"{phone[:3]}****{phone[-4:]}" in fields
            detail.focus()
            await pilot.press("u")
            await settle(pilot, app)
            fields = plain(detail.query_one("#detail-fields", Lines).content)
            assert phone in fields and "recorded in the audit trail" in fields
            with app.test_ctx.read() as session:
                event = session.execute(
                    select(TicketEvent)
                    .where(TicketEvent.kind == EventKind.REVEAL)
                    .order_by(TicketEvent.id.desc())
                ).scalar_one()
            assert (event.ticket_id, event.actor_id, event.body) == (
                ticket_id,
                admin_actor.id,
                "phone",
            )
            timeline = plain(detail.query_one("#detail-timeline", Lines).content)
            assert "Revealed contact" in timeline
            detail.show_ticket(ticket_id + 1)  # another ticket: masked again
            await settle(pilot, app)
            detail.show_ticket(ticket_id)
            await settle(pilot, app)
            assert phone not in plain(detail.query_one("#detail-fields", Lines).content)

    asyncio.run(scenario())


def test_agent_editing_another_teams_ticket_is_refused_and_keeps_the_draft(
    make_ctx: Callable[..., ServiceContext],
) -> None:
    from conftest import desk_app

    async def scenario() -> None:
        ctx = make_ctx()
        with ctx.read() as session:
            agent = (
                session.execute(
                    select(Agent)
                    .where(Agent.role == Role.AGENT, Agent.team_id.is_not(None))
                    .order_by(Agent.id)
                )
                .scalars()
                .first()
            )
            ticket_id = (
                session.execute(
                    select(Ticket.id)
                    .where(
                        Ticket.is_open.is_(True),
                        Ticket.team_id != agent.team_id,
                        Ticket.assignee_id != agent.id,
                    )
                    .order_by(Ticket.id)
                )
                .scalars()
                .first()
            )
        actor = Actor(agent.id, agent.username, agent.display_name, agent.role, agent.team_id)
        app = desk_app(ctx, actor, clock=ctx.clock)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot, app)
            detail = app.screen.panel_widget(2)
            detail.show_ticket(ticket_id)
            await settle(pilot, app)
            detail.focus()
            await pilot.press("c")
            await settle(pilot, app)
            assert isinstance(app.screen, ActionDialog)
            app.screen.query_one("#text", TextArea).insert("我来处理 / on it")
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            assert isinstance(app.screen, ActionDialog)  # refused: the dialog stays with the draft
            assert app.screen.query_one("#text", TextArea).text == "我来处理 / on it"
            error = str(app.screen.query_one("#dialog-error", Static).content)
            assert "belongs to another team" in error

    asyncio.run(scenario())


def test_unknown_user_gets_one_clear_screen() -> None:
    async def scenario() -> None:
        app = UnknownUserApp("wangwu", inactive=False, admins=["zhangwei"])
        async with app.run_test(size=(80, 24)) as pilot:
            text = plain(app.query_one(Static).content, 76)
            assert "You are not a deskui agent yet." in text
            assert "wangwu" in text
            assert "deskui agent add wangwu --role agent --team TEAM" in text
            assert "Admins: zhangwei" in text
            await pilot.press("q")
        assert app.return_code == 0

    asyncio.run(scenario())


def test_cli_shows_the_unknown_user_screen_instead_of_a_traceback(
    tmp_path: Any, monkeypatch: Any
) -> None:
    from deskui import cli

    shown: list[Any] = []
    monkeypatch.setattr(
        "deskui.ui.unknown_user.run_unknown_user", lambda ctx, exc: shown.append(exc)
    )
    monkeypatch.setattr("deskui.services.accounts.os_username", lambda: "stranger")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert cli.main(["--db", db, "db", "upgrade"]) == 0  # the desk never creates a database
    assert cli.main(["--db", db]) == 2
    assert shown and shown[0].username == "stranger" and not shown[0].inactive
