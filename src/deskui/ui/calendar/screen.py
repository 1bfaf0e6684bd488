"""`C` from the desk: the business calendar one month at a time.

The grid uses the brackets of `deskui calendar show` (working day, (weekend), [holiday],
<make-up working day>), so it reads the same without colour; the cursor day is reversed.
Supervisors and admins mark the cursor day with h / w / x; the change goes through the
calendar service (audited, open tickets' due times recomputed) in a worker, and the
notification says how many tickets moved.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static

from deskui.domain.errors import ServiceError
from deskui.i18n import _, describe, formats
from deskui.ui.common.footer import DeskFooter
from deskui.ui.common.safe_text import safe_text
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import localize_bindings

MONTH_ENTRIES_SHOWN = 8


class NameDialog(ModalScreen[str | None]):
    """The name of a marked day (optional): enter saves, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        localize_bindings(self)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Input(placeholder=_("Name (optional)"), max_length=120, id="calendar-name")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


class CalendarScreen(Screen[None]):
    CSS_PATH = "calendar.tcss"
    HELP_GROUP = "Calendar"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous day", show=False),
        Binding("right", "move(1)", "Next day", show=False),
        Binding("up", "move(-7)", "Previous week", show=False),
        Binding("down", "move(7)", "Next week", show=False),
        Binding("left_square_bracket,pageup", "month(-1)", "Previous month"),
        Binding("right_square_bracket,pagedown", "month(1)", "Next month"),
        Binding("h", "mark('holiday')", "Holiday", tooltip="Mark the day a holiday"),
        Binding("w", "mark('workday')", "Workday", tooltip="Mark the day a working day"),
        Binding("x", "clear", "Clear", tooltip="Remove the site's mark of the day"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, day: date | None = None) -> None:
        super().__init__(id="calendar")
        localize_bindings(self)
        self.cursor = day
        self.view: Any = None
        self.warning = ""

    @property
    def _app(self) -> Any:
        return self.app

    @property
    def may_change(self) -> bool:
        from deskui.domain.calendar_views import may_change

        return may_change(self._app.actor)

    def compose(self) -> ComposeResult:
        yield Static(id="calendar-head")
        with Vertical(id="calendar-body"):
            with Horizontal(id="calendar-month"):
                yield Static(id="calendar-grid")
                yield Static(id="calendar-entries")
            yield Static(id="calendar-legend")
            yield Static(id="calendar-day")
            yield Static(id="calendar-note")
        yield DeskFooter()

    def on_mount(self) -> None:
        if self.cursor is None:
            zone = self._app.zone
            self.cursor = self._app.now().astimezone(zone).date()
        from deskui.services.calendar_render import legend

        self.query_one("#calendar-legend", Static).update(Text(legend()))
        note = (
            ""
            if self.may_change
            else _("Read only: only supervisors and admins change the calendar.")
        )
        self.query_one("#calendar-note", Static).update(Text(note, style="dim"))
        self._load(self.cursor.year)

    # -- loading ---------------------------------------------------------------------------
    @desk_work(group="calendar-load", exclusive=True)
    def _load(self, year: int) -> None:
        from deskui.services.calendar_render import estimated_screen_warning

        api = self._app.api
        try:
            view = api.year_view(year)
            years = api.estimated_years(self._app.now())
            warning = estimated_screen_warning(years)
        except Exception as exc:  # a busy or unreachable database: say so, keep the screen
            self.app.call_from_thread(self.notify, describe(exc), severity="error")
            return
        self.app.call_from_thread(self._loaded, view, warning)

    def _loaded(self, view: Any, warning: str) -> None:
        self.view, self.warning = view, warning
        self._paint()

    def _paint(self) -> None:
        from deskui.services.calendar_render import (
            CELL,
            KIND_NAMES,
            day_cell,
            entry_line,
            month_grid,
            status_line,
        )

        view, cursor = self.view, self.cursor
        if view is None or cursor is None or view.year != cursor.year:
            return
        head = Text(
            _("Business calendar · {month}").format(month=formats.moment(cursor, "month")) + "  ",
            style="bold",
        )
        head.append(status_line(view.status), style="bold red" if view.status.estimated else "")
        if self.warning:
            head.append("\n! " + self.warning, style="bold yellow")
        self.query_one("#calendar-head", Static).update(head)
        grid = Text(no_wrap=True, end="")
        lines = month_grid(cursor.year, cursor.month, view.kinds)
        grid.append(lines[0] + "\n", style="bold")
        grid.append(lines[1] + "\n", style="dim")
        first = date(cursor.year, cursor.month, 1)
        offset = first.weekday()
        for number, line in enumerate(lines[2:]):
            for column in range(7):
                cell = line[column * CELL : (column + 1) * CELL]
                index = number * 7 + column - offset
                day = first + timedelta(days=index)
                if index >= 0 and day.month == cursor.month:
                    kind = view.kinds.get(day, "working")
                    style = {"holiday": "red", "makeup": "bold green", "weekend": "dim"}.get(
                        kind, ""
                    )
                    if day == cursor:
                        style += " reverse"
                    grid.append(day_cell(day, kind), style=style.strip())
                else:
                    grid.append(cell)
            grid.append("\n")
        self.query_one("#calendar-grid", Static).update(grid)
        by_day = {e[0]: e for e in view.entries}
        chosen = by_day.get(cursor)
        day_text = Text(style="bold", end="")
        if chosen is None:
            kind = view.kinds.get(cursor, "working")
            day_text.append(
                f"▸ {cursor.isoformat()} {formats.weekday(cursor)}  {_(KIND_NAMES[kind])}"
            )
            day_text.append("  " + _("(no entry)"), style="dim")
        else:
            day_text.append("▸ ")
            day_text.append_text(safe_text(entry_line(*chosen)))
        self.query_one("#calendar-day", Static).update(day_text)
        month = [e for e in view.entries if e[0].month == cursor.month]
        listing = Text(end="", no_wrap=True, overflow="ellipsis")
        for day, _kind, name, source in month[:MONTH_ENTRIES_SHOWN]:
            shown = view.kinds.get(day, "working")
            listing.append(day_cell(day, shown) + f" {formats.weekday(day)} ", style="bold")
            listing.append_text(safe_text(name or _(KIND_NAMES[shown])))
            listing.append(f" · {_(source)}\n", style="dim")
        if len(month) > MONTH_ENTRIES_SHOWN:
            listing.append(f"  … +{len(month) - MONTH_ENTRIES_SHOWN}", style="dim")
        self.query_one("#calendar-entries", Static).update(listing)

    # -- moving ----------------------------------------------------------------------------
    def _go(self, day: date) -> None:
        year_changed = self.cursor is None or day.year != self.cursor.year
        self.cursor = day
        if year_changed:
            self._load(day.year)
        else:
            self._paint()

    def action_move(self, days: int) -> None:
        if self.cursor is not None:
            self._go(self.cursor + timedelta(days=days))

    def action_month(self, months: int) -> None:
        if self.cursor is not None:
            self._go(_add_months(self.cursor, months))

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- marking ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "clear"):
            return True if self.may_change else None  # None: shown dimmed, does nothing
        return True

    def action_mark(self, kind: str) -> None:
        day = self.cursor
        if day is None:
            return
        title = _("Mark holiday") if kind == "holiday" else _("Mark working day")

        def named(name: str | None) -> None:
            if name is not None:
                self._change(day, kind, name)

        self.app.push_screen(NameDialog(f"{title}: {day.isoformat()}"), named)

    def action_clear(self) -> None:
        if self.cursor is not None:
            self._change(self.cursor, None, "")

    @desk_work(group="calendar-change")
    def _change(self, day: date, kind: str | None, name: str) -> None:
        api = self._app.api
        try:
            if kind is None:
                result = api.unset_day(day)
                message = _("{day}: site entry removed; {moved} open ticket(s) got new due times.")
            else:
                result = api.set_day(day, kind, name)
                message = (
                    _("{day} is now a holiday; {moved} open ticket(s) got new due times.")
                    if kind == "holiday"
                    else _("{day} is now a working day; {moved} open ticket(s) got new due times.")
                )
        except ServiceError as exc:
            self.app.call_from_thread(
                self.notify, describe(exc), title=_("Not saved"), severity="error"
            )
            return
        self.app.call_from_thread(
            self._changed, message.format(day=day.isoformat(), moved=result.moved)
        )

    def _changed(self, message: str) -> None:
        self.notify(message)
        if self.cursor is not None:
            self._load(self.cursor.year)
