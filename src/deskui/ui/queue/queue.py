"""The ticket queue: a Line-API table that reads only the window of rows on screen.

`QueueTable` keeps a small buffer of rows (visible rows plus a margin) positioned by absolute
index; moving past the buffer reads the next window with keyset pagination in a thread worker
(one read at a time), so a million-ticket table scrolls as fast as a hundred-ticket one.
`QueuePanel` adds the view tabs with live counts, the sort/filter line and the search box.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets.input import Selection

from deskui.domain.calendar import Calendar
from deskui.domain.enums import Category, Priority, SlaState, Status
from deskui.domain.queue import (
    WINDOW_MARGIN,
    Query,
    QueueFilter,
    QueueRow,
    Sort,
    View,
    start_key,
)
from deskui.domain.search_tokens import SearchRefused, parse_search
from deskui.domain.sla import SlaPolicy, running_calendar
from deskui.i18n import _, describe, formats, label, language
from deskui.ui.common.lines import Lines
from deskui.ui.common.messages import TicketOpened, TicketSelected
from deskui.ui.common.safe_text import clean
from deskui.ui.common.sla_timer import countdown, working_mark
from deskui.ui.common.states import state_style, symbol
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import frames_shown, localize_bindings, update_scrollbars

if TYPE_CHECKING:
    from deskui.api.queue import QueueWindows
    from deskui.domain.queue import Choice

CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
MARGIN = WINDOW_MARGIN  # rows kept beyond the visible ones on each side
MAX_BUFFER = 400


def view_title(view: View) -> str:
    return {
        View.OPEN: _("Open"),
        View.MINE: _("Mine"),
        View.UNASSIGNED: _("Unassigned"),
        View.AT_RISK: _("At risk"),
        View.BREACHED: _("Breached"),
        View.PENDING: _("Pending customer"),
        View.COMPLAINTS: _("Complaints"),
        View.VIP: _("VIP"),
        View.CALLBACK: _("Awaiting callback"),
        View.ALL: _("All"),
    }[view]


def sort_title(sort: Sort) -> str:
    return {
        Sort.URGENCY: _("SLA urgency"),
        Sort.CREATED: _("Newest"),
        Sort.PRIORITY: _("Priority"),
        Sort.BEST: _("Best match"),
    }[sort]


def no_match_text(term: str) -> str:
    return _("No tickets match “{term}”").format(term=clean(term))


def refusal_text(refused: SearchRefused) -> str:
    values = {k: clean(str(v)) for k, v in refused.values.items()}
    return _(refused.message).format(**values)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    width: int  # 0 = the subject: takes the remaining width

    @property
    def title(self) -> str:
        return {
            "sla": _("SLA"),
            "number": _("Number"),
            "priority": _("Priority"),
            "category": _("Category"),
            "subject": _("Subject"),
            "customer": _("Customer"),
            "assignee": _("Assignee"),
            "status": _("Status"),
        }[self.key]


COLUMNS = (
    Column("sla", 13),  # "✖ -77d 03h w": symbol, countdown, working-time mark (wider in CJK)
    Column("number", 16),
    Column("priority", 9),
    Column("category", 9),
    Column("subject", 0),
    Column("customer", 9),
    Column("assignee", 8),
    Column("status", 11),
)
SUBJECT_MIN = 14  # the subject keeps at least this much; other columns give way first
DROP_ORDER = ("category", "assignee", "customer", "priority", "status")  # least important first


def fit(value: str, cells: int, *, ellipsis: bool = True) -> str:
    """`value` cut or padded to exactly `cells` terminal cells (CJK counts two), with `…`
    where it was cut. Plain strings, not Rich Text: a row is one segment, cheap to draw."""
    length = cell_len(value)
    if length <= cells:
        return value + " " * (cells - length)
    if not ellipsis or cells < 1:
        return set_cell_size(value, cells)
    return set_cell_size(value, cells - 1) + "…"


ENUM_LABELS = {"priority": Priority, "category": Category, "status": Status}


@lru_cache(maxsize=8)
def _cells_in(lang: str) -> dict[str, int]:
    """Each column's width in language `lang` (the one active when called): a priority,
    category or status column as wide as its widest label or its title, up to its declared
    width; the SLA column as wide as a two-digit-day countdown with its working-time mark
    (Chinese units are wide: "✖ -77天03时 工")."""
    cells = {}
    for column in COLUMNS:
        width = column.width
        if column.key in ENUM_LABELS:
            widest = max(cell_len(label(value)) for value in ENUM_LABELS[column.key])
            width = min(width, max(widest, cell_len(column.title)))
        elif column.key == "sla":
            sample = formats.countdown(-timedelta(days=77, hours=3))
            width = max(width, cell_len(f"{symbol(SlaState.BREACHED)} {sample} {working_mark()}"))
        cells[column.key] = width
    return cells


def layout_columns(width: int) -> list[tuple[Column, int]]:
    """The columns that fit `width` cells: the least important give way first (DROP_ORDER),
    the subject takes what is left."""
    shown = list(COLUMNS)
    cells = _cells_in(language())

    def fixed() -> int:
        return sum(cells[c.key] for c in shown) + len(shown) - 1

    for key in DROP_ORDER:
        if fixed() + SUBJECT_MIN <= width:
            break
        shown = [c for c in shown if c.key != key]
    flex = max(8, width - fixed())
    return [(c, cells[c.key] or flex) for c in shown]


def row_calendar(row: QueueRow, policy: SlaPolicy | None) -> Calendar | None:
    """The calendar of the row's running target (the domain decides), None without a policy."""
    if policy is None or row.next_due_at is None or not row.is_open:
        return None
    name = running_calendar(
        policy,
        row.priority,
        row.category,
        row.tier,
        row.created_at,
        row.next_due_at,
        row.resolve_due_at,
    )
    return policy.calendar(name)


