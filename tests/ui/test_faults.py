"""Database faults in the desk: a message on screen, the desk alive, nothing typed lost.

The faults are real ones raised by the SQLite driver under SQLAlchemy (as a full disk or a
lost file raises them), injected at the cursor, so every layer above handles them as it would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from test_detail_host import Host, World, make_world, sync
from textual.widgets import TextArea

from deskui.i18n import set_language
from deskui.ui.callbacks.callback_panel import CallbackPanel
from deskui.ui.kpis.kpi_panel import KpiPanel
from deskui.ui.ticket.action_dialogs import ActionDialog
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


@contextmanager
def failing(engine: Engine, *, writes_only: bool, message: str) -> Iterator[None]:
    """Every statement (or every write) fails in the driver with `message`."""

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not writes_only or statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise sqlite3.OperationalError(message)

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


def _notices(app: Host) -> list[str]:
    return [str(n.message) for n in app._notifications]


@sync
async def test_a_full_disk_keeps_the_comment_and_the_desk(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = app.query_one(TicketDetailPanel)
        panel.show_ticket(world.tickets["complaint"])
        await workers_done(app)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#text", TextArea).insert("客户投诉升级 customer angry")
        with failing(world.ctx.engine, writes_only=True, message="database or disk is full"):
            await pilot.press("ctrl+s")
            await workers_done(app)
            await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, ActionDialog)  # reopened with what was typed
        assert app.screen.query_one("#text", TextArea).text == "客户投诉升级 customer angry"
        assert any("disk is full" in n for n in _notices(app))
        await pilot.press("ctrl+s")  # the disk has room again: the same draft saves
        await workers_done(app)
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
        assert panel.ticket is not None
        assert panel.ticket.events[-1].body == "客户投诉升级 customer angry"


@sync
@pytest.mark.parametrize("panel_class", [CallbackPanel, KpiPanel, TicketDetailPanel])
async def test_a_lost_database_is_a_message_in_every_panel(world: World, panel_class: Any) -> None:
    app = Host(world, panel_class)
    with failing(world.ctx.engine, writes_only=False, message="unable to open database file"):
        async with app.run_test(size=(100, 40)) as pilot:
            if panel_class is TicketDetailPanel:
                app.query_one(TicketDetailPanel).show_ticket(world.tickets["repair"])
            await workers_done(app)
            await pilot.pause()
            assert app.is_running
            assert any("unable to open database file" in n for n in _notices(app)), _notices(app)
            await pilot.press("tab")  # still answering keys
            assert app.is_running


def test_the_desk_says_reconnecting_and_recovers_by_itself(make_app: Any) -> None:
    import asyncio

    from deskui.ui.common.header import DeskHeader
    from deskui.ui.desk.desk import DeskScreen

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(4):
                await pilot.pause()
                await workers_done(app)
            screen = app.screen
            assert isinstance(screen, DeskScreen)
            header = screen.query_one(DeskHeader)
            with failing(
                app.test_ctx.engine, writes_only=False, message="server closed the connection"
            ):
                screen._poll()
                await workers_done(app)
                await pilot.pause()
                assert app.is_running and header.offline
                assert "Reconnecting" in str(screen.query_one("#header-alerts").render())
            screen._poll()  # the database answers again
            await workers_done(app)
            await pilot.pause()
            assert not header.offline
            assert "Reconnecting" not in str(screen.query_one("#header-alerts").render())

    asyncio.run(scenario())


@sync
async def test_a_lost_database_is_one_toast_however_many_refreshes_fail(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib

    from textual.worker import WorkerCancelled

    from deskui.ui.common import workers

    reported: list[Exception] = []
    report = workers._report
    monkeypatch.setattr(
        workers, "_report", lambda node, exc: (reported.append(exc), report(node, exc))
    )
    app = Host(world, KpiPanel)
    with failing(world.ctx.engine, writes_only=False, message="unable to open database file"):
        async with app.run_test(size=(100, 40)) as pilot:
            panel = app.query_one(KpiPanel)
            for _ in range(4):  # the minute ticks and pushes that each refresh the panel
                panel.reload()
                with contextlib.suppress(WorkerCancelled):  # a newer reload replaced it
                    await workers_done(app)
                await pilot.pause()
            failures = [n for n in _notices(app) if "unable to open database file" in n]
            assert len(reported) >= 2, reported  # several refreshes failed ...
            assert len(failures) == 1, failures  # ... and the user was told once
            assert app.is_running
