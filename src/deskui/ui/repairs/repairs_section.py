"""Repairs (维修) and replacement (更换) in the ticket detail: records, fees, actions.

The section shows every repair of the ticket (kind, engineer, appointment, status as a sign
and a word, diagnosis, work done, parts, fees by kind with a total, quote and acceptance, fee
approval) and the warranty that applies. Its actions open `repair_dialogs`; the service
call runs in a thread worker and a refused save reopens the dialog with what was typed and
the service's message. Keys: `R` opens the repair menu, `P` the replacement dialog (bindings
of the detail panel); every action is also a command-palette entry (this widget's bindings).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from deskui.domain import warranty
from deskui.domain.enums import Role
from deskui.domain.repairs import charges_total
from deskui.domain.rows import TicketDetail
from deskui.i18n import _
from deskui.services.errors import ServiceError
from deskui.ui.common.lines import Lines
from deskui.ui.common.messages import TicketChanged
from deskui.ui.common.safe_text import safe_text
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import SizedByLayout, localize_bindings
from deskui.ui.ticket.ticket_detail import local

# -- names, signs and field access (the backend's rows, read defensively) -----------------


def value_of(member: Any) -> str:
    return str(getattr(member, "value", member) or "")


def kind_name(kind: Any) -> str:
    names = {"on_site": _("On-site"), "send_back": _("Send-in")}
    return names.get(value_of(kind), value_of(kind).replace("_", " "))


def fee_kind_name(kind: Any) -> str:
    names = {
        "labour": _("Labour"),
        "materials": _("Materials"),
        "transport": _("Transport"),
        "other": _("Other"),
    }
    return names.get(value_of(kind), value_of(kind).replace("_", " "))


# status value -> (sign, style, English message id); a sign and a word, never colour alone
STATUS_SIGNS: dict[str, tuple[str, str, str]] = {
    "scheduled": ("◷", "cyan", "Scheduled"),
    "quoted": ("$?", "yellow", "Quoted"),
    "accepted": ("$✓", "green", "Quote accepted"),
    "in_progress": ("⚙", "yellow", "Work recorded"),
    "done": ("✓", "green", "Done, accepted"),
    "cancelled": ("✗", "dim", "Cancelled"),
}
TERMINAL = {"done", "cancelled"}


def status_text(status: Any) -> Text:
    key = value_of(status)
    sign, style, word = STATUS_SIGNS.get(key, ("•", "", key.replace("_", " ")))
    return Text(f"{sign} {_(word)}", style=style)


def field(row: Any, *names: str, default: Any = None) -> Any:
    """The first of `names` the row has (not None)."""
    for name in names:
        found = getattr(row, name, None)
        if found is not None:
            return found
    return default


def money(amount: Any) -> str:
    try:
        return f"¥{Decimal(str(amount)):,.2f}"
    except Exception:
        return str(amount)


def is_active(repair: Any) -> bool:
    return value_of(field(repair, "status")) not in TERMINAL


def is_supervisor(actor: Any) -> bool:
    return actor is not None and getattr(actor, "role", None) in (Role.SUPERVISOR, Role.ADMIN)


def fee_total(fees: Iterable[Any]) -> Decimal:
    return sum((Decimal(fee.amount) for fee in fees), Decimal("0.00"))


def _who(name: Any, at: datetime | None, zone: tzinfo) -> Text:
    line = Text("✓ ", style="green")
    line.append_text(safe_text(str(name)))
    if at is not None:
        line.append("  " + local(at, zone))
    return line


def describe_repair(r: Any, zone: tzinfo) -> Any:
    """Everything recorded on one repair, as a heading and a grid (data shown literally)."""
    head = Text()
    head.append(_("Repair") + f" #{r.id}  ", style="bold")
    head.append(kind_name(r.kind), style="bold")
    head.append("  ")
    head.append_text(status_text(r.status))
    head.append("  ")
    if r.in_warranty:
        head.append("✓ " + _("in warranty"), style="green")
    else:
        head.append("$ " + _("paid repair"), style="yellow")

    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(_("Engineer"), safe_text(r.engineer_name or "—"))
    grid.add_row(_("Appointment"), Text(local(r.appointment_at, zone, "%Y-%m-%d %H:%M")))
    for title, value in (
        (_("Diagnosis"), r.diagnosis),
        (_("Fault code"), r.fault_code),
        (_("Work done"), r.work_done),
    ):
        if value:
            grid.add_row(title, safe_text(value, multiline=True))
    flags = []
    if field(r, "quality_defect"):
        flags.append("⚑ " + _("quality defect"))
    if field(r, "function_lost"):
        flags.append("⚑ " + _("function lost after a repair"))
    if flags:
        grid.add_row(_("Findings"), Text("  ".join(flags), style="bold"))
    if r.parts:
        lines = Text()
        for i, part in enumerate(r.parts):
            if i:
                lines.append("\n")
            lines.append_text(safe_text(part.name))
            if part.quantity != 1:
                lines.append(f" ×{part.quantity}")
            if part.charged:
                lines.append("  $ " + _("charged") + " " + money(part.amount), style="yellow")
            else:
                lines.append("  ✓ " + _("in warranty"), style="green")
        grid.add_row(_("Parts"), lines)
    if r.quote_total is not None:
        quote = Text(money(r.quote_total) + "  ")
        if r.quote_accepted_by:
            quote.append_text(_who(r.quote_accepted_by, r.quote_accepted_at, zone))
        else:
            earlier = field(r, "quote_accepted_amount")
            if earlier is not None and Decimal(earlier) != Decimal(r.quote_total):
                quote.append(
                    "… "
                    + _(
                        "changed after the customer accepted {amount}: needs acceptance again"
                    ).format(amount=money(earlier)),
                    style="yellow",
                )
            else:
                quote.append("… " + _("awaiting the customer's agreement"), style="yellow")
        grid.add_row(_("Quote"), quote)
    if r.fees or any(getattr(p, "charged", False) and p.amount for p in r.parts):
        grid.add_row(_("Fees"), fee_lines(r.fees, r.parts))
        if r.fees_approved_at is not None:
            approval = _who(r.fees_approved_by_name or "?", r.fees_approved_at, zone)
        else:
            approval = Text("… " + _("not approved yet"), style="yellow")
        grid.add_row(_("Approval"), approval)
    if r.accepted_by:
        grid.add_row(_("Acceptance"), _who(r.accepted_by, r.accepted_at, zone))
    if r.cancel_reason:
        grid.add_row(_("Cancelled"), safe_text(r.cancel_reason, multiline=True))
    return Group(head, grid)


def describe_replacement(r: Any, zone: tzinfo) -> Any:
    head = Text(_("Replacement") + f" #{r.id}  ", style="bold")
    head.append("⇄ ", style="bold")
    head.append_text(safe_text(f"{r.old_model or '—'} → {r.new_model}"))
    if r.colour:
        head.append("  ")
        head.append_text(safe_text(r.colour))
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(_("Reason"), safe_text(r.reason, multiline=True))
    grid.add_row(_("Acceptance"), _who(r.accepted_by, r.accepted_at, zone))
    return Group(head, grid)


def fee_lines(fees: Iterable[Any], parts: Iterable[Any] = ()) -> Text:
    """Fees summed by kind, charged parts, then the total of both (domain `charges_total`)."""
    by_kind: dict[str, Decimal] = {}
    fees = list(fees)
    for fee in fees:
        key = value_of(fee.kind)
        by_kind[key] = by_kind.get(key, Decimal(0)) + fee_total([fee])
    text = Text()
    for key, amount in by_kind.items():
        text.append(f"{fee_kind_name(key)} {money(amount)}  ")
    charged = [Decimal(p.amount) for p in parts if getattr(p, "charged", False)]
    if any(charged):
        text.append(_("Charged parts") + f" {money(sum(charged, Decimal('0.00')))}  ")
    total = charges_total((Decimal(f.amount) for f in fees), charged)
    text.append(_("Total") + " " + money(total), style="bold")
    return text


def warranty_summary(detail: TicketDetail, today: date) -> Text:
    """The warranty (保修期) that applies to a repair of this ticket's device."""
    d = detail.device
    if d is None:
        return Text("? " + _("No device: warranty unknown."), style="dim")
    if d.purchase_date is None:
        return Text("? " + _("No purchase date: warranty unknown."), style="dim")
    main = warranty.status(warranty.PartKind.MAIN, d.purchase_date, d.warranty_main_months, today)
    if main.in_warranty:
        return Text(
            "✓ " + _("In warranty: a quality fault is repaired free") + f" ({main.last_day})",
            style="green",
        )
    return Text(
        "$ " + _("Out of warranty: quote first, repair after the customer agrees"),
        style="yellow",
    )


