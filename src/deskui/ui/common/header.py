"""The desk header: who is signed in, at-risk / breached counts, flagged KPIs, the clock.

Counts are pushed in by the desk; the clock follows the app-wide SLA ticker but repaints
only when the minute changes, so an idle header sends nothing to the terminal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from deskui.domain.enums import SlaState
from deskui.i18n import _, formats, label
from deskui.ui.common.safe_text import clean
from deskui.ui.common.states import style_text, symbol


class DeskHeader(Horizontal):
    DEFAULT_CSS = """
    DeskHeader { height: 1; dock: top; background: $panel; }
    DeskHeader > #header-who {
        width: auto; padding: 0 1; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis;
    }
    DeskHeader > #header-alerts { width: 1fr; padding: 0 1; }
    DeskHeader > #header-clock { width: auto; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="desk-header")
        self._minute = ""
        self._alerts: tuple[int | None, int | None, tuple[str, ...]] = (None, None, ())
        self._alerts_cells = 0
        self._calendar_years: tuple[int, ...] = ()
        self._offline = False

    def compose(self) -> ComposeResult:
        yield Static(self._who(), id="header-who", markup=False)
        yield Static("", id="header-alerts", markup=False)
        yield Static("", id="header-clock", markup=False)

    def _who(self) -> Text:
        app: Any = self.app
        actor = app.actor
        return Text(f"deskui · {clean(actor.display_name)} ({label(actor.role)})", end="")

    def on_mount(self) -> None:
        app: Any = self.app
        self.tick(app.now())
        ticker = getattr(app, "sla_ticker", None)
        if ticker is not None:
            ticker.subscribe(self, self.tick)
        self._paint_alerts()

    def tick(self, now: datetime) -> None:
        app: Any = self.app
        local = now.astimezone(app.zone)
        minute = _("{weekday} {time}").format(weekday=formats.weekday(local), time=f"{local:%H:%M}")
        if minute != self._minute:
            self._minute = minute
            self.query_one("#header-clock", Static).update(minute)

    def set_alerts(
        self, at_risk: int | None, breached: int | None, kpis: tuple[str, ...] = ()
    ) -> None:
        if (at_risk, breached, kpis) != self._alerts:
            self._alerts = (at_risk, breached, kpis)
            self._paint_alerts()

    def set_calendar_warning(self, years: list[int]) -> None:
        """Estimated calendar years (shown to admins and supervisors only; the desk decides)."""
        if tuple(years) != self._calendar_years:
            self._calendar_years = tuple(years)
            self._paint_alerts()

    @property
    def offline(self) -> bool:
        return self._offline

    def set_offline(self, offline: bool) -> None:
        """The database did not answer the last poll: say so until it does again."""
        if offline != self._offline:
            self._offline = offline
            self._paint_alerts()

    def _paint_alerts(self) -> None:
        at_risk, breached, kpis = self._alerts
        text = Text(end="")
        if self._offline:
            text.append("⚠ " + _("Reconnecting…"), style="bold reverse")
            text.append("   ")
        for state, count in ((SlaState.AT_RISK, at_risk), (SlaState.BREACHED, breached)):
            shown = "…" if count is None else str(count)
            if state is SlaState.BREACHED:
                text.append("   ")
            text.append(
                f"{symbol(state)} {label(state)} {shown}",
                style=style_text(state, self.app) if count else "",
            )
        if kpis:
            text.append("   ")
            text.append(f"▼ {', '.join(kpis)}", style="bold magenta")
        if self._calendar_years:
            years = ", ".join(str(year) for year in self._calendar_years)
            text.append("   ")
            text.append("⚠ " + _("{years} estimated").format(years=years), style="bold red")
        self.query_one("#header-alerts", Static).update(text)
        self._alerts_cells = text.cell_len
        self._fit_who()

    def on_resize(self) -> None:
        self._fit_who()

    def _fit_who(self) -> None:
        """The counts and the clock matter more than the name: it gives way first."""
        room = self.size.width - self._alerts_cells - cell_len(self._minute) - 6  # 6: paddings
        self.query_one("#header-who", Static).styles.max_width = max(12, room)
