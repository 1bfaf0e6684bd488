"""Snapshots of every modal and of the palette at 80x24 and 120x35, in English and Chinese
(frozen clock).

Each case opens its modal the way a user does (keys on the ticket, callback or desk); the
snapshot shows whether all its fields and buttons fit the smallest supported terminal, and how
the dialog sits on the large desk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_detail_host import FROZEN_NOW, LANGS, SIZES, Host, World, make_world, size_id
from test_repairs_ui import at, engineer
from textual.widgets import Input, TextArea

from deskui.i18n import set_language
from deskui.services.context import ServiceContext
from deskui.services.tickets import TicketService
from deskui.ui.callbacks.callback_panel import CallbackPanel
from deskui.ui.desk.desk import DeskScreen
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


async def _still(pilot: Any) -> None:
    """No blinking cursor in a picture."""
    for node in pilot.app.screen.query("Input, TextArea"):
        node.cursor_blink = False
        # TextArea caches its lines without minding focus: a line drawn before the focus came
        # would stay cursorless, depending on timing. Drawing anew makes the picture steady.
        node.notify_style_update()
    await _settle(pilot)


def _on_ticket(key: str, ticket: str = "repair", *after: str) -> Callable[..., Any]:
    def make(world: World) -> tuple[Any, Callable[[Any], Any]]:
        async def before(pilot: Any) -> None:
            panel = pilot.app.query_one(TicketDetailPanel)
            panel.show_ticket(world.tickets[ticket])
            await _settle(pilot)
            panel.focus()
            await pilot.press(key, *after)
            await _still(pilot)

        return Host(world, TicketDetailPanel, actor=world.supervisor), before

    return make


def _conflict(world: World) -> tuple[Any, Callable[[Any], Any]]:
    async def before(pilot: Any) -> None:
        panel = pilot.app.query_one(TicketDetailPanel)
        panel.show_ticket(world.tickets["repair"])
        await _settle(pilot)
        stale = panel.ticket
        other = ServiceContext(world.ctx.engine, world.ctx.settings, clock=world.clock)
        TicketService(other).escalate(world.admin, stale.id, stale.version, "VIP angry")
        panel.focus()
        await pilot.press("c")
        await _settle(pilot)
        pilot.app.screen.query_one("#text", TextArea).insert("Called back, all fine")
        await pilot.press("ctrl+s")
        await _still(pilot)

    return Host(world, TicketDetailPanel, actor=world.supervisor), before


def _discard(world: World) -> tuple[Any, Callable[[Any], Any]]:
    async def before(pilot: Any) -> None:
        panel = pilot.app.query_one(TicketDetailPanel)
        panel.show_ticket(world.tickets["repair"])
        await _settle(pilot)
        panel.focus()
        await pilot.press("c")
        await _settle(pilot)
        pilot.app.screen.query_one("#text", TextArea).insert("half a thought")
        await pilot.press("escape")
        await _still(pilot)

    return Host(world, TicketDetailPanel, actor=world.supervisor), before


def _callback(world: World) -> tuple[Any, Callable[[Any], Any]]:
    world.clock.now = FROZEN_NOW

    async def before(pilot: Any) -> None:
        await _settle(pilot)
        pilot.app.query_one(CallbackPanel).query_one("DataTable").focus()
        await pilot.press("b")
        await _still(pilot)

    return Host(world, CallbackPanel, actor=world.supervisor), before


def _intake_with_note(world: World) -> tuple[Any, Callable[[Any], Any]]:
    from deskui.ui.intake.ticket_form import TicketFormScreen

    async def before(pilot: Any) -> None:
        pilot.app.push_screen(TicketFormScreen())
        await _settle(pilot)
        pilot.app.screen.query_one("#customer_phone", Input).value = "13800138000"
        await _still(pilot)

    return Host(world, TicketDetailPanel, actor=world.supervisor), before


def _with_repair(key: str, step: str = "") -> Callable[..., Any]:
    """A repair dialog that needs an open repair (sent back, with a transport fee; `step`
    "quoted" adds a quote, "worked" records the work)."""

    def make(world: World) -> tuple[Any, Callable[[Any], Any]]:
        from deskui.domain.repairs import FeeKind, FeeLine, RepairKind
        from deskui.services.repairs import RepairService

        service = RepairService(world.ctx)
        repair = service.schedule(
            world.agent,
            world.tickets["repair"],
            kind=RepairKind.SEND_BACK,
            engineer_id=engineer(world).id,
            appointment_at=at(4),
        )
        service.add_fee(
            world.agent, repair.id, FeeKind.TRANSPORT, FeeLine(FeeKind.OTHER, 20).amount
        )
        if step == "quoted":
            service.quote(world.agent, repair.id, [FeeLine(FeeKind.LABOUR, 80)])
        if step == "worked":
            service.record_work(
                world.agent, repair.id, diagnosis="motor", fault_code=None, work_done="replaced"
            )
        return _on_ticket("R", "repair", key)(world)

    return make


CASES: dict[str, Callable[[World], tuple[Any, Callable[[Any], Any]]]] = {
    "comment": _on_ticket("c"),
    "assign": _on_ticket("a"),
    "priority": _on_ticket("p"),
    "pend": _on_ticket("w"),
    "escalate": _on_ticket("e"),
    "resolve": _on_ticket("r"),
    "extend": _on_ticket("t"),
    "reopen": _on_ticket("o", "complaint"),
    "close": _on_ticket("x", "complaint"),
    "repair-menu": _on_ticket("R"),
    "repair-schedule": _on_ticket("R", "repair", "s"),
    "repair-quote": _on_ticket("R", "repair", "q"),
    "repair-replace": _on_ticket("R", "repair", "p"),
    "repair-work": _with_repair("w"),
    "repair-fee": _with_repair("f"),
    "repair-approve": _with_repair("v"),
    "repair-cancel": _with_repair("x"),
    "repair-accept": _with_repair("a", "quoted"),
    "repair-complete": _with_repair("d", "worked"),
    "conflict": _conflict,
    "discard": _discard,
    "callback": _callback,
    "intake": _intake_with_note,
}


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(CASES))
def test_modal_snapshot(
    world: World, snap_compare: Any, case: str, lang: str, size: tuple[int, int]
) -> None:
    set_language(lang)  # type: ignore[arg-type]
    app, before = CASES[case](world)
    set_language(lang)  # type: ignore[arg-type]
    app.ctx.settings.lang = lang
    assert snap_compare(app, terminal_size=size, run_before=before)


def desk_keys(*keys: str) -> Callable[[Any], Any]:
    async def before(pilot: Any) -> None:
        for _ in range(4):
            await pilot.pause()
            await workers_done(pilot.app)
        # The side panels are built once the queue's rows are on the screen: on a busy
        # machine that can be a frame after the rounds above.
        screen = pilot.app.screen
        for _ in range(200):
            if not isinstance(screen, DeskScreen) or screen.panel_widget(2) is not None:
                break
            await pilot.pause(0.01)
        await workers_done(pilot.app)
        await pilot.press(*keys)
        await _still(pilot)
        await pilot.pause(0.3)

    return before


DESK_CASES = {
    "filter": ("f",),
    "help": ("question_mark",),
    "palette": ("ctrl+p",),
    "search": ("slash",),
    "reminders": ("M",),
    "calendar-name": ("C", "h"),
    "engineer-picker": ("v", "e"),
    "report-save": ("4", "m", "s"),
}


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(DESK_CASES))
def test_desk_modal_snapshot(
    snap_compare: Any,
    make_app: Callable[..., Any],
    case: str,
    lang: str,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir("/")  # the report's suggested path starts in the working folder
    assert snap_compare(
        make_app(lang=lang), terminal_size=size, run_before=desk_keys(*DESK_CASES[case])
    )
