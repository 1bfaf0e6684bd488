"""The ticket detail panel: fields, masking, safe text, actions, conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_detail_host import Host, World, make_world, sync
from textual.widgets import Input, RadioButton, Static, TextArea

from deskui.domain.enums import Status
from deskui.i18n import set_language
from deskui.services.context import ServiceContext
from deskui.services.tickets import TicketService
from deskui.ui.common.lines import Lines
from deskui.ui.ticket.action_dialogs import ActionDialog, ConflictDialog
from deskui.ui.ticket.ticket_detail import TicketDetailPanel
from ui_workers import workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


async def _open(app: Host, pilot, ticket_id: int) -> TicketDetailPanel:  # type: ignore[no-untyped-def]
    panel = app.query_one(TicketDetailPanel)
    panel.show_ticket(ticket_id)
    await workers_done(app)
    await pilot.pause()
    return panel


@sync
async def test_detail_shows_fields_masked_contact_sla_warranty_and_timeline(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = await _open(app, pilot, world.tickets["repair"])
        assert panel.ticket is not None
        fields = panel.query_one("#detail-fields", Lines).content
        plain = _plain(fields, 100)
        assert "138****5678" in plain
        assert "13812345678" not in plain
        assert "w***@example.com" in plain
        assert "VIP" in plain
        sla = _plain(panel.query_one("#detail-sla", Lines).content, 100)
        assert "Response" in sla and "Met" in sla
        assert "Resolution" in sla
        device = _plain(panel.query_one("#detail-device", Lines).content, 100)
        assert "in warranty until 2028-03-09" in device
        assert "out of warranty, ended 2026-03-09" in device
        timeline = _plain(panel.query_one("#detail-timeline", Lines).content, 100)
        assert timeline.index("Created") < timeline.index("Asked for a photo")
        assert "[to customer]" in timeline
        assert "[internal]" in timeline


def _plain(renderable: object, width: int) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


@sync
async def test_customer_markup_and_escapes_are_shown_literally(world: World) -> None:
    nasty = (
        "[bold]X[/bold] [link=https://evil.example]click[/link] "
        "\x1b[31mred\x1b]8;;http://x\x07 \u202egnp"
    )

    def rename(session) -> None:  # type: ignore[no-untyped-def]
        from deskui.store.tables import Ticket

        ticket = session.get(Ticket, world.tickets["repair"])
        ticket.subject = nasty

    world.ctx.write(rename)
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await _open(app, pilot, world.tickets["repair"])
        head = panel.query_one("#detail-head", Lines).content
        plain = _plain(head, 120)
        assert "[bold]X[/bold]" in plain
        assert "[link=https://evil.example]click[/link]" in plain
        assert "\x1b" not in plain and "\x07" not in plain and "\u202e" not in plain
        assert "␛[31mred␛]8;;http://x␇" in plain


@sync
async def test_comment_to_customer_then_assign_posts_changes(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = await _open(app, pilot, world.tickets["complaint"])
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        await pilot.press("ctrl+s")  # empty: refused next to the field
        await pilot.pause()
        assert "Required" in str(app.screen.query_one("#text-error", Static).content)
        app.screen.query_one("#public", RadioButton).value = True
        app.screen.query_one("#text", TextArea).insert("We are sorry [b]really[/b]")
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
        assert panel.ticket is not None
        assert panel.ticket.status is Status.IN_PROGRESS  # replying is the first response
        assert panel.ticket.events[-1].body == "We are sorry [b]really[/b]"
        assert not panel.ticket.events[-1].internal
        assert app.changed == [world.tickets["complaint"]]


@sync
async def test_role_hides_actions_and_status_disables_them(world: World) -> None:
    app = Host(world, TicketDetailPanel, actor=world.qa)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = await _open(app, pilot, world.tickets["repair"])
        assert panel.check_action("comment", ()) is False  # QA may not comment
        # no editing commands; only the audited reveal, which QA needs for callbacks
        assert [c.title.split(" (")[0] for c in panel.commands()] == ["Show phone"]
    app = Host(world, TicketDetailPanel, actor=world.agent)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = await _open(app, pilot, world.tickets["repair"])
        assert panel.check_action("close", ()) is None  # not resolved yet: dimmed
        assert panel.check_action("extend", ()) is False  # agents may not extend
        titles = [c.title for c in panel.commands()]
        assert any(t.startswith("Comment") for t in titles)
        assert not any(t.startswith("Extend") for t in titles)


@sync
async def test_conflict_dialog_keeps_the_draft_and_reapplies(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = await _open(app, pilot, world.tickets["repair"])
        stale = panel.ticket
        assert stale is not None
        # another desk, another context, changes the ticket meanwhile
        other = ServiceContext(world.ctx.engine, world.ctx.settings, clock=world.clock)
        TicketService(other).escalate(world.supervisor, stale.id, stale.version, "VIP angry")
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#text", TextArea).insert("My careful note")
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        changes = _plain(app.screen.query_one("#change-list", Static).content, 90)
        assert "Zhou" in changes and "Escalated" in changes and "VIP angry" in changes
        assert "My careful note" in _plain(app.screen.query_one("#draft-text", Static).content, 90)
        await pilot.press("r")
        await workers_done(app)
        await pilot.pause()
        await workers_done(app)
        await pilot.pause()
        assert panel.ticket is not None
        bodies = [e.body for e in panel.ticket.events]
        assert bodies[-2:] == ["VIP angry", "My careful note"]


@sync
async def test_conflict_dialog_names_the_people_in_the_changes_and_in_the_draft(
    world: World,
) -> None:
    """Both sides of an assignment conflict read as names, never as ids or a bare "—"."""
    from deskui.ui.ticket.actions import Draft

    app = Host(world, TicketDetailPanel, actor=world.supervisor)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = await _open(app, pilot, world.tickets["repair"])
        stale = panel.ticket
        assert stale is not None
        other = ServiceContext(world.ctx.engine, world.ctx.settings, clock=world.clock)
        TicketService(other).assign(
            world.admin, stale.id, stale.version, assignee_id=world.supervisor.id
        )
        draft = Draft(action="assign", assignee_id=world.agent.id, version=stale.version)
        panel._submit(draft)
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        changes = _plain(app.screen.query_one("#change-list", Static).content, 90)
        assert "Zhou" in changes and "#" not in changes, changes
        mine = _plain(app.screen.query_one("#draft-text", Static).content, 90)
        assert "Assignee: Li Lei 李雷" in mine, mine


@sync
async def test_failed_action_reopens_the_dialog_with_the_draft(world: World) -> None:
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(app, pilot, world.tickets["repair"])
        # reopen is not allowed for an open ticket: the key is dimmed, so call the dialog path
        panel = app.query_one(TicketDetailPanel)
        panel._open("reopen")
        await pilot.pause()
        app.screen.query_one("#text", Input).value = "customer called again"
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.query_one("#text", Input).value == "customer called again"
        assert "cannot reopen" in str(app.screen.query_one("#dialog-error", Static).content)


@sync
async def test_two_desks_a_change_made_while_a_dialog_is_open_is_shown(world: World) -> None:
    """Desk A opens Priority; desk B pauses the ticket; A's panel refreshes (as the desk's
    poll does); A's save must show B's change, not save over it unseen."""
    other = ServiceContext(world.ctx.engine, world.ctx.settings, clock=world.clock)
    desk_a = Host(world, TicketDetailPanel, actor=world.agent)
    async with desk_a.run_test(size=(100, 40)) as pilot_a:
        panel_a = await _open(desk_a, pilot_a, world.tickets["repair"])
        await pilot_a.press("p")
        await pilot_a.pause()
        assert isinstance(desk_a.screen, ActionDialog)

        desk_b = Host(world, TicketDetailPanel, actor=world.supervisor)
        desk_b.use(other)
        async with desk_b.run_test(size=(100, 40)) as pilot_b:
            await _open(desk_b, pilot_b, world.tickets["repair"])
            await pilot_b.press("w")
            await pilot_b.pause()
            await pilot_b.press(*"waiting for photos", "enter")
            await workers_done(desk_b)
            await pilot_b.pause()
        assert TicketService(other).get(world.tickets["repair"]).status is Status.PENDING_CUSTOMER

        panel_a.reload()  # desk A's poll refreshes the panel under the open dialog
        await workers_done(desk_a)
        await pilot_a.pause()
        await pilot_a.press("ctrl+s")
        await workers_done(desk_a)
        await pilot_a.pause()
        assert isinstance(desk_a.screen, ConflictDialog)
        changes = _plain(desk_a.screen.query_one("#change-list", Static).content, 90)
        assert "waiting for photos" in changes


@sync
@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_a_word_in_chinese_text_is_never_broken_across_timeline_lines(
    world: World, size: tuple[int, int]
) -> None:
    """A mixed "客户反馈…Fingerprint…" comment where the line ends: the line breaks before
    the word, not in it ("Fingerprin / t"), and the rest stays indented under the entry."""
    ticket_id = world.tickets["complaint"]
    app = Host(world, TicketDetailPanel)
    async with app.run_test(size=size) as pilot:
        panel = await _open(app, pilot, ticket_id)
        column = panel.query_one("#detail-timeline", Lines).size.width - len("11-23 10:00  ")
        lead = "客" * ((column - 6) // 2)  # the word would start 5 or 6 cells before the end
        ticket = world.service.get(ticket_id)
        world.service.comment(
            world.agent, ticket_id, ticket.version, f"{lead}Fingerprint传感器无法识别"
        )
        panel.show_ticket(ticket_id)
        await workers_done(app)
        await pilot.pause()
        timeline = panel.query_one("#detail-timeline", Lines)
        lines = _plain(timeline.content, timeline.size.width).splitlines()
        at = next((i for i, line in enumerate(lines) if "Fingerprint" in line), None)
        assert at is not None, lines  # the word is on one line, whole
        assert lines[at].strip().startswith("Fingerprint传感器")
        assert lines[at - 1].rstrip().endswith("客")  # the Chinese before it fills its line
        assert lines[at].startswith(" " * len("11-23 10:00  "))  # indented under the entry
