"""Repairs, replacements and fees (service-standards §7). Pure rules: the day is passed in.

- In or out of warranty for a repair: from the device's purchase date, the product's warranty
  months for the part kind, and the repair day (`domain/warranty.py` decides the boundary).
- Quote before a paid repair: an out-of-warranty repair, or any charged part or fee, may not
  start work until the customer accepted a quote.
- Replacement (更换) only when: a quality defect; a repair caused loss of function; or the same
  fault again after a repair in warranty (a done in-warranty repair of the same device, whose
  fault code — or, lacking codes, whose normalised diagnosis — matches, within 90 days).
- Money is `Decimal` with two places, never float.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from deskui.domain.errors import N_, RuleError
from deskui.domain.warranty import DEFAULT_MONTHS, PartKind, status

__all__ = [
    "REPEAT_FAULT_DAYS",
    "FeeKind",
    "FeeLine",
    "PartKind",
    "PartLine",
    "PastRepair",
    "RepairKind",
    "RepairStatus",
    "ReplacementCheck",
    "ReplacementCondition",
    "WarrantyTerms",
    "acceptance_needed",
    "charges_total",
    "check_appointment",
    "example_appointment",
    "fee_totals",
    "is_paid",
    "money",
    "normalise_code",
    "normalise_fault",
    "part_amount",
    "part_charged",
    "repair_in_warranty",
    "repeat_fault",
    "replacement_check",
    "same_fault",
    "visit_missed",
    "work_blocked_reason",
]

REPEAT_FAULT_DAYS = 90  # "the same fault again" counts within this many days of the repair
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999.99")  # Numeric(10, 2)


class RepairKind(StrEnum):
    ON_SITE = "on_site"  # an engineer visits (上门)
    SEND_BACK = "send_back"  # the device is sent in (寄修)


class RepairStatus(StrEnum):
    SCHEDULED = "scheduled"
    QUOTED = "quoted"
    ACCEPTED = "accepted"  # the customer accepted the quote
    IN_PROGRESS = "in_progress"  # work recorded
    DONE = "done"  # the customer signed off (验收)
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self not in (RepairStatus.DONE, RepairStatus.CANCELLED)


class FeeKind(StrEnum):
    LABOUR = "labour"
    MATERIALS = "materials"
    TRANSPORT = "transport"
    OTHER = "other"


class ReplacementCondition(StrEnum):
    QUALITY_DEFECT = "quality_defect"
    LOSS_OF_FUNCTION = "loss_of_function"  # a repair caused loss of function
    REPEAT_FAULT = "repeat_fault"  # the same fault after a repair in warranty


def money(value: Decimal | int | str) -> Decimal:
    """An amount of money: Decimal, two places, not negative; floats are refused."""
    if isinstance(value, float | bool):
        raise TypeError("money must be a Decimal, int or str, never a float")
    try:
        amount = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise RuleError("not an amount: {value!r}", value=str(value)) from None
    if not amount.is_finite():
        raise RuleError("not an amount: {value!r}", value=str(value))
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise RuleError("an amount cannot be negative")
    if amount > MAX_AMOUNT:
        raise RuleError("an amount cannot exceed {most}", most=str(MAX_AMOUNT))
    return amount


@dataclass(frozen=True, slots=True)
class FeeLine:
    kind: FeeKind
    amount: Decimal
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FeeKind(self.kind))
        object.__setattr__(self, "amount", money(self.amount))


@dataclass(frozen=True, slots=True)
class PartLine:
    """A part replaced. `charged=None` lets the warranty of the part kind decide."""

    name: str
    kind: PartKind = PartKind.MAIN
    quantity: int = 1
    unit_price: Decimal = Decimal("0.00")
    charged: bool | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise RuleError("a part needs a name")
        if self.quantity < 1:
            raise RuleError("a part quantity must be at least 1")
        object.__setattr__(self, "kind", PartKind(self.kind))
        object.__setattr__(self, "unit_price", money(self.unit_price))


@dataclass(frozen=True, slots=True)
class WarrantyTerms:
    """A product's warranty months per part kind (defaults: 36 / 12 / 12)."""

    main_months: int = DEFAULT_MONTHS[PartKind.MAIN]
    accessory_months: int = DEFAULT_MONTHS[PartKind.ACCESSORY]
    software_months: int = DEFAULT_MONTHS[PartKind.SOFTWARE]

    def months(self, kind: PartKind) -> int:
        return {
            PartKind.MAIN: self.main_months,
            PartKind.ACCESSORY: self.accessory_months,
            PartKind.SOFTWARE: self.software_months,
        }[PartKind(kind)]


