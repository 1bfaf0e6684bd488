"""Snapshots (frozen clock) of the detail, intake, callbacks and KPI panels, at 80x24 and
120x35, in English and Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from test_detail_host import FROZEN_NOW, LANGS, SIZES, Host, World, make_world, size_id
from textual.widgets import Input, Static

from deskui.i18n import set_language
from deskui.ui.callbacks.callback_panel import CallbackPanel
from deskui.ui.intake.ticket_form import TicketFormScreen
from deskui.ui.kpis.kpi_panel import KpiPanel
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import screen_settled, workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path)
    w.resolve("complaint", "Apologised; new visit booked for Tuesday.", first_contact=False)
    w.clock.now = FROZEN_NOW
    yield w
    set_language("en")


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await workers_done(pilot.app)
        await pilot.pause()
    await screen_settled(pilot)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_detail_snapshot(world: World, snap_compare: Any, size: tuple[int, int], lang: str) -> None:
    async def before(pilot: Any) -> None:
        pilot.app.query_one(TicketDetailPanel).show_ticket(world.tickets["repair"])
        await _settle(pilot)

    app = Host(world, TicketDetailPanel, actor=world.supervisor, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_intake_snapshot(world: World, snap_compare: Any, size: tuple[int, int], lang: str) -> None:
    async def before(pilot: Any) -> None:
        pilot.app.push_screen(TicketFormScreen())
        await _settle(pilot)
        form = pilot.app.screen
        form.query_one("#subject", Input).value = "Door [bold]stuck[/bold] 无法开门"
        await pilot.press("ctrl+s")  # shows the errors next to the fields
        await _settle(pilot)
        for node in form.query(Input):
            node.cursor_blink = False
        form.query_one("#customer_phone", Input).focus()
        await pilot.pause(0.5)
        await _settle(pilot)

    app = Host(world, lambda: Static("desk"), actor=world.supervisor, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_callbacks_snapshot(
    world: World, snap_compare: Any, size: tuple[int, int], lang: str
) -> None:
    world.clock.now = FROZEN_NOW + timedelta(hours=30)  # the complaint callback is overdue
    world.resolve("repair", "Replaced the door seal and tested.", first_contact=True)
    world.clock.now = FROZEN_NOW + timedelta(hours=31)

    async def before(pilot: Any) -> None:
        await _settle(pilot)

    app = Host(world, CallbackPanel, actor=world.supervisor, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_kpi_snapshot(world: World, snap_compare: Any, size: tuple[int, int], lang: str) -> None:
    async def before(pilot: Any) -> None:
        await _settle(pilot)

    app = Host(world, KpiPanel, actor=world.supervisor, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=before)
