"""Every key answers: refused keys say why, and Enter puts the ticket's keys under the hands."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_detail_host import Host, World, make_world, sync

from deskui.i18n import set_language
from deskui.ui.desk.desk import DeskScreen
from deskui.ui.ticket.action_dialogs import ActionDialog
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


def _notices(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _open(app: Host, pilot: Any, ticket_id: int) -> TicketDetailPanel:
    panel = app.query_one(TicketDetailPanel)
    panel.show_ticket(ticket_id)
    await workers_done(app)
    await pilot.pause()
    panel.focus()
    await pilot.pause()
    return panel


@sync
async def test_a_key_the_status_refuses_says_why(world: World) -> None:
    app = Host(world, TicketDetailPanel, actor=world.supervisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, world.tickets["repair"])  # open, not resolved
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
        assert any("Close: not possible while the ticket is" in n for n in _notices(app))


@sync
async def test_a_key_the_role_refuses_says_why_in_chinese(world: World) -> None:
    app = Host(world, TicketDetailPanel, actor=world.qa, lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, world.tickets["repair"])
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
        notices = _notices(app)
        assert any("质检" in n and "不允许" in n for n in notices), notices


@sync
async def test_an_allowed_key_gives_no_refusal(world: World) -> None:
    app = Host(world, TicketDetailPanel, actor=world.supervisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, world.tickets["repair"])
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert _notices(app) == []


def test_enter_moves_focus_to_the_ticket_at_the_wide_size(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(120, 35)) as pilot:
            for _ in range(4):
                await pilot.pause()
                await workers_done(app)
            screen = app.screen
            assert isinstance(screen, DeskScreen) and not screen.compact
            await pilot.press("down", "enter")
            for _ in range(4):
                await pilot.pause()
                await workers_done(app)
            detail = screen.panel_widget(2)
            assert detail is not None and app.focused is not None
            assert detail in app.focused.ancestors_with_self
            await pilot.press("c")  # the ticket's own key now works
            await pilot.pause()
            assert isinstance(app.screen, ActionDialog)

    asyncio.run(scenario())
