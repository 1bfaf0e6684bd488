"""Callbacks due (回访): overdue first, with number, category, customer, countdown, attempts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from deskui.domain.actors import Action
from deskui.domain.enums import Category
from deskui.domain.errors import ServiceError
from deskui.domain.privacy import mask_phone
from deskui.domain.rows import CallbackRow
from deskui.domain.schemas import CallbackForm
from deskui.i18n import _, describe, formats, label
from deskui.ui.common.formatting import visible
from deskui.ui.common.messages import TicketChanged, TicketSelected
from deskui.ui.common.row_table import RowTable
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import localize_bindings


def due_text(due: datetime, now: datetime) -> Text:
    """'⚠ overdue 1h 05m' or 'in 4h 59m': a sign and words, not colour alone."""
    left = due - now
    if left.total_seconds() < 0:
        return Text(
            "⚠ " + _("overdue {time}").format(time=formats.countdown(-left)), style="bold red"
        )
    return Text(_("in {time}").format(time=formats.countdown(left)))


NAME_CELLS = 14  # a long customer name is cut with "…" so Tries stays in view
NAME_MIN_CELLS = 8  # a name keeps at least this much (three Chinese characters and "…")
COLUMN_KEYS = ("due", "number", "phone", "category", "customer", "attempts")
PADDING = 2  # the DataTable's cell padding: one cell on each side of every column


def column_titles() -> dict[str, str]:
    return {
        "due": _("Due"),
        "number": _("Number"),
        "phone": _("Phone"),  # before the name: never cut at the edge
        "category": _("Category"),
        "customer": _("Customer"),
        "attempts": _("Tries"),
    }


def fit_columns(
    natural: dict[str, int], room: int, customer_min: int, *, flagged: bool = False
) -> tuple[list[str], int]:
    """The columns shown in `room` cells and the customer's width: every header reads whole.
    The customer name gives way first (down to `customer_min`, cut with "…"), then the
    category (a complaint, `flagged`, keeps its " ⚑" beside the number); past that the
    table scrolls."""
    shown = list(COLUMN_KEYS)
    for drop in (None, "category"):
        flag = 0
        if drop is not None:
            shown.remove(drop)
            flag = 2 if flagged else 0
        others = sum(natural[k] + PADDING for k in shown if k != "customer") + PADDING + flag
        customer = min(natural["customer"], room - others)
        if customer >= customer_min:
            return shown, customer
    return shown, customer_min


class CallbackPanel(Vertical, can_focus=False):
    HELP_GROUP = "Callbacks"
    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "record", "Record callback", show=False),
        Binding("b", "record", "Record callback"),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        localize_bindings(self)
        self.rows: list[CallbackRow] = []

    @property
    def _app(self) -> Any:
        return self.app

    def compose(self) -> ComposeResult:
        table = RowTable(cursor_type="row", zebra_stripes=False, id="callbacks")
        yield table
        yield Static(Text(_("No callbacks due."), style="dim"), id="callbacks-empty")

    def on_mount(self) -> None:
        self.border_title = _("Callbacks")
        self.reload()

    def on_resize(self) -> None:
        """Columns fitted again to the new width, once the table has it."""
        if self.rows:
            self.call_after_refresh(lambda: self._show(self.rows))

    def focus(self, scroll_visible: bool = True) -> CallbackPanel:
        self.query_one(DataTable).focus(scroll_visible)
        return self

    def reload(self) -> None:
        """Re-read the callbacks due (in a worker)."""
        self._load()

    @desk_work(group="callbacks-load", exclusive=True)
    def _load(self) -> None:
        rows = self._app.api.callbacks_due()
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[CallbackRow]) -> None:
        table = self.query_one(DataTable)
        keep = self.selected.id if self.selected else None
        self.rows = rows
        now = self._app.now()
        cells: dict[str, list[Text]] = {key: [] for key in COLUMN_KEYS}
        for row in rows:
            category = Text(label(row.category))
            if row.category is Category.COMPLAINT:
                category.append(" ⚑")
            cells["due"].append(due_text(row.due_at, now))
            cells["number"].append(Text(row.number))
            cells["phone"].append(Text(mask_phone(row.customer_phone) or "—"))
            cells["category"].append(category)
            cells["customer"].append(visible(row.customer_name))
            cells["attempts"].append(Text(str(row.attempts), justify="right"))
        titles = column_titles()
        natural = {
            key: max([cell_len(titles[key])] + [text.cell_len for text in cells[key]])
            for key in COLUMN_KEYS
        }
        customer_min = max(NAME_MIN_CELLS, cell_len(titles["customer"]))
        natural["customer"] = min(natural["customer"], max(NAME_CELLS, customer_min))
        room = table.scrollable_content_region.width or 10_000  # not laid out yet: all
        if not table.show_vertical_scrollbar and len(rows) + 1 > table.size.height:
            room -= table.styles.scrollbar_size_vertical  # the rows bring one: keep its room
        flagged = any(row.category is Category.COMPLAINT for row in rows)
        shown, customer_cells = fit_columns(natural, room, customer_min, flagged=flagged)
        if "category" not in shown:  # the complaint flag stays, beside the number
            for number, category in zip(cells["number"], cells["category"], strict=True):
                if category.plain.endswith("⚑"):
                    number.append(" ⚑")
        for name in cells["customer"]:
            name.truncate(customer_cells, overflow="ellipsis")
        table.clear(columns=True)
        for key in shown:
            width = customer_cells if key == "customer" else None
            table.add_column(titles[key], key=key, width=width)
        for index, row in enumerate(rows):
            table.add_row(*(cells[key][index] for key in shown), key=str(row.id))
        self.border_subtitle = f"{len(rows)}"
        self.query_one("#callbacks-empty").display = not rows
        self.refresh_bindings()  # "b Record callback" applies only while a callback is due
        if keep is not None:
            for index, row in enumerate(rows):
                if row.id == keep:
                    table.move_cursor(row=index)

    @property
    def selected(self) -> CallbackRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.selected
        if row is not None:
            self.post_message(TicketSelected(row.ticket_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_record()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "record":
            actor = getattr(self._app, "actor", None)
            if actor is None or not (
                actor.may(Action.CALLBACK) or actor.may(Action.COMPLAINT_CALLBACK)
            ):
                return False
            return True if self.rows else None
        return True

    def action_reload(self) -> None:
        self.reload()

    def action_record(self, draft: CallbackForm | None = None, error: str | None = None) -> None:
        from deskui.ui.callbacks.callback_form import CallbackFormScreen

        row = self.selected
        if row is None:
            return
        screen = CallbackFormScreen(
            row,
            now=self._app.now(),
            zone=self._app.zone,
            retry_hours=self._app.site.callback_retry_hours,
            draft=draft,
            error=error,
        )
        self.app.push_screen(screen, callback=lambda form: self._submit(row, form))

    def _submit(self, row: CallbackRow, form: CallbackForm | None) -> None:
        if form is not None:
            self._record(row, form)

    @desk_work(group="callbacks-action")
    def _record(self, row: CallbackRow, form: CallbackForm) -> None:
        try:
            detail = self._app.api.record_callback(row.id, form, attempts_seen=row.attempts)
        except ServiceError as exc:
            self.app.call_from_thread(self._failed, row, form, describe(exc))
            return
        self.app.call_from_thread(self._done, detail.id)

    def _failed(self, row: CallbackRow, form: CallbackForm, message: str) -> None:
        self.notify(message, title=_("Not saved"), severity="error")
        self.action_record(form, message)

    def _done(self, ticket_id: int) -> None:
        self.reload()
        self.post_message(TicketChanged(ticket_id))
