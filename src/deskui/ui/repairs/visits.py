"""Engineer visits (上门/寄修 appointments): today's and the coming ones, one column.

Made for a field engineer on a phone SSH app at 80x24: one big row per visit (time, kind,
status; ticket, customer, masked phone; masked address; product), no wide table, no mouse.
By default the signed-in agent's own visits; a supervisor switches engineer with `e`.
Enter opens the repair for an update: record work, add a fee, or complete with the
customer's acceptance (验收).
"""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from deskui.domain.errors import ServiceError
from deskui.i18n import _, describe, formats
from deskui.ui.common.footer import DeskFooter
from deskui.ui.common.safe_text import safe_text
from deskui.ui.common.workers import desk_work
from deskui.ui.repairs.formatting import MENU, is_supervisor, kind_name, status_text
from deskui.ui.textual_compat import localize_bindings

DAYS_AHEAD = 14  # "upcoming": this many days after today
VISIT_ACTIONS = ("work", "fee", "complete")


def mask_address(address: str | None) -> str:
    """Keep the start (city, district), hide the rest: 上海市浦东新区**** ."""
    if not address:
        return "—"
    text = address.strip()
    keep = min(8, max(2, len(text) // 2))
    return text[:keep] + "****"


def day_title(day: date, today: date) -> str:
    if day == today:
        return _("Today {day}").format(day=formats.moment(day, "day"))
    if day == today + timedelta(days=1):
        return _("Tomorrow {day}").format(day=formats.moment(day, "day"))
    return formats.moment(day, "date")


def visit_prompt(v: Any, zone: tzinfo) -> Text:
    """One visit as four short lines (fits 80 columns; data shown literally)."""
    at = v.appointment_at.astimezone(zone)
    text = Text()
    text.append(formats.moment(at, "time"), style="bold reverse")
    text.append("  " + kind_name(v.kind) + "  ", style="bold")
    text.append_text(status_text(v.status))
    if getattr(v, "missed", False):
        text.append("  ⚠ " + _("missed visit: reschedule or record the work"), style="bold red")
    text.append("\n  ")
    text.append(v.ticket_number, style="bold")
    text.append("  ")
    text.append_text(safe_text(v.customer_name, style="bold"))
    text.append("  ☎ " + (v.customer_phone or "—"))
    text.append("\n  ⌂ ")
    text.append_text(safe_text(mask_address(v.address)))
    text.append("\n  ")
    product = " ".join(p for p in (v.product_model, v.product_name) if p) or "—"
    text.append_text(safe_text(product))
    if v.in_warranty:
        text.append("  ✓ " + _("in warranty"), style="green")
    else:
        text.append("  $ " + _("paid repair"), style="yellow")
    return text


class EngineerPicker(ModalScreen[int | None]):
    """A supervisor chooses whose visits to see."""

    DEFAULT_CSS = """
    EngineerPicker { align: center middle; }
    EngineerPicker > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    EngineerPicker OptionList { height: auto; max-height: 16; border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, agents: list[Any], current: int | None) -> None:
        super().__init__()
        localize_bindings(self)
        self.agents = agents
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(_("Whose visits?"), style="bold"))
            options = [
                Option(
                    Text(("● " if a.id == self.current else "○ ") + a.display_name)
                    + Text(f"  {a.team_name or '-'}", style="dim"),
                    id=str(a.id),
                )
                for a in self.agents
            ]
            yield OptionList(*options, id="engineers")

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.focus()
        for index, a in enumerate(self.agents):
            if a.id == self.current:
                menu.highlighted = index

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)


class VisitsScreen(Screen[None]):
    """`v` from the desk, or `deskui visits`."""

    CSS_PATH = "visits.tcss"
    HELP_GROUP = "Visits"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Update repair", show=False),
        Binding("u", "open", "Update repair"),
        Binding("e", "engineer", "Engineer"),
        Binding("ctrl+r", "reload", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, engineer_id: int | None = None) -> None:
        super().__init__(id="visits")
        localize_bindings(self)
        self.engineer_id = engineer_id
        self.engineer_name = ""
        self.visits: list[Any] = []

    @property
    def _app(self) -> Any:
        return self.app

    @property
    def zone(self) -> tzinfo:
        return self._app.zone

    def compose(self) -> ComposeResult:
        yield Static(id="visits-head")
        yield OptionList(id="visits-list")
        yield Static(
            Text(_("No visits today or in the next 14 days."), style="dim"), id="visits-empty"
        )
        yield DeskFooter()

    def on_mount(self) -> None:
        if self.engineer_id is None:
            self.engineer_id = self._app.actor.id
            self.engineer_name = self._app.actor.display_name
        self.query_one("#visits-empty").display = False
        self.query_one(OptionList).focus()
        self.reload()

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        self._load(self.engineer_id)

    @desk_work(group="visits-load", exclusive=True)
    def _load(self, engineer_id: int | None) -> None:
        today = self._app.now().astimezone(self.zone).date()
        # the service's default list: from today on, plus missed visits (never silently gone)
        rows = self._app.api.visits(engineer_id, days=DAYS_AHEAD + 1)
        names = {a.id: a.display_name for a in self._app.api.agents()}
        self.app.call_from_thread(self._show, rows, names.get(engineer_id or 0, ""), today)

    def _show(self, rows: list[Any], name: str, today: date) -> None:
        self.visits = rows
        self.engineer_name = name or self.engineer_name
        head = Text(_("Visits · "), style="bold")
        head.append_text(safe_text(self.engineer_name, style="bold"))
        head.append(
            "  "
            + _("({count})  today {day}").format(
                count=formats.decimal(len(rows)), day=formats.moment(today, "date")
            ),
            style="dim",
        )
        self.query_one("#visits-head", Static).update(head)
        menu = self.query_one(OptionList)
        keep = menu.highlighted_option.id if menu.highlighted_option else None
        menu.clear_options()
        day: date | None = None
        options: list[Option | None] = []
        for v in rows:
            local_day = v.appointment_at.astimezone(self.zone).date()
            if local_day != day:
                day = local_day
                if options:
                    options.append(None)
                options.append(
                    Option(
                        Text("▸ " + day_title(day, today), style="bold underline"), disabled=True
                    )
                )
            options.append(Option(visit_prompt(v, self.zone), id=str(v.repair_id)))
            options.append(None)
        menu.add_options(options)
        self.query_one("#visits-empty").display = not rows
        menu.display = bool(rows)
        shown = [o for o in options if o is not None]
        first = next((i for i, o in enumerate(shown) if not o.disabled), None)
        if keep is not None:
            first = next((i for i, o in enumerate(shown) if o.id == keep), first)
        if first is not None:
            menu.highlighted = first

    @property
    def selected(self) -> Any | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return next((v for v in self.visits if str(v.repair_id) == option.id), None)

    # -- actions -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "engineer":
            return is_supervisor(getattr(self._app, "actor", None))
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_reload(self) -> None:
        self.reload()

    def action_engineer(self) -> None:
        self._pick_engineer()

    @desk_work(group="visits-agents", exclusive=True)
    def _pick_engineer(self) -> None:
        agents = self._app.api.engineers()
        self.app.call_from_thread(self._picker, agents)

    def _picker(self, agents: list[Any]) -> None:
        def chosen(engineer_id: int | None) -> None:
            if engineer_id is not None:
                self.engineer_id = engineer_id
                self.engineer_name = next(
                    (a.display_name for a in agents if a.id == engineer_id), ""
                )
                self.reload()

        self.app.push_screen(EngineerPicker(agents, self.engineer_id), chosen)

    @on(OptionList.OptionSelected, "#visits-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        visit = self.selected
        if visit is not None:
            self._fetch(visit.repair_id, visit.ticket_id, None, None)

    @desk_work(group="visits-fetch", exclusive=True)
    def _fetch(self, repair_id: int, ticket_id: int, draft: Any, error: str | None) -> None:
        try:
            detail = self._app.api.ticket(ticket_id)
            row = self._app.api.repair(repair_id)
        except ServiceError as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error")
            return
        if row is None:
            return
        self.app.call_from_thread(self._menu, detail, row, draft, error)

    def _menu(self, detail: Any, row: Any, draft: Any, error: str | None) -> None:
        from deskui.ui.repairs.repair_dialogs import RepairMenu

        if draft is not None:
            self._dialog(detail, row, draft, error)
            return
        actions = [(name, _(MENU[name]), None) for name in VISIT_ACTIONS]

        def chosen(name: str | None) -> None:
            if name:
                from deskui.ui.repairs.actions import RepairDraft

                self._dialog(detail, row, RepairDraft(name), None)  # type: ignore[arg-type]

        self.app.push_screen(RepairMenu(detail.number, actions), chosen)

    def _dialog(self, detail: Any, row: Any, draft: Any, error: str | None) -> None:
        from deskui.ui.repairs.repair_dialogs import RepairDialog

        def done(result: Any) -> None:
            if result is not None:
                self._perform(detail.id, row.id, result)

        self.app.push_screen(RepairDialog(draft, detail, row, error), done)

    @desk_work(group="visits-action")
    def _perform(self, ticket_id: int, repair_id: int, draft: Any) -> None:
        from deskui.ui.repairs.actions import perform

        try:
            perform(self._app.api, ticket_id, repair_id, draft)
        except (ServiceError, ValueError) as exc:
            self.app.call_from_thread(self._failed, ticket_id, repair_id, draft, describe(exc))
            return
        self.app.call_from_thread(self._done)

    def _failed(self, ticket_id: int, repair_id: int, draft: Any, message: str) -> None:
        self.notify(message, title=_("Not saved"), severity="error")
        self._fetch(repair_id, ticket_id, draft, message)

    def _done(self) -> None:
        self.notify(_("Saved."))
        self.reload()
