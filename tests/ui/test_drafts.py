"""Nothing typed is lost: Esc on a changed form asks, a kept draft comes back, and only there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_detail_host import Host, World, make_world, sync
from textual import events
from textual.widgets import Input, Select, Static, TextArea

from deskui.domain.enums import Category
from deskui.i18n import set_language
from deskui.ui.common.drafts import DiscardDialog
from deskui.ui.intake.ticket_form import TicketFormScreen
from deskui.ui.ticket.action_dialogs import ActionDialog
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


async def _settle(app: Host, pilot) -> None:  # type: ignore[no-untyped-def]
    await workers_done(app)
    await pilot.pause()


async def _show(app: Host, pilot, ticket_id: int) -> TicketDetailPanel:  # type: ignore[no-untyped-def]
    panel = app.query_one(TicketDetailPanel)
    panel.show_ticket(ticket_id)
    await _settle(app, pilot)
    return panel


@sync
async def test_esc_on_an_untouched_form_just_closes(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        await _show(app, pilot, world.tickets["complaint"])
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog | DiscardDialog)


@sync
async def test_esc_asks_then_keep_editing_keep_as_draft_and_discard(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        await _show(app, pilot, world.tickets["complaint"])
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"customer angry")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("escape")  # keep editing: back in the form, text intact
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.query_one("#text", TextArea).text == "customer angry"

        await pilot.press("escape", "k")  # keep as draft
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog | DiscardDialog)

        # another ticket's comment form is empty: drafts belong to their ticket and action
        await _show(app, pilot, world.tickets["repair"])
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#text", TextArea).text == ""
        await pilot.press("escape")
        await pilot.pause()

        await _show(app, pilot, world.tickets["complaint"])
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.query_one("#text", TextArea).text == "customer angry"

        await pilot.press("escape", "d")  # discard: gone for good
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog | DiscardDialog)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#text", TextArea).text == ""


@sync
async def test_a_saved_draft_is_not_offered_again(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _show(app, pilot, world.tickets["complaint"])
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"first try")
        await pilot.press("escape", "k")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert panel.ticket is not None and panel.ticket.events[-1].body == "first try"
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#text", TextArea).text == ""


@sync
async def test_escalation_text_typed_fast_is_recorded_whole(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _show(app, pilot, world.tickets["repair"])
        # All at once, as a terminal delivers a fast typist or a paste: the keys after "e"
        # are queued for the ticket panel before its dialog exists.
        for char in "e客户投诉升级 customer angry":
            app.post_message(events.Key("space" if char == " " else char, char))
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert panel.ticket is not None
        assert panel.ticket.events[-1].body == "客户投诉升级 customer angry"


@sync
async def test_the_intake_form_keeps_its_draft_across_closing(world: World) -> None:
    app = Host(world, lambda: Static("desk"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(TicketFormScreen())
        await _settle(app, pilot)
        form = app.screen
        form.query_one("#customer_phone", Input).value = "13800138000"
        form.query_one("#subject", Input).value = "门锁 fingerprint fails"
        form.query_one("#category", Select).value = Category.REPAIR
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("k")
        await pilot.pause()
        assert not isinstance(app.screen, TicketFormScreen)

        app.push_screen(TicketFormScreen())
        await _settle(app, pilot)
        again = app.screen
        assert isinstance(again, TicketFormScreen) and again is not form
        assert again.query_one("#customer_phone", Input).value == "13800138000"
        assert again.query_one("#subject", Input).value == "门锁 fingerprint fails"
        assert again.query_one("#category", Select).value is Category.REPAIR


@sync
async def test_a_burst_through_assign_esc_comment_records_the_comment(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _show(app, pilot, world.tickets["repair"])
        # One burst, as tmux or a fast typist delivers it: open assign, give up, write a note.
        # The keys after "a" reach the ticket panel before each dialog exists; ctrl+s (a
        # priority binding of the dialog) must still save what was typed.
        keys = ["a", "escape", "c", *"burst note 快", "ctrl+s"]
        for key in keys:
            char = key if len(key) == 1 else None
            app.post_message(events.Key("space" if key == " " else key, char))
        await _settle(app, pilot)
        await _settle(app, pilot)
        assert not isinstance(app.screen, ActionDialog)
        assert panel.ticket is not None
        assert panel.ticket.events[-1].body == "burst note 快"


@sync
async def test_ctrl_s_right_after_ticking_a_choice_saves_the_choice(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _show(app, pilot, world.tickets["repair"])
        await pilot.press("r")
        await _settle(app, pilot)
        # In one burst: the Enter that ticks "Yes" is still on its way when the app reads
        # ctrl+s; the save must still see "Yes".
        for key in [*"reset module", "tab", "enter", "ctrl+s"]:
            char = key if len(key) == 1 else None
            app.post_message(events.Key("space" if key == " " else key, char))
        await _settle(app, pilot)
        await _settle(app, pilot)
        assert not isinstance(app.screen, ActionDialog)
        assert panel.ticket is not None
        assert panel.ticket.events[-1].body == "reset module"
