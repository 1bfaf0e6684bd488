"""The desk's calendar screen (issue 17): reached with C, month view with the legend,
supervisors and admins mark days, other roles only read; snapshots at 80x24 and 120x35 in
both languages. The frozen clock is 2026-11-23; the snapshots show October 2026 (the holidays
package's official National Day schedule, with its make-up days)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from test_detail_host import LANGS, SIZES, size_id

from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services import calendar as calendar_service
from deskui.services.context import ServiceContext
from ui_workers import workers_done


async def _settle(pilot: Any) -> None:
    for _ in range(4):
        await pilot.pause()
        await workers_done(pilot.app)
    await pilot.pause()


async def _open_october(pilot: Any) -> None:
    await _settle(pilot)
    await pilot.press("C")
    await _settle(pilot)
    await pilot.press("left_square_bracket")  # November -> October 2026
    await _settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
def test_calendar_screen_snapshot(
    snap_compare: Any, make_app: Callable[..., Any], lang: str, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=_open_october)


def _agent(ctx: ServiceContext) -> Actor:
    from deskui.store.tickets import agents

    with ctx.read() as session:
        row = next(a for a in agents(session) if a.role is Role.AGENT)
    return Actor(row.id, row.username, row.display_name, row.role, row.team_id)


def test_key_is_in_footer_help_and_palette(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        from deskui.ui.commands import desk_keys
        from deskui.ui.common.footer import DeskFooter
        from deskui.ui.common.help import binding_rows

        app = make_app()
        async with app.run_test(size=(160, 40)) as pilot:
            await _settle(pilot)
            assert "C Calendar" in app.screen.query_one(DeskFooter).text
            assert any(row[2] == "Calendar" for row in binding_rows(app.screen))
            assert any(key.description == "Calendar" for key in desk_keys(app.screen))
            # The admin's header says 2027 is estimated (November: next year counts).
            header = app.screen.query_one("#header-alerts")
            assert "⚠ 2027 estimated" in str(header.render())

    asyncio.run(scenario())


def test_admin_marks_a_day_and_the_calendar_changes(
    make_app: Callable[..., Any],
) -> None:
    async def scenario() -> None:
        from deskui.ui.calendar.screen import CalendarScreen

        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_october(pilot)
            screen = app.screen
            assert isinstance(screen, CalendarScreen)
            assert screen.cursor == date(2026, 10, 23)
            await pilot.press("right")  # Saturday 2026-10-24
            await pilot.press("w")
            await _settle(pilot)
            await pilot.press(*"TEST", "enter")
            await _settle(pilot)
            entries = {r.entry.day: r.entry for r in calendar_service.site_entries(app.test_ctx)}
            assert entries[date(2026, 10, 24)].kind == "workday"
            assert entries[date(2026, 10, 24)].name == "TEST"
            assert screen.view.kinds[date(2026, 10, 24)] == "makeup"
            await pilot.press("x")
            await _settle(pilot)
            assert calendar_service.site_entries(app.test_ctx) == []
            assert screen.view.kinds[date(2026, 10, 24)] == "weekend"

    asyncio.run(scenario())


def test_other_roles_only_read(make_ctx: Callable[..., ServiceContext]) -> None:
    async def scenario() -> None:
        from conftest import desk_app, frozen_clock
        from deskui.ui.calendar.screen import CalendarScreen
        from deskui.ui.common.footer import DeskFooter

        ctx = make_ctx()
        app = desk_app(ctx, _agent(ctx), clock=frozen_clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot)
            assert "estimated" not in str(app.screen.query_one("#header-alerts").render())
            await pilot.press("C")
            await _settle(pilot)
            assert isinstance(app.screen, CalendarScreen)
            keys = {k.description: k.enabled for k in app.screen.query_one(DeskFooter)._keys}
            assert keys["Holiday"] is False and keys["Clear"] is False
            await pilot.press("h")
            await _settle(pilot)
            assert isinstance(app.screen, CalendarScreen)  # no name dialog opened
            assert calendar_service.site_entries(ctx) == []
            assert "Read only" in str(app.screen.query_one("#calendar-note").render())

    asyncio.run(scenario())
