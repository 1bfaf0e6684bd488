"""My reminders: the reminders and escalations the server pushed to this desk, newest first.

A toast goes by; this list stays for the session, so an agent back from a call sees what it
missed. Enter opens the ticket."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from deskui.api.types import Notice
from deskui.i18n import _
from deskui.ui.common.formatting import visible
from deskui.ui.textual_compat import localize_bindings

KEPT = 200  # a day's worth; the oldest go first


def notice_text(notice: Notice) -> str:
    """One line a person reads: which ticket, what happened."""
    if notice.kind == "escalate":
        return _("Escalated {number}: {body}").format(number=notice.number, body=_(notice.body))
    return _("Reminder {number}: {body}").format(number=notice.number, body=_(notice.body))


class RemindersScreen(ModalScreen[int | None]):
    """Dismisses with the chosen ticket's id, or None."""

    DEFAULT_CSS = """
    RemindersScreen { align: center middle; }
    RemindersScreen > #reminders-box {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    RemindersScreen #reminders-list { height: auto; max-height: 18; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, notices: list[Notice]) -> None:
        super().__init__()
        localize_bindings(self)
        self.notices = notices

    def compose(self) -> ComposeResult:
        with Vertical(id="reminders-box"):
            yield Label(Text(_("My reminders"), style="bold"))
            if not self.notices:
                yield Static(Text(_("No reminders yet."), style="dim"))
            options = [
                Option(visible(notice_text(n)), id=str(n.ticket_id)) for n in reversed(self.notices)
            ]
            yield OptionList(*options, id="reminders-list")
            yield Static(Text(_("Enter opens the ticket; escape closes."), style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)
