"""Reminders the server pushes: a toast (no markup read from it), and "My reminders" (M)
keeps them for the session; enter there opens the ticket."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from textual.widgets import OptionList

from conftest import frozen_clock
from deskui.api.codec import RemoteDeskApi, dispatch
from deskui.api.embedded import EmbeddedDeskApi
from deskui.domain.queue import Query
from deskui.ui.app import DeskApp
from deskui.ui.desk.reminders import RemindersScreen
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import workers_done


async def _settle(pilot: Any, app: Any) -> None:
    for _ in range(3):
        await pilot.pause()
        await workers_done(app)
    await pilot.pause()


def test_a_pushed_reminder_toasts_and_stays_in_my_reminders(desk_ctx, admin_actor) -> None:
    embedded = EmbeddedDeskApi(desk_ctx, admin_actor)

    def send(message: dict[str, Any]) -> dict[str, Any]:
        return json.loads(json.dumps(dispatch(embedded, json.loads(json.dumps(message)))))  # type: ignore[no-any-return]

    api = RemoteDeskApi(send, can_push=True)
    app = DeskApp(api, admin_actor, settings=desk_ctx.settings, clock=frozen_clock)
    _total, rows = embedded.queue_first(Query(actor_id=admin_actor.id, now=frozen_clock()), 1)
    ticket = rows[0]

    toasts: list[tuple[str, dict[str, Any]]] = []
    shown = app.notify

    def notify(message: str, **options: Any) -> None:
        toasts.append((message, options))
        shown(message, **options)

    app.notify = notify  # type: ignore[method-assign]

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot, app)
            note = {
                "ticket": ticket.id,
                "number": ticket.number,
                "kind": "reminder",
                "body": "resolution [bold]at risk[/bold]",
                "at": "2026-11-23T02:00:00+00:00",
            }
            pusher = threading.Thread(target=api.noticed, args=(note,))  # as the push thread
            pusher.start()
            while pusher.is_alive():  # it waits for this loop to take the toast
                await pilot.pause(0.05)
            await _settle(pilot, app)
            message, options = toasts[-1]
            assert ticket.number in message and "[bold]at risk[/bold]" in message
            assert options["markup"] is False  # the body is shown as it is, never as markup
            await pilot.press("M")
            await _settle(pilot, app)
            assert isinstance(app.screen, RemindersScreen)
            listed = app.screen.query_one(OptionList)
            assert listed.option_count == 1
            await pilot.press("enter")
            await _settle(pilot, app)
            panel = app.screen.query_one(TicketDetailPanel)
            assert panel.ticket is not None and panel.ticket.id == ticket.id

    asyncio.run(scenario())
