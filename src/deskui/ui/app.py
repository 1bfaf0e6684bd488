"""The deskui Textual app: a thin shell around the desk screen.

Contract for panels: `app.ctx` (ServiceContext), `app.actor` (Actor), `app.tickets`
(TicketService), `app.now()` (the clock, frozen in tests), `app.sla_ticker` (one timer,
once a second, for every countdown).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from deskui.i18n import set_language
from deskui.ui.commands import DeskCommands
from deskui.ui.common.drafts import StrayKeys
from deskui.ui.common.sla_timer import SlaTicker
from deskui.ui.common.states import ANSI_THEME, sixteen_colours
from deskui.ui.key_answers import RefusedKeys
from deskui.ui.textual_compat import localize_bindings

if TYPE_CHECKING:
    from deskui.domain.actors import Actor
    from deskui.services.context import ServiceContext
    from deskui.services.queue import QueueReader
    from deskui.services.tickets import TicketService


class DeskApp(StrayKeys, RefusedKeys, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "deskui"
    HELP_GROUP = "App"
    COMMANDS: ClassVar[set[Any]] = {DeskCommands}  # the desk's own actions, nothing of Textual's
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        *,
        clock: Callable[[], datetime] | None = None,
        tick_seconds: float = 1.0,
        reader: QueueReader | None = None,
    ) -> None:
        set_language(ctx.settings.lang)
        super().__init__()
        self.ctx = ctx
        self.actor = actor
        if reader is None:
            from deskui.services.queue import QueueReader

            reader = QueueReader(ctx.read)
        self.queue_reader = reader  # `run_app` passes one that is already reading
        self._clock = clock or ctx.now
        self._tickets: TicketService | None = None
        self.sla_ticker = SlaTicker(self, self.now, interval=tick_seconds)
        if sixteen_colours(self):
            self.theme = ANSI_THEME  # colours the terminal has, not near matches of others
        localize_bindings(self)

    @property
    def tickets(self) -> TicketService:
        if self._tickets is None:
            from deskui.services.tickets import TicketService

            self._tickets = TicketService(self.ctx)
        return self._tickets

    def now(self) -> datetime:
        return self._clock()

    def on_mount(self) -> None:
        from deskui.ui.desk.desk import DeskScreen

        self.sla_ticker.start()
        self.push_screen(DeskScreen())

    def action_help(self) -> None:
        from deskui.ui.common.help import HelpScreen, binding_rows

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(binding_rows(self.screen)))


def run_app(ctx: ServiceContext, actor: Actor, reader: QueueReader | None = None) -> None:
    """Open the desk (the `deskui` command with no sub-command)."""
    DeskApp(ctx, actor, reader=reader).run()
