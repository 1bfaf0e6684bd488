"""Reads of repairs, engineer visits, replacements and fee figures, as plain dataclasses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from deskui.domain.privacy import mask_phone
from deskui.domain.repair_rows import (
    RepairFeeRow,
    RepairPartRow,
    RepairRow,
    ReplacementRow,
    VisitRow,
)
from deskui.domain.repairs import (
    MISSABLE,
    FeeKind,
    PartKind,
    PastRepair,
    RepairStatus,
    charges_total,
    part_amount,
)
from deskui.store.repair_tables import Repair, RepairFee, RepairPart, Replacement
from deskui.store.tables import Agent, Customer, Device, Product, Ticket

ZERO = Decimal("0.00")
OPEN_REPAIR = (
    RepairStatus.SCHEDULED,
    RepairStatus.QUOTED,
    RepairStatus.ACCEPTED,
    RepairStatus.IN_PROGRESS,
)


# -- repairs -------------------------------------------------------------------------------------
def _repair_rows(session: Session, *where: ColumnElement[bool]) -> list[RepairRow]:
    engineer = aliased(Agent)
    approver = aliased(Agent)
    stmt = (
        select(
            Repair,
            Ticket.number,
            Customer.name,
            Customer.phone,
            Customer.address,
            engineer.display_name,
            approver.display_name,
            Product.model,
            Product.name,
            Device.serial,
            Device.purchase_date,
        )
        .join(Ticket, Ticket.id == Repair.ticket_id)
        .join(Customer, Customer.id == Ticket.customer_id)
        .join(engineer, engineer.id == Repair.engineer_id)
        .outerjoin(approver, approver.id == Repair.fees_approved_by)
        .outerjoin(Device, Device.id == Repair.device_id)
        .outerjoin(Product, Product.id == Device.product_id)
        .where(*where)
        .order_by(Repair.appointment_at, Repair.id)
    )
    found = session.execute(stmt).all()
    ids = [r[0].id for r in found]
    parts: dict[int, list[RepairPartRow]] = defaultdict(list)
    fees: dict[int, list[RepairFeeRow]] = defaultdict(list)
    for start in range(0, len(ids), 900):
        batch = ids[start : start + 900]
        for p in session.execute(
            select(RepairPart).where(RepairPart.repair_id.in_(batch)).order_by(RepairPart.id)
        ).scalars():
            parts[p.repair_id].append(
                RepairPartRow(
                    p.id, p.name, p.kind, p.quantity, p.in_warranty, p.charged, p.unit_price
                )
            )
        for f in session.execute(
            select(RepairFee).where(RepairFee.repair_id.in_(batch)).order_by(RepairFee.id)
        ).scalars():
            fees[f.repair_id].append(RepairFeeRow(f.id, f.kind, f.amount, f.note, f.added_at))
    rows = []
    for (
        r,
        number,
        cname,
        phone,
        address,
        ename,
        aname,
        model,
        pname,
        serial,
        purchase,
    ) in found:
        rows.append(
            RepairRow(
                id=r.id,
                ticket_id=r.ticket_id,
                ticket_number=number,
                customer_name=cname,
                customer_phone=mask_phone(phone),
                address=address,
                device_id=r.device_id,
                product_model=model,
                product_name=pname,
                serial=serial,
                purchase_date=purchase,
                kind=r.kind,
                status=r.status,
                engineer_id=r.engineer_id,
                engineer_name=ename,
                appointment_at=r.appointment_at,
                fault_code=r.fault_code,
                diagnosis=r.diagnosis,
                work_done=r.work_done,
                quality_defect=r.quality_defect,
                function_lost=r.function_lost,
                in_warranty=r.in_warranty,
                quote_total=r.quote_total,
                quote_accepted_by=r.quote_accepted_by,
                quote_accepted_at=r.quote_accepted_at,
                work_at=r.work_at,
                accepted_by=r.accepted_by,
                accepted_at=r.accepted_at,
                cancel_reason=r.cancel_reason,
                fees_approved_by=r.fees_approved_by,
                fees_approved_by_name=aname,
                fees_approved_at=r.fees_approved_at,
                created_at=r.created_at,
                updated_at=r.updated_at,
                version=r.version,
                parts=tuple(parts[r.id]),
                fees=tuple(fees[r.id]),
                quote_accepted_amount=r.quote_accepted_amount,
            )
        )
    return rows


def repair(session: Session, repair_id: int) -> RepairRow | None:
    found = _repair_rows(session, Repair.id == repair_id)
    return found[0] if found else None


def repairs_for_ticket(session: Session, ticket_id: int) -> list[RepairRow]:
    """The ticket's repairs, by appointment."""
    return _repair_rows(session, Repair.ticket_id == ticket_id)


def repairs_for_device(session: Session, device_id: int) -> list[RepairRow]:
    return _repair_rows(session, Repair.device_id == device_id)


def open_repair_exists(session: Session, ticket_id: int) -> bool:
    """A repair of the ticket that is neither done nor cancelled."""
    return bool(
        session.execute(
            select(exists().where(Repair.ticket_id == ticket_id, Repair.status.in_(OPEN_REPAIR)))
        ).scalar()
    )


