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
from deskui.ui.commands import key_display, localize_bindings


def binding_rows(screen: Any) -> list[tuple[str, str, str]]:
    """(where, keys, description) for every described binding on a screen and the app."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for node in [screen.app, screen, *screen.walk_children(with_self=False)]:
        where = _(getattr(node, "HELP_GROUP", "")) or type(node).__name__
        for items in node._bindings.key_to_bindings.values():
            for binding in items:
                if not binding.description or (where, binding.action) in seen:
                    continue
                seen.add((where, binding.action))
                keys = [
                    key_display(node, b)
                    for k in node._bindings.key_to_bindings.values()
                    for b in k
                    if b.action == binding.action
                ]
                rows.append((where, " ".join(dict.fromkeys(keys)), binding.description))
    return rows


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

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column(_("Where"), style="dim", no_wrap=True)
        table.add_column(_("Keys"), style="bold", no_wrap=True)
        table.add_column(_("Action"))
        for where, keys, description in self.rows:
            table.add_row(Text(where), Text(keys), Text(description))
        with VerticalScroll() as scroll:
            scroll.border_title = _("Keys")
            scroll.border_subtitle = _("escape closes")
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
