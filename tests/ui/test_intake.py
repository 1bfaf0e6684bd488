"""The intake form: validation next to the field, lookup, suggestions, warranty, save."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from test_detail_host import Host, World, make_world, sync
from textual import events
from textual.widgets import Input, Label, OptionList, Select, Static

from deskui.domain.enums import Category, Priority
from deskui.i18n import set_language
from deskui.ui.intake.ticket_form import TicketFormScreen, suggest_priority
from ui_workers import until, workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


def _err(screen: TicketFormScreen, field: str) -> str:
    return str(screen.query_one(f"#err-{field}", Static).content)


def test_priority_suggestions() -> None:
    assert suggest_priority(Category.REPAIR, "门锁无法开门") is Priority.URGENT
    assert suggest_priority(Category.REPAIR, "Smoke from the SAFETY valve") is Priority.URGENT
    assert suggest_priority(Category.REPAIR, "squeaks") is None
    assert suggest_priority(Category.COMPLAINT, "") is Priority.IMPORTANT


async def _form(app: Host, pilot) -> TicketFormScreen:  # type: ignore[no-untyped-def]
    results: list[int | None] = []
    app.push_screen(TicketFormScreen(), callback=results.append)
    app.results = results  # type: ignore[attr-defined]
    await workers_done(app)
    await pilot.pause()
    assert isinstance(app.screen, TicketFormScreen)
    return app.screen


@sync
async def test_validation_error_next_to_field_keeps_typed_text(world: World) -> None:
    app = Host(world, lambda: Static("desk"))
    async with app.run_test(size=(100, 40)) as pilot:
        form = await _form(app, pilot)
        form.query_one("#subject", Input).value = "Door [bold]stuck[/bold]"
        form.query_one("#customer_phone", Input).value = "12"
        form.query_one("#purchase_date", Input).value = "2025-13-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TicketFormScreen)
        assert "Required" in _err(form, "category")
        assert "Use YYYY-MM-DD" in _err(form, "purchase_date")
        assert _err(form, "subject") == ""
        assert form.query_one("#subject", Input).value == "Door [bold]stuck[/bold]"
        # a complaint without its sub-type: the model-level error lands next to the field
        form.query_one("#category", Select).value = Category.COMPLAINT
        form.query_one("#purchase_date", Input).value = ""
        form.query_one("#customer_phone", Input).value = "13700002222"
        await pilot.pause()
        assert form.query_one("#row-complaint_type").display
        assert form.query_one("#priority", Select).value is Priority.IMPORTANT  # suggested
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "sub-type" in _err(form, "complaint_type")
        assert form.query_one("#subject", Input).value == "Door [bold]stuck[/bold]"


@sync
async def test_lookup_fills_customer_and_save_registers(world: World) -> None:
    app = Host(world, lambda: Static("desk"))
    async with app.run_test(size=(100, 40)) as pilot:
        form = await _form(app, pilot)
        await pilot.press(*"1381")
        options = form.query_one("#suggestions", OptionList)
        assert await until(pilot, lambda: options.display)  # the lookup waits for a pause
        await workers_done(app)
        await pilot.pause()
        assert options.display and options.option_count == 1
        # Picked from the phone field itself: down highlights, enter chooses.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert form.customer_id is not None
        assert form.query_one("#customer_name", Input).value == "王芳"
        form.query_one("#subject", Input).value = "Washer smoke 冒烟"
        form.query_one("#category", Select).value = Category.REPAIR
        form.query_one("#product_model", Select).value = "WM-100"
        form.query_one("#purchase_date", Input).value = "2024-02-29"
        await pilot.pause()
        assert form.query_one("#priority", Select).value is Priority.URGENT
        warranty = str(form.query_one("#warranty", Static).content)
        assert "until 2027-02-28" in warranty and "ended 2025-02-28" in warranty
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert not isinstance(app.screen, TicketFormScreen)
        new_id = app.results[0]  # type: ignore[attr-defined]
        ticket = world.service.get(new_id)
        assert ticket.customer.id == form.customer_id
        assert ticket.priority is Priority.URGENT
        assert ticket.team_name == "Engineers 维修"
        assert ticket.device is not None and ticket.device.serial == ""
        assert app.changed == [new_id]


@sync
async def test_a_future_purchase_date_is_refused_next_to_the_field(world: World) -> None:
    app = Host(world, lambda: Static("desk"))
    async with app.run_test(size=(100, 40)) as pilot:
        form = await _form(app, pilot)
        today = app.now().astimezone(world.ctx.site.zone).date()
        form.query_one("#purchase_date", Input).value = (today + timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TicketFormScreen)
        assert "future" in _err(form, "purchase_date")


@sync
async def test_tab_after_a_lookup_goes_to_the_name_not_the_suggestions(world: World) -> None:
    app = Host(world, lambda: Static("desk"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _form(app, pilot)
        await pilot.press(*"1381")
        suggestions = form.query_one("#suggestions", OptionList)
        assert await until(pilot, lambda: suggestions.display)  # it appeared meanwhile
        await workers_done(app)
        await pilot.pause()
        await pilot.press("tab", *"Li Lei")
        await pilot.pause()
        assert form.focused is form.query_one("#customer_name", Input)
        assert form.query_one("#customer_name", Input).value == "Li Lei"
        assert form.query_one("#customer_phone", Input).value == "1381"
        assert form.customer_id is None  # nothing was picked by the keys typed


@sync
async def test_fields_typed_in_one_burst_across_tabs_land_in_their_fields(world: World) -> None:
    app = Host(world, lambda: Static("desk"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _form(app, pilot)
        # As a terminal delivers a fast typist or a paste: every key queued before any is
        # handled, so a field still has the keys after its Tab waiting when the Tab moves on.
        keys = [*"13912345678", "tab", *"王 Wang", "tab", *"w@x.cn", "shift+tab", "end", "!"]
        for key in keys:
            app.post_message(
                events.Key("space" if key == " " else key, key if len(key) == 1 else None)
            )
        email = form.query_one("#customer_email", Input)
        assert await until(pilot, lambda: email.value == "w@x.cn")  # the last field's keys
        await pilot.pause(0.6)  # past the lookup's pause, which must not undo a key
        await workers_done(app)
        await pilot.pause()
        assert form.query_one("#customer_phone", Input).value == "13912345678"
        assert form.query_one("#customer_name", Input).value == "王 Wang!"
        assert form.query_one("#customer_email", Input).value == "w@x.cn"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@sync
async def test_every_field_label_is_shown_whole_at_80x24(world: World, lang: str) -> None:
    set_language(lang)
    app = Host(world, lambda: Static("desk"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _form(app, pilot)
        rows = [row for row in form.query(".row") if row.display]
        assert len(rows) > 10
        for row in rows:
            node = row.query_one(".field-label", Label)
            text = str(node.content)
            assert cell_len(text) <= node.content_size.width, (lang, text)
