"""KPIs (考核指标) for today / this week / this month against their targets, with an
eight-week trend. A KPI below 80% of its target this week is flagged with a sign, a colour
and its name (`flagged`, for the header)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.timer import Timer

from deskui.domain.kpi import WARNING_ABOVE, Kpi, KpiValue, warning_reason
from deskui.i18n import _, formats
from deskui.ui.common.lines import Lines
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import localize_bindings

BLOCKS = "▁▂▃▄▅▆▇█"
FLAG_PERIOD = "week"
WIDE_PANEL = 64  # cells: from here the Today column is shown too
# Another desk's change re-reads the KPIs at most this often: they are week and month figures
# that one ticket barely moves, and reading them on 1M tickets takes the server seconds (per
# desk, for every change on the site). The agent's own changes and Ctrl+R re-read at once.
FRESH_SECONDS = 60.0


def kpi_name(kpi: Kpi) -> str:
    return {
        Kpi.ON_TIME_RESPONSE: _("On-time response"),
        Kpi.FIRST_CONTACT_RESOLUTION: _("First-contact resolution"),
        Kpi.CSAT: _("CSAT"),
        Kpi.COMPLAINT_ESCALATION: _("Complaint escalation"),
        Kpi.MTTR_HOURS: _("MTTR (hours)"),
        Kpi.BACKLOG: _("Open backlog"),
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
        self._wide = False
        self._asked_at: float | None = None  # time.monotonic() of the last reload
        self._later: Timer | None = None

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
        if self._later is not None:
            self._later.stop()
            self._later = None
        self._asked_at = time.monotonic()
        self._load()

    def changed_elsewhere(self) -> None:
        """A change on another desk: reload now if the figures are a minute old, else once
        they are (one reload for any number of changes meanwhile)."""
        wait = 0.0 if self._asked_at is None else self._asked_at + FRESH_SECONDS - time.monotonic()
        if wait <= 0:
            self.reload()
        elif self._later is None:
            self._later = self.set_timer(wait, self.reload, name="kpi-fresh")

    def action_reload(self) -> None:
        self.reload()

    def action_monthly_report(self) -> None:
        """The same monthly analysis as `deskui report monthly`, on screen, with save."""
        from deskui.ui.kpis.report import ReportScreen

        self.app.push_screen(ReportScreen())

    @desk_work(group="kpi-load", exclusive=True)
    def _load(self) -> None:
        report = self._app.api.kpi_board(self._app.now())
        self.app.call_from_thread(self._show, report)

    def _show(self, report: Any) -> None:
        self.report = report
        self._paint()

    def on_resize(self) -> None:
        if self.report is not None and self._wide != self._is_wide():
            self._paint()

    def _is_wide(self) -> bool:
        """Room for the Today column next to full names (the panel at 80 columns has it;
        a quarter of 120x35 does not, and Week is what the flags judge)."""
        return self.size.width >= WIDE_PANEL

    def _paint(self) -> None:
        from deskui.domain.kpi import Period

        report = self.report
        self._wide = self._is_wide()
        periods = list(Period) if self._wide else [p for p in Period if p is not Period.TODAY]
        titles = {Period.TODAY: _("Today"), Period.WEEK: _("Week"), Period.MONTH: _("Month")}
        # Full names, wrapped at a word when the panel is narrow; the values never wrap.
        table = Table(box=None, padding=(0, 0, 0, 1), expand=True, show_edge=False, pad_edge=False)
        # English wraps at a space (no word is longer than 13); a Chinese name folds
        table.add_column(_("KPI"), min_width=13, ratio=1, overflow="fold")
        for period in periods:
            table.add_column(titles[period], justify="right", no_wrap=True, min_width=6)
        table.add_column(_("Goal"), justify="right", no_wrap=True, min_width=4)  # 4 cells
        table.add_column(_("8 weeks"), no_wrap=True, overflow="crop", max_width=8)
        flagged: list[str] = []
        above: list[str] = []  # ceilings: "above the maximum", never "below 80% of target"
        for k in Kpi:
            week = report.periods[Period.WEEK][k].value
            name = Text(kpi_name(k))
            reason = warning_reason(week)
            if reason is not None:
                (above if reason == WARNING_ABOVE else flagged).append(kpi_name(k))
                name.stylize("bold")
            table.add_row(
                name,
                *[cell(report.periods[p][k].value) for p in periods],
                target_text(week),
                Text(sparkline(report.trend[k]), style="cyan"),
            )
        self._flagged = flagged + above
        self.query_one("#kpi-table", Lines).update(table)
        parts = []
        if flagged:
            parts.append(
                _("Below 80% of target this week: {kpis}").format(kpis=formats.listing(flagged))
            )
        if above:
            parts.append(
                _("Above the maximum this week: {kpis}").format(kpis=formats.listing(above))
            )
        flags = (
            Text("▼ " + "; ".join(parts), style="bold red")
            if parts
            else Text("✓ " + _("No KPI warns this week"), style="dim")
        )
        flags.append("\n")
        flags.append(legend_text())
        self.query_one("#kpi-flags", Lines).update(flags)
        self.border_subtitle = "▼ " + str(len(self._flagged)) if self._flagged else ""


def legend_text() -> Text:
    """What the signs mean (one line each when the panel is narrow, wrapped at a sign)."""
    text = Text(style="dim")
    for i, (mark, meaning) in enumerate(
        (
            ("✓", _("target met")),
            ("·", _("target not met")),
            ("▼", _("warning: below 80% of target, or a maximum exceeded")),
            ("—", _("no target")),
        )
    ):
        if i:
            text.append("  ")
        text.append(f"{mark} {meaning}")
    return text
