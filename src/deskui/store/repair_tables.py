"""ORM tables of after-sales work: repairs, their parts and fees, and replacements.

Registered on the shared `Base` (imported at the end of `store/tables.py`); money is
Numeric(10, 2) read back as `Decimal`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from deskui.domain.repairs import (
    FeeKind,
    PartKind,
    RepairKind,
    RepairStatus,
    ReplacementCondition,
)
from deskui.store.tables import Base, Id, _enum

Money = Numeric(10, 2, asdecimal=True)


class Repair(Base):
    __tablename__ = "repairs"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    kind: Mapped[RepairKind] = mapped_column(_enum(RepairKind))
    status: Mapped[RepairStatus] = mapped_column(_enum(RepairStatus))
    engineer_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    appointment_at: Mapped[datetime]
    fault_code: Mapped[str | None] = mapped_column(String(40))
    diagnosis: Mapped[str | None] = mapped_column(Text)  # fault cause (故障原因)
    work_done: Mapped[str | None] = mapped_column(Text)
    quality_defect: Mapped[bool] = mapped_column(Boolean, default=False)
    function_lost: Mapped[bool] = mapped_column(Boolean, default=False)
    in_warranty: Mapped[bool] = mapped_column(Boolean)
    quote_total: Mapped[Decimal | None] = mapped_column(Money)
    quote_accepted_by: Mapped[str | None] = mapped_column(String(120))
    quote_accepted_at: Mapped[datetime | None]
    quote_accepted_amount: Mapped[Decimal | None] = mapped_column(Money)  # what was accepted
    work_at: Mapped[datetime | None]
    accepted_by: Mapped[str | None] = mapped_column(String(120))  # customer sign-off (验收)
    accepted_at: Mapped[datetime | None] = mapped_column(index=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    fees_approved_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    fees_approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index(None, "engineer_id", "appointment_at"),
        Index(None, "ticket_id", "status"),
    )
    __mapper_args__ = {"version_id_col": version}


class RepairPart(Base):
    __tablename__ = "repair_parts"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[PartKind] = mapped_column(_enum(PartKind))
    quantity: Mapped[int] = mapped_column(SmallInteger, default=1)
    in_warranty: Mapped[bool] = mapped_column(Boolean)
    charged: Mapped[bool] = mapped_column(Boolean)
    unit_price: Mapped[Decimal] = mapped_column(Money)


class RepairFee(Base):
    __tablename__ = "repair_fees"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id"), index=True)
    kind: Mapped[FeeKind] = mapped_column(_enum(FeeKind))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime]


class Replacement(Base):
    __tablename__ = "replacements"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    old_model: Mapped[str | None] = mapped_column(String(60))
    new_model: Mapped[str] = mapped_column(String(60))
    colour: Mapped[str] = mapped_column(String(40), default="")
    condition: Mapped[ReplacementCondition] = mapped_column(_enum(ReplacementCondition))
    reason: Mapped[str] = mapped_column(Text, default="")
    replaced_at: Mapped[datetime]
    accepted_by: Mapped[str] = mapped_column(String(120))  # customer signature (签字)
    accepted_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
