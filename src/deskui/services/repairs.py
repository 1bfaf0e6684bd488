"""Repair and replacement use-cases (service-standards §7).

Each call is one transaction that checks who acts, applies a rule from `domain/repairs.py`,
writes the change and a `field_change` event on the ticket's timeline (the body says what
happened, `after` carries `repair_id`, `repair_status` and the ticket's version).

Who may do what:
- desk staff who may work on the ticket (agents of its team, supervisors, admins) and the
  repair's engineer handle a repair; QA may not;
- an engineer is an active agent of an engineering team;
- only supervisors and admins approve fees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from deskui.domain import repairs as rules
from deskui.domain.actors import Action, Actor
from deskui.domain.enums import ComplaintType, EventKind, Role, TeamKind
from deskui.domain.notes import Note, event_note, note
from deskui.domain.repair_rows import EngineerRow
from deskui.domain.repairs import (
    FeeKind,
    FeeLine,
    PartLine,
    RepairKind,
    RepairStatus,
    ReplacementCheck,
    WarrantyTerms,
)
from deskui.i18n import N_
from deskui.services.context import ServiceContext
from deskui.services.errors import (
    Conflict,
    InvalidAction,
    NotFound,
    PermissionDenied,
    ServiceError,
)
from deskui.store import repairs as store
from deskui.store.repair_tables import Repair, RepairFee, RepairPart, Replacement
from deskui.store.repairs import RepairRow, ReplacementRow, VisitRow
from deskui.store.tables import Agent, Device, Product, Team, Ticket, TicketEvent

__all__ = [
    "EngineerRow",
    "FeeLine",
    "PartLine",
    "RepairChanged",
    "RepairRow",
    "RepairService",
    "ReplacementCheck",
    "ReplacementRow",
    "VisitRow",
]


class RepairChanged(Conflict):
    """Someone changed the repair since it was loaded; nothing was written."""

    def __init__(self, ticket_id: int, repair_id: int, expected: int, current: int) -> None:
        ServiceError.__init__(
            self,
            N_(
                "repair #{repair_id} was changed by someone else since you opened it "
                "(version {expected} → {current}); reload it"
            ),
            repair_id=repair_id,
            expected=expected,
            current=current,
        )
        self.ticket_id = ticket_id
        self.repair_id = repair_id
        self.expected = expected
        self.current = current
        self.changes = []


def _text(value: str | None) -> str:
    return (value or "").strip()


class RepairService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- reads ---------------------------------------------------------------------------------
    def get(self, repair_id: int) -> RepairRow:
        with self.ctx.read() as session:
            found = store.repair(session, repair_id)
        if found is None:
            raise NotFound("no repair #{repair_id}", repair_id=repair_id)
        return found

    def for_ticket(self, ticket_id: int) -> list[RepairRow]:
        with self.ctx.read() as session:
            return store.repairs_for_ticket(session, ticket_id)

    def records(self, ticket_id: int) -> tuple[list[RepairRow], list[ReplacementRow]]:
        """A ticket's repairs and replacements in one read (the ticket panel shows both)."""
        with self.ctx.read() as session:
            return (
                list(store.repairs_for_ticket(session, ticket_id)),
                list(store.replacements_for_ticket(session, ticket_id)),
            )

    def replacements(self, ticket_id: int) -> list[ReplacementRow]:
        with self.ctx.read() as session:
            return store.replacements_for_ticket(session, ticket_id)

    def visits(
        self,
        engineer_id: int | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        days: int = 7,
    ) -> list[VisitRow]:
        """Open appointments from the start of today (site time) for `days` days by default,
        and — on that default list — every earlier visit that was missed (its time passed with
        no work recorded), marked `missed`, so it does not silently vanish."""
        now = self.ctx.now()
        include_missed = start is None
        if start is None:
            today = now.astimezone(self.ctx.site.zone).date()
            start = datetime(today.year, today.month, today.day, tzinfo=self.ctx.site.zone)
        if end is None:
            end = start + timedelta(days=days)
        with self.ctx.read() as session:
            rows = store.visits(session, engineer_id, start, end, include_missed=include_missed)
        return [
            replace(row, missed=rules.visit_missed(row.status, row.appointment_at, now))
            for row in rows
        ]

    def engineers(self) -> list[EngineerRow]:
        """Active agents of engineering teams, by name."""
        with self.ctx.read() as session:
            return [
                EngineerRow(*row)
                for row in session.execute(
                    select(Agent.id, Agent.username, Agent.display_name, Team.name)
                    .join(Team, Team.id == Agent.team_id)
                    .where(Team.kind == TeamKind.ENGINEERING, Agent.active.is_(True))
                    .order_by(Agent.display_name, Agent.id)
                )
            ]

    def replacement_check(
        self, ticket_id: int, *, quality_defect: bool = False
    ) -> ReplacementCheck:
        """May the ticket's device be replaced, and on which condition (or why not)."""
        with self.ctx.read() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise NotFound("no ticket with id {ticket_id}", ticket_id=ticket_id)
            return self._replacement_check(session, ticket, quality_defect)

    # -- writes --------------------------------------------------------------------------------
    def schedule(
        self,
        actor: Actor,
        ticket_id: int,
        *,
        kind: RepairKind,
        engineer_id: int,
        appointment_at: datetime,
        device_id: int | None = None,
    ) -> RepairRow:
        """Book an engineer (on-site visit or send-back); warranty is judged on the appointment
        day from the device's purchase date. `device_id` defaults to the ticket's device."""
        self._require_desk(actor)
        if appointment_at.tzinfo is None:
            raise InvalidAction("the appointment time needs a time zone")
        try:
            rules.check_appointment(appointment_at, self.ctx.now())
        except ValueError as exc:
            raise InvalidAction.carrying(exc) from None
        kind = RepairKind(kind)

        def work(session: Session) -> int:
            ticket = self._ticket(session, ticket_id)
            if not actor.may_work_on(ticket.team_id, ticket.assignee_id):
                raise PermissionDenied("{number} belongs to another team", number=ticket.number)
            if not ticket.is_open:
                raise InvalidAction(
                    "{number} is {status}: reopen it first",
                    number=ticket.number,
                    status=ticket.status,
                )
            engineer = self._engineer(session, engineer_id)
            dev_id = device_id if device_id is not None else ticket.device_id
            in_warranty = False
            if dev_id is not None:
                device, terms = self._device(session, dev_id)
                if device.customer_id != ticket.customer_id:
                    raise InvalidAction("that device belongs to another customer")
                day = appointment_at.astimezone(self.ctx.site.zone).date()
                in_warranty = rules.repair_in_warranty(device.purchase_date, terms, day)
            now = self.ctx.now()
            repair = Repair(
                ticket_id=ticket.id,
                device_id=dev_id,
                kind=kind,
                status=RepairStatus.SCHEDULED,
                engineer_id=engineer.id,
                appointment_at=appointment_at,
                quality_defect=False,
                function_lost=False,
                in_warranty=in_warranty,
                created_at=now,
                updated_at=now,
            )
            session.add(repair)
            session.flush()
            when = appointment_at.astimezone(self.ctx.site.zone).isoformat(timespec="minutes")
            said = {"visit": kind.value, "engineer": engineer.display_name, "when": when}
            if in_warranty:
                what = event_note(
                    "repair.scheduled",
                    "Repair scheduled: {visit} by {engineer}, {when}, in warranty",
                    **said,
                )
            else:
                what = event_note(
                    "repair.scheduled",
                    "Repair scheduled: {visit} by {engineer}, {when}, out of warranty: quote first",
                    **said,
                )
            self._event(
                session,
                ticket,
                actor,
                repair,
                what,
                engineer_id=engineer.id,
                appointment_at=appointment_at.isoformat(),
                in_warranty=in_warranty,
            )
            return repair.id

        return self.get(self.ctx.write(work))

    def quote(
        self, actor: Actor, repair_id: int, fees: Sequence[FeeLine], *, version: int | None = None
    ) -> RepairRow:
        """Quote the repair (replaces an earlier quote not yet accepted)."""
        lines = [self._fee_line(f) for f in fees]
        if not lines:
            raise InvalidAction("a quote needs at least one fee line")

        def change(session: Session, repair: Repair, ticket: Ticket, now: datetime) -> str:
            if repair.status not in (RepairStatus.SCHEDULED, RepairStatus.QUOTED):
                raise InvalidAction(
                    "a {status} repair cannot be quoted (add fees instead)", status=repair.status
                )
            session.execute(delete(RepairFee).where(RepairFee.repair_id == repair.id))
            for line in lines:
                session.add(
                    RepairFee(
                        repair_id=repair.id,
                        kind=line.kind,
                        amount=line.amount,
                        note=line.note,
                        added_at=now,
                    )
                )
            repair.quote_total = sum((line.amount for line in lines), Decimal("0.00"))
            repair.quote_accepted_by = None
            repair.quote_accepted_at = None
            repair.status = RepairStatus.QUOTED
            return event_note(
                "repair.quoted",
                "Repair quoted: {total}, lines: {count}",
                total=str(repair.quote_total),
                count=len(lines),
            )

        return self._edit(actor, repair_id, version, change)

    def accept_quote(
        self, actor: Actor, repair_id: int, accepted_by: str, *, version: int | None = None
    ) -> RepairRow:
        """The customer agreed to the quote; work may start."""
        name = _text(accepted_by)
        if not name:
            raise InvalidAction("say who accepted the quote (the customer's name)")

        def change(session: Session, repair: Repair, ticket: Ticket, now: datetime) -> str:
            waiting = repair.status is RepairStatus.QUOTED or (
                repair.status is RepairStatus.IN_PROGRESS
                and repair.quote_total is not None
                and repair.quote_accepted_at is None
            )
            if not waiting:
                raise InvalidAction(
                    "there is no quote waiting (the repair is {status})", status=repair.status
                )
            total = self._total(session, repair)
            repair.quote_total = total
            repair.quote_accepted_by = name
            repair.quote_accepted_at = now
            repair.quote_accepted_amount = total  # kept: what the customer agreed to pay
            if repair.status is RepairStatus.QUOTED:
                repair.status = RepairStatus.ACCEPTED
            return event_note(
                "repair.quote_accepted",
                "Quote of {total} accepted by {name}",
                total=str(total),
                name=name,
            )

        return self._edit(actor, repair_id, version, change)

    def record_work(
        self,
        actor: Actor,
        repair_id: int,
        *,
        diagnosis: str,
        fault_code: str | None,
        work_done: str,
        parts: Sequence[PartLine] = (),
        quality_defect: bool = False,
        function_lost: bool = False,
        version: int | None = None,
    ) -> RepairRow:
        """The engineer's record: fault cause, what was done, parts replaced. A paid repair
        (out of warranty, quoted, or with a charged part) needs an accepted quote first."""
        if not _text(diagnosis):
            raise InvalidAction("record the fault cause (diagnosis)")
        if not _text(work_done):
            raise InvalidAction("record what was done")

        def change(session: Session, repair: Repair, ticket: Ticket, now: datetime) -> str:
            if not repair.status.is_open:
                raise InvalidAction("the repair is {status}", status=repair.status)
            purchase, terms = None, WarrantyTerms()
            if repair.device_id is not None:
                device, terms = self._device(session, repair.device_id)
                purchase = device.purchase_date
            day = now.astimezone(self.ctx.site.zone).date()
            priced = [(p, rules.part_charged(p, purchase, terms, day)) for p in parts]
            paid = rules.is_paid(
                repair.in_warranty,
                quoted=repair.quote_total is not None,
                charged_parts=[p for p, charged in priced if charged],
            )
            blocked = rules.work_blocked_reason(
                paid=paid, quote_accepted=repair.quote_accepted_at is not None
            )
            if blocked:
                raise InvalidAction.carrying(blocked)
            session.execute(delete(RepairPart).where(RepairPart.repair_id == repair.id))
            for part, charged in priced:
                session.add(
                    RepairPart(
                        repair_id=repair.id,
                        name=part.name.strip(),
                        kind=part.kind,
                        quantity=part.quantity,
                        in_warranty=rules.repair_in_warranty(purchase, terms, day, part.kind),
                        charged=charged,
                        unit_price=part.unit_price,
                    )
                )
            repair.diagnosis = _text(diagnosis)
            repair.fault_code = _text(fault_code) or None
            repair.work_done = _text(work_done)
            repair.quality_defect = quality_defect
            repair.function_lost = function_lost
            repair.work_at = now
            repair.status = RepairStatus.IN_PROGRESS
            session.flush()
            more = [
                *self._part_notes(priced),
                *self._requote_if_changed(session, repair, paid=paid),
            ]
            said = {"diagnosis": repair.diagnosis, "done": repair.work_done}
            if repair.fault_code:
                return event_note(
                    "repair.work",
                    "Work recorded [{code}]: {diagnosis}; done: {done}",
                    *more,
                    code=repair.fault_code,
                    **said,
                )
            return event_note(
                "repair.work", "Work recorded: {diagnosis}; done: {done}", *more, **said
            )

        return self._edit(actor, repair_id, version, change)

    def add_fee(
        self,
        actor: Actor,
        repair_id: int,
        kind: FeeKind,
        amount: Decimal,
        note: str = "",
        *,
        version: int | None = None,
    ) -> RepairRow:
        line = self._fee_line(FeeLine(FeeKind(kind), amount, note.strip()))

        def change(session: Session, repair: Repair, ticket: Ticket, now: datetime) -> str:
            if repair.status is RepairStatus.CANCELLED:
                raise InvalidAction("the repair was cancelled")
            if repair.fees_approved_at is not None:
                raise InvalidAction("the fees were already approved; no more can be added")
            session.add(
                RepairFee(
                    repair_id=repair.id,
                    kind=line.kind,
                    amount=line.amount,
                    note=line.note,
                    added_at=now,
                )
            )
            session.flush()
            again = self._requote_if_changed(session, repair, paid=self._paid(session, repair))
            said = {"fee_kind": line.kind.value, "amount": str(line.amount)}
            if line.note:
                return event_note(
                    "repair.fee",
                    "Fee added: {fee_kind} {amount} ({note})",
                    *again,
                    note=line.note,
                    **said,
                )
            return event_note("repair.fee", "Fee added: {fee_kind} {amount}", *again, **said)

        return self._edit(actor, repair_id, version, change)

    def approve_fees(
        self, actor: Actor, repair_id: int, *, version: int | None = None
    ) -> RepairRow:
        """Supervisors and admins check the fees (for finance)."""
        if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
            raise PermissionDenied("only a supervisor or an admin may approve fees")

        def change(session: Session, repair: Repair, ticket: Ticket, now: datetime) -> str:
            if repair.status is RepairStatus.CANCELLED:
                raise InvalidAction("the repair was cancelled")
            if repair.fees_approved_at is not None:
                raise InvalidAction("the fees were already approved")
            amounts = session.execute(
                select(RepairFee.amount).where(RepairFee.repair_id == repair.id)
            ).scalars()
            total = sum(amounts, Decimal("0.00"))
            if (
                not total
                and not session.execute(
                    select(RepairFee.id).where(RepairFee.repair_id == repair.id).limit(1)
                ).first()
            ):
                raise InvalidAction("the repair has no fees to approve")
            repair.fees_approved_by = actor.id
            repair.fees_approved_at = now
            return event_note("repair.fees_approved", "Fees of {total} approved", total=str(total))

        return self._edit(actor, repair_id, version, change, any_actor=True)

    def complete(
        self, actor: Actor, repair_id: int, accepted_by: str, *, version: int | None = None
    ) -> RepairRow:
        """The customer signs off the repair (验收)."""
        name = _text(accepted_by)
        if not name:
            raise InvalidAction("say who accepted the repair (the customer's signature)")

        def change(session: Session, repair: Repair, ticket: Ticket, now: datetime) -> str:
            if repair.status is not RepairStatus.IN_PROGRESS:
                raise InvalidAction(
                    "record the work before the customer signs off (the repair is {status})",
                    status=repair.status,
                )
            total = self._total(session, repair)
            accepted = repair.quote_accepted_amount
            if repair.quote_accepted_at is None and accepted == total:
                accepted = None  # an acceptance withdrawn, not a changed amount
            blocked = rules.acceptance_needed(
                paid=self._paid(session, repair), accepted_amount=accepted, total=total
            )
            if blocked:
                raise InvalidAction.carrying(blocked)
            repair.accepted_by = name
            repair.accepted_at = now
            repair.status = RepairStatus.DONE
            return event_note("repair.done", "Repair done, signed off by {name}", name=name)

        return self._edit(actor, repair_id, version, change)

    def cancel(
        self, actor: Actor, repair_id: int, reason: str, *, version: int | None = None
    ) -> RepairRow:
        why = _text(reason)
        if not why:
            raise InvalidAction("cancelling a repair needs a reason")

        def change(session: Session, repair: Repair, ticket: Ticket, now: datetime) -> str:
            if not repair.status.is_open:
                raise InvalidAction("the repair is already {status}", status=repair.status)
            repair.status = RepairStatus.CANCELLED
            repair.cancel_reason = why
            return event_note("repair.cancelled", "Repair cancelled: {reason}", reason=why)

        return self._edit(actor, repair_id, version, change)

    def replace(
        self,
        actor: Actor,
        ticket_id: int,
        *,
        new_model: str,
        colour: str,
        accepted_by: str,
        reason: str,
        quality_defect: bool = False,
    ) -> ReplacementRow:
        """Replace the ticket's device — only when a §7 condition holds (the check says which).
        `quality_defect=True` is the desk's finding of a quality defect on this request."""
        self._require_desk(actor)
        model, name = _text(new_model), _text(accepted_by)
        if not model:
            raise InvalidAction("say which model the customer receives")
        if not name:
            raise InvalidAction("say who accepted the replacement (the customer's signature)")

        def work(session: Session) -> int:
            ticket = self._ticket(session, ticket_id)
            if not actor.may_work_on(ticket.team_id, ticket.assignee_id):
                raise PermissionDenied("{number} belongs to another team", number=ticket.number)
            check = self._replacement_check(session, ticket, quality_defect)
            if not check.allowed:
                raise InvalidAction.carrying(check)  # says which condition is missing
            assert check.condition is not None
            old_model = None
            if ticket.device_id is not None:
                old_model = session.execute(
                    select(Product.model)
                    .join(Device, Device.product_id == Product.id)
                    .where(Device.id == ticket.device_id)
                ).scalar()
            now = self.ctx.now()
            replacement = Replacement(
                ticket_id=ticket.id,
                device_id=ticket.device_id,
                old_model=old_model,
                new_model=model,
                colour=_text(colour),
                condition=check.condition,
                reason=_text(reason) or check.reason,
                replaced_at=now,
                accepted_by=name,
                accepted_at=now,
                actor_id=actor.id,
            )
            session.add(replacement)
            session.flush()
            said = {"old_model": old_model or "—", "new_model": model, "name": name}
            condition = note("Condition: {condition}", condition=check.condition.value)
            if _text(colour):
                what = event_note(
                    "repair.replaced",
                    "Device replaced: {old_model} → {new_model} {colour}, accepted by {name}",
                    condition,
                    colour=_text(colour),
                    **said,
                )
            else:
                what = event_note(
                    "repair.replaced",
                    "Device replaced: {old_model} → {new_model}, accepted by {name}",
                    condition,
                    **said,
                )
            self._event(
                session,
                ticket,
                actor,
                None,
                what,
                replacement_id=replacement.id,
                condition=check.condition.value,
                new_model=model,
            )
            return replacement.id

        replacement_id = self.ctx.write(work)
        with self.ctx.read() as session:
            return next(
                r
                for r in store.replacements_for_ticket(session, ticket_id)
                if r.id == replacement_id
            )

    # -- shared steps --------------------------------------------------------------------------
    @staticmethod
    def _total(session: Session, repair: Repair) -> Decimal:
        """Fees plus charged parts, as the domain sums them."""
        fees = session.execute(
            select(RepairFee.amount).where(RepairFee.repair_id == repair.id)
        ).scalars()
        parts = [
            rules.part_amount(price, quantity, charged)
            for price, quantity, charged in session.execute(
                select(RepairPart.unit_price, RepairPart.quantity, RepairPart.charged).where(
                    RepairPart.repair_id == repair.id
                )
            )
        ]
        return rules.charges_total(fees, parts)

    @staticmethod
    def _paid(session: Session, repair: Repair) -> bool:
        charged = session.execute(
            select(RepairPart.id)
            .where(
                RepairPart.repair_id == repair.id,
                RepairPart.charged.is_(True),
                RepairPart.unit_price > 0,
            )
            .limit(1)
        ).first()
        return not repair.in_warranty or repair.quote_total is not None or charged is not None

    @staticmethod
    def _part_notes(priced: Sequence[tuple[PartLine, bool]]) -> list[Note]:
        """One sentence per part replaced: what, how many, charged or not."""
        found = []
        for part, charged in priced:
            said = {"name": part.name.strip(), "quantity": part.quantity}
            if charged:
                amount = str(rules.part_amount(part.unit_price, part.quantity, True))
                found.append(
                    note("Part: {name} ×{quantity}, charged {amount}", amount=amount, **said)
                )
            else:
                found.append(note("Part: {name} ×{quantity}, not charged", **said))
        return found

    def _requote_if_changed(self, session: Session, repair: Repair, *, paid: bool) -> list[Note]:
        """A quote changed after acceptance needs acceptance again: the new total becomes the
        quote, the acceptance is cleared (the accepted amount stays on record)."""
        if repair.quote_accepted_at is None:
            return []
        total = self._total(session, repair)
        reason = rules.acceptance_needed(
            paid=paid, accepted_amount=repair.quote_accepted_amount, total=total
        )
        if reason is None:
            return []
        repair.quote_total = total
        repair.quote_accepted_at = None
        repair.quote_accepted_by = None
        if repair.status is RepairStatus.ACCEPTED:
            repair.status = RepairStatus.QUOTED
        return [note(reason.message_id, **reason.params)]

    def _replacement_check(
        self, session: Session, ticket: Ticket, quality_defect: bool
    ) -> ReplacementCheck:
        repairs = [
            r
            for r in store.repairs_for_ticket(session, ticket.id)
            if r.status is not RepairStatus.CANCELLED
        ]
        quality = (
            quality_defect
            or ticket.complaint_type is ComplaintType.QUALITY
            or any(r.quality_defect for r in repairs)
        )
        zone = self.ctx.site.zone
        lost = False
        repeat = None
        for r in repairs:
            if r.device_id is None:
                continue
            when = r.work_at or self.ctx.now()
            if r.function_lost and store.done_repair_before(session, r.device_id, when):
                lost = True
            if repeat is None and (r.fault_code or r.diagnosis):
                repeat = rules.repeat_fault(
                    store.device_history(session, r.device_id, zone, exclude=r.id),
                    fault_code=r.fault_code,
                    diagnosis=r.diagnosis,
                    today=when.astimezone(zone).date(),
                )
        return rules.replacement_check(
            quality_defect=quality, function_lost_after_repair=lost, repeat=repeat
        )

    def _edit(
        self,
        actor: Actor,
        repair_id: int,
        version: int | None,
        change: Callable[[Session, Repair, Ticket, datetime], str | Note],
        *,
        any_actor: bool = False,
    ) -> RepairRow:
        """Load, lock and check the repair, apply `change`, write the event on the ticket."""
        seen: dict[str, int] = {}

        def work(session: Session) -> None:
            repair = session.get(
                Repair, repair_id, with_for_update=session.get_bind().dialect.name != "sqlite"
            )
            if repair is None:
                raise NotFound("no repair #{repair_id}", repair_id=repair_id)
            seen.update(ticket=repair.ticket_id, version=repair.version)
            if version is not None and repair.version != version:
                raise RepairChanged(repair.ticket_id, repair.id, version, repair.version)
            ticket = self._ticket(session, repair.ticket_id)
            if not any_actor:
                self._may_handle(actor, repair, ticket)
            now = self.ctx.now()
            body = change(session, repair, ticket, now)
            repair.updated_at = now
            session.flush()
            self._event(session, ticket, actor, repair, body)

        try:
            self.ctx.write(work)
        except StaleDataError:
            current = self.get(repair_id)
            raise RepairChanged(
                current.ticket_id, repair_id, seen.get("version", 0), current.version
            ) from None
        return self.get(repair_id)

    def _event(  # body: English text, or note(...) (English text plus its id, shown translated)
        self,
        session: Session,
        ticket: Ticket,
        actor: Actor,
        repair: Repair | None,
        body: str | Note,
        **after: Any,
    ) -> None:
        payload: dict[str, Any] = {}
        if isinstance(body, Note):
            payload |= body.payload()
            body = body.text
        if repair is not None:
            payload |= {"repair_id": repair.id, "repair_status": repair.status.value}
        payload |= after
        payload["version"] = ticket.version  # the ticket itself is not changed
        session.add(
            TicketEvent(
                ticket_id=ticket.id,
                actor_id=actor.id,
                at=self.ctx.now(),
                kind=EventKind.FIELD_CHANGE,
                internal=True,
                body=body,
                before=None,
                after=payload,
            )
        )

    @staticmethod
    def _require_desk(actor: Actor) -> None:
        if not actor.may(Action.CHANGE):
            raise PermissionDenied("your role ({role}) may not handle repairs", role=actor.role)

    def _may_handle(self, actor: Actor, repair: Repair, ticket: Ticket) -> None:
        if actor.id == repair.engineer_id:
            return
        self._require_desk(actor)
        if not actor.may_work_on(ticket.team_id, ticket.assignee_id):
            raise PermissionDenied(
                "{number} belongs to another team; ask its supervisor or the engineer",
                number=ticket.number,
            )

    @staticmethod
    def _ticket(session: Session, ticket_id: int) -> Ticket:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise NotFound("no ticket with id {ticket_id}", ticket_id=ticket_id)
        return ticket

    @staticmethod
    def _engineer(session: Session, engineer_id: int) -> Agent:
        found = session.execute(
            select(Agent, Team.kind)
            .outerjoin(Team, Team.id == Agent.team_id)
            .where(Agent.id == engineer_id)
        ).first()
        if found is None or not found[0].active:
            raise InvalidAction("that engineer does not exist or is not active")
        if found[1] is not TeamKind.ENGINEERING:
            raise InvalidAction(
                "{name} is not an engineer (not in an engineering team)", name=found[0].display_name
            )
        return found[0]

    @staticmethod
    def _device(session: Session, device_id: int) -> tuple[Device, WarrantyTerms]:
        found = session.execute(
            select(Device, Product)
            .join(Product, Product.id == Device.product_id)
            .where(Device.id == device_id)
        ).first()
        if found is None:
            raise NotFound("no device with id {device_id}", device_id=device_id)
        device, product = found
        return device, WarrantyTerms(
            product.warranty_main_months,
            product.warranty_accessory_months,
            product.warranty_software_months,
        )

    @staticmethod
    def _fee_line(line: FeeLine) -> FeeLine:
        if line.amount <= 0:
            raise InvalidAction("a {kind} fee must be more than 0", kind=line.kind)
        return line


