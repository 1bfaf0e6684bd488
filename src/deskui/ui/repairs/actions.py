"""A repair action as the user asked for it (`RepairDraft`, with the parsers of what was typed)
and how it is carried out (`perform`); the dialogs only collect and return drafts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from deskui.i18n import _

RepairAction = Literal[
    "schedule", "quote", "accept", "work", "fee", "approve", "complete", "cancel", "replace"
]
FEE_KINDS = ("labour", "materials", "transport", "other")


@dataclass(frozen=True, slots=True)
class RepairDraft:
    """What the user asked for; kept across refusals (raw text and parsed values)."""

    action: RepairAction
    kind: str = "on_site"
    engineer_id: int | None = None
    appointment: str = ""  # as typed, local time "YYYY-MM-DD HH:MM"
    appointment_at: datetime | None = None
    fees: tuple[tuple[str, str], ...] = ()  # (kind, amount as typed) for the quote
    fee_kind: str = "labour"
    amount: str = ""
    note: str = ""
    diagnosis: str = ""
    fault_code: str = ""
    work_done: str = ""
    parts: str = ""  # one part per line
    quality_defect: bool = False
    function_lost: bool = False
    accepted_by: str = ""
    reason: str = ""
    new_model: str = ""
    colour: str = ""


# -- parsing ---------------------------------------------------------------------------------
_QTY = re.compile(r"^(?P<name>.*?)\s*[x×*]\s*(?P<qty>\d+)$")
_PRICE = re.compile(r"^(?P<rest>.*?)\s*@\s*(?P<price>[\d.,]+)$")


def parse_parts(text: str) -> list[tuple[str, int, str, bool | None]]:
    """(name, quantity, unit price as typed, charged) per non-empty line.

    A line reads `name x2 @35.00`; a final `$` charges the part, otherwise its warranty
    decides."""
    parts = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        charged = True if line.endswith("$") else None
        line = line.rstrip("$").strip()
        price = ""
        found = _PRICE.match(line)
        if found and found.group("rest"):
            line, price = found.group("rest").strip(), found.group("price")
        qty = 1
        found = _QTY.match(line)
        if found and found.group("name"):
            line, qty = found.group("name").strip(), int(found.group("qty"))
        parts.append((line, qty, price, charged))
    return parts


def parse_amount(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "").lstrip("¥￥")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def parse_when(text: str, zone: tzinfo) -> datetime | None:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


# -- the service call ------------------------------------------------------------------------
def perform(api: Any, ticket_id: int, repair_id: int | None, draft: RepairDraft) -> Any:
    """Run the draft as one API call (call it from a worker thread)."""
    from deskui.domain.repairs import FeeKind, FeeLine, PartLine, RepairKind

    a = draft.action
    if a == "schedule":
        return api.schedule_repair(
            ticket_id,
            kind=RepairKind(draft.kind),
            engineer_id=draft.engineer_id,
            appointment_at=draft.appointment_at,
            device_id=None,
        )
    if a == "replace":
        return api.replace_device(
            ticket_id,
            new_model=draft.new_model.strip(),
            colour=draft.colour.strip(),
            accepted_by=draft.accepted_by.strip(),
            reason=draft.reason.strip(),
            quality_defect=draft.quality_defect,
        )
    if repair_id is None:
        raise ValueError(_("No open repair."))
    if a == "quote":
        lines = [
            FeeLine(kind=FeeKind(kind), amount=parse_amount(amount) or Decimal(0))
            for kind, amount in draft.fees
            if parse_amount(amount)
        ]
        return api.quote(repair_id, lines)
    if a == "accept":
        return api.accept_quote(repair_id, draft.accepted_by.strip())
    if a == "work":
        parts = [
            PartLine(
                name=name,
                quantity=qty,
                unit_price=parse_amount(price) or Decimal(0),
                charged=charged,
            )
            for name, qty, price, charged in parse_parts(draft.parts)
        ]
        return api.record_work(
            repair_id,
            diagnosis=draft.diagnosis.strip(),
            fault_code=draft.fault_code.strip(),
            work_done=draft.work_done.strip(),
            parts=parts,
            quality_defect=draft.quality_defect,
            function_lost=draft.function_lost,
        )
    if a == "fee":
        amount = parse_amount(draft.amount) or Decimal(0)
        return api.add_fee(repair_id, FeeKind(draft.fee_kind), amount, draft.note)
    if a == "approve":
        return api.approve_fees(repair_id)
    if a == "complete":
        return api.complete_repair(repair_id, draft.accepted_by.strip())
    if a == "cancel":
        return api.cancel_repair(repair_id, draft.reason.strip())
    raise ValueError(f"unknown repair action {a!r}")


# -- the menu ---------------------------------------------------------------------------------