def repair_in_warranty(
    purchase: date | None,
    terms: WarrantyTerms,
    repair_day: date,
    kind: PartKind = PartKind.MAIN,
) -> bool:
    """In warranty on the repair day; no purchase date (no proof) means out of warranty."""
    if purchase is None:
        return False
    return status(kind, purchase, terms.months(kind), repair_day).in_warranty


def part_charged(part: PartLine, purchase: date | None, terms: WarrantyTerms, day: date) -> bool:
    """A part is charged when said so, else when its kind is out of warranty on `day`."""
    if part.charged is not None:
        return part.charged
    return not repair_in_warranty(purchase, terms, day, part.kind)


def is_paid(
    in_warranty: bool, *, quoted: bool = False, charged_parts: Iterable[PartLine] = ()
) -> bool:
    """A paid repair: out of warranty, a quote was issued, or a part is charged for.

    Fees of an in-warranty repair that was never quoted are the company's cost (the engineer's
    transport, say), not a charge to the customer, so they need no quote.
    """
    return not in_warranty or quoted or any(p.unit_price > 0 for p in charged_parts)


def work_blocked_reason(*, paid: bool, quote_accepted: bool) -> RuleError | None:
    """Why work may not start yet (quote before a paid repair), or None when it may."""
    if paid and not quote_accepted:
        return RuleError("a paid repair needs a quote the customer accepted before work starts")
    return None


def charges_total(fees: Iterable[Decimal], charged_parts: Iterable[Decimal] = ()) -> Decimal:
    """What the customer pays: every fee plus every charged part (unit price × quantity).
    A part marked "charged ¥120.00" is part of the total, not beside it."""
    return sum(fees, Decimal("0.00")) + sum(charged_parts, Decimal("0.00"))


def part_amount(unit_price: Decimal, quantity: int, charged: bool) -> Decimal:
    """A part line's charge to the customer (0.00 when not charged)."""
    return money(unit_price * quantity) if charged else Decimal("0.00")


def acceptance_needed(
    *, paid: bool, accepted_amount: Decimal | None, total: Decimal
) -> RuleError | None:
    """Why the customer must accept (again) before the repair can be signed off, or None.

    A paid repair needs the customer's acceptance of exactly what is charged: a quote changed
    after acceptance (a fee or a charged part added, say ¥550.50 → ¥630.50) needs acceptance
    again. `accepted_amount` is the amount the customer accepted (None: nothing accepted).
    """
    if not paid:
        return None
    if accepted_amount is None:
        return RuleError("a paid repair needs a quote the customer accepted")
    if money(total) != money(accepted_amount):
        return RuleError(
            "the charges changed after the customer accepted {accepted}: the customer must "
            "accept {total} again",
            accepted=str(money(accepted_amount)),
            total=str(money(total)),
        )
    return None


# -- appointments ------------------------------------------------------------------------------
def check_appointment(appointment_at: datetime, now: datetime) -> datetime:
    """A repair cannot be scheduled in the past."""
    if appointment_at < now:
        raise RuleError("a repair cannot be scheduled in the past")
    return appointment_at


def example_appointment(now: datetime, zone: tzinfo) -> datetime:
    """A believable appointment for a field's example text: the next day at 10:00 site time,
    derived from the clock so it is never a past date."""
    local = now.astimezone(zone)
    day = local.date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=zone)


def visit_missed(status: RepairStatus, appointment_at: datetime, now: datetime) -> bool:
    """An open appointment whose time has passed without any work recorded: a missed (or
    overdue) visit, which must stay on the Visits list until it is done or rescheduled."""
    return status in MISSABLE and appointment_at < now


