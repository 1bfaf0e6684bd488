"""A screen's CSS stays on that screen: opening one form never restyles another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_detail_host import Host, World, make_world, sync
from textual.widgets import Static

from deskui.i18n import set_language
from deskui.ui.intake.ticket_form import TicketFormScreen
from deskui.ui.ticket.action_dialogs import ActionDialog
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


async def _hint_padding(app: Host, pilot) -> int:  # type: ignore[no-untyped-def]
    await pilot.press("p")
    await workers_done(app)
    await pilot.pause()
    assert isinstance(app.screen, ActionDialog)
    left = app.screen.query_one(".hint", Static).styles.padding.left
    await pilot.press("escape")
    await pilot.pause()
    return left


@sync
async def test_the_intake_form_does_not_restyle_the_action_dialogs(world: World) -> None:
    app = Host(world, TicketDetailPanel, actor=world.supervisor)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = app.query_one(TicketDetailPanel)
        panel.show_ticket(world.tickets["repair"])
        await workers_done(app)
        await pilot.pause()
        panel.focus()
        before = await _hint_padding(app, pilot)
        app.push_screen(TicketFormScreen())
        await workers_done(app)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        panel.focus()
        assert await _hint_padding(app, pilot) == before
