"""How repairs read on screen: kinds, statuses, fees, warranty, and the repair menu; shared by
the repairs section, its dialogs and the visits screen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from deskui.domain import warranty
from deskui.domain.enums import Role
from deskui.domain.repairs import charges_total
from deskui.domain.rows import TicketDetail
from deskui.i18n import N_, _, formats
from deskui.ui.common.formatting import local
from deskui.ui.common.repair_names import fee_kind_name, kind_name, money, value_of
from deskui.ui.common.safe_text import safe_text

# -- names, signs and field access (the backend's rows, read defensively) -----------------


# status value -> (sign, style, English message id); a sign and a word, never colour alone
STATUS_SIGNS: dict[str, tuple[str, str, str]] = {
    "scheduled": ("◷", "cyan", N_("Scheduled")),
    "quoted": ("$?", "yellow", N_("Quoted")),
    "accepted": ("$✓", "green", N_("Quote accepted")),
    "in_progress": ("⚙", "yellow", N_("Work recorded")),
    "done": ("✓", "green", N_("Done, accepted")),
    "cancelled": ("✗", "dim", N_("Cancelled")),
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
    head.append(_("Repair #{id}").format(id=r.id) + "  ", style="bold")
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
    grid.add_row(_("Appointment"), Text(local(r.appointment_at, zone, "full")))
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
                lines.append(
                    "  $ " + _("charged {amount}").format(amount=money(part.amount)), style="yellow"
                )
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
    head = Text(_("Replacement #{id}").format(id=r.id) + "  ", style="bold")
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
        amount = money(sum(charged, Decimal("0.00")))
        text.append(_("Charged parts {amount}").format(amount=amount) + "  ")
    total = charges_total((Decimal(f.amount) for f in fees), charged)
    text.append(_("Total {amount}").format(amount=money(total)), style="bold")
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
            "✓ "
            + _("In warranty: a quality fault is repaired free ({day})").format(
                day=formats.moment(main.last_day, "date")
            ),
            style="green",
        )
    return Text(
        "$ " + _("Out of warranty: quote first, repair after the customer agrees"),
        style="yellow",
    )


# -- the widget ----------------------------------------------------------------------------

# section action -> the repair-menu / palette description (English message id)
MENU: dict[str, str] = {
    "schedule": N_("Schedule a repair"),
    "quote": N_("Enter a quote"),
    "accept": N_("Customer accepts the quote"),
    "work": N_("Record work"),
    "fee": N_("Add a fee"),
    "approve": N_("Approve fees"),
    "complete": N_("Complete with acceptance"),
    "cancel": N_("Cancel the repair"),
    "replace": N_("Replacement"),
}
# the same actions as palette entries (whole sentences, so each translates as one)
PALETTE: dict[str, str] = {
    "schedule": N_("Repair: Schedule a repair"),
    "quote": N_("Repair: Enter a quote"),
    "accept": N_("Repair: Customer accepts the quote"),
    "work": N_("Repair: Record work"),
    "fee": N_("Repair: Add a fee"),
    "approve": N_("Repair: Approve fees"),
    "complete": N_("Repair: Complete with acceptance"),
    "cancel": N_("Repair: Cancel the repair"),
    "replace": N_("Repair: Replacement"),
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


def read_repairs(api: Any, ticket_id: int) -> RepairRecords:
    """A ticket's repairs and replacements (run in a worker thread)."""
    return api.repair_records(ticket_id)
