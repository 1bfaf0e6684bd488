"""The callbacks panel and the callback form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from test_detail_host import Host, World, make_world, sync
from textual import events
from textual.widgets import DataTable, Input, RadioButton, Static

from deskui.domain.enums import Status
from deskui.i18n import _, set_language
from deskui.ui.callbacks.callback_form import CallbackFormScreen
from deskui.ui.callbacks.callback_panel import CallbackPanel
from ui_workers import workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path)
    for key in ("repair", "complaint"):
        w.resolve(key, "Replaced the door seal and tested.", first_contact=False)
    w.clock.now += timedelta(hours=30)  # the complaint callback (24 h) is now overdue
    yield w
    set_language("en")


async def _ready(app: Host, pilot) -> CallbackPanel:  # type: ignore[no-untyped-def]
    await workers_done(app)
    await pilot.pause()
    return app.query_one(CallbackPanel)


@sync
async def test_overdue_first_with_masked_phone(world: World) -> None:
    app = Host(world, CallbackPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _ready(app, pilot)
        assert [r.number.endswith("0002") for r in panel.rows] == [True, False]
        table = panel.query_one(DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert "overdue" in first[0]
        assert first[2] == "139****1111"  # its own column: never cut with the name


@sync
async def test_not_solved_reopens_the_ticket(world: World) -> None:
    app = Host(world, CallbackPanel, actor=world.agent)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _ready(app, pilot)
        panel.query_one(DataTable).move_cursor(row=1)  # the repair (not a complaint)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CallbackFormScreen)
        app.screen.query_one("#reached-yes", RadioButton).value = True
        app.screen.query_one("#solved-no", RadioButton).value = True
        app.screen.query_one("#score-2", RadioButton).value = True
        await pilot.pause()
        hint = str(app.screen.query_one("#reopen-hint", Static).content)
        assert "reopens" in hint
        app.screen.query_one("#notes", Input).value = "Still leaking"
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        await workers_done(app)
        await pilot.pause()
        ticket = world.service.get(world.tickets["repair"])
        assert ticket.status is Status.IN_PROGRESS
        assert ticket.reopen_count == 1
        assert ticket.events[-1].body == "Still leaking"
        assert app.changed == [ticket.id]
        assert len(panel.rows) == 1


@sync
async def test_not_reached_shows_retry_and_agent_may_not_do_complaints(world: World) -> None:
    app = Host(world, CallbackPanel, actor=world.agent)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        await pilot.press("enter")  # the overdue complaint
        await pilot.pause()
        assert isinstance(app.screen, CallbackFormScreen)
        app.screen.query_one("#reached-yes", RadioButton).value = True
        app.screen.query_one("#solved-yes", RadioButton).value = True
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, CallbackFormScreen)  # reopened with the draft + message
        assert "may not" in str(app.screen.query_one("#dialog-error", Static).content)
        app.screen.query_one("#reached-no", RadioButton).value = True
        await pilot.pause()
        assert "retry due at" in str(app.screen.query_one("#retry-hint", Static).content)
        assert not app.screen.query_one("#answers").display


@sync
async def test_end_and_home_go_to_the_last_and_first_callback(world: World) -> None:
    app = Host(world, CallbackPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _ready(app, pilot)
        table = panel.query_one(DataTable)
        table.focus()
        await pilot.press("end")
        assert table.cursor_row == len(panel.rows) - 1 > 0
        await pilot.press("home")
        assert table.cursor_row == 0


@sync
async def test_a_callback_typed_in_one_burst_keeps_every_choice(world: World) -> None:
    app = Host(world, CallbackPanel, actor=world.agent)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _ready(app, pilot)
        panel.query_one(DataTable).move_cursor(row=1)  # the repair (not a complaint)
        await pilot.press("b")
        await workers_done(app)
        await pilot.pause()
        form = app.screen
        # Reached: yes; solved: yes; satisfaction 5; a comment: all queued before any is handled.
        keys = ["enter", "tab", "enter", "tab", *["right"] * 4, "enter", "tab", *"好 ok"]
        for key in keys:
            app.post_message(
                events.Key("space" if key == " " else key, key if len(key) == 1 else None)
            )
        await pilot.pause(0.3)
        await workers_done(app)
        await pilot.pause()
        collected, errors = form._collect()  # type: ignore[attr-defined]
        assert errors == {} and collected is not None
        assert (collected.reached, collected.solved, collected.satisfaction) == (True, True, 5)
        assert collected.notes == "好 ok"


NATURAL = {"due": 16, "number": 16, "phone": 11, "category": 11, "customer": 14, "attempts": 5}


def test_fit_columns_cuts_the_name_then_drops_the_category() -> None:
    from deskui.ui.callbacks.callback_panel import COLUMN_KEYS, fit_columns

    # 59 cells of text, 2 of padding for each of the six columns: 71 besides the name
    assert fit_columns(NATURAL, 85, 8) == (list(COLUMN_KEYS), 14)  # room for all, whole
    assert fit_columns(NATURAL, 84, 8) == (list(COLUMN_KEYS), 13)  # the name gives way first
    assert fit_columns(NATURAL, 79, 8) == (list(COLUMN_KEYS), 8)  # down to its header
    shown, customer = fit_columns(NATURAL, 78, 8)  # then the category goes
    assert "category" not in shown and "attempts" in shown and customer == 14
    assert fit_columns(NATURAL, 70, 8)[1] == 12
    assert fit_columns(NATURAL, 70, 8, flagged=True)[1] == 10  # the number's " ⚑" takes 2


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@sync
async def test_every_header_reads_whole_at_80_columns(world: World, lang: str) -> None:
    """At 80 columns the table fits its width: no column runs past the edge, and Tries
    (the last) is on screen."""
    from rich.cells import cell_len

    app = Host(world, CallbackPanel, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _ready(app, pilot)
        table = panel.query_one(DataTable)
        used = sum(column.get_render_width(table) for column in table.columns.values())
        assert used <= table.scrollable_content_region.width
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[-1] == _("Tries")
        assert all(cell_len(text) > 0 for text in labels)
    set_language("en")


@sync
async def test_the_footer_offers_record_once_the_callbacks_arrive(tmp_path: Path) -> None:
    from deskui.ui.common.footer import DeskFooter

    w = make_world(tmp_path)  # nothing resolved yet: no callback due
    app = Host(w, CallbackPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _ready(app, pilot)
        footer = app.screen.query_one(DeskFooter)
        assert not panel.rows
        shown = lambda: [k.enabled for k in footer._keys if k.key == "b"]  # noqa: E731
        assert shown() == [False], footer.text.strip()
        w.resolve("repair", "Seal replaced.", first_contact=True)
        panel.reload()  # as a push or a poll does, with the focus where it was
        await _ready(app, pilot)
        await pilot.pause()
        assert panel.rows
        assert shown() == [True], footer.text.strip()