def device_history(
    session: Session, device_id: int, zone: Any, *, exclude: int | None = None
) -> list[PastRepair]:
    """The device's repairs as the repeat-fault rule needs them (`done_on` a local date)."""
    stmt = select(
        Repair.id,
        Repair.status,
        Repair.in_warranty,
        Repair.fault_code,
        Repair.diagnosis,
        Repair.accepted_at,
    ).where(Repair.device_id == device_id)
    if exclude is not None:
        stmt = stmt.where(Repair.id != exclude)
    return [
        PastRepair(
            rid,
            status,
            in_warranty,
            code,
            diagnosis,
            at.astimezone(zone).date() if at is not None else None,
        )
        for rid, status, in_warranty, code, diagnosis, at in session.execute(
            stmt.order_by(Repair.id)
        )
    ]


def done_repair_before(session: Session, device_id: int, before: datetime) -> bool:
    """The device had a repair signed off before `before` (loss of function *after* a repair)."""
    return bool(
        session.execute(
            select(
                exists().where(
                    Repair.device_id == device_id,
                    Repair.status == RepairStatus.DONE,
                    Repair.accepted_at < before,
                )
            )
        ).scalar()
    )


# -- visits --------------------------------------------------------------------------------------
def visits(
    session: Session,
    engineer_id: int | None,
    start: datetime,
    end: datetime,
    *,
    include_missed: bool = False,
) -> list[VisitRow]:
    """Open appointments in [start, end), soonest first; every engineer when `engineer_id` is
    None. With `include_missed`, also every earlier appointment still waiting for its visit
    (no work recorded): missed visits stay on the list instead of vanishing."""
    engineer = aliased(Agent)
    window: ColumnElement[bool] = and_(Repair.appointment_at >= start, Repair.appointment_at < end)
    if include_missed:
        window = or_(
            window,
            and_(
                Repair.appointment_at < start,
                Repair.status.in_(sorted(MISSABLE)),
            ),
        )
    stmt = (
        select(
            Repair.id,
            Repair.ticket_id,
            Ticket.number,
            Repair.appointment_at,
            Repair.kind,
            Repair.status,
            Repair.engineer_id,
            engineer.display_name,
            Customer.name,
            Customer.phone,
            Customer.address,
            Product.model,
            Product.name,
            Repair.in_warranty,
        )
        .join(Ticket, Ticket.id == Repair.ticket_id)
        .join(Customer, Customer.id == Ticket.customer_id)
        .join(engineer, engineer.id == Repair.engineer_id)
        .outerjoin(Device, Device.id == Repair.device_id)
        .outerjoin(Product, Product.id == Device.product_id)
        .where(Repair.status.in_(OPEN_REPAIR), window)
        .order_by(Repair.appointment_at, Repair.id)
    )
    if engineer_id is not None:
        stmt = stmt.where(Repair.engineer_id == engineer_id)
    return [
        VisitRow(
            repair_id=row[0],
            ticket_id=row[1],
            ticket_number=row[2],
            appointment_at=row[3],
            kind=row[4],
            status=row[5],
            engineer_id=row[6],
            engineer_name=row[7],
            customer_name=row[8],
            customer_phone=mask_phone(row[9]),
            address=row[10],
            product_model=row[11],
            product_name=row[12],
            in_warranty=row[13],
        )
        for row in session.execute(stmt)
    ]


# -- replacements --------------------------------------------------------------------------------
def replacements_for_ticket(session: Session, ticket_id: int) -> list[ReplacementRow]:
    stmt = (
        select(Replacement, Ticket.number, Agent.display_name)
        .join(Ticket, Ticket.id == Replacement.ticket_id)
        .outerjoin(Agent, Agent.id == Replacement.actor_id)
        .where(Replacement.ticket_id == ticket_id)
        .order_by(Replacement.id)
    )
    return [replacement_row(r, number, name) for r, number, name in session.execute(stmt)]


def replacement_row(r: Replacement, number: str, actor_name: str | None) -> ReplacementRow:
    return ReplacementRow(
        id=r.id,
        ticket_id=r.ticket_id,
        ticket_number=number,
        device_id=r.device_id,
        old_model=r.old_model,
        new_model=r.new_model,
        colour=r.colour,
        condition=r.condition,
        reason=r.reason,
        replaced_at=r.replaced_at,
        accepted_by=r.accepted_by,
        accepted_at=r.accepted_at,
        actor_id=r.actor_id,
        actor_name=actor_name,
    )


# -- fee figures ---------------------------------------------------------------------------------
@dataclass
class FeeGroup:
    """Fee sums of one product or engineer (or the whole period)."""

    key: str
    label: str
    repairs: int = 0
    by_kind: dict[FeeKind, Decimal] = field(default_factory=lambda: {k: ZERO for k in FeeKind})
    approved: Decimal = ZERO
    parts: Decimal = ZERO  # charged parts (unit price × quantity)

    @property
    def total(self) -> Decimal:
        """Fees plus charged parts: what the customers pay (domain `charges_total`)."""
        return charges_total(self.by_kind.values(), [self.parts])


