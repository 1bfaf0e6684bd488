"""The deskui Textual app: a thin shell around the desk screen.

Contract for panels: `app.api` (DeskApi: every read and write, embedded or through a
server), `app.actor` (Actor), `app.settings` (the user's own settings: language, refresh),
`app.site` / `app.zone` (the site's time zone and callback settings), `app.queue_reader`
(the queue's windows), `app.now()` (the clock, frozen in tests), `app.sla_ticker` (one
timer, once a second, for every countdown).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from deskui.clock import utc_now
from deskui.i18n import set_language
from deskui.ui.commands import DeskCommands
from deskui.ui.common.drafts import StrayKeys
from deskui.ui.common.sla_timer import SlaTicker
from deskui.ui.common.states import ANSI_THEME, sixteen_colours
from deskui.ui.key_answers import RefusedKeys
from deskui.ui.textual_compat import localize_bindings

HANGUP_CHECK_SECONDS = 2.0  # how soon a desk whose terminal hung up quits

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from deskui.api.protocol import DeskApi
    from deskui.api.queue import QueueWindows
    from deskui.api.types import SiteInfo
    from deskui.config import Settings
    from deskui.domain.actors import Actor


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
        api: DeskApi,
        actor: Actor,
        *,
        settings: Settings | None = None,
        clock: Callable[[], datetime] | None = None,
        tick_seconds: float = 1.0,
        reader: QueueWindows | None = None,
        site: SiteInfo | None = None,
    ) -> None:
        from deskui.config import Settings

        self.settings = settings or Settings()
        set_language(self.settings.lang)
        super().__init__()
        self.api = api
        self.actor = actor
        if reader is None:
            from deskui.api.queue import QueueWindows

            reader = QueueWindows(api)
        self.queue_reader = reader  # `run_app` passes one that is already reading
        self._clock = clock or utc_now
        self._site = site
        self.sla_ticker = SlaTicker(self, self.now, interval=tick_seconds)
        if sixteen_colours(self):
            self.theme = ANSI_THEME  # colours the terminal has, not near matches of others
        localize_bindings(self)

    @property
    def site(self) -> SiteInfo:
        """The site's time zone and callback settings (asked once)."""
        if self._site is None:
            self._site = self.api.site()
        return self._site

    @property
    def zone(self) -> ZoneInfo:
        return self.site.zone

    def now(self) -> datetime:
        return self._clock()

    def on_mount(self) -> None:
        from deskui.ui.desk.desk import DeskScreen

        self.sla_ticker.start()
        self.push_screen(DeskScreen())
        stdin = sys.__stdin__
        if not self.is_headless and stdin is not None and stdin.isatty():
            self.set_interval(
                HANGUP_CHECK_SECONDS, functools.partial(self._hung_up, stdin.fileno())
            )

    def _hung_up(self, fd: int) -> None:
        from deskui.ui.common.terminal_watch import terminal_gone

        if terminal_gone(fd):
            self.exit(return_code=1)

    def action_help(self) -> None:
        from deskui.ui.common.help import HelpScreen, binding_rows

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(binding_rows(self.screen)))


def run_app(
    api: DeskApi,
    actor: Actor,
    settings: Settings,
    reader: QueueWindows | None = None,
    site: SiteInfo | None = None,
) -> None:
    """Open the desk (the `deskui` command with no sub-command). `reader` and `site`: read
    before Textual starts, so the first frame waits for neither."""
    DeskApp(api, actor, settings=settings, reader=reader, site=site).run()
