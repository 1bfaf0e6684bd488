"""The one screen an OS user without an (active) agent record sees: who can add them, and how."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.widgets import Static

from deskui.i18n import _, formats
from deskui.ui.common.footer import DeskFooter
from deskui.ui.textual_compat import localize_bindings


def message_for(username: str, inactive: bool, admins: list[str]) -> Text:
    """Plain Text (never markup): the user name is whatever the OS says."""
    text = Text()
    headline = (
        _("Your account is deactivated in deskui.")
        if inactive
        else _("You are not a deskui agent yet.")
    )
    text.append(headline + "\n\n", style="bold")
    text.append(_("Signed in to this computer as: "))
    text.append(username + "\n\n", style="bold")
    text.append(_("Ask an admin to add you:"))
    text.append("\n")
    text.append(f"    deskui agent add {username} --role agent --team TEAM\n\n", style="reverse")
    if admins:
        text.append(_("Admins: {names}").format(names=formats.listing(admins)))
    else:
        text.append(_("Admins: none yet — run `deskui init` first"))
    return text


class UnknownUserApp(App[None]):
    TITLE = "deskui"
    CSS = "Static { width: auto; max-width: 76; border: round $warning; padding: 1 2; }"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape,enter", "quit", "Quit")]

    def __init__(self, username: str, inactive: bool, admins: list[str]) -> None:
        super().__init__()
        self._message = message_for(username, inactive, admins)
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(self._message)
        yield DeskFooter()


def run_unknown_user(admins: list[str], error: Any) -> None:
    """`admins`: who to ask for an account (`services.directory.admin_names`)."""
    UnknownUserApp(error.username, error.inactive, admins).run()