# -- fees report ---------------------------------------------------------------------------------
PARTS_LABEL = "Charged parts / 收费配件"  # in the totals: what the customer pays for parts
FEE_LABELS = {
    FeeKind.LABOUR: "Labour / 人工费",
    FeeKind.MATERIALS: "Materials / 材料费",
    FeeKind.TRANSPORT: "Transport / 交通费",
    FeeKind.OTHER: "Other / 其他",
}


def fees_report(
    ctx: ServiceContext, month: str | None = None, progress: Callable[..., None] | None = None
) -> Any:
    """Repair fees of a calendar month (repairs signed off in it, site time): totals by fee
    kind, by product and by engineer. Returns a `services.reports.Report`."""
    from deskui.domain.report_model import Column, Report, Section
    from deskui.services.report_words import both_notes
    from deskui.services.reports import month_period

    now = ctx.now()
    zone = ctx.site.zone
    period = month_period(month, now, zone)
    r = period.range
    with ctx.read() as session:
        totals = store.fee_totals(session, r.start, r.end)
    if progress is not None:
        progress(1, 1, "repair fees")
    kinds = list(FeeKind)
    by_kind = Section(
        "fees_by_kind",
        "Fees by kind / 费用类别",
        [Column("Kind / 类别"), Column("Amount / 金额", "float")],
        [[FEE_LABELS[k], totals.by_kind[k]] for k in kinds]
        + [[PARTS_LABEL, totals.total.parts], ["Total / 合计", totals.total.total]],
        total=True,
    )
    by_kind.notes += both_notes(
        "{repairs} repairs signed off; approved by a supervisor: {approved:,.2f} of {total:,.2f}.",
        repairs=totals.total.repairs,
        approved=totals.total.approved,
        total=totals.total.total,
    )
    group_columns = [
        Column("Repairs / 维修单", "int"),
        *(Column(FEE_LABELS[k], "float") for k in kinds),
        Column(PARTS_LABEL, "float"),
        Column("Total / 合计", "float"),
        Column("Approved / 已审核", "float"),
    ]

    def group_section(key: str, title: str, first: str, groups: list[store.FeeGroup]) -> Any:
        rows = [
            [g.label, g.repairs, *(g.by_kind[k] for k in kinds), g.parts, g.total, g.approved]
            for g in [*groups, totals.total]
        ]
        rows[-1][0] = "Total / 合计"
        return Section(key, title, [Column(first), *group_columns], rows, total=True)

    sections = [
        by_kind,
        group_section(
            "fees_by_product", "Fees by product / 按产品", "Product / 产品", totals.by_product
        ),
        group_section(
            "fees_by_engineer",
            "Fees by engineer / 按工程师",
            "Engineer / 工程师",
            totals.by_engineer,
        ),
    ]
    return Report(
        "fees",
        f"Repair fees / 维修费用 {period.label}",
        period.label,
        period.start,
        period.end,
        now.astimezone(zone),
        zone.key,
        sections,
    )
