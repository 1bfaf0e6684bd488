"""Ticket use-cases: intake, comment, assign, change, pend/resume, escalate, extend,
resolve, reopen and close. Each is one transaction that checks the version the caller
loaded, applies a domain rule, and writes the change together with its audit event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from deskui.domain import workflow
from deskui.domain.actors import Action, Actor
from deskui.domain.enums import Category, EventKind, Priority, Status, TeamKind, Tier
from deskui.domain.rows import CallbackRow, TicketDetail
from deskui.domain.schemas import CallbackForm, IntakeForm, ResolveForm
from deskui.domain.warranty import check_purchase_date
from deskui.i18n import N_
from deskui.services.context import ServiceContext
from deskui.services.errors import (
    CallbackRecorded,
    Conflict,
    InvalidAction,
    NotFound,
    PermissionDenied,
)
from deskui.services.sla_fields import apply_targets, paused_business_seconds, refresh_next
from deskui.store import tickets as store
from deskui.store.repairs import open_repair_exists
from deskui.store.tables import (
    Agent,
    Callback,
    Customer,
    Device,
    Product,
    Team,
    Ticket,
    TicketEvent,
)


def _plain(value: Any) -> Any:
    """JSON-friendly audit values."""
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _agent_name(session: Session, callback: Callback) -> str:
    """Who last recorded the callback, for a conflict message."""
    agent = session.get(Agent, callback.agent_id) if callback.agent_id else None
    return agent.display_name if agent else "another agent"


class TicketService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- reads -----------------------------------------------------------------------
    def get(self, ticket_id: int) -> TicketDetail:
        with self.ctx.read() as session:
            found = store.detail(session, ticket_id)
        if found is None:
            raise NotFound("no ticket with id {ticket_id}", ticket_id=ticket_id)
        return found

    def get_by_number(self, number: str) -> TicketDetail:
        with self.ctx.read() as session:
            ticket_id = store.ticket_id_by_number(session, number)
        if ticket_id is None:
            raise NotFound("no ticket numbered {number}", number=number)
        return self.get(ticket_id)

    # -- intake ----------------------------------------------------------------------
    def intake(self, actor: Actor, form: IntakeForm) -> TicketDetail:
        """Register a request: number it, put it under SLA, dispatch it."""
        self._require(actor, Action.INTAKE)

        def work(session: Session) -> int:
            now = self.ctx.now()
            received = form.received_at or now
            customer = self._customer_for(session, form)
            tier = customer.tier if form.customer_id else form.tier
            device_id = form.device_id or self._device_for(session, form, customer)
            team_id = form.team_id or self.suggested_team(session, form.category)
            status = Status.ASSIGNED if form.assignee_id else Status.NEW
            ticket = Ticket(
                number=store.next_number(session, self.ctx.site.number_day(received)),
                channel=form.channel,
                category=form.category,
                complaint_type=form.complaint_type,
                priority=form.priority,
                tier=tier,
                status=status,
                is_open=True,
                subject=form.subject,
                description=form.description,
                customer_request=form.customer_request,
                customer_id=customer.id,
                device_id=device_id,
                team_id=team_id,
                assignee_id=form.assignee_id,
                created_at=received,
                updated_at=now,
                paused_seconds=0,
                extended_seconds=0,
                escalation_level=0,
                reopen_count=0,
            )
            apply_targets(self.ctx.policy, ticket)
            session.add(ticket)
            session.flush()
            session.info["version"] = 1
            self._event(
                session,
                ticket,
                actor,
                EventKind.CREATED,
                form.subject,
                after=self._snapshot(ticket),
            )
            return ticket.id

        return self.get(self.ctx.write(work))

    def resolution_clock(self, ticket: Ticket | TicketDetail) -> str:
        """The calendar the ticket's resolution clock (and so an extension) runs on: working
        time ("business") or clock time ("24x7")."""
        due = self.ctx.policy.due_times(
            ticket.priority, ticket.category, ticket.tier, ticket.created_at
        )
        return due.resolve_calendar

    def suggested_team(self, session: Session, category: Category) -> int | None:
        """Dispatch rule (service-standards §4): the first team of the kind the category needs."""
        kind: TeamKind = workflow.DISPATCH[category]
        return session.execute(
            select(Team.id).where(Team.kind == kind).order_by(Team.id).limit(1)
        ).scalar()

    # -- actions on one ticket -------------------------------------------------------------
    def comment(
        self, actor: Actor, ticket_id: int, version: int, body: str, *, internal: bool = True
    ) -> TicketDetail:
        """Add to the timeline; a message to the customer is also the first response."""
        self._require(actor, Action.COMMENT)
        body = body.strip()
        if not body:
            raise InvalidAction("a comment cannot be empty")

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            if not internal:
                self._respond(session, ticket, actor, now)
            self._event(session, ticket, actor, EventKind.COMMENT, body, internal=internal)

        return self._edit(actor, ticket_id, version, "comment", change)

    def assign(
        self,
        actor: Actor,
        ticket_id: int,
        version: int,
        *,
        team_id: int | None = None,
        assignee_id: int | None = None,
    ) -> TicketDetail:
        self._require(actor, Action.ASSIGN)

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            new_team = team_id
            if assignee_id is not None:
                agent = session.get(Agent, assignee_id)
                if agent is None or not agent.active:
                    raise InvalidAction("that agent does not exist or is not active")
                if (
                    not actor.may(Action.ASSIGN_ANYONE)
                    and assignee_id != actor.id
                    and agent.team_id != actor.team_id
                ):
                    raise PermissionDenied("agents may assign only to themselves or their own team")
                new_team = new_team or agent.team_id
            before = {
                "team_id": ticket.team_id,
                "assignee_id": ticket.assignee_id,
                "status": ticket.status.value,
            }
            if new_team is not None:
                ticket.team_id = new_team
            ticket.assignee_id = assignee_id
            ticket.status = workflow.status_after_assign(ticket.status, assignee_id is not None)
            after = {
                "team_id": ticket.team_id,
                "assignee_id": ticket.assignee_id,
                "status": ticket.status.value,
            }
            self._event(session, ticket, actor, EventKind.ASSIGN, "", before=before, after=after)

        return self._edit(actor, ticket_id, version, "assign", change)

    def change(
        self,
        actor: Actor,
        ticket_id: int,
        version: int,
        *,
        priority: Priority | None = None,
        category: Category | None = None,
        tier: Tier | None = None,
    ) -> TicketDetail:
        """Reclassify; the SLA due times are recomputed from the rules."""
        self._require(actor, Action.CHANGE)

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            before = self._sla_snapshot(ticket)
            for name, value in (("priority", priority), ("category", category), ("tier", tier)):
                if value is not None:
                    before[name] = getattr(ticket, name).value
                    setattr(ticket, name, value)
            if ticket.category is not Category.COMPLAINT:
                ticket.complaint_type = None
            apply_targets(self.ctx.policy, ticket)
            after = self._sla_snapshot(ticket) | {
                k: getattr(ticket, k).value for k in ("priority", "category", "tier") if k in before
            }
            self._event(
                session, ticket, actor, EventKind.FIELD_CHANGE, "", before=before, after=after
            )

        return self._edit(actor, ticket_id, version, "change", change)

    def pend(self, actor: Actor, ticket_id: int, version: int, note: str) -> TicketDetail:
        """Waiting on the customer: the resolution clock stops."""
        self._require(actor, Action.PEND)

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            self._respond(session, ticket, actor, now)
            before = ticket.status.value
            ticket.status = Status.PENDING_CUSTOMER
            ticket.paused_at = now
            refresh_next(ticket)
            self._event(
                session,
                ticket,
                actor,
                EventKind.PAUSE,
                note.strip(),
                before={"status": before},
                after={"status": ticket.status.value, "paused_at": now.isoformat()},
            )

        return self._edit(actor, ticket_id, version, "pend", change)

    def resume(self, actor: Actor, ticket_id: int, version: int, note: str = "") -> TicketDetail:
        """The customer answered: the resolution due time moves out by the paused business time."""
        self._require(actor, Action.PEND)

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            self._unpause(session, ticket, actor, now, note)

        return self._edit(actor, ticket_id, version, "resume", change)

    def escalate(self, actor: Actor, ticket_id: int, version: int, reason: str) -> TicketDetail:
        self._require(actor, Action.ESCALATE)
        if not reason.strip():
            raise InvalidAction("an escalation needs a reason")

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            before = ticket.escalation_level
            ticket.escalation_level += 1
            self._event(
                session,
                ticket,
                actor,
                EventKind.ESCALATE,
                reason.strip(),
                before={"escalation_level": before},
                after={"escalation_level": ticket.escalation_level},
            )

        return self._edit(actor, ticket_id, version, "escalate", change)

    def extend(
        self, actor: Actor, ticket_id: int, version: int, minutes: int, reason: str
    ) -> TicketDetail:
        """Move the resolution deadline; allowed only with a reason, and recorded."""
        self._require(actor, Action.EXTEND)
        if minutes <= 0:
            raise InvalidAction("an extension must be a positive number of minutes")
        if not reason.strip():
            raise InvalidAction(
                "extending a deadline needs a reason (and the customer must be told)"
            )

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            before = self._sla_snapshot(ticket)
            ticket.extended_seconds += minutes * 60
            apply_targets(self.ctx.policy, ticket)
            calendar = self.resolution_clock(ticket)
            self._event(
                session,
                ticket,
                actor,
                EventKind.EXTEND,
                reason.strip(),
                before=before,
                after=self._sla_snapshot(ticket) | {"minutes": minutes, "calendar": calendar},
            )

        return self._edit(actor, ticket_id, version, "extend", change)

    def resolve(
        self, actor: Actor, ticket_id: int, version: int, form: ResolveForm
    ) -> TicketDetail:
        """Record the solution and schedule the callback."""
        self._require(actor, Action.RESOLVE)

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            if open_repair_exists(session, ticket.id):
                raise InvalidAction("a ticket with an open repair cannot be resolved")
            if ticket.paused_at is not None:
                self._unpause(session, ticket, actor, now, "")
            self._respond(session, ticket, actor, now)
            try:
                first_contact = workflow.first_contact(form.first_contact, ticket.reopen_count)
            except workflow.WorkflowError as exc:
                raise InvalidAction.carrying(exc) from None
            before = ticket.status.value
            ticket.status = Status.RESOLVED
            ticket.solution = form.solution
            ticket.first_contact_resolved = first_contact
            ticket.resolved_at = now
            refresh_next(ticket)
            hours = self.ctx.site.callbacks
            delay = (
                hours.complaint_hours
                if ticket.category is Category.COMPLAINT
                else hours.other_hours
            )
            session.add(
                Callback(
                    ticket_id=ticket.id, due_at=now + timedelta(hours=delay), attempts=0, notes=""
                )
            )
            self._event(
                session,
                ticket,
                actor,
                EventKind.RESOLVE,
                form.solution,
                internal=False,
                before={"status": before},
                after={"status": ticket.status.value, "first_contact": first_contact},
            )

        return self._edit(actor, ticket_id, version, "resolve", change)

    def reopen(self, actor: Actor, ticket_id: int, version: int, reason: str) -> TicketDetail:
        self._require(actor, Action.REOPEN)
        if not reason.strip():
            raise InvalidAction("reopening needs a reason")

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            self._reopen(session, ticket, actor, now, reason.strip())

        return self._edit(actor, ticket_id, version, "reopen", change)

    def close(self, actor: Actor, ticket_id: int, version: int, note: str = "") -> TicketDetail:
        """Close a resolved ticket. Before its callback is made this needs a reason: the
        callback is kept, marked skipped with the reason, and counts as not done."""
        self._require(actor, Action.CLOSE)

        def change(session: Session, ticket: Ticket, now: datetime) -> None:
            pending = store.pending_callback(session, ticket.id)
            try:
                reason = workflow.close_reason(pending is not None, note)
            except workflow.WorkflowError as exc:
                raise InvalidAction.carrying(exc) from None
            skipped: dict[str, Any] = {}
            if pending is not None:
                pending.skipped_at = now
                pending.skip_reason = reason
                pending.due_at = min(pending.due_at, now)  # due at the close, at the latest
                skipped = {"callback_skipped": pending.id}
            self._close(session, ticket, actor, now, reason, **skipped)

        return self._edit(actor, ticket_id, version, "close", change)

    # -- callbacks -------------------------------------------------------------------------
    def callbacks_due(self) -> list[CallbackRow]:
        """Open callbacks, the most overdue first (the callbacks panel)."""
        from deskui.store import callbacks

        with self.ctx.read() as session:
            return callbacks.due(session)

    def record_callback(
        self,
        actor: Actor,
        callback_id: int,
        form: CallbackForm,
        *,
        attempts_seen: int | None = None,
    ) -> TicketDetail:
        """Not reached: retry later (in working hours). Reached and solved: close. Not solved:
        reopen with a note. The team scope is checked like every other write.

        The callback and its ticket are locked, so two QA recording the same callback get a
        `Conflict` for the second, never a half-written callback; `attempts_seen` (the attempt
        count the caller saw) also catches a second "not reached" over the first."""
        seen: dict[str, int] = {}

        def work(session: Session) -> int:
            lock = session.get_bind().dialect.name != "sqlite"
            callback = session.get(Callback, callback_id, with_for_update=lock)
            if callback is None:
                raise NotFound("no callback {callback_id}", callback_id=callback_id)
            ticket = session.get(Ticket, callback.ticket_id, with_for_update=lock)
            assert ticket is not None
            seen.update(ticket=ticket.id, version=ticket.version)
            needed = (
                Action.COMPLAINT_CALLBACK
                if ticket.category is Category.COMPLAINT
                else Action.CALLBACK
            )
            self._require(actor, needed)
            if not actor.may_work_on(ticket.team_id, ticket.assignee_id):
                raise PermissionDenied(
                    "{number} belongs to another team; ask its supervisor", number=ticket.number
                )
            if callback.skipped_at is not None:
                raise InvalidAction(
                    "this callback was skipped: the ticket was closed before it ({skip_reason})",
                    skip_reason=callback.skip_reason,
                )
            if callback.done_at is not None or (
                attempts_seen is not None and callback.attempts != attempts_seen
            ):
                raise CallbackRecorded(ticket.id, _agent_name(session, callback), ticket.version)
            now = self.ctx.now()
            session.info["version"] = ticket.version + 1
            callback.attempts += 1
            callback.agent_id = actor.id
            callback.notes = "\n".join(filter(None, [callback.notes, form.notes]))
            summary: dict[str, Any] = {"reached": form.reached, "attempt": callback.attempts}
            step = workflow.after_callback(ticket.status, reached=form.reached, solved=form.solved)
            if step == "retry":
                callback.due_at = workflow.callback_retry_at(
                    now, self.ctx.site.callbacks.retry_hours, self.ctx.policy.business
                )
                summary["next_at"] = callback.due_at.isoformat()
                self._event(session, ticket, actor, EventKind.CALLBACK, form.notes, after=summary)
            else:
                callback.done_at = now
                callback.reached = True
                callback.solved = form.solved
                callback.satisfaction = form.satisfaction
                summary |= {"solved": form.solved, "satisfaction": form.satisfaction}
                self._event(session, ticket, actor, EventKind.CALLBACK, form.notes, after=summary)
                if step == "close":
                    self._close(session, ticket, actor, now, "")
                elif step == "reopen":
                    self._reopen(
                        session, ticket, actor, now, form.notes or N_("not solved at callback")
                    )
            ticket.updated_at = now
            flag_modified(ticket, "updated_at")  # bumps the version: other desks must reload
            session.flush()
            return ticket.id

        try:
            return self.get(self.ctx.write(work))
        except StaleDataError:
            with self.ctx.read() as session:
                callback = session.get(Callback, callback_id)
                assert callback is not None
                name = _agent_name(session, callback)
            raise CallbackRecorded(seen["ticket"], name, seen["version"] + 1) from None

    # -- shared steps ------------------------------------------------------------------------
    def _edit(
        self,
        actor: Actor,
        ticket_id: int,
        version: int,
        action: str,
        change: Callable[[Session, Ticket, datetime], None],
    ) -> TicketDetail:
        def work(session: Session) -> None:
            ticket = session.get(
                Ticket, ticket_id, with_for_update=session.get_bind().dialect.name != "sqlite"
            )
            if ticket is None:
                raise NotFound("no ticket with id {ticket_id}", ticket_id=ticket_id)
            if ticket.version != version:
                raise self._conflict(session, ticket, version)
            if not actor.may_work_on(ticket.team_id, ticket.assignee_id):
                raise PermissionDenied(
                    "{number} belongs to another team; ask its supervisor", number=ticket.number
                )
            try:
                workflow.check(action, ticket.status)
            except workflow.WorkflowError as exc:
                raise InvalidAction.carrying(exc) from None
            session.info["version"] = version + 1
            now = self.ctx.now()
            change(session, ticket, now)
            ticket.updated_at = now
            flag_modified(ticket, "updated_at")  # every edit bumps the version, even a bare comment
            session.flush()

        try:
            self.ctx.write(work)
        except StaleDataError:
            with self.ctx.read() as session:
                ticket = session.get(Ticket, ticket_id)
                assert ticket is not None
                raise self._conflict(session, ticket, version) from None
        return self.get(ticket_id)

    def _conflict(self, session: Session, ticket: Ticket, version: int) -> Conflict:
        """List what others did since `version`: each event carries the version it produced."""
        changes = [
            e
            for e in store.events(session, ticket.id)
            if e.after and int(e.after.get("version", 0)) > version
        ]
        return Conflict(ticket.id, version, ticket.version, changes)

    def _respond(self, session: Session, ticket: Ticket, actor: Actor, now: datetime) -> None:
        if ticket.first_response_at is None:
            ticket.first_response_at = now
            ticket.status = workflow.status_after_response(ticket.status)
            refresh_next(ticket)
            self._event(
                session,
                ticket,
                actor,
                EventKind.RESPONDED,
                "",
                after={"first_response_at": now.isoformat()},
            )

    def _unpause(
        self, session: Session, ticket: Ticket, actor: Actor, now: datetime, note: str
    ) -> None:
        before = self._sla_snapshot(ticket)
        paused = paused_business_seconds(self.ctx.policy, ticket, now)
        ticket.paused_seconds += paused
        ticket.paused_at = None
        ticket.status = Status.IN_PROGRESS
        apply_targets(self.ctx.policy, ticket)
        self._event(
            session,
            ticket,
            actor,
            EventKind.RESUME,
            note.strip(),
            before=before,
            after=self._sla_snapshot(ticket) | {"paused_seconds": paused},
        )

    def _reopen(
        self, session: Session, ticket: Ticket, actor: Actor, now: datetime, reason: str
    ) -> None:
        before = ticket.status.value
        ticket.status = Status.IN_PROGRESS
        ticket.reopen_count += 1
        ticket.resolved_at = None
        ticket.closed_at = None
        ticket.first_contact_resolved = False
        refresh_next(ticket)
        self._event(
            session,
            ticket,
            actor,
            EventKind.REOPEN,
            reason,
            before={"status": before},
            after={"status": ticket.status.value, "reopen_count": ticket.reopen_count},
        )

    def _close(
        self,
        session: Session,
        ticket: Ticket,
        actor: Actor,
        now: datetime,
        note: str,
        **extra: Any,
    ) -> None:
        before = ticket.status.value
        ticket.status = Status.CLOSED
        ticket.closed_at = now
        refresh_next(ticket)
        self._event(
            session,
            ticket,
            actor,
            EventKind.CLOSE,
            note,
            before={"status": before},
            after={"status": ticket.status.value, **extra},
        )

    def _event(
        self,
        session: Session,
        ticket: Ticket,
        actor: Actor | None,
        kind: EventKind,
        body: str,
        *,
        internal: bool = True,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Audit: every change carries the version it produced, so conflicts can list what came after."""
        payload = dict(after or {})
        payload["version"] = session.info["version"]
        session.add(
            TicketEvent(
                ticket_id=ticket.id,
                actor_id=actor.id if actor else None,
                at=self.ctx.now(),
                kind=kind,
                internal=internal,
                body=body,
                before={k: _plain(v) for k, v in (before or {}).items()} or None,
                after={k: _plain(v) for k, v in payload.items()},
            )
        )

    @staticmethod
    def _sla_snapshot(ticket: Ticket) -> dict[str, Any]:
        return {
            "response_due_at": _plain(ticket.response_due_at),
            "resolve_due_at": _plain(ticket.resolve_due_at),
        }

    @staticmethod
    def _snapshot(ticket: Ticket) -> dict[str, Any]:
        keys = (
            "number",
            "channel",
            "category",
            "priority",
            "tier",
            "status",
            "team_id",
            "assignee_id",
            "response_due_at",
            "resolve_due_at",
        )
        return {k: _plain(getattr(ticket, k)) for k in keys}

    def _customer_for(self, session: Session, form: IntakeForm) -> Customer:
        """An existing customer by id or phone, else a new one."""
        if form.customer_id is not None:
            customer = session.get(Customer, form.customer_id)
            if customer is None:
                raise NotFound("no customer with id {customer_id}", customer_id=form.customer_id)
            return customer
        if form.customer_phone:
            found = session.execute(
                select(Customer)
                .where(Customer.phone == form.customer_phone)
                .order_by(Customer.id)
                .limit(1)
            ).scalar()
            if found is not None:
                return found
        customer = Customer(
            name=form.customer_name or "匿名 Anonymous",
            phone=form.customer_phone,
            email=form.customer_email,
            region=form.region,
            tier=form.tier,
        )
        session.add(customer)
        session.flush()
        return customer

    def _device_for(self, session: Session, form: IntakeForm, customer: Customer) -> int | None:
        if not form.product_model:
            return None
        product = session.execute(
            select(Product).where(Product.model == form.product_model)
        ).scalar()
        if product is None:
            raise InvalidAction(
                "unknown product model {product_model!r}", product_model=form.product_model
            )
        try:
            check_purchase_date(
                form.purchase_date, self.ctx.now().astimezone(self.ctx.site.zone).date()
            )
        except ValueError as exc:
            raise InvalidAction.carrying(exc) from None
        device = Device(
            customer_id=customer.id,
            product_id=product.id,
            serial=form.serial or "",
            purchase_date=form.purchase_date,
            proof_of_purchase=form.proof_of_purchase,
        )
        session.add(device)
        session.flush()
        return device.id

    @staticmethod
    def _require(actor: Actor, action: Action) -> None:
        if not actor.may(action):
            raise PermissionDenied(
                "your role ({role}) may not {action}", role=actor.role, action=action
            )
