"""The monthly analysis report (售后问题月度分析报告) on screen, and saved to a file.

`ReportScreen(month=None)` needs no database arguments: it uses `app.api` and `app.now()`
like the desk's panels. It builds the same report as `deskui report monthly` in a thread
worker (a progress bar shows the steps) and shows each section as a table at its natural
width (the arrow keys scroll, sideways too). `[` and `]` (or p and n) move a month back or
forward. `s` asks where to save (XLSX, Markdown, CSV or HTML by the extension; the default
is an XLSX file in the current directory) and says where it went.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, ProgressBar, Static

from deskui.i18n import _, describe
from deskui.ui.common.footer import DeskFooter
from deskui.ui.common.safe_text import safe_text
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import localize_bindings

SAVE_FORMATS = ("xlsx", "md", "csv", "html")


def section_table(section: Any) -> Table:
    """One report section as a Rich table: natural width, numbers right-aligned, '—' for
    missing values, the total row in bold. A bilingual header takes two lines (English over
    Chinese) so a column is as narrow as its longer word. Cells are `Text`: a customer's
    subject is shown as typed, never read as markup."""
    from deskui.services.report_render import format_value, numeric_column

    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold", expand=False)
    for index, column in enumerate(section.columns):
        right = numeric_column(section, index)
        header = Text("\n".join(column.title.split(" / ", 1)))
        table.add_column(header, justify="right" if right else "left", no_wrap=True)
    last = len(section.rows) - 1
    for n, row in enumerate(section.rows):
        cells = [
            safe_text(format_value(value, column.kind))
            for value, column in zip(row, section.columns, strict=True)
        ]
        total = section.total and n == last
        table.add_row(
            *cells, style="bold" if total else None, end_section=n == last - 1 and section.total
        )
    return table


def report_widgets(report: Any) -> list[Static]:
    """Title, then per section: heading, table and notes."""
    widgets = [
        Static(Text(report.title, style="bold"), classes="report-heading"),
        Static(Text(report.subtitle, style="dim")),
    ]
    for section in report.sections:
        widgets.append(Static(Text(section.title, style="bold underline"), classes="section-title"))
        widgets.append(Static(section_table(section), classes="section-table"))
        for note in section.notes:
            widgets.append(Static(Text(note, style="dim italic"), classes="section-note"))
    return widgets


class SaveReportScreen(ModalScreen[Path | None]):
    """Ask for the file to save a report to; the extension picks the format."""

    DEFAULT_CSS = """
    SaveReportScreen { align: center middle; }
    SaveReportScreen #save-dialog {
        width: 72; max-width: 100%; height: auto;
        border: round $accent; background: $panel; padding: 0 1;
    }
    SaveReportScreen #save-title { text-style: bold; }
    SaveReportScreen .hint { color: $text-muted; }
    SaveReportScreen #save-error { color: $error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        localize_bindings(self)
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog"):
            yield Label(_("Save the report as"), id="save-title")
            yield Input(str(self.suggested), id="save-path")
            yield Static(
                _(
                    "The extension picks the format: .xlsx, .md, .csv or .html. "
                    "Enter saves, escape cancels."
                ),
                classes="hint",
            )
            yield Static("", id="save-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        if path.suffix.lower().lstrip(".") not in SAVE_FORMATS:
            self.query_one("#save-error", Static).update(
                _("Use a file name ending in .xlsx, .md, .csv or .html.")
            )
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReportScreen(Screen[None]):
    """A monthly report for `month` ('YYYY-MM'; default: the current month)."""

    CSS_PATH = "report.tcss"
    HELP_GROUP = "Report"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket,p", "previous_month", "Previous month"),
        Binding("right_square_bracket,n", "next_month", "Next month"),
        Binding("s", "save", "Save"),
        Binding("ctrl+r", "reload", "Reload"),
        Binding("escape,q", "close", "Back"),
    ]

    def __init__(self, month: str | None = None) -> None:
        super().__init__()
        localize_bindings(self)
        self.requested = month
        self.month: str | None = None  # 'YYYY-MM' once resolved
        self.report: Any = None
        self.saved_to: Path | None = None

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="report-title")
        with Vertical(id="report-loading"):
            yield Label(_("Building the report…"), id="report-step")
            yield ProgressBar(total=1, show_eta=False, id="report-progress")
        with VerticalScroll(id="report-scroll"):
            yield Vertical(id="report-body")
        yield Static("", id="report-status")
        yield DeskFooter()

    def on_mount(self) -> None:
        from deskui.domain.errors import ReportError

        api, now = self._app.api, self._app.now()
        try:
            self.month = api.report_month(self.requested, now)
        except ReportError as exc:
            self.notify(describe(exc), severity="error")
            self.month = api.report_month(None, now)
        self.load()

    @property
    def _app(self) -> Any:
        return self.app

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> None:
        """(Re)build the report for `self.month` in a thread; the progress bar shows steps."""
        from deskui.domain.report_model import MONTHLY_STEPS

        assert self.month is not None
        self.report = None
        self.query_one("#report-title", Static).update(
            _("Monthly report · {month}").format(month=self.month)
        )
        self.query_one("#report-step", Label).update(_("Building the report…"))
        self.query_one("#report-progress", ProgressBar).update(total=MONTHLY_STEPS, progress=0)
        self.query_one("#report-loading").display = True
        self.query_one("#report-scroll").display = False
        self._build(self.month)

    @desk_work(group="report-build", exclusive=True)
    def _build(self, month: str) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()

        def progress(done: int, total: int, step: str) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, month, done, total, step)

        try:
            report = self._app.api.monthly_report(month, progress)
        except Exception as exc:  # shown, never a crash of the desk
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, month, exc)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, month, report)

    def _progress(self, month: str, done: int, total: int, step: str) -> None:
        if month != self.month:
            return
        self.query_one("#report-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#report-step", Label).update(
            _("Building the report… {step}").format(step=step)
        )

    async def _show(self, month: str, report: Any) -> None:
        if month != self.month:
            return
        self.report = report
        body = self.query_one("#report-body", Vertical)
        await body.remove_children()
        await body.mount_all(report_widgets(report))
        self.query_one("#report-loading").display = False
        scroll = self.query_one("#report-scroll", VerticalScroll)
        scroll.display = True
        scroll.scroll_home(animate=False)
        scroll.focus()
        self._status(
            _("Report month {month} · [ ] month, arrows scroll, s save, escape back").format(
                month=month
            )
        )

    def _failed(self, month: str, exc: Exception) -> None:
        if month != self.month:
            return
        self.query_one("#report-step", Label).update(
            _("Could not build the report: {error}").format(error=describe(exc))
        )

    def _status(self, text: str) -> None:
        self.query_one("#report-status", Static).update(text)

    # -- actions ---------------------------------------------------------------------------------
    def _shift(self, months: int) -> None:
        from datetime import date

        from deskui.domain.kpi import add_months

        if self.month is None:
            return
        year, month = (int(part) for part in self.month.split("-"))
        target = add_months(date(year, month, 1), months)
        current = self._app.now().astimezone(self._app.zone).date().replace(day=1)
        if target > current:
            self.notify(_("There is no later month yet."), severity="warning")
            return
        self.month = f"{target:%Y-%m}"
        self.load()

    def action_previous_month(self) -> None:
        self._shift(-1)

    def action_next_month(self) -> None:
        self._shift(1)

    def action_reload(self) -> None:
        if self.month is not None:
            self.load()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self.report is None:
            self.notify(_("The report is still being built."), severity="warning")
            return
        suggested = Path.cwd() / self.report.default_filename("xlsx")
        self.app.push_screen(SaveReportScreen(suggested), self._save_to)

    def _save_to(self, path: Path | None) -> None:
        if path is not None and self.report is not None:
            self._write(self.report, path)

    @desk_work(group="report-save", exclusive=True)
    def _write(self, report: Any, path: Path) -> None:
        from deskui.services.report_render import format_for, write_report

        target = path if path.is_absolute() else Path.cwd() / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_report(report, format_for(target), target)
        except OSError as exc:
            self.app.call_from_thread(
                self.notify,
                _("Could not save: {error}").format(error=exc.strerror or exc),
                severity="error",
            )
            return
        self.app.call_from_thread(self._saved, target)

    def _saved(self, path: Path) -> None:
        self.saved_to = path
        self._status(_("Saved to {path}").format(path=path))
        self.notify(_("Saved to {path}").format(path=path))
