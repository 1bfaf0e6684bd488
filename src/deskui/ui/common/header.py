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
from deskui.i18n import _, formats, label, ngettext
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
        self._calendar_years: tuple[int, ...] = ()
        self._offline = False

    def compose(self) -> ComposeResult:
        yield Static("", id="header-who", markup=False)
        yield Static("", id="header-alerts", markup=False)
        yield Static("", id="header-clock", markup=False)

    def _who_forms(self) -> list[str]:
        """Who is signed in, longest form first: the name is the last thing to go."""
        app: Any = self.app
        actor = app.actor
        name, role = clean(actor.display_name), label(actor.role)
        return [f"deskui · {name} ({role})", f"{name} ({role})", name]

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
            refit = cell_len(minute) != cell_len(self._minute)
            self._minute = minute
            self.query_one("#header-clock", Static).update(minute)
            if refit:
                self._fit()

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
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _alerts_text(self, kpi_form: int) -> Text:
        """The alerts, with the flagged KPIs named (form 0), counted (1) or only marked (2)."""
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
            flagged = (
                formats.listing(kpis),
                ngettext("{count} KPI off target", "{count} KPIs off target", len(kpis)).format(
                    count=len(kpis)
                ),
                str(len(kpis)),
            )[kpi_form]
            text.append("   ")
            text.append(f"▼ {flagged}", style="bold magenta")
        if self._calendar_years:
            years = ", ".join(str(year) for year in self._calendar_years)
            text.append("   ")
            text.append("⚠ " + _("{years} estimated").format(years=years), style="bold red")
        return text

    def _fit(self) -> None:
        """Counts and the clock matter most; then the signed-in name; then the KPIs' names.
        Each part takes its longest form that leaves the others room (6: the paddings)."""
        width = self.size.width or self.app.size.width
        room = width - cell_len(self._minute) - 6
        names = self._who_forms()
        need = min(cell_len(names[-1]), 16)
        alerts = self._alerts_text(2)
        for form in (0, 1):
            candidate = self._alerts_text(form)
            if candidate.cell_len + need <= room:
                alerts = candidate
                break
        who = next((n for n in names if cell_len(n) + alerts.cell_len <= room), names[-1])
        self.query_one("#header-alerts", Static).update(alerts)
        widget = self.query_one("#header-who", Static)
        widget.update(who)
        widget.styles.max_width = max(8, room - alerts.cell_len + 2)
