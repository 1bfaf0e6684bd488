"""Repairs (维修) and replacement (更换) in the ticket detail: records, fees, actions.

The section shows every repair of the ticket (kind, engineer, appointment, status as a sign
and a word, diagnosis, work done, parts, fees by kind with a total, quote and acceptance, fee
approval) and the warranty that applies. Its actions open `repair_dialogs`; the service
call runs in a thread worker and a refused save reopens the dialog with what was typed and
the service's message. Keys: `R` opens the repair menu, `P` the replacement dialog (bindings
of the detail panel); every action is also a command-palette entry (this widget's bindings).
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from deskui.domain.errors import ServiceError
from deskui.domain.rows import TicketDetail
from deskui.i18n import _, describe
from deskui.ui.common.lines import Lines
from deskui.ui.common.messages import TicketChanged
from deskui.ui.common.workers import desk_work

# -- names, signs and field access (the backend's rows, read defensively) -----------------
from deskui.ui.repairs.formatting import (
    MENU,
    MENU_KEYS,
    PALETTE,
    RepairRecords,
    describe_repair,
    describe_replacement,
    field,
    is_active,
    is_supervisor,
    read_repairs,
    warranty_summary,
)
from deskui.ui.textual_compat import SizedByLayout, localize_bindings


class RepairsSection(SizedByLayout, Vertical, can_focus=False):
    """The repairs of the shown ticket; `show(detail)` reloads them in a worker."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_GROUP = "Repair menu (R)"
    # Palette entries (the keys work inside the repair menu, opened with R).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(MENU_KEYS[name], f"repair('{name}')", PALETTE[name], show=False) for name in MENU
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        localize_bindings(self)
        self.detail: TicketDetail | None = None
        self.repairs: list[Any] = []

    @property
    def _app(self) -> Any:
        return self.app

    @property
    def zone(self) -> tzinfo:
        return self._app.zone

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Repairs"), style="bold underline"), id="repairs-title")
        yield Lines(id="repairs-warranty")
        yield Lines(id="repairs-list")

    # -- loading -----------------------------------------------------------------------
    def show(self, detail: TicketDetail | None, loaded: RepairRecords | None = None) -> None:
        """Show the repairs of `detail`: those read with it, else read them in a worker."""
        self.detail = detail
        if detail is None:
            self.repairs = []
            return
        if loaded is not None:
            self._show(detail.id, *loaded)
            return
        self._load(detail.id)

    def reload(self) -> None:
        if self.detail is not None:
            self._load(self.detail.id)

    @desk_work(group="repairs-load", exclusive=True)
    def _load(self, ticket_id: int) -> None:
        repairs, replaced = read_repairs(self._app.api, ticket_id)
        self.app.call_from_thread(self._show, ticket_id, repairs, replaced)

    def _show(self, ticket_id: int, repairs: list[Any], replaced: list[Any]) -> None:
        if self.detail is None or self.detail.id != ticket_id:
            return
        self.repairs = repairs
        today = self._app.now().astimezone(self.zone).date()
        self.query_one("#repairs-warranty", Lines).update(warranty_summary(self.detail, today))
        blocks: list[Any] = []
        for repair in repairs:
            blocks.append(describe_repair(repair, self.zone))
        for replacement in replaced:
            blocks.append(describe_replacement(replacement, self.zone))
        if not blocks:
            blocks.append(Text(_("No repair yet. R: repair menu, P: replacement"), style="dim"))
        self.query_one("#repairs-list", Lines).update(Group(*blocks))
        self.refresh_bindings()  # which repair actions apply depends on the repairs read

    # -- which actions apply -------------------------------------------------------------
    @property
    def active(self) -> Any | None:
        """The repair the actions apply to: the latest one not completed or cancelled."""
        for repair in reversed(self.repairs):
            if is_active(repair):
                return repair
        return None

    def refusal(self, name: str) -> str | None:
        """Why an action cannot be chosen now (None when it can); the service decides last."""
        if self.detail is None:
            return _("No ticket selected.")
        actor = getattr(self._app, "actor", None)
        if name == "approve" and not is_supervisor(actor):
            return _("Supervisors only.")
        if name == "replace":
            return None if self.detail.device is not None else _("The ticket has no device.")
        if name == "schedule":
            if not self.detail.status.is_open:
                return _("The ticket is not open.")
            return None if self.active is None else _("A repair is already open.")
        return None if self.active is not None else _("No open repair.")

    def available(self) -> list[tuple[str, str, str | None]]:
        """(action, description, refusal) for the menu; approve is hidden from non-supervisors."""
        actor = getattr(self._app, "actor", None)
        return [
            (name, _(MENU[name]), self.refusal(name))
            for name in MENU
            if name != "approve" or is_supervisor(actor)
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "repair" and parameters:
            name = str(parameters[0])
            if name == "approve" and not is_supervisor(getattr(self._app, "actor", None)):
                return False
            return self.refusal(name) is None or None
        return True

    # -- actions -------------------------------------------------------------------------
    def action_menu(self) -> None:
        from deskui.ui.repairs.repair_dialogs import RepairMenu

        if self.detail is None:
            return

        def chosen(name: str | None) -> None:
            if name:
                self.action_repair(name)

        self.app.push_screen(RepairMenu(self.detail.number, self.available()), chosen)

    def action_repair(self, name: str, draft: Any = None, error: str | None = None) -> None:
        from deskui.ui.repairs.actions import RepairDraft
        from deskui.ui.repairs.repair_dialogs import RepairDialog

        if self.detail is None:
            return
        refused = self.refusal(name)
        if refused is not None and draft is None:
            self.notify(refused, title=_(MENU[name]), severity="warning")
            return
        repair = self.active
        self.app.push_screen(
            RepairDialog(
                draft or RepairDraft(name),  # type: ignore[arg-type]
                self.detail,
                repair,
                error,
            ),
            callback=lambda d: self._submit(d, repair),
        )

    def _submit(self, draft: Any, repair: Any) -> None:
        if draft is not None and self.detail is not None:
            self._perform(draft, self.detail.id, field(repair, "id"))

    @desk_work(group="repairs-action")
    def _perform(self, draft: Any, ticket_id: int, repair_id: int | None) -> None:
        from deskui.ui.repairs.actions import perform

        try:
            perform(self._app.api, ticket_id, repair_id, draft)
        except (ServiceError, ValueError) as exc:
            self.app.call_from_thread(self._failed, draft, describe(exc))
            return
        self.app.call_from_thread(self._done, ticket_id)

    def _failed(self, draft: Any, message: str) -> None:
        self.notify(message, title=_("Not saved"), severity="error")
        self.action_repair(draft.action, draft, message)

    def _done(self, ticket_id: int) -> None:
        self.notify(_("Saved."))
        self.post_message(TicketChanged(ticket_id))
        reload = getattr(self.parent, "reload", None)
        if callable(reload):
            reload()  # the ticket's timeline changed too; the panel reloads this section
        else:
            self.reload()