# -- the widget ----------------------------------------------------------------------------

# section action -> the repair-menu / palette description (English message id)
MENU: dict[str, str] = {
    "schedule": "Schedule a repair",
    "quote": "Enter a quote",
    "accept": "Customer accepts the quote",
    "work": "Record work",
    "fee": "Add a fee",
    "approve": "Approve fees",
    "complete": "Complete with acceptance",
    "cancel": "Cancel the repair",
    "replace": "Replacement",
}
MENU_KEYS: dict[str, str] = {
    "schedule": "s",
    "quote": "q",
    "accept": "a",
    "work": "w",
    "fee": "f",
    "approve": "v",
    "complete": "d",
    "cancel": "x",
    "replace": "p",
}


RepairRecords = tuple[list[Any], list[Any]]


def read_repairs(ctx: Any, ticket_id: int) -> RepairRecords:
    """A ticket's repairs and replacements (run in a worker thread)."""
    from deskui.services.repairs import RepairService

    return RepairService(ctx).records(ticket_id)


class RepairsSection(SizedByLayout, Vertical, can_focus=False):
    """The repairs of the shown ticket; `show(detail)` reloads them in a worker."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_GROUP = "Repair menu (R)"
    # Palette entries (the keys work inside the repair menu, opened with R).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(MENU_KEYS[name], f"repair('{name}')", "Repair: " + MENU[name], show=False)
        for name in MENU
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
        return self._app.ctx.settings.zone

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
        repairs, replaced = read_repairs(self._app.ctx, ticket_id)
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
            blocks.append(
                Text(_("No repair yet.") + " " + _("R: repair menu, P: replacement"), style="dim")
            )
        self.query_one("#repairs-list", Lines).update(Group(*blocks))

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
        from deskui.ui.repairs.repair_dialogs import RepairDialog, RepairDraft

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
        from deskui.ui.repairs.repair_dialogs import perform

        try:
            perform(self._app.ctx, self._app.actor, ticket_id, repair_id, draft)
        except (ServiceError, ValueError) as exc:
            self.app.call_from_thread(self._failed, draft, str(exc))
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