def row_sla(
    row: QueueRow, now: datetime, policy: SlaPolicy | None = None
) -> tuple[SlaState | None, str]:
    """State and countdown; with a policy the countdown runs on the target's own calendar
    (working time, marked, for business targets), the clock its at-risk mark is judged on."""
    if not row.is_open:
        return countdown(
            now, due=None, warn=None, stopped_at=row.resolved_at, stopped_due=row.resolve_due_at
        )
    return countdown(
        now,
        due=row.next_due_at,
        warn=row.next_warn_at,
        paused_at=row.paused_at,
        stopped_due=row.resolve_due_at,
        calendar=row_calendar(row, policy),
    )


class QueueTable(ScrollView, can_focus=True):
    """Rows of the current query; only the visible window is ever read."""

    HELP_GROUP = "Queue"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue--header",
        "queue--cursor",
        "queue--loading",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "open", "Open ticket"),
    ]

    class Loaded(Message):
        """A read finished (the rows on screen are current)."""

    class Drawn(Message):
        """The first answer (rows, or that there are none) has been drawn: the desk builds
        its other panels after this, so they never delay the queue's first frame."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.query_spec = Query()
        self.total = 0
        self.rows: list[QueueRow] = []
        self.base = 0
        self.cursor = 0
        self._generation = 0
        self._loads = 0  # queries shown so far (load), and the one whose rows are on screen
        self._shown_load = 0
        self._drawn = False
        self._busy = False
        self._pending_jump: str | None = None
        self._selected_id: int | None = None
        self._lines: LRUCache[tuple[Any, ...], Strip] = LRUCache(512)
        self._shown_sla: dict[int, str] = {}
        self.reader: QueueWindows | None = None
        self.type_ahead: Input | None = None  # the search box keys typed after `/` go to
        self.open_search: Any = None  # set by the panel: opens the search box, returns it
        self.submit_search: Any = None  # and searches for a text at once
        localize_bindings(self)

    @property
    def reading(self) -> bool:
        """The query on screen is still being read (its rows are not there yet)."""
        return self._shown_load != self._loads

    # -- keys typed ahead of the search box's focus ---------------------------------------
    async def on_key(self, event: events.Key) -> None:
        """`/` opens the search box here, not through the binding: the app hands each queued
        key to the widget focused when it takes the key from its queue, and the box's focus
        moves only after that (`Widget.focus` is deferred), so keys typed right after `/`
        (a fast typist, a paste, tmux send-keys) still arrive at this table. They are typed
        into the box, and Enter submits it, in the order they came."""
        box = self.type_ahead
        if box is not None and not box.display:
            box = self.type_ahead = None
        if box is None and event.key == "slash" and self.open_search is not None:
            event.stop()
            event.prevent_default()
            self.type_ahead = self.open_search()
            return
        if box is None:
            return
        event.stop()
        event.prevent_default()
        if event.key == "enter" and self.submit_search is not None:
            self.submit_search(box.value)  # now: a `/` typed next opens the box again
        elif event.key == "escape":
            self.type_ahead = None
            box.display = False
            self.focus()
        elif event.key == "backspace":
            box.action_delete_left()
        elif event.is_printable and event.character:
            selection = box.selection  # the current term, selected when the box opened
            if selection.is_empty:
                box.insert_text_at_cursor(event.character)
            else:
                box.replace(event.character, *selection)

    # -- helpers ------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return self.app.now()  # type: ignore[attr-defined]

    def _policy(self) -> SlaPolicy | None:
        """The site's SLA policy (a domain object) when the app has an API."""
        api = getattr(self.app, "api", None)
        return None if api is None else api.sla_policy()

    @property
    def page_rows(self) -> int:
        return max(1, self.size.height - 1)

    def row_at(self, index: int) -> QueueRow | None:
        offset = index - self.base
        if 0 <= offset < len(self.rows):
            return self.rows[offset]
        return None

    @property
    def current(self) -> QueueRow | None:
        return self.row_at(self.cursor)

    def _set_virtual(self) -> None:
        """Scroll range for `total` rows. The table's own size does not depend on it, so
        only the scrollbars are updated, without the full-screen layout that assigning
        `virtual_size` would ask for (scrollbars appearing still ask for one)."""
        size = Size(self.size.width, self.total + 1)
        if size != self.virtual_size:
            self.set_reactive(QueueTable.virtual_size, size)
            update_scrollbars(self, size)

    # -- loading ------------------------------------------------------------------------------
    def load(self, query: Query, total: int | None = None) -> None:
        """Show another query (view/sort/filter): start from the top."""
        self.query_spec = query
        self._generation += 1
        self._loads += 1
        self._pending_jump = None
        self.rows, self.base, self.cursor = [], 0, 0
        if total is not None:
            self.total = total
        self._lines.clear()
        self.scroll_to(y=0, animate=False, immediate=True)
        early = None if self.reader is None else self.reader.prefetched(query, self._first_rows)
        if early is not None:  # read while the desk started: show it with the first paint
            self._applied(self._generation, early[1], 0, early[0])
            return
        self._fetch(("reset", None), self._generation)

    @property
    def _first_rows(self) -> int:
        # Before the first layout the table has no height yet: the screen's is a safe bound,
        # and one read then covers what the first paint shows.
        return max(self.page_rows, self.app.size.height) + MARGIN

    def reload(self) -> None:
        """Re-read the rows on screen (the change marker moved)."""
        self._fetch(("reload", None), self._generation)

    def _needed(self) -> tuple[int, int]:
        top = int(self.scroll_y)
        lo = max(0, top - MARGIN // 2)
        hi = min(self.total, top + self.page_rows + MARGIN // 2)
        return lo, hi

    def _ensure_window(self) -> None:
        if self._busy or self.reader is None:
            return
        lo, hi = self._needed()
        have_lo, have_hi = self.base, self.base + len(self.rows)
        if hi <= lo or (have_lo <= lo and hi <= have_hi):
            return
        self._fetch(("extend", (lo, hi)), self._generation)

    def _fetch(self, plan: tuple[str, Any], generation: int) -> None:
        if self.reader is None:
            return
        if self._busy:
            if plan[0] in ("reset", "reload"):
                self._pending_plan = plan
            return
        self._busy = True
        self._read(plan, generation, self.query_spec, list(self.rows), self.base, self.total)

    @desk_work(group="queue-window")
    def _read(
        self,
        plan: tuple[str, Any],
        generation: int,
        query: Query,
        rows: list[QueueRow],
        base: int,
        total: int,
    ) -> None:
        reader = self.reader
        assert reader is not None
        kind, arg = plan
        height = self.page_rows
        new_total: int | None = total
        try:
            if kind == "reset":
                new_total, rows = reader.first(query, self._first_rows)
                base = 0
            elif kind == "reload":
                new_total = reader.count(query)
                if rows:
                    rows = reader.after(query, rows[0].key, len(rows), inclusive=True)
                else:
                    rows = reader.after(query, start_key(query.sort), height + MARGIN)
                    base = 0
                base = max(0, min(base, new_total - len(rows)))
            elif kind == "first":
                rows, base = reader.after(query, start_key(query.sort), height + MARGIN), 0
            elif kind == "last":
                new_total, rows = reader.last(query, height + MARGIN)
                base = max(0, new_total - len(rows))
            else:
                lo, hi = arg
                rows, base = self._extend(reader, query, rows, base, lo, hi)
                new_total = None  # a window read keeps the count read with the query
        except Exception as exc:  # a read failed: show it, keep the old rows
            self.app.call_from_thread(self.notify, clean(describe(exc))[:200], severity="error")
            self.app.call_from_thread(self._applied, generation, None, 0, total)
            return
        self.app.call_from_thread(self._applied, generation, rows, base, new_total)

    @staticmethod
    def _extend(
        reader: QueueWindows, query: Query, rows: list[QueueRow], base: int, lo: int, hi: int
    ) -> tuple[list[QueueRow], int]:
        have_lo, have_hi = base, base + len(rows)
        near = rows and lo <= have_hi + MARGIN * 4 and hi >= have_lo - MARGIN * 4
        if not near:
            if lo == 0:
                return reader.after(query, start_key(query.sort), hi - lo + MARGIN), 0
            return reader.at(query, lo, hi - lo + MARGIN), lo
        if hi > have_hi:
            more = reader.after(query, rows[-1].key, hi - have_hi + MARGIN)
            rows = rows + more
        if lo < have_lo:
            more = reader.before(query, rows[0].key, have_lo - lo + MARGIN)
            rows = more + rows
            base -= len(more)
        if len(rows) > MAX_BUFFER:  # keep the part around the request
            start = max(0, min(lo - base - MARGIN, len(rows) - MAX_BUFFER))
            rows = rows[start : start + MAX_BUFFER]
            base += start
        return rows, max(0, base)

    def _applied(
        self, generation: int, rows: list[QueueRow] | None, base: int, total: int | None
    ) -> None:
        self._busy = False
        pending = getattr(self, "_pending_plan", None)
        self._pending_plan = None
        if generation == self._generation and rows is not None:
            self._shown_load = self._loads
            self.rows, self.base = rows, base
            if total is not None:
                self.total = total
            self._set_virtual()
            if self._pending_jump == "last":
                self.cursor = max(0, self.total - 1)
                self._scroll_to_cursor()
            elif self._pending_jump == "first":
                self.cursor = 0
                self.scroll_to(y=0, animate=False, immediate=True)
            self._pending_jump = None
            self.cursor = min(self.cursor, max(0, self.total - 1))
            self._lines.clear()
            self.refresh()
            self._announce()
            self.post_message(self.Loaded())
        elif generation == self._generation:
            self._pending_jump = None  # the read failed: stay where the cursor is
            self._shown_load = self._loads
            self.post_message(self.Loaded())
        if pending is not None:
            self._fetch(pending, self._generation)
        else:
            self._ensure_window()

    # -- cursor -------------------------------------------------------------------------------
    def _announce(self) -> None:
        row = self.current
        ticket_id = row.id if row is not None else None
        if ticket_id != self._selected_id and (row is not None or self.total == 0):
            self._selected_id = ticket_id
            self.post_message(TicketSelected(ticket_id))

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        rows = self.page_rows
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if self.total == 0:
            return
        index = max(0, min(self.total - 1, index))
        old = self.cursor
        self.cursor = index
        self._scroll_to_cursor()
        self._refresh_index(old)
        self._refresh_index(index)
        self._ensure_window()
        self._announce()

    def _refresh_index(self, index: int) -> None:
        y = index - int(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * self.page_rows)

    def action_first(self) -> None:
        if self.base != 0 or not self.rows:
            self._jump(("first", None), "first")  # moves once the rows are there
            return
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self._announce()

    def action_last(self) -> None:
        if self.total == 0:
            return
        if self.base + len(self.rows) < self.total:
            self._jump(("last", None), "last")  # moves once the rows are there
            return
        self.cursor = self.total - 1
        self._scroll_to_cursor()
        self.refresh()
        self._announce()

    def _jump(self, plan: tuple[str, Any], end: str) -> None:
        """Read the window at the far end, then move there (`_applied`): the table is drawn
        once, with the new rows, and the scroll starts no second read beside this one."""
        self._pending_jump = end
        self._generation += 1
        self._busy = False
        self._fetch(plan, self._generation)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(TicketOpened(row.id))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._ensure_window()

    def on_resize(self) -> None:
        self._set_virtual()
        self._lines.clear()
        self._ensure_window()

    def on_click(self, event: Any) -> None:
        y = getattr(event, "y", 0)
        if y >= 1:
            self.move_to(int(self.scroll_y) + y - 1)

    # -- timer --------------------------------------------------------------------------------
    def tick(self, now: datetime) -> None:
        """Repaint only the lines whose countdown text changed."""
        top = int(self.scroll_y)
        for y in range(1, self.size.height):
            row = self.row_at(top + y - 1)
            if row is None:
                continue
            shown = "|".join(map(str, row_sla(row, now, self._policy())))
            if self._shown_sla.get(row.id) != shown:
                self.refresh(Region(0, y, self.size.width, 1))

    # -- rendering ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        # the scrollbar takes the last cell: rows are laid out in what is left of the width
        width = self.scrollable_content_region.width or self.size.width
        base_style = self.rich_style
        if y == 0:
            return self._header(width).apply_style(base_style)
        if y == 1 and not self._drawn and self._shown_load and frames_shown(self):
            self._drawn = True
            self.post_message(self.Drawn())  # handled once this frame is on the screen
        index = int(self.scroll_y) + y - 1
        if index >= self.total:
            if y == 1 and self.total == 0 and not self.reading:
                return self._empty_line(width).apply_style(base_style)
            return Strip.blank(width, base_style)
        row = self.row_at(index)
        if row is None:  # not read yet: a placeholder, and one request for the rows
            if not self._busy:
                self.call_after_refresh(self._ensure_window)
            key = ("loading", width)
            strip = self._lines.get(key)
            if strip is None:
                style = self.get_component_rich_style("queue--loading")
                strip = Strip([Segment("…".ljust(width), style)], width)
                self._lines[key] = strip
            return strip.apply_style(base_style)
        state, shown = row_sla(row, self._now(), self._policy())
        self._shown_sla[row.id] = f"{state}|{shown}"
        key = (row, index == self.cursor, width, state, shown, language(), self.has_focus)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._row_strip(row, state, shown, width, index == self.cursor)
            self._lines[key] = strip
        return strip.apply_style(base_style)

    def _empty_line(self, width: int) -> Strip:
        """What an empty result says, in the table itself: the term it did not find."""
        term = self.query_spec.filter.search
        message = no_match_text(term) if term else _("No tickets in this view")
        style = self.get_component_rich_style("queue--loading")
        return Strip([Segment(fit(" " + message, width, ellipsis=True), style)], width)

    def _header(self, width: int) -> Strip:
        key = ("header", width, language())
        strip = self._lines.get(key)
        if strip is None:
            line = " ".join(fit(column.title, cells) for column, cells in layout_columns(width))
            style = self.get_component_rich_style("queue--header")
            strip = Strip([Segment(fit(line, width, ellipsis=False), style)], width)
            self._lines[key] = strip
        return strip

    def _row_strip(
        self, row: QueueRow, state: SlaState | None, shown: str, width: int, selected: bool
    ) -> Strip:
        style = state_style(state, self.app) if state is not SlaState.ON_TRACK else Style()
        if selected:
            cursor = self.get_component_rich_style("queue--cursor")
            if style.reverse:  # a reversed (breached, no colour) row: the cursor underlines it
                cursor = Style(underline=True, bold=True)
            style = style + cursor
        line = " ".join(
            fit(self._cell(row, column.key, state, shown), cells)
            for column, cells in layout_columns(width)
        )
        return Strip([Segment(fit(line, width, ellipsis=False), style)], width)

    @staticmethod
    def _cell(row: QueueRow, key: str, state: SlaState | None, shown: str) -> str:
        if key == "sla":
            return f"{symbol(state)} {shown}"
        if key == "number":
            return row.number
        if key == "priority":
            return label(row.priority)
        if key == "category":
            return label(row.category)
        if key == "subject":
            vip = "★ " if row.tier.value == "vip" else ""
            return vip + clean(row.subject)
        if key == "customer":
            return clean(row.customer_name)
        if key == "assignee":
            return clean(row.assignee_name) if row.assignee_name else "—"
        return label(row.status)


class ViewBar(Lines):
    """One line of view tabs with their counts; the active one is bracketed as well as styled."""

    def __init__(self) -> None:
        super().__init__("", id="queue-views")
        self.active = View.OPEN
        self.counts: dict[View, int] = {}

    def show(self, active: View, counts: dict[View, int] | None = None) -> None:
        self.active = active
        if counts is not None:
            self.counts = counts
        self.refresh_text()

    def refresh_text(self) -> None:
        parts: list[Text] = []
        for view in View:
            count = self.counts.get(view)
            shown = f"{view_title(view)} {count if count is not None else '…'}"
            if view is self.active:
                parts.append(Text(f"[{shown}]", style="bold reverse", end=""))
            else:
                style = "bold red" if view is View.BREACHED and count else ""
                style = style or ("bold yellow" if view is View.AT_RISK and count else "")
                parts.append(Text(f" {shown} ", style=style, end=""))
        # keep the active tab visible at any width: start a little before it
        width = max(20, self.size.width or 80)
        index = list(View).index(self.active)
        start = 0
        while start < index and sum(p.cell_len for p in parts[start : index + 1]) > width - 2:
            start += 1
        line = Text("‹" if start else "", end="", no_wrap=True, overflow="crop")
        for i, part in enumerate(parts[start:], start):
            last = i == len(parts) - 1
            if line.cell_len + part.cell_len > width - (0 if last else 1):
                line.append("›")  # whole tabs only; more to the right
                break
            line.append_text(part)
        self.update(line)

    def on_resize(self) -> None:
        self.refresh_text()


class QueuePanel(Vertical):
    """View tabs, the table, a status line (sort / filters) and the `/` search box."""

    DEFAULT_CSS = CSS
    HELP_GROUP = "Queue"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "next_view(1)", "Next view"),
        Binding("left_square_bracket", "next_view(-1)", "Prev view", show=False),
        Binding("s", "cycle_sort", "Sort"),
        Binding("f", "filter", "Filter"),
        Binding("slash", "search", "Search"),
        Binding("x", "clear_filters", "Clear filters", show=False),
    ]

    class QueryChanged(Message):
        def __init__(self, query: Query) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        start = Query()  # the store's defaults, which the CLI prefetches
        self.view, self.sort, self.filter = start.view, start.sort, start.filter
        self.counts: dict[View, int] = {}
        self.notice: str | None = None  # why the last search was refused
        self.border_title = _("Queue")
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        yield ViewBar()
        yield QueueTable(id="queue-table")
        yield Lines("", id="queue-status")
        search = Input(
            placeholder=_("Search number, subject, customer, phone…"),
            id="queue-search",
            select_on_focus=False,
        )
        search.display = False
        yield search

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    def on_mount(self) -> None:
        self.query_one(ViewBar).show(self.view, self.counts)
        self.table.open_search = self.open_search_box
        self.table.submit_search = self.submit_search
        self._status()

    def current_query(self) -> Query:
        app: Any = self.app
        return Query(
            view=self.view, sort=self.sort, filter=self.filter, actor_id=app.actor.id, now=app.now()
        )

    def apply(self) -> None:
        query = self.current_query()
        self.table.load(query, self.counts.get(self.view) if not self.filter.active else None)
        self.query_one(ViewBar).show(self.view)
        self._status()
        self.post_message(self.QueryChanged(query))

    def set_counts(self, counts: dict[View, int]) -> None:
        self.counts = counts
        self.query_one(ViewBar).show(self.view, counts)

    def set_view(self, view: View) -> None:
        self.view = view
        self.apply()

    def set_sort(self, sort: Sort) -> None:
        self.sort = sort
        self.apply()

    def set_filter(self, flt: QueueFilter) -> None:
        self.filter = flt
        self.apply()

    def _status(self) -> None:
        parts = [_("Sort: {order}").format(order=sort_title(self.sort))]
        flt = self.filter
        for name, value in (
            (_("Category"), flt.category),
            (_("Priority"), flt.priority),
            (_("Status"), flt.status),
            (_("Channel"), flt.channel),
        ):
            if value is not None:
                parts.append(f"{name}: {label(value)}")
        if flt.team_id is not None:
            parts.append(_("Team: #{id}").format(id=flt.team_id))
        if flt.assignee_id is not None:
            parts.append(_("Assignee: #{id}").format(id=flt.assignee_id))
        table = self.query_one(QueueTable)
        if self.notice:
            parts.append(self.notice)
        if flt.search and table.reading:
            parts.append(_("Searching “{term}”…").format(term=clean(flt.search)))
        elif flt.search:
            parts.append(_("Search: {text}").format(text=clean(flt.search)))
            if table.total == 0:
                parts.append(no_match_text(flt.search))
        if not table.reading:
            parts.append(f"{min(table.cursor + 1, table.total)}/{table.total}")
        self.query_one("#queue-status", Lines).update(Text("  ·  ".join(parts), end=""))

    def on_queue_table_loaded(self, _message: QueueTable.Loaded) -> None:
        self._status()

    @on(TicketSelected)
    def _selected(self, _message: TicketSelected) -> None:
        self._status()

    def action_next_view(self, step: int) -> None:
        views = list(View)
        self.set_view(views[(views.index(self.view) + step) % len(views)])

    def action_cycle_sort(self) -> None:
        # Best match orders a search's results; without one it is not offered.
        sorts = [s for s in Sort if s is not Sort.BEST or self.filter.search]
        at = sorts.index(self.sort) if self.sort in sorts else -1
        self.set_sort(sorts[(at + 1) % len(sorts)])

    def action_search(self) -> None:
        self.open_search_box()

    def open_search_box(self) -> Input:
        search = self.query_one("#queue-search", Input)
        search.display = True
        search.value = self.filter.search or ""
        # The current term, selected: typing replaces it, arrows edit it. Selected here, not
        # on focus, which comes later and would select what was typed ahead of it.
        search.selection = Selection(0, len(search.value))
        search.focus()
        return search

    def action_clear_filters(self) -> None:
        self.notice = None
        if self.sort is Sort.BEST:
            self.sort = Sort.URGENCY
        self.set_filter(QueueFilter())

    @on(Input.Submitted, "#queue-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit_search(event.value)

    def submit_search(self, value: str) -> None:
        """Search for `value` (empty: stop searching). A refused search keeps the box open
        with the text, and the status line says why; a new search is ordered best match
        first (`s` picks another order)."""
        term = value.strip() or None
        search = self.query_one("#queue-search", Input)
        try:
            parse_search(term or "")
        except SearchRefused as refused:
            self.notice = refusal_text(refused)
            self._status()
            search.focus()
            return
        self.notice = None
        if term is None and self.sort is Sort.BEST:
            self.sort = Sort.URGENCY
        elif term is not None and term != self.filter.search:
            self.sort = Sort.BEST
        self.set_filter(self.filter.with_(search=term))  # the read starts before the relayout
        search.display = False
        self.table.type_ahead = None
        self.table.focus()

    def key_escape(self) -> bool | None:
        search = self.query_one("#queue-search", Input)
        if search.display:
            search.display = False
            self.table.type_ahead = None
            if self.notice:
                self.notice = None
                self._status()
            self.table.focus()
            return True
        return None

    def action_filter(self) -> None:
        from deskui.ui.queue.filter_dialog import FilterDialog

        self._open_filter(FilterDialog)

    @desk_work(group="queue-choices")
    def _open_filter(self, dialog: Any) -> None:
        reader = self.table.reader
        if reader is None:
            return
        teams, agents = reader.choices()
        self.app.call_from_thread(self._show_filter, dialog, teams, agents)

    def _show_filter(self, dialog: Any, teams: list[Choice], agents: list[Choice]) -> None:
        def done(result: QueueFilter | None) -> None:
            if result is not None:
                self.set_filter(result.with_(search=self.filter.search))

        self.app.push_screen(dialog(self.filter, teams, agents), done)
