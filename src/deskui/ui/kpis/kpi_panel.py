"""KPIs (考核指标) for today / this week / this month against their targets, with an
eight-week trend. A KPI below 80% of its target this week is flagged with a sign, a colour
and its name (`flagged`, for the header)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from deskui.domain.kpi import WARNING_ABOVE, Kpi, KpiValue, warning_reason
from deskui.i18n import _
from deskui.ui.common.lines import Lines
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import localize_bindings

BLOCKS = "▁▂▃▄▅▆▇█"
FLAG_PERIOD = "week"


def kpi_name(kpi: Kpi) -> str:
    return {
        Kpi.ON_TIME_RESPONSE: _("On-time response"),
        Kpi.FIRST_CONTACT_RESOLUTION: _("First-contact resolution"),
        Kpi.CSAT: _("CSAT"),
        Kpi.COMPLAINT_ESCALATION: _("Complaint escalation"),
        Kpi.MTTR_HOURS: _("MTTR (hours)"),
        Kpi.BACKLOG: _("Open backlog"),
    }[kpi]


def kpi_short_name(kpi: Kpi) -> str:
    """Row labels that fit a quarter of the screen; the full names are in the flags line."""
    return {
        Kpi.ON_TIME_RESPONSE: _("Resp."),
        Kpi.FIRST_CONTACT_RESOLUTION: _("FCR"),
        Kpi.CSAT: _("Sat."),
        Kpi.COMPLAINT_ESCALATION: _("Esc."),
        Kpi.MTTR_HOURS: _("MTTR"),
        Kpi.BACKLOG: _("Open"),
    }[kpi]


def fmt(kpi: Kpi, value: float | None) -> str:
    if value is None:
        return "—"
    if kpi is Kpi.BACKLOG:
        return f"{int(value)}"
    if kpi is Kpi.MTTR_HOURS:
        return f"{value:.1f}h"
    return f"{value * 100:.0f}%"


def target_text(v: KpiValue) -> str:
    if v.target is None:
        return "—"
    return ("≤" if v.lower_is_better else "≥") + f"{v.target * 100:.0f}%"


def sparkline(values: list[float | None]) -> str:
    """Unicode blocks scaled between the smallest and largest week; '·' for an empty week."""
    known = [v for v in values if v is not None]
    if not known:
        return "·" * len(values)
    low, high = min(known), max(known)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append("·")
        else:
            step = 0 if span == 0 else round((v - low) / span * (len(BLOCKS) - 1))
            out.append(BLOCKS[step if span else 3])
    return "".join(out)


def cell(value: KpiValue) -> Text:
    """The value with a sign when it needs attention (not colour alone)."""
    shown = fmt(value.kpi, value.value)
    if value.warning:
        return Text("▼ " + shown, style="bold red")
    if value.met is True:
        return Text("✓ " + shown, style="green")
    if value.met is False:
        return Text("· " + shown, style="yellow")
    return Text("  " + shown)


class KpiPanel(VerticalScroll, can_focus=True):
    HELP_GROUP = "KPIs"
    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Reload KPIs"),
        Binding("m", "monthly_report", "Monthly report"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        localize_bindings(self)
        self.report: Any = None
        self._flagged: list[str] = []

    @property
    def _app(self) -> Any:
        return self.app

    @property
    def flagged(self) -> list[str]:
        """Names (in the active language) of KPIs that warn this week (below 80% of target,
        or a ceiling above the maximum)."""
        return list(self._flagged)

    def compose(self) -> ComposeResult:
        yield Lines(Text(_("Loading KPIs…"), style="dim"), id="kpi-table")
        yield Lines("", id="kpi-flags")

    def on_mount(self) -> None:
        self.border_title = _("KPIs")
        self.reload()

    def reload(self) -> None:
        self._load()

    def action_reload(self) -> None:
        self.reload()

    def action_monthly_report(self) -> None:
        """The same monthly analysis as `deskui report monthly`, on screen, with save."""
        from deskui.ui.kpis.report import ReportScreen

        self.app.push_screen(ReportScreen())

    @desk_work(group="kpi-load", exclusive=True)
    def _load(self) -> None:
        from deskui.services.kpi_board import board

        report = board(self._app.ctx, self._app.now())
        self.app.call_from_thread(self._show, report)

    def _show(self, report: Any) -> None:
        from deskui.domain.kpi import Period

        self.report = report
        # One space between columns, and widths that keep every value whole at 1/3 of 120
        # columns; the trend line is what gives way when space is short.
        table = Table(box=None, padding=(0, 0, 0, 1), expand=True, show_edge=False)
        table.add_column(_("KPI"), no_wrap=True, min_width=6, ratio=1)
        for name in (_("Today"), _("Week"), _("Month")):
            table.add_column(name, justify="right", no_wrap=True, min_width=6)
        table.add_column(_("Target"), justify="right", no_wrap=True, min_width=4)
        table.add_column(_("8 weeks"), no_wrap=True, overflow="crop", max_width=8)
        flagged: list[str] = []
        above: list[str] = []  # ceilings: "above the maximum", never "below 80% of target"
        for k in Kpi:
            values = [report.periods[p][k].value for p in Period]
            week = report.periods[Period.WEEK][k].value
            name = Text(kpi_short_name(k))
            reason = warning_reason(week)
            if reason is not None:
                (above if reason == WARNING_ABOVE else flagged).append(kpi_name(k))
                name.stylize("bold")
            table.add_row(
                name,
                *[cell(v) for v in values],
                target_text(week),
                Text(sparkline(report.trend[k]), style="cyan"),
            )
        self._flagged = flagged + above
        self.query_one("#kpi-table", Lines).update(table)
        flags = self.query_one("#kpi-flags", Lines)
        parts = []
        if flagged:
            parts.append(_("Below 80% of target this week: {kpis}").format(kpis=", ".join(flagged)))
        if above:
            parts.append(_("Above the maximum this week: {kpis}").format(kpis=", ".join(above)))
        if parts:
            flags.update(Text("▼ " + "; ".join(parts), style="bold red"))
        else:
            flags.update(Text("✓ " + _("No KPI below 80% of target this week"), style="dim"))
        self.border_subtitle = "▼ " + str(len(self._flagged)) if self._flagged else ""
