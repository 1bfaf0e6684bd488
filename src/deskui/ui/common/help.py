"""`?`: every key binding of the desk, including the ones the footer has no room for."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from deskui.i18n import _
from deskui.ui.commands import desk_keys
from deskui.ui.textual_compat import localize_bindings


def binding_rows(screen: Any) -> list[tuple[str, str, str, bool]]:
    """(where, keys, description, enabled now) for every desk key of the screen and the app."""
    return [(k.where, k.keys, k.description, k.enabled) for k in desk_keys(screen)]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80%; max-width: 100; min-width: 60; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str, bool]]) -> None:
        super().__init__()
        self.rows = rows
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column(_("Where"), style="dim", no_wrap=True)
        table.add_column(_("Keys"), style="bold", no_wrap=True)
        table.add_column(_("Action"))
        for where, keys, description, enabled in self.rows:
            style = "" if enabled else "dim"  # not possible now (the ticket's state)
            table.add_row(Text(where), Text(keys, style=style), Text(description, style=style))
        with VerticalScroll() as scroll:
            scroll.border_title = _("Keys")
            scroll.border_subtitle = _("escape closes")
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
