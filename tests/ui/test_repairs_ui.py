"""Repairs (维修) and replacement (更换) through the UI: the detail's section and dialogs, and
the engineer visits screen. Data is made through the services on a small fixed world."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_detail_host import FROZEN_NOW, LANGS, SIZES, Host, World, make_world, size_id, sync
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static, TextArea

from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.domain.repairs import FeeKind, FeeLine, RepairKind, RepairStatus
from deskui.i18n import set_language
from deskui.services.accounts import add_agent
from deskui.services.repairs import RepairService
from deskui.ui.common.choice import Choice
from deskui.ui.common.drafts import DiscardDialog
from deskui.ui.repairs.actions import parse_parts
from deskui.ui.repairs.repair_dialogs import RepairDialog, RepairMenu
from deskui.ui.repairs.repairs_section import RepairsSection
from deskui.ui.repairs.visits import VisitsScreen, mask_address
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


def engineer(world: World) -> Actor:
    return add_agent(
        world.ctx, "wu", role=Role.AGENT, team="Engineers 维修", display_name="Wu 吴工"
    )


def at(hours: float) -> datetime:
    return FROZEN_NOW + timedelta(hours=hours)


async def settle(app: App[Any], pilot: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.pause()
        await workers_done(app)
    await pilot.pause()


async def open_ticket(app: Host, pilot: Any, ticket_id: int) -> TicketDetailPanel:
    panel = app.query_one(TicketDetailPanel)
    panel.show_ticket(ticket_id)
    await settle(app, pilot)
    return panel


def section_text(app: App[Any]) -> str:
    from rich.console import Console

    section = app.query_one(RepairsSection)
    console = Console(width=100, record=True, color_system=None)
    for node in section.query("Static, Lines"):
        console.print(node.content)
    return console.export_text()


async def dialog_action(app: Host, pilot: Any, key: str) -> RepairDialog:
    await pilot.press("R")
    await settle(app, pilot)
    assert isinstance(app.screen, RepairMenu)
    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, RepairDialog), app.screen
    return app.screen


async def save(app: Host, pilot: Any) -> None:
    await pilot.press("ctrl+s")
    await settle(app, pilot, rounds=5)


def test_parse_parts_and_mask_address() -> None:
    assert parse_parts("Door seal x2 @35.50\n\nPump $\n") == [
        ("Door seal", 2, "35.50", None),
        ("Pump", 1, "", True),
    ]
    assert mask_address("上海市浦东新区张江路123号") == "上海市浦东新区****"
    assert mask_address(None) == "—"


@sync
async def test_repair_schedule_quote_accept_work_complete(world: World) -> None:
    wu = engineer(world)
    ticket_id = world.tickets["repair"]
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, ticket_id)
        assert "No repair yet" in section_text(app)
        assert "In warranty" in section_text(app)

        dialog = await dialog_action(app, pilot, "s")
        await settle(app, pilot)
        dialog.query_one("#engineer", Select).value = wu.id
        dialog.query_one("#appointment", Input).value = "2026-11-23 14:00"
        await save(app, pilot)
        [repair] = RepairService(world.ctx).for_ticket(ticket_id)
        assert repair.status is RepairStatus.SCHEDULED and repair.engineer_id == wu.id
        assert repair.kind is RepairKind.ON_SITE
        assert repair.appointment_at == datetime(2026, 11, 23, 6, 0, tzinfo=FROZEN_NOW.tzinfo)
        text = section_text(app)
        assert "On-site" in text and "◷ Scheduled" in text and "Wu 吴工" in text

        # complete before the work is recorded: refused, the dialog keeps the name
        dialog = await dialog_action(app, pilot, "d")
        dialog.query_one("#accepted-by", Input).value = "王芳"
        await save(app, pilot)
        assert isinstance(app.screen, RepairDialog)
        assert app.screen.query_one("#accepted-by", Input).value == "王芳"
        error = str(app.screen.query_one("#dialog-error", Static).content)
        assert "record the work" in error
        await pilot.press("escape")  # what was typed is not thrown away unasked
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("d")
        await settle(app, pilot)

        dialog = await dialog_action(app, pilot, "q")
        dialog.query_one("#fee-labour", Input).value = "120"
        dialog.query_one("#fee-transport", Input).value = "30.5"
        await save(app, pilot)
        [repair] = RepairService(world.ctx).for_ticket(ticket_id)
        assert repair.status is RepairStatus.QUOTED
        assert str(repair.quote_total) == "150.50"
        assert "awaiting" in section_text(app)

        dialog = await dialog_action(app, pilot, "a")
        dialog.query_one("#accepted-by", Input).value = "王芳"
        await save(app, pilot)
        assert RepairService(world.ctx).for_ticket(ticket_id)[0].status is RepairStatus.ACCEPTED

        dialog = await dialog_action(app, pilot, "w")
        dialog.query_one("#diagnosis", Input).value = "Door seal torn"
        dialog.query_one("#fault-code", Input).value = "E21"
        dialog.query_one("#work-done", TextArea).text = "Replaced the door seal; tested a wash."
        dialog.query_one("#parts", TextArea).text = "Door seal x1 @35"
        await save(app, pilot)
        [repair] = RepairService(world.ctx).for_ticket(ticket_id)
        assert repair.status is RepairStatus.IN_PROGRESS
        assert repair.fault_code == "E21" and [p.name for p in repair.parts] == ["Door seal"]

        dialog = await dialog_action(app, pilot, "d")
        dialog.query_one("#accepted-by", Input).value = "王芳"
        await save(app, pilot)
        [repair] = RepairService(world.ctx).for_ticket(ticket_id)
        assert repair.status is RepairStatus.DONE and repair.accepted_by == "王芳"
        text = section_text(app)
        assert "✓ Done, accepted" in text and "Door seal" in text and "E21" in text
        assert "Total ¥150.50" in text
        # nothing open: schedule is the next step again
        await pilot.press("R")
        await settle(app, pilot)
        assert isinstance(app.screen, RepairMenu)
        refused = dict((n, r) for n, _d, r in app.screen.actions)
        assert refused["schedule"] is None and refused["work"] == "No open repair."
        assert "approve" not in refused  # agents do not see fee approval
        await pilot.press("escape")


@sync
async def test_supervisor_approves_fees(world: World) -> None:
    wu = engineer(world)
    service = RepairService(world.ctx)
    ticket_id = world.tickets["repair"]
    repair = service.schedule(
        world.agent, ticket_id, kind=RepairKind.SEND_BACK, engineer_id=wu.id, appointment_at=at(4)
    )
    service.add_fee(world.agent, repair.id, FeeKind.TRANSPORT, FeeLine(FeeKind.OTHER, 20).amount)
    app = Host(world, TicketDetailPanel, actor=world.supervisor)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, ticket_id)
        assert "not approved yet" in section_text(app)
        await dialog_action(app, pilot, "v")
        await save(app, pilot)
        assert service.for_ticket(ticket_id)[0].fees_approved_at is not None
        assert "Zhou 周" in section_text(app)


@sync
async def test_replacement_refused_without_condition_allowed_with_one(world: World) -> None:
    ticket_id = world.tickets["repair"]
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, ticket_id)
        await pilot.press("P")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, RepairDialog)
        check = str(dialog.query_one("#replace-check", Static).content)
        assert check.startswith("✗ Replacement refused") and "no replacement condition" in check
        dialog.query_one("#new-model", Input).value = "WM-200"
        dialog.query_one("#colour", Input).value = "white 白色"
        dialog.query_one("#accepted-by", Input).value = "王芳"
        dialog.query_one("#reason", Input).value = "Leaks again"
        await save(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, RepairDialog)  # refused: reopened with what was typed
        assert dialog.query_one("#new-model", Input).value == "WM-200"
        assert "no replacement condition holds" in str(
            dialog.query_one("#dialog-error", Static).content
        )
        assert RepairService(world.ctx).replacements(ticket_id) == []

        quality = dialog.query_one("#quality", Choice)
        quality.focus()
        await pilot.press("space")
        await settle(app, pilot)
        assert quality.value is True
        check = str(dialog.query_one("#replace-check", Static).content)
        assert check.startswith("✓ Replacement allowed") and "quality defect" in check
        await save(app, pilot)
        [done] = RepairService(world.ctx).replacements(ticket_id)
        assert done.new_model == "WM-200" and done.accepted_by == "王芳"
        text = section_text(app)
        assert "WM-100 → WM-200" in text


class VisitsHost(App[None]):
    """The visits screen on its own, as `deskui visits` shows it."""

    def __init__(self, world: World, actor: Actor, lang: str = "en") -> None:
        set_language(lang)  # type: ignore[arg-type]
        super().__init__()
        from desk_api import make_api

        self.ctx = world.ctx
        self.actor = actor
        self.api = make_api(world.ctx, actor)
        self.site = self.api.site()
        self.zone = self.site.zone

    def now(self) -> datetime:
        return self.ctx.now()

    def compose(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        self.push_screen(VisitsScreen())


def visits_world(world: World) -> Actor:
    from deskui.store.tables import Customer

    def addresses(session: Any) -> None:
        for customer in session.query(Customer):
            customer.address = "上海市浦东新区张江路123号 5-501"

    world.ctx.write(addresses)
    wu = engineer(world)
    service = RepairService(world.ctx)
    service.schedule(
        world.agent,
        world.tickets["repair"],
        kind=RepairKind.ON_SITE,
        engineer_id=wu.id,
        appointment_at=at(4),
    )
    service.schedule(
        world.agent,
        world.tickets["complaint"],
        kind=RepairKind.SEND_BACK,
        engineer_id=wu.id,
        appointment_at=at(26),
    )
    return wu


@sync
async def test_visits_list_and_update_from_the_list(world: World) -> None:
    wu = visits_world(world)
    app = VisitsHost(world, wu)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, VisitsScreen)
        assert [v.ticket_number for v in screen.visits] == [
            world.service.get(world.tickets["repair"]).number,
            world.service.get(world.tickets["complaint"]).number,
        ]
        assert screen.check_action("engineer", ()) is False  # agents see their own only
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RepairMenu)
        await pilot.press("w")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, RepairDialog)
        dialog.query_one("#diagnosis", Input).value = "Drain hose loose"
        dialog.query_one("#work-done", TextArea).text = "Tightened the drain hose."
        await save(app, pilot)
        assert isinstance(app.screen, VisitsScreen)
        repairs = RepairService(world.ctx).for_ticket(world.tickets["repair"])
        assert repairs[0].status is RepairStatus.IN_PROGRESS


# -- snapshots (80x24, en and zh_CN, frozen clock) --------------------------------------------
def repaired_world(world: World) -> None:
    """One repair quoted, accepted, worked and signed off; a second one scheduled."""
    wu = engineer(world)
    service = RepairService(world.ctx)
    ticket_id = world.tickets["repair"]
    r = service.schedule(
        world.agent, ticket_id, kind=RepairKind.ON_SITE, engineer_id=wu.id, appointment_at=at(1)
    )
    service.quote(world.agent, r.id, [FeeLine(FeeKind.LABOUR, 120), FeeLine(FeeKind.TRANSPORT, 30)])
    service.accept_quote(world.agent, r.id, "王芳")
    from deskui.domain.repairs import PartLine

    service.record_work(
        wu,
        r.id,
        diagnosis="Door seal torn 门封破损",
        fault_code="E21",
        work_done="Replaced the door seal; tested a wash.",
        parts=[PartLine("Door seal 门封", quantity=1, unit_price=35, charged=True)],
    )
    service.accept_quote(world.agent, r.id, "王芳")  # the charged part changed the total
    service.complete(wu, r.id, "王芳")


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
def test_repairs_section_snapshot(
    snap_compare: Any, world: World, lang: str, size: tuple[int, int]
) -> None:
    repaired_world(world)
    app = Host(world, TicketDetailPanel, lang=lang)

    async def before(pilot: Any) -> None:
        panel = await open_ticket(app, pilot, world.tickets["repair"])
        await settle(app, pilot)
        panel.scroll_to_widget(app.query_one(RepairsSection), top=True, animate=False)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
def test_visits_snapshot(snap_compare: Any, world: World, lang: str, size: tuple[int, int]) -> None:
    wu = visits_world(world)
    app = VisitsHost(world, wu, lang=lang)

    async def before(pilot: Any) -> None:
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=before)


@sync
async def test_a_missed_visit_stays_on_the_visits_screen_marked(world: World) -> None:
    wu = visits_world(world)
    world.clock.now = FROZEN_NOW + timedelta(days=2)  # the first visit (at +4 h) was missed
    app = VisitsHost(world, wu)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, VisitsScreen)
        assert [(v.ticket_number, v.missed) for v in screen.visits] == [
            (world.service.get(world.tickets["repair"]).number, True),
            (world.service.get(world.tickets["complaint"]).number, True),
        ]
        shown = str(screen.query_one("OptionList").get_option_at_index(1).prompt)
        assert "missed visit" in shown


@sync
async def test_the_appointment_example_follows_the_clock_and_past_times_are_refused(
    world: World,
) -> None:
    wu = engineer(world)
    world.clock.now = FROZEN_NOW + timedelta(days=400)
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, world.tickets["repair"])
        dialog = await dialog_action(app, pilot, "s")
        await settle(app, pilot)
        field = dialog.query_one("#appointment", Input)
        tomorrow = (world.clock.now.astimezone(world.ctx.site.zone) + timedelta(days=1)).date()
        assert field.placeholder == f"{tomorrow:%Y-%m-%d} 10:00"
        dialog.query_one("#engineer", Select).value = wu.id
        field.value = "2026-11-01 10:00"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "past" in str(dialog.query_one("#appointment-error", Static).render())
        assert RepairService(world.ctx).for_ticket(world.tickets["repair"]) == []
