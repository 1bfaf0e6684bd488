"""What the desk reads about repairs, visits and replacements: plain, frozen rows.

They live in the domain (not the store) so a desk talking to a server needs no SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from deskui.domain.repairs import (
    FeeKind,
    PartKind,
    RepairKind,
    RepairStatus,
    ReplacementCondition,
    charges_total,
    part_amount,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class RepairPartRow:
    id: int
    name: str
    kind: PartKind
    quantity: int
    in_warranty: bool
    charged: bool
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        """What the customer pays for this line (0 when not charged)."""
        return part_amount(self.unit_price, self.quantity, self.charged)


@dataclass(frozen=True, slots=True)
class RepairFeeRow:
    id: int
    kind: FeeKind
    amount: Decimal
    note: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class RepairRow:
    id: int
    ticket_id: int
    ticket_number: str
    customer_name: str
    customer_phone: str  # masked: 138****5678
    address: str | None
    device_id: int | None
    product_model: str | None
    product_name: str | None
    serial: str | None
    purchase_date: date | None
    kind: RepairKind
    status: RepairStatus
    engineer_id: int
    engineer_name: str
    appointment_at: datetime
    fault_code: str | None
    diagnosis: str | None
    work_done: str | None
    quality_defect: bool
    function_lost: bool
    in_warranty: bool
    quote_total: Decimal | None
    quote_accepted_by: str | None
    quote_accepted_at: datetime | None
    work_at: datetime | None
    accepted_by: str | None
    accepted_at: datetime | None
    cancel_reason: str | None
    fees_approved_by: int | None
    fees_approved_by_name: str | None
    fees_approved_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    parts: tuple[RepairPartRow, ...] = ()
    fees: tuple[RepairFeeRow, ...] = ()
    quote_accepted_amount: Decimal | None = None  # the amount the customer last accepted

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def fee_totals(self) -> dict[FeeKind, Decimal]:
        totals = {kind: ZERO for kind in FeeKind}
        for fee in self.fees:
            totals[fee.kind] += fee.amount
        return totals

    @property
    def fees_total(self) -> Decimal:
        return sum((f.amount for f in self.fees), ZERO)

    @property
    def parts_total(self) -> Decimal:
        """Charged parts (unit price × quantity)."""
        return sum((p.amount for p in self.parts), ZERO)

    @property
    def total(self) -> Decimal:
        """What the customer pays: fees plus charged parts (domain `charges_total`)."""
        return charges_total((f.amount for f in self.fees), (p.amount for p in self.parts))

    @property
    def quote_accepted(self) -> bool:
        return self.quote_accepted_at is not None


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One appointment on an engineer's list."""

    repair_id: int
    ticket_id: int
    ticket_number: str
    appointment_at: datetime
    kind: RepairKind
    status: RepairStatus
    engineer_id: int
    engineer_name: str
    customer_name: str
    customer_phone: str  # masked
    address: str | None
    product_model: str | None
    product_name: str | None
    in_warranty: bool
    missed: bool = False  # the appointment passed with no work recorded (domain `visit_missed`)


@dataclass(frozen=True, slots=True)
class ReplacementRow:
    id: int
    ticket_id: int
    ticket_number: str
    device_id: int | None
    old_model: str | None
    new_model: str
    colour: str
    condition: ReplacementCondition
    reason: str
    replaced_at: datetime
    accepted_by: str
    accepted_at: datetime
    actor_id: int | None
    actor_name: str | None


@dataclass(frozen=True, slots=True)
class EngineerRow:
    id: int
    username: str
    display_name: str
    team_name: str
