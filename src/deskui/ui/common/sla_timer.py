"""SLA countdowns: one app-wide ticker, and a small widget that repaints only when its text changes.

State is shown by a symbol as well as a colour so it reads in 16 colours and monochrome; both
come from the one vocabulary in `ui.common.states`.

A countdown runs on its target's calendar, the clock "at risk" is judged on: working time for a
business-calendar target (marked with `w`, 工 in Chinese: it stands still overnight), clock
time for a 24x7 target (no mark).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import App
from textual.reactive import reactive
from textual.signal import Signal
from textual.widget import Widget

from deskui.domain import sla
from deskui.domain.calendar import Calendar, RoundTheClock
from deskui.domain.enums import SlaState
from deskui.i18n import _, formats, label
from deskui.ui.common.states import style_text, symbol


def working_mark() -> str:
    """The mark after a countdown in working time ("w"; 工 in Chinese)."""
    return _("w")


def clock_name(calendar: Calendar | None) -> str:
    """'working time' or 'clock time', for the detail panel and dialogs."""
    if calendar is None or isinstance(calendar, RoundTheClock):
        return _("clock time")
    return _("working time")


def countdown(
    now: datetime,
    *,
    due: datetime | None,
    warn: datetime | None,
    paused_at: datetime | None = None,
    stopped_at: datetime | None = None,
    stopped_due: datetime | None = None,
    calendar: Calendar | None = None,
) -> tuple[SlaState | None, str]:
    """The state and the text to show for one running (or stopped / paused) target.

    `due`/`warn` are the running target (a ticket's `next_due_at`/`next_warn_at`); a paused
    or finished ticket has none, so `stopped_due` (its resolution due) judges it instead.
    `calendar` is the running target's calendar: the countdown is time left on it, the same
    clock its at-risk instant was computed on (clock time without one).
    """
    if stopped_at is not None and stopped_due is not None:
        state = sla.state(stopped_due, stopped_due, now, stopped_at=stopped_at)
        return state, label(state)
    if paused_at is not None:
        if stopped_due is not None and paused_at > stopped_due:
            return SlaState.BREACHED, label(SlaState.PAUSED)
        return SlaState.PAUSED, label(SlaState.PAUSED)
    if due is None or warn is None:
        return None, "–"
    state = sla.state(due, warn, now)
    working = calendar is not None and not isinstance(calendar, RoundTheClock)
    left = sla.remaining(due, now, calendar)
    if working:
        assert calendar is not None
        # working days of the calendar's length: "1d 03h w" is one working day and 3 hours
        return state, f"{formats.countdown(left, calendar.day_length)} {working_mark()}"
    return state, formats.countdown(left)


def sla_text(state: SlaState | None, shown: str, width: int | None = None, app: Any = None) -> Text:
    """`✖ -0h 05m` with the state's style; padded/cropped to `width` cells when given."""
    text = Text(f"{symbol(state)} {shown}", style=style_text(state, app), end="")
    if width is not None:
        text.truncate(width, overflow="crop", pad=True)
    return text


class SlaTicker:
    """The one app-wide timer: publishes `now` once a second to every subscriber."""

    def __init__(self, app: App, clock: Callable[[], datetime], interval: float = 1.0) -> None:
        self.signal: Signal[datetime] = Signal(app, "sla-tick")
        self._app = app
        self._clock = clock
        self._interval = interval
        self._timer = None

    def start(self) -> None:
        if self._timer is None:
            self._timer = self._app.set_interval(self._interval, self.tick, name="sla-ticker")

    def tick(self) -> None:
        self.signal.publish(self._clock())

    def subscribe(self, node: Widget, callback: Callable[[datetime], object]) -> None:
        self.signal.subscribe(node, callback)


class SlaTimer(Widget):
    """One countdown (e.g. in the ticket detail). `set_target(...)`; repaints only on change."""

    DEFAULT_CSS = """
    SlaTimer { width: auto; height: 1; }
    """
    shown: reactive[str] = reactive("", layout=True)

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ):
        super().__init__(name=name, id=id, classes=classes)
        self._target: dict[str, datetime | None] = {}
        self._state: SlaState | None = None

    def set_target(
        self,
        due: datetime | None,
        warn: datetime | None,
        *,
        paused_at: datetime | None = None,
        stopped_at: datetime | None = None,
        stopped_due: datetime | None = None,
    ) -> None:
        self._target = {
            "due": due,
            "warn": warn,
            "paused_at": paused_at,
            "stopped_at": stopped_at,
            "stopped_due": stopped_due,
        }
        self._update(self._now())

    @property
    def state(self) -> SlaState | None:
        return self._state

    def _now(self) -> datetime:
        now = getattr(self.app, "now", None)
        return now() if callable(now) else datetime.now().astimezone()

    def on_mount(self) -> None:
        ticker = getattr(self.app, "sla_ticker", None)
        if isinstance(ticker, SlaTicker):
            ticker.subscribe(self, self._update)

    def _update(self, now: datetime) -> None:
        if not self._target:
            return
        state, shown = countdown(now, **self._target)  # type: ignore[arg-type]
        key = f"{state}|{shown}"
        if key != self.shown:  # reactive: a repaint only when the text or state changed
            self._state = state
            self.shown = key

    def render(self) -> Text:
        if not self._target:
            return Text("")
        state, _, shown = self.shown.partition("|")
        return sla_text(SlaState(state) if state != "None" else None, shown, app=self.app)
