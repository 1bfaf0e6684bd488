"""The main flows, driven with keys: intake → assign → comment → pending → resume → resolve
→ callback (not reached) → close; and a reopen through a callback that did not solve it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_detail_host import Host, World, make_world, sync
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, RadioButton, Select, TextArea

from deskui.domain.enums import Category, EventKind, Status
from deskui.i18n import set_language
from deskui.ui.callbacks.callback_form import CallbackFormScreen
from deskui.ui.callbacks.callback_panel import CallbackPanel
from deskui.ui.intake.ticket_form import TicketFormScreen
from deskui.ui.ticket.action_dialogs import ActionDialog
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


def _desk() -> Horizontal:
    return Horizontal(TicketDetailPanel(), CallbackPanel())


async def _settle(app: Host, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await workers_done(app)
        await pilot.pause()


async def _act(app: Host, pilot, key: str, fill=None) -> None:  # type: ignore[no-untyped-def]
    app.query_one(TicketDetailPanel).focus()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, ActionDialog), key
    if fill is not None:
        fill(app.screen)
    await pilot.press("ctrl+s")
    await _settle(app, pilot)
    assert not isinstance(app.screen, ActionDialog), key


@sync
async def test_intake_to_close(world: World) -> None:
    app = Host(world, _desk, actor=world.supervisor)
    async with app.run_test(size=(120, 35)) as pilot:
        detail = app.query_one(TicketDetailPanel)
        ids: list[int | None] = []
        app.push_screen(TicketFormScreen(), callback=ids.append)
        await _settle(app, pilot)
        await pilot.press(*"13600001234")
        form = app.screen
        assert isinstance(form, TicketFormScreen)
        form.query_one("#customer_name", Input).value = "陈先生"
        form.query_one("#subject", Input).value = "How to descale? [i]"
        form.query_one("#category", Select).value = Category.CONSULT
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert ids and ids[0] is not None
        ticket_id = ids[0]
        detail.show_ticket(ticket_id)
        await _settle(app, pilot)
        assert detail.ticket is not None and detail.ticket.status is Status.NEW

        def assign(screen: ActionDialog) -> None:
            screen.query_one("#agent", Select).value = world.agent.id

        await _act(app, pilot, "a", assign)
        assert detail.ticket.assignee_id == world.agent.id
        assert detail.ticket.status is Status.ASSIGNED

        def comment(screen: ActionDialog) -> None:
            screen.query_one("#public", RadioButton).value = True
            screen.query_one("#text", TextArea).insert("Please send the model number.")

        await _act(app, pilot, "c", comment)
        assert detail.ticket.status is Status.IN_PROGRESS

        def note(text: str):  # type: ignore[no-untyped-def]
            return lambda screen: setattr(screen.query_one("#text", Input), "value", text)

        await _act(app, pilot, "w", note("waiting for the model number"))
        assert detail.ticket.status is Status.PENDING_CUSTOMER
        await _act(app, pilot, "w", note("customer answered"))
        assert detail.ticket.status is Status.IN_PROGRESS

        def resolve(screen: ActionDialog) -> None:
            screen.query_one("#text", TextArea).insert("Run the descale program: hold A+B 3 s.")
            screen.query_one("#fcr-yes", RadioButton).value = True

        await _act(app, pilot, "r", resolve)
        assert detail.ticket.status is Status.RESOLVED
        assert detail.ticket.first_contact_resolved is True

        callbacks = app.query_one(CallbackPanel)
        callbacks.reload()
        await _settle(app, pilot)
        numbers = [r.number for r in callbacks.rows]
        callbacks.query_one(DataTable).move_cursor(row=numbers.index(detail.ticket.number))
        callbacks.focus()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CallbackFormScreen)
        app.screen.query_one("#reached-no", RadioButton).value = True
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        detail.reload()
        await _settle(app, pilot)
        assert detail.ticket.events[-1].kind is EventKind.CALLBACK

        await _act(app, pilot, "x", note("confirmed by SMS"))
        assert detail.ticket.status is Status.CLOSED
        kinds = [e.kind for e in detail.ticket.events]
        for kind in (
            EventKind.ASSIGN,
            EventKind.COMMENT,
            EventKind.PAUSE,
            EventKind.RESUME,
            EventKind.RESOLVE,
            EventKind.CALLBACK,
            EventKind.CLOSE,
        ):
            assert kind in kinds
        assert ticket_id in app.changed


@sync
async def test_reopen_through_a_failed_callback(world: World) -> None:
    app = Host(world, _desk, actor=world.supervisor)
    async with app.run_test(size=(120, 35)) as pilot:
        detail = app.query_one(TicketDetailPanel)
        detail.show_ticket(world.tickets["complaint"])
        await _settle(app, pilot)

        def resolve(screen: ActionDialog) -> None:
            screen.query_one("#text", TextArea).insert("Apologised; new visit booked for Tuesday.")
            screen.query_one("#fcr-no", RadioButton).value = True

        await _act(app, pilot, "r", resolve)
        callbacks = app.query_one(CallbackPanel)
        callbacks.reload()
        await _settle(app, pilot)
        callbacks.focus()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CallbackFormScreen)
        form.query_one("#reached-yes", RadioButton).value = True
        form.query_one("#solved-no", RadioButton).value = True
        form.query_one("#score-1", RadioButton).value = True
        form.query_one("#notes", Input).value = "Nobody came on Tuesday"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        detail.reload()
        await _settle(app, pilot)
        assert detail.ticket is not None
        assert detail.ticket.status is Status.IN_PROGRESS
        assert detail.ticket.reopen_count == 1
        assert detail.ticket.events[-1].kind is EventKind.REOPEN
        assert detail.ticket.events[-1].body == "Nobody came on Tuesday"
        # reopened: "solved at first contact? yes" is refused next to the field
        detail.focus()
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        dialog.query_one("#text", TextArea).insert("Engineer visited; door seal replaced.")
        dialog.query_one("#fcr-yes", RadioButton).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        error = str(dialog.query_one("#first-contact-error").render())
        assert "reopened" in error
        dialog.query_one("#fcr-no", RadioButton).value = True
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert detail.ticket.status is Status.RESOLVED
        assert detail.ticket.first_contact_resolved is False


@sync
async def test_closing_before_the_callback_asks_for_a_reason(world: World) -> None:
    app = Host(world, _desk, actor=world.supervisor)
    async with app.run_test(size=(120, 35)) as pilot:
        detail = app.query_one(TicketDetailPanel)
        detail.show_ticket(world.tickets["complaint"])
        await _settle(app, pilot)

        def resolve(screen: ActionDialog) -> None:
            screen.query_one("#text", TextArea).insert("Apologised; new visit booked for Tuesday.")
            screen.query_one("#fcr-no", RadioButton).value = True

        await _act(app, pilot, "r", resolve)
        detail.focus()
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)  # no reason: not sent
        assert "callback" in str(dialog.query_one("#text-error").render())
        dialog.query_one("#text", Input).value = "customer asked not to be called"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert detail.ticket is not None and detail.ticket.status is Status.CLOSED
        assert detail.ticket.events[-1].body == "customer asked not to be called"
