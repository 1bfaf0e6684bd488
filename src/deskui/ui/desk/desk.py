"""The desk: queue, ticket detail, callbacks and KPIs.

At 120x35 and more all four panels show; below that one panel at a time, switched with 1-4
(the screen's breakpoint classes `-wide`/`-tall` drive the layout in desk.tcss). The desk
polls the change marker and reloads only what is on screen when another agent changed
something.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from deskui.domain.actors import Action
from deskui.domain.queue import Sort, View
from deskui.i18n import _
from deskui.ui.common.footer import DeskFooter
from deskui.ui.common.header import DeskHeader
from deskui.ui.common.messages import TicketChanged, TicketOpened, TicketSelected
from deskui.ui.common.workers import desk_work
from deskui.ui.queue.queue import QueuePanel, QueueTable, sort_title, view_title
from deskui.ui.textual_compat import localize_bindings, message_sender

if TYPE_CHECKING:
    from deskui.api.queue import QueueWindows
    from deskui.api.types import ChangeBatch, Notice

SWEEP_SECONDS = 60.0  # how often a running desk checks SLA thresholds
SIDE_PANELS_LATEST = 1.0  # seconds after the first rows arrive: the other panels at the latest
FOLLOW_DELAY = 0.06  # seconds the queue cursor must rest before the detail follows it (key
# repeat sends a key every ~30 ms, so holding a key still repaints only the queue)

PANELS = {
    2: ("deskui.ui.ticket.ticket_detail", "TicketDetailPanel", "Ticket"),
    3: ("deskui.ui.callbacks.callback_panel", "CallbackPanel", "Callbacks"),
    4: ("deskui.ui.kpis.kpi_panel", "KpiPanel", "KPIs"),
}


class DeskScreen(Screen[None]):
    CSS_PATH = "desk.tcss"
    HELP_GROUP = "Desk"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (35, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "panel(1)", "Queue"),
        Binding("2", "panel(2)", "Ticket"),
        Binding("3", "panel(3)", "Callbacks"),
        Binding("4", "panel(4)", "KPIs"),
        Binding("n", "new_ticket", "New ticket"),
        Binding("v", "visits", "Visits"),
        Binding("C", "calendar", "Calendar"),
        Binding("M", "reminders", "My reminders"),
        Binding("ctrl+r", "refresh", "Refresh", show=False),
    ]
    panel: reactive[int] = reactive(1)

    def __init__(self) -> None:
        super().__init__(id="desk")
        self._marker: int | None = None
        self._minute: str = ""
        self._selected: int | None = None
        self._follow_timer: Timer | None = None
        self._side_panels_mounted = False
        self._side_panels_ready = False
        self._started = False
        self._polling = False
        self._counting = False
        self.reminders: list[Notice] = []
        self._count_again = False
        localize_bindings(self)

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The size classes Textual sets on the first resize, set now: the first frame is
        # then drawn in its final layout, not in the compact one and again.
        width, height = self.app.size
        for size, points in (
            (width, self.HORIZONTAL_BREAKPOINTS),
            (height, self.VERTICAL_BREAKPOINTS),
        ):
            self.add_class([name for at, name in points if size >= at][-1])
        yield DeskHeader()
        with Container(id="desk-grid"):
            yield QueuePanel(id="panel-1")
            for number, (_module, _name, title) in PANELS.items():
                box = Vertical(id=f"panel-{number}", classes="panel")
                box.border_title = _("{number} {title}").format(number=number, title=_(title))
                yield box  # filled by _mount_side_panels once the queue shows rows
        yield DeskFooter()

    async def _mount_side_panels(self) -> None:
        """Ticket, callbacks and KPIs: built once the queue's first rows are drawn, so that a
        user who opens the desk sees (and can move in) the queue as early as possible."""
        if self._side_panels_mounted:
            return
        self._side_panels_mounted = True
        for number, (module, name, _title) in PANELS.items():
            widget = getattr(importlib.import_module(module), name)()
            await self.query_one(f"#panel-{number}").mount(widget)  # each loads itself
        self._side_panels_ready = True
        if self._selected is not None and not self.compact:
            self._follow_selection()
        if self.panel != 1:
            self.action_panel(self.panel)

    @property
    def queue(self) -> QueuePanel:
        return self.query_one(QueuePanel)

    def panel_widget(self, number: int) -> Widget | None:
        """Panel `number` (1 queue, 2 ticket, 3 callbacks, 4 KPIs); None while it is built."""
        box = self.query_one(f"#panel-{number}")
        if number == 1:
            return box
        return box.children[0] if box.children and self._side_panels_ready else None

    @property
    def compact(self) -> bool:
        return not (self.has_class("-wide") and self.has_class("-tall"))

    def watch_panel(self, old: int, new: int) -> None:
        for number in range(1, 5):
            self.query_one(f"#panel-{number}").set_class(number == new, "-active")

    def action_panel(self, number: int) -> None:
        self.panel = number
        if number != 1 and not self._side_panels_mounted:
            self.run_worker(
                self._mount_side_panels, exit_on_error=False
            )  # focuses the panel once it is there
            return
        self.query_one(f"#panel-{number}").set_class(True, "-active")
        if number == 1:
            self.queue.table.focus()
        else:
            widget = self.panel_widget(number)
            if widget is not None and number == 2 and self.compact and self._selected is not None:
                self._call(widget, "show_ticket", self._selected)
            target = widget if widget is not None and widget.focusable else None
            if target is None and widget is not None:
                target = next((w for w in widget.query("*") if w.focusable), None)
            if target is not None:
                target.focus()

    # -- startup / polling --------------------------------------------------------------------
    def on_mount(self) -> None:
        app: Any = self.app
        self.reader: QueueWindows = app.queue_reader
        table = self.queue.table
        table.reader = self.reader
        self.watch_panel(1, 1)
        table.focus()
        self.queue.apply()
        ticker = getattr(app, "sla_ticker", None)
        if ticker is not None:
            ticker.subscribe(self, self._tick)
        # Counts, polling and the side panels wait for the queue's first rows (below).

    @desk_work(group="desk-sweep", exclusive=True)
    def _sweep(self) -> None:
        """Reminders and escalations (also run by `deskui sla sweep` from cron). Each notice
        happens once whichever desk finds it first; the change-marker poll then shows it.
        Only an embedded desk sweeps (`api.runs_sweep`): a server sweeps for its clients."""
        app: Any = self.app
        try:
            app.api.sweep()
        except Exception:  # a busy or unreachable database: the next sweep catches up
            return

    def _tick(self, now: datetime) -> None:
        self.queue.table.tick(now)
        minute = now.strftime("%H:%M")
        if minute != self._minute:  # at-risk / breached move with time: recount each minute
            first = not self._minute
            self._minute = minute
            if not first:
                self._counts()

    def _poll(self) -> None:
        if not self._polling:
            self._polling = True
            self._poll_marker()

    @desk_work(group="desk-poll")
    def _poll_marker(self) -> None:
        app: Any = self.app
        since = self._marker if self._marker is not None else -1
        try:
            marker: int | None = app.api.changes(since).marker
        except Exception:  # the database (or server) is busy or gone: try next time
            marker = None
        self.app.call_from_thread(self._polled, marker)

    def _polled(self, marker: int | None) -> None:
        """Each poll says whether the database answers; the header shows "reconnecting" while
        it does not, and the desk reloads by itself once it does again (drafts stay)."""
        self._polling = False
        header = self.query(DeskHeader)
        if marker is None:
            if header:
                header.first().set_offline(True)
            return
        if header and header.first().offline:
            header.first().set_offline(False)
            self._marker = marker
            self.refresh_all()
            return
        if self._marker is None:
            self._marker = marker
        elif marker != self._marker:
            self._marker = marker
            self.refresh_all(elsewhere=True)

    def _pushed(self, batch: ChangeBatch | None) -> None:
        """A change the server pushed, or None for a lost connection (any thread): handled
        like a poll's answer."""
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(self._polled, None if batch is None else batch.marker)

    def _noticed(self, notice: Notice) -> None:
        """A reminder or escalation for this agent, pushed by the server (any thread)."""
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(self._show_notice, notice)

    def _show_notice(self, notice: Notice) -> None:
        from deskui.ui.desk.reminders import KEPT, notice_text

        self.reminders = [*self.reminders[-(KEPT - 1) :], notice]
        self.app.notify(notice_text(notice), title=_("Reminder"), timeout=8, markup=False)
        app: Any = self.app
        if app.settings.bell:
            self.app.bell()

    def action_reminders(self) -> None:
        from deskui.ui.desk.reminders import RemindersScreen

        def chosen(ticket_id: int | None) -> None:
            if ticket_id is not None:
                self.post_message(TicketOpened(ticket_id))

        self.app.push_screen(RemindersScreen(list(self.reminders)), chosen)

    def refresh_all(self, *, except_node: Widget | None = None, elsewhere: bool = False) -> None:
        """Something changed: reload the visible window, the counts and the other panels.
        A change made `elsewhere` (another desk, pushed or polled) lets a panel with a
        `changed_elsewhere` method choose when to reload (the KPIs: at most once a minute)."""
        self.queue.table.reload()
        self._counts()
        for number in (2, 3, 4):
            widget = self.panel_widget(number)
            if widget is None or widget is except_node:
                continue
            has_own = elsewhere and callable(getattr(widget, "changed_elsewhere", None))
            self._call(widget, "changed_elsewhere" if has_own else "reload")

    @staticmethod
    def _call(widget: Widget, method: str, *args: Any) -> None:
        function = getattr(widget, method, None)
        if callable(function):
            function(*args)

    def _counts(self, first: bool = False) -> None:
        """Recount the views in a worker; calls while one runs are folded into one more run."""
        if self._counting:
            self._count_again = True
            return
        self._counting = True
        self._count_worker(first)

    @desk_work(group="desk-counts")
    def _count_worker(self, first: bool = False) -> None:
        app: Any = self.app
        try:
            marker = self._marker if self._marker is not None else self.reader.marker()
        except Exception:
            marker = -1
        if first:
            self._marker = marker
        try:
            counts = self.reader.counts(actor_id=app.actor.id, now=app.now(), marker=marker)
        except Exception:  # busy or gone for a moment: the next poll recounts
            counts = None
        self.app.call_from_thread(self._show_counts, counts)

    def _show_counts(self, counts: dict[View, int] | None) -> None:
        self._counting = False
        if self._count_again:
            self._count_again = False
            self._counts()
        if counts is None:
            return
        self.queue.set_counts(counts)
        kpis: tuple[str, ...] = ()
        kpi_panel = self.panel_widget(4)
        flagged = getattr(kpi_panel, "flagged", None)
        if callable(flagged):
            try:
                kpis = tuple(flagged())
            except Exception:
                kpis = ()
        elif isinstance(flagged, list | tuple):
            kpis = tuple(flagged)
        self.query_one(DeskHeader).set_alerts(
            counts.get(View.AT_RISK), counts.get(View.BREACHED), kpis
        )

    def action_refresh(self) -> None:
        self.refresh_all()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_ticket":
            return self.app.actor.may(Action.INTAKE)  # type: ignore[attr-defined]
        return True

    def action_visits(self) -> None:
        """Engineer visits (上门/寄修 appointments), one column for small screens."""
        from deskui.ui.repairs.visits import VisitsScreen

        self.app.push_screen(VisitsScreen())

    def action_calendar(self) -> None:
        """The business calendar: supervisors and admins mark days, others read it."""
        from deskui.ui.calendar.screen import CalendarScreen

        self.app.push_screen(CalendarScreen())

    def on_screen_resume(self) -> None:
        if self._started:
            self._check_calendar()  # back from the calendar screen: it may have changed

    @desk_work(group="desk-calendar", exclusive=True)
    def _check_calendar(self) -> None:
        """Admins and supervisors see an estimated current/next year in the header."""
        from deskui.domain.calendar_views import may_change

        app: Any = self.app
        if not may_change(app.actor):
            return
        try:
            years = app.api.estimated_years(app.now())
        except Exception:  # busy or gone for a moment: the next resume checks again
            return
        self.app.call_from_thread(self.query_one(DeskHeader).set_calendar_warning, years)

    def action_new_ticket(self) -> None:
        """Intake: the form saves through the service; the new ticket opens at once."""
        from deskui.ui.intake.ticket_form import TicketFormScreen

        def opened(ticket_id: int | None) -> None:
            if ticket_id is not None:
                self.refresh_all()  # the form's TicketChanged went to the app, not this screen
                self.post_message(TicketOpened(ticket_id))

        self.app.push_screen(TicketFormScreen(), opened)

    # -- messages -----------------------------------------------------------------------------
    def on_ticket_selected(self, message: TicketSelected) -> None:
        sender = message_sender(message)
        if isinstance(sender, Widget) and not isinstance(sender, QueueTable):
            # another panel's cursor (e.g. callbacks) drives the detail only while it has focus
            focused = self.focused
            if focused is None or sender not in focused.ancestors_with_self:
                return
        self._selected = message.ticket_id
        if not self.compact:
            # Follow the cursor once it rests: holding a key repaints only the queue.
            if self._follow_timer is not None:
                self._follow_timer.stop()
            self._follow_timer = self.set_timer(FOLLOW_DELAY, self._follow_selection)

    def _follow_selection(self) -> None:
        self._follow_timer = None
        detail = self.panel_widget(2)
        if detail is not None:
            self._call(detail, "show_ticket", self._selected)

    def on_queue_table_loaded(self, _message: object) -> None:
        """The queue shows its first rows: now the rest of the desk may start."""
        if self._started:
            return
        self._started = True
        if not gc.isenabled():  # `deskui` paused the collector for start-up (cli.cmd_run)
            gc.freeze()
            gc.enable()
        app: Any = self.app
        self._counts(first=True)
        self._check_calendar()
        app.api.on_notice(self._noticed)  # a server pushes the caller's reminders
        if not app.api.on_change(self._pushed):  # a server pushes; otherwise poll
            self.set_interval(app.settings.refresh_seconds, self._poll, name="desk-poll")
        if app.api.runs_sweep:
            self.set_interval(SWEEP_SECONDS, self._sweep, name="desk-sweep")

        # Once the rows are drawn (QueueTable.Drawn); a queue too short to draw a row still
        # gets its panels, a moment later.
        self.set_timer(SIDE_PANELS_LATEST, self.on_queue_table_drawn)

    def on_queue_table_drawn(self, _message: object = None) -> None:
        if not self._side_panels_mounted:
            self.run_worker(self._mount_side_panels, exit_on_error=False)

    def on_ticket_opened(self, message: TicketOpened) -> None:
        if self._follow_timer is not None:
            self._follow_timer.stop()
            self._follow_timer = None
        self._selected = message.ticket_id
        detail = self.panel_widget(2)
        if detail is not None:
            self._call(detail, "show_ticket", message.ticket_id)
        self.action_panel(2)  # at every size: the ticket's keys (c, w, r, …) work at once

    def on_ticket_changed(self, message: TicketChanged) -> None:
        sender = message_sender(message)
        sender = sender if isinstance(sender, Widget) else None
        self.refresh_all(except_node=sender)

    def on_queue_panel_query_changed(self, _message: QueuePanel.QueryChanged) -> None:
        pass

    # -- command palette ----------------------------------------------------------------------
    def desk_commands(self) -> list[tuple[str, str, Any]]:
        queue = self.queue
        commands: list[tuple[str, str, Any]] = []
        for view in View:
            commands.append(
                (
                    _("View: {name}").format(name=view_title(view)),
                    _("Show this view"),
                    lambda v=view: queue.set_view(v),
                )
            )
        for sort in Sort:
            commands.append(
                (
                    _("Sort: {order}").format(order=sort_title(sort)),
                    _("Order the queue"),
                    lambda s=sort: queue.set_sort(s),
                )
            )
        return commands


__all__ = ["DeskScreen", "QueueTable"]