@dataclass
class FeeTotals:
    """Fees of the repairs signed off (done) in [start, end), grouped three ways."""

    total: FeeGroup
    by_product: list[FeeGroup]
    by_engineer: list[FeeGroup]

    @property
    def by_kind(self) -> dict[FeeKind, Decimal]:
        return self.total.by_kind


def fee_totals(session: Session, start: datetime, end: datetime) -> FeeTotals:
    """Fees by kind, product and engineer for repairs done (customer sign-off) in [start, end).

    Sums are taken in Python over Decimal values, so they are exact on every backend.
    """
    engineer = aliased(Agent)

    def done_repairs(amount: Any, line: Any, *conditions: Any) -> Select[Any]:
        """A fee or part line of each repair done in [start, end), with its product and
        engineer: the fees and the charged parts are counted the same way."""
        return (
            select(
                Repair.id,
                Repair.fees_approved_at,
                *amount,
                Product.model,
                Product.name,
                Repair.engineer_id,
                engineer.display_name,
            )
            .join(Repair, Repair.id == line.repair_id)
            .join(engineer, engineer.id == Repair.engineer_id)
            .outerjoin(Device, Device.id == Repair.device_id)
            .outerjoin(Product, Product.id == Device.product_id)
            .where(
                Repair.status == RepairStatus.DONE,
                Repair.accepted_at >= start,
                Repair.accepted_at < end,
                *conditions,
            )
            .order_by(line.id)
        )

    stmt = done_repairs((RepairFee.kind, RepairFee.amount), RepairFee)
    total = FeeGroup("total", "Total")
    products: dict[str, FeeGroup] = {}
    engineers: dict[str, FeeGroup] = {}
    counted: dict[str, set[int]] = defaultdict(set)

    def groups_of(model: str | None, pname: str | None, eid: int, ename: str) -> Any:
        product_key = model or "—"
        return (
            ("total", total),
            (
                f"p:{product_key}",
                products.setdefault(
                    product_key, FeeGroup(product_key, f"{model} {pname}" if model else "—")
                ),
            ),
            (f"e:{eid}", engineers.setdefault(str(eid), FeeGroup(str(eid), ename))),
        )

    def count(key: str, group: FeeGroup, rid: int) -> None:
        if rid not in counted[key]:
            counted[key].add(rid)
            group.repairs += 1

    for rid, approved_at, kind, amount, model, pname, eid, ename in session.execute(stmt):
        for key, group in groups_of(model, pname, eid, ename):
            group.by_kind[kind] += amount
            if approved_at is not None:
                group.approved += amount
            count(key, group, rid)
    parts = done_repairs(
        (RepairPart.unit_price, RepairPart.quantity),
        RepairPart,
        RepairPart.charged.is_(True),
        RepairPart.unit_price > 0,
    )
    for rid, approved_at, price, quantity, model, pname, eid, ename in session.execute(parts):
        amount = part_amount(price, quantity, True)
        for key, group in groups_of(model, pname, eid, ename):
            group.parts += amount
            if approved_at is not None:
                group.approved += amount
            count(key, group, rid)
    return FeeTotals(total, _largest_first(products.values()), _largest_first(engineers.values()))


def _largest_first(groups: Iterable[FeeGroup]) -> list[FeeGroup]:
    return sorted(groups, key=lambda g: (-g.total, g.label))


# -- failures ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FailingProduct:
    model: str
    name: str
    repairs: int
    devices: int


@dataclass(frozen=True, slots=True)
class FailingPart:
    name: str
    kind: PartKind
    quantity: int
    repairs: int


@dataclass(frozen=True, slots=True)
class TopFailing:
    products: list[FailingProduct]
    parts: list[FailingPart]


def top_failing(session: Session, start: datetime, end: datetime, limit: int = 10) -> TopFailing:
    """Products most repaired, and parts most replaced, by repairs whose work was recorded in
    [start, end) (cancelled ones left out) — for the monthly report."""
    in_period = (
        Repair.work_at >= start,
        Repair.work_at < end,
        Repair.status != RepairStatus.CANCELLED,
    )
    repairs = func.count(func.distinct(Repair.id))
    products = [
        FailingProduct(model, name, n, d)
        for model, name, n, d in session.execute(
            select(Product.model, Product.name, repairs, func.count(func.distinct(Device.id)))
            .select_from(Repair)
            .join(Device, Device.id == Repair.device_id)
            .join(Product, Product.id == Device.product_id)
            .where(*in_period)
            .group_by(Product.model, Product.name)
            .order_by(repairs.desc(), Product.model)
            .limit(limit)
        )
    ]
    quantity = func.sum(RepairPart.quantity)
    parts = [
        FailingPart(name, kind, int(q), n)
        for name, kind, q, n in session.execute(
            select(RepairPart.name, RepairPart.kind, quantity, repairs)
            .join(Repair, Repair.id == RepairPart.repair_id)
            .where(*in_period)
            .group_by(RepairPart.name, RepairPart.kind)
            .order_by(quantity.desc(), RepairPart.name)
            .limit(limit)
        )
    ]
    return TopFailing(products, parts)