MISSABLE = frozenset({RepairStatus.SCHEDULED, RepairStatus.QUOTED, RepairStatus.ACCEPTED})


def fee_totals(fees: Iterable[FeeLine]) -> dict[FeeKind, Decimal]:
    """Sum per fee kind; every kind is present (0.00 when none)."""
    totals = {kind: Decimal("0.00") for kind in FeeKind}
    for fee in fees:
        totals[FeeKind(fee.kind)] += fee.amount
    return totals


# -- repeat fault -----------------------------------------------------------------------------
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_fault(text: str | None) -> str:
    """Fault text or code compared loosely: width, case, punctuation and spaces ignored."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def normalise_code(code: str | None) -> str:
    """A fault code without separators: 'E-21', 'e 21' and 'Ｅ２１' are one code."""
    return normalise_fault(code).replace(" ", "")


@dataclass(frozen=True, slots=True)
class PastRepair:
    """A repair of the same device, as the repeat-fault rule needs it."""

    repair_id: int
    status: RepairStatus
    in_warranty: bool
    fault_code: str | None
    diagnosis: str | None
    done_on: date | None  # the day the customer signed off


def same_fault(
    code_a: str | None, diagnosis_a: str | None, code_b: str | None, diagnosis_b: str | None
) -> bool:
    """Fault codes decide when both have one; otherwise the normalised diagnoses must match."""
    a, b = normalise_code(code_a), normalise_code(code_b)
    if a and b:
        return a == b
    da, db = normalise_fault(diagnosis_a), normalise_fault(diagnosis_b)
    return bool(da) and da == db


def repeat_fault(
    history: Iterable[PastRepair],
    *,
    fault_code: str | None,
    diagnosis: str | None,
    today: date,
    window_days: int = REPEAT_FAULT_DAYS,
) -> PastRepair | None:
    """The newest done in-warranty repair of the same fault within `window_days` before
    `today` (inclusive), or None."""
    found: PastRepair | None = None
    for past in history:
        if past.status is not RepairStatus.DONE or not past.in_warranty or past.done_on is None:
            continue
        if not 0 <= (today - past.done_on).days <= window_days:
            continue
        if not same_fault(past.fault_code, past.diagnosis, fault_code, diagnosis):
            continue
        if found is None or (past.done_on, past.repair_id) > (found.done_on, found.repair_id):  # type: ignore[operator]
            found = past
    return found


# -- replacement -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReplacementCheck:
    allowed: bool
    reason: str  # which condition holds, or why none does (English, as recorded)
    condition: ReplacementCondition | None = None
    message_id: str = ""  # `reason` as a catalogue id and its parameters, shown translated
    params: dict[str, Any] = field(default_factory=dict)


def _check(
    allowed: bool, condition: ReplacementCondition | None, message_id: str, **params: Any
) -> ReplacementCheck:
    reason = message_id.format(**params) if params else message_id
    return ReplacementCheck(allowed, reason, condition, message_id, params)


def replacement_check(
    *,
    quality_defect: bool = False,
    function_lost_after_repair: bool = False,
    repeat: PastRepair | None = None,
) -> ReplacementCheck:
    """Replacement only when one of the three §7 conditions holds; the first one found wins."""
    if quality_defect:
        return _check(True, ReplacementCondition.QUALITY_DEFECT, N_("quality defect (质量问题)"))
    if function_lost_after_repair:
        return _check(
            True,
            ReplacementCondition.LOSS_OF_FUNCTION,
            N_("a repair caused loss of function (维修后功能丧失)"),
        )
    if repeat is not None:
        return _check(
            True,
            ReplacementCondition.REPEAT_FAULT,
            N_(
                "the same fault again after in-warranty repair #{repair_id} done {date} "
                "(保修期内维修后同一故障再次出现)"
            ),
            repair_id=repeat.repair_id,
            date=f"{repeat.done_on:%Y-%m-%d}",
        )
    return _check(
        False,
        None,
        N_(
            "no replacement condition holds: not a quality defect, no loss of function after a "
            "repair, and no same fault after an in-warranty repair in the last {days} days — "
            "repair instead"
        ),
        days=REPEAT_FAULT_DAYS,
    )
