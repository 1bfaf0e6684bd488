"""The ticket detail panel: every field, SLA countdowns, warranty, the timeline, and actions.

Customer text is data: every string from the database is shown through `safe_text`
(literal, control characters made visible), never as markup. Actions are `Binding`s (footer)
and `commands()` (command palette); each runs its service call in a thread worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from deskui.domain import sla, warranty, workflow
from deskui.domain.actors import Action
from deskui.domain.enums import SlaState, Status
from deskui.domain.errors import Conflict, ServiceError
from deskui.domain.privacy import mask_email, mask_phone
from deskui.domain.rows import TicketDetail
from deskui.i18n import _, describe, formats, label, ngettext
from deskui.ui.common.formatting import (
    _yes_no,
    label_sla,
    local,
    timeline,
    visible,
    warranty_line,
)
from deskui.ui.common.lines import Lines
from deskui.ui.common.messages import TicketChanged
from deskui.ui.common.sla_timer import clock_name
from deskui.ui.common.states import sign, style_text
from deskui.ui.common.workers import desk_work
from deskui.ui.common.wrapped import Wrapped
from deskui.ui.textual_compat import SizedByLayout, localize_bindings

NARROW_SLA = 70  # cells: below this the SLA due times go on lines of their own

ACTIONS: dict[str, tuple[Action, str]] = {
    "comment": (Action.COMMENT, "comment"),
    "assign": (Action.ASSIGN, "assign"),
    "change": (Action.CHANGE, "change"),
    "pend_resume": (Action.PEND, "pend"),
    "escalate": (Action.ESCALATE, "escalate"),
    "resolve": (Action.RESOLVE, "resolve"),
    "reopen": (Action.REOPEN, "reopen"),
    "close": (Action.CLOSE, "close"),
    "extend": (Action.EXTEND, "extend"),
}


class TicketDetailPanel(SizedByLayout, VerticalScroll, can_focus=True):
    """Shows one ticket; `show_ticket(id)` loads it in a worker."""

    HELP_GROUP = "Ticket"

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "comment", "Comment", tooltip="Add an internal note or a reply"),
        Binding("a", "assign", "Assign"),
        Binding("p", "change", "Priority"),
        Binding("w", "pend_resume", "Wait/resume"),
        Binding("e", "escalate", "Escalate"),
        Binding("r", "resolve", "Resolve"),
        Binding("o", "reopen", "Reopen"),
        Binding("x", "close", "Close"),
        Binding("t", "extend", "Extend"),
        Binding("R", "repairs", "Repairs", tooltip="Repair menu: schedule, quote, work, fees"),
        Binding("P", "replace", "Replace", tooltip="Replace the device (conditions checked)"),
        Binding("u", "reveal", "Show phone", tooltip="Show the full phone number (recorded)"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        localize_bindings(self)
        self.ticket: TicketDetail | None = None
        self._sla_text: str | None = None
        self._revealed: dict[int, str] = {}  # customer id -> phone, until another ticket shows
        self._requests = 0  # reads asked for; only the newest is shown
        self._wanted: int | None = None  # the ticket of the newest read
        self._names: Any = None  # team and agent names of the timeline's ids

    # -- app services (contract with the desk) -------------------------------------------
    @property
    def _app(self) -> Any:
        return self.app

    @property
    def zone(self) -> tzinfo:
        return self._app.zone

    def now(self) -> datetime:
        return self._app.now()

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text(_("No ticket selected."), style="dim"), id="detail-empty")
        yield Lines(id="detail-head")
        yield Lines(id="detail-fields")
        yield Lines(id="detail-sla")
        yield Lines(id="detail-device")
        from deskui.ui.repairs.repairs_section import RepairsSection

        yield RepairsSection(id="detail-repairs")
        yield Lines(id="detail-text")
        yield Static(Text(_("Timeline"), style="bold underline"), id="detail-timeline-title")
        yield Lines(id="detail-timeline")

    def on_mount(self) -> None:
        self.border_title = _("Ticket")
        self._set_visible(False)
        self.set_interval(1.0, self._tick)

    def _set_visible(self, shown: bool) -> None:
        for node in self.query("Static, Lines"):
            node.display = shown != (node.id == "detail-empty")
        self.query_one("#detail-repairs").display = shown

    # -- loading -------------------------------------------------------------------------
    def show_ticket(self, ticket_id: int | None) -> None:
        """Show a ticket (None clears the panel); the read runs in a worker."""
        if ticket_id is None:
            self._requests += 1  # a read still on its way is not shown
            self._wanted = None
            self.ticket = None
            self._set_visible(False)
            self.refresh_bindings()
            return
        self._request(ticket_id)

    def reload(self) -> None:
        """Read again the ticket asked for last (it may not be on screen yet)."""
        shown = self.ticket.id if self.ticket is not None else None
        wanted = self._wanted if self._wanted is not None else shown
        if wanted is not None:
            self._request(wanted)

    def _request(self, ticket_id: int) -> None:
        """Read a ticket; only the newest request is shown. (A thread worker that
        `exclusive` cancels still runs to its end: a reload of the ticket on screen started
        just before another ticket was opened could otherwise finish last and win.)"""
        self._requests += 1
        self._wanted = ticket_id
        self._load(ticket_id, self._requests)

    @desk_work(group="detail-load", exclusive=True)
    def _load(self, ticket_id: int, request: int = 0) -> None:
        from deskui.ui.repairs.formatting import read_repairs

        try:
            detail = self._app.api.ticket(ticket_id)
            repairs = read_repairs(self._app.api, ticket_id)
            names = self._app.api.event_names(detail.events)
        except ServiceError as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error")
            return
        self.app.call_from_thread(self._show, detail, repairs, request, names)

    def _show(
        self,
        detail: TicketDetail,
        repairs: Any = None,
        request: int | None = None,
        names: Any = None,
    ) -> None:
        """Show `detail`; `repairs` are its repair records when they were read with it
        (one read and one layout for both), else the repairs section reads them."""
        if request is not None and request != self._requests:
            return  # a newer request is on its way
        previous = self.ticket
        same = previous is not None and previous.id == detail.id
        if not same:
            self._revealed.clear()  # moving on masks the contact again
        self.ticket = detail
        self._names = names
        if previous is None:
            self._set_visible(True)
        self.border_title = _("Ticket {number}").format(number=detail.number)
        self._render_all()
        self.query_one("#detail-repairs").show(detail, repairs)  # type: ignore[attr-defined]
        if previous is None or previous.status is not detail.status:
            self.refresh_bindings()  # which actions apply depends only on the status
        if not same:
            self.scroll_home(animate=False)

    # -- rendering -----------------------------------------------------------------------
    def _render_all(self) -> None:
        t = self.ticket
        assert t is not None
        zone = self.zone
        head = Text()
        head.append(t.number, style="bold")
        head.append("  ")
        head.append("[" + label(t.status) + "]", style="reverse" if t.status.is_open else "dim")
        head.append("  ")
        mark = {"urgent": "▲▲ ", "important": "▲ ", "normal": ""}[t.priority.value]
        head.append(f"{mark}{label(t.priority)}", style="bold" if t.priority.rank == 0 else "")
        head.append("  " + label(t.category))
        if t.complaint_type is not None:
            head.append(" / " + label(t.complaint_type))
        head.append("\n")
        head.append_text(visible(t.subject, style="bold"))
        self.query_one("#detail-head", Lines).update(head)

        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        customer = visible(t.customer.name, style="bold")
        customer.append(f"  ({label(t.customer.tier)})")
        revealed = self._revealed.get(t.customer.id)
        if revealed is not None:
            contact = Text(revealed, style="bold")
            contact.append("  " + _("(shown; recorded in the audit trail)"), style="dim")
        else:
            contact = Text(mask_phone(t.customer.phone) or "—")
        if t.customer.email:
            contact.append("  ")
            contact.append_text(visible(mask_email(t.customer.email)))
        grid.add_row(_("Customer"), customer)
        grid.add_row(_("Contact"), contact)
        if t.customer.region:
            grid.add_row(_("Region"), visible(t.customer.region))
        grid.add_row(
            _("Channel"),
            Text(
                _("{channel}  received {when}").format(
                    channel=label(t.channel), when=local(t.created_at, zone, "full")
                )
            ),
        )
        grid.add_row(_("Team"), visible(t.team_name or "—"))
        grid.add_row(_("Assignee"), visible(t.assignee_name or _("(nobody)")))
        extra = []
        if t.escalation_level:
            extra.append(_("escalation level {level}").format(level=t.escalation_level))
        if t.reopen_count:
            extra.append(_("reopened ×{count}").format(count=t.reopen_count))
        if t.first_contact_resolved is not None:
            extra.append(
                _("first contact: {answer}").format(answer=_yes_no(t.first_contact_resolved))
            )
        if extra:
            grid.add_row(_("Notes"), Text(" · ".join(extra)))
        self.query_one("#detail-fields", Lines).update(grid)

        self._sla_text = None
        self._tick()

        self.query_one("#detail-device", Lines).update(self._device(t, zone))

        blocks: list[Any] = []
        for title, body in (
            (_("Description"), t.description),
            (_("Customer request"), t.customer_request),
            (_("Solution"), t.solution),
        ):
            if body:
                blocks.append(Text(title, style="bold underline"))
                blocks.append(Wrapped(visible(body, multiline=True)))  # 中文 and words
        self.query_one("#detail-text", Lines).update(Group(*blocks) if blocks else "")

        self.query_one("#detail-timeline", Lines).update(timeline(t.events, zone, self._names))

    def _device(self, t: TicketDetail, zone: tzinfo) -> Any:
        d = t.device
        if d is None:
            return Text(_("Device: —"), style="dim")
        head = Text(_("Device: "), style="bold")
        head.append_text(visible(f"{d.product_model} {d.product_name}"))
        head.append("  SN ")
        head.append_text(visible(d.serial or "—"))
        lines: list[Any] = [head]
        if d.purchase_date is None:
            lines.append(Text(_("No purchase date: warranty unknown."), style="dim"))
            return Group(*lines)
        bought = formats.moment(d.purchase_date, "date")
        proof = Text("  " + _("bought {day}  proof: ").format(day=bought))
        proof.append_text(visible(d.proof_of_purchase or _("none")))
        lines.append(proof)
        today: date = self.now().astimezone(zone).date()
        for s in warranty.statuses(
            d.purchase_date,
            today,
            main_months=d.warranty_main_months,
            accessory_months=d.warranty_accessory_months,
            software_months=d.warranty_software_months,
        ):
            lines.append(warranty_line(s))
        return Group(*lines)

    def _sla(self) -> tuple[str, Any]:
        """The SLA lines (a grid: each part wraps in its own cell, never into its neighbour)
        and a key that changes when their text does."""
        t = self.ticket
        assert t is not None
        now = self.now()
        rows = (
            (
                label_sla("response"),
                t.response_due_at,
                sla.state(t.response_due_at, t.response_warn_at, now, t.first_response_at),
            ),
            (
                label_sla("resolution"),
                t.resolve_due_at,
                sla.state(
                    t.resolve_due_at,
                    t.resolve_warn_at,
                    now,
                    t.resolved_at or t.closed_at,
                    t.paused_at or False,
                ),
            ),
        )
        # name | state, countdown, due: the second column wraps at its own words, indented
        grid = Table.grid(padding=(0, 2, 0, 0))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
        key: list[str] = []
        narrow = 0 < self.size.width < NARROW_SLA
        calendars = self._calendars()
        for (name, due, state), calendar in zip(rows, calendars, strict=True):
            style = style_text(state, self.app)
            line = Text(sign(state), style=style)
            if state in (SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.BREACHED):
                day = calendar.day_length if calendar is not None else None
                shown = formats.countdown(sla.remaining(due, now, calendar), day)
                line.append("  ")
                line.append(
                    _("{left} ({clock})").format(left=shown, clock=clock_name(calendar)),
                    style=style if state is not SlaState.ON_TRACK else "",
                )
            when = Text(_("due {time}").format(time=local(due, self.zone)), style="dim")
            if narrow:  # the due time on a line of its own, under the state
                grid.add_row(name, line)
                grid.add_row("", when)
            else:
                line.append("  ")
                grid.add_row(name, line + when)
            key.append(f"{narrow}|{name}|{state}|{line.plain}|{when.plain}")
        if not t.extended_seconds:
            return "\n".join(key), grid
        minutes = t.extended_seconds // 60
        extended = Text(
            ngettext(
                "extended by {minutes} min of {clock}",
                "extended by {minutes} min of {clock}",
                minutes,
            ).format(minutes=minutes, clock=clock_name(calendars[1])),
            style="dim",
        )
        return "\n".join([*key, extended.plain]), Group(grid, extended)

    def _calendars(self) -> tuple[Any, Any]:
        """The response and resolution targets' calendars (the domain policy decides)."""
        t = self.ticket
        api = getattr(self.app, "api", None)
        policy = None if api is None else api.sla_policy()
        if t is None or policy is None:
            return None, None
        due = policy.due_times(t.priority, t.category, t.tier, t.created_at)
        return policy.response_calendar(due), policy.resolution_calendar(due)

    def on_resize(self) -> None:
        self._tick()  # the SLA lines' shape depends on the width

    def _tick(self) -> None:
        """Repaint the SLA lines only when their text changed (once a minute)."""
        if self.ticket is None:
            return
        key, text = self._sla()
        if key != self._sla_text:
            self._sla_text = key
            self.query_one("#detail-sla", Lines).update(text)

    # -- actions -------------------------------------------------------------------------
    def _role_may(self, action: str) -> bool:
        actor = getattr(self._app, "actor", None)
        return actor is not None and actor.may(ACTIONS[action][0])

    def _status_allows(self, action: str) -> bool:
        t = self.ticket
        if t is None:
            return False
        if action == "pend_resume":
            return t.status in workflow.ALLOWED_FROM["pend"] | workflow.ALLOWED_FROM["resume"]
        return t.status in workflow.ALLOWED_FROM[ACTIONS[action][1]]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what the role may never do; dim what the ticket's status does not allow."""
        if action in ("repairs", "replace"):
            return self.ticket is not None and self._role_may("change")
        if action == "reveal":
            return self.ticket is not None and bool(self.ticket.customer.phone)
        if action not in ACTIONS:
            return True
        if self.ticket is None or not self._role_may(action):
            return False
        return True if self._status_allows(action) else None

    def why_not(self, action: str) -> str | None:
        """What to tell a user whose key for `action` was refused (see `ui.key_answers`)."""
        names = {b.action: _(b.description) for b in self._bindings_list()}
        name = names.get(action, action)
        if self.ticket is None:
            return _("Open a ticket first.")
        if action in ACTIONS and not self._role_may(action):
            return _("{action}: not allowed for your role ({role}).").format(
                action=name, role=label(self._app.actor.role)
            )
        if action in ACTIONS and not self._status_allows(action):
            return _("{action}: not possible while the ticket is {status}.").format(
                action=name, status=label(self.ticket.status)
            )
        if action in ("repairs", "replace"):
            return _("{action}: not allowed for your role ({role}).").format(
                action=name, role=label(self._app.actor.role)
            )
        if action == "reveal":
            return _("This customer has no phone number on record.")
        return None

    def _bindings_list(self) -> list[Binding]:
        return [b for b in self.BINDINGS if isinstance(b, Binding)]

    def commands(self) -> Iterable[SystemCommand]:
        """The allowed actions for the command palette (the desk yields these)."""
        if self.ticket is None:
            return
        helps = {
            "comment": _("Internal note or reply to the customer"),
            "assign": _("Assign to an agent or a team"),
            "change": _("Change priority or category (SLA recomputed)"),
            "pend_resume": _("Wait for the customer, or resume"),
            "escalate": _("Escalate to the supervisor"),
            "resolve": _("Record the solution"),
            "reopen": _("Reopen a resolved or closed ticket"),
            "close": _("Close a resolved ticket"),
            "extend": _("Extend the resolution deadline (with a reason)"),
            "repairs": _("Repairs: schedule, quote, record work, fees, acceptance"),
            "replace": _("Replace the device (the conditions are checked)"),
            "reveal": _("Show the full phone number; the audit trail records it"),
        }
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            name = binding.action
            if self.check_action(name, ()) is True:
                yield SystemCommand(
                    _("{action} ({number})").format(
                        action=_(binding.description), number=self.ticket.number
                    ),
                    helps[name],
                    lambda name=name: self.run_action(name),
                )

    def _open(self, action: str, draft: Any = None, error: str | None = None) -> None:
        from deskui.ui.ticket.action_dialogs import ActionDialog

        if self.ticket is None:
            return
        self.app.push_screen(
            ActionDialog(action, self.ticket, draft, error),  # type: ignore[arg-type]
            callback=self._submit,
        )

    def action_reveal(self) -> None:
        if self.ticket is not None and self.ticket.customer.phone:
            self._reveal(self.ticket.id, self.ticket.customer.id)

    @desk_work(group="detail-reveal")
    def _reveal(self, ticket_id: int, customer_id: int) -> None:
        """Personal data is masked by default; showing it is a deliberate, audited action."""
        try:
            phone = self._app.api.reveal(customer_id, "phone", ticket_id=ticket_id)
        except ServiceError as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error")
            return
        self.app.call_from_thread(self._revealed.__setitem__, customer_id, phone)
        self.app.call_from_thread(self.reload)

    def action_comment(self) -> None:
        self._open("comment")

    def action_assign(self) -> None:
        self._open("assign")

    def action_change(self) -> None:
        self._open("change")

    def action_pend_resume(self) -> None:
        if self.ticket is not None:
            self._open("resume" if self.ticket.status is Status.PENDING_CUSTOMER else "pend")

    def action_escalate(self) -> None:
        self._open("escalate")

    def action_resolve(self) -> None:
        self._open("resolve")

    def action_reopen(self) -> None:
        self._open("reopen")

    def action_close(self) -> None:
        self._open("close")

    def action_extend(self) -> None:
        self._open("extend")

    def action_repairs(self) -> None:
        self.query_one("#detail-repairs").action_menu()  # type: ignore[attr-defined]

    def action_replace(self) -> None:
        self.query_one("#detail-repairs").action_repair("replace")  # type: ignore[attr-defined]

    def _submit(self, draft: Any) -> None:
        """Save against the version the dialog showed, not the panel's: the desk refreshes the
        panel while a dialog is open, and another agent's change then must show as a
        conflict instead of being saved over unseen."""
        if draft is not None and self.ticket is not None:
            self._perform(draft, self.ticket.id, draft.version or self.ticket.version)

    @desk_work(group="detail-action")
    def _perform(self, draft: Any, ticket_id: int, version: int) -> None:
        from deskui.ui.ticket.actions import perform

        try:
            detail = perform(self._app.api, ticket_id, version, draft)
        except Conflict as exc:
            self.app.call_from_thread(self._conflict, draft, exc, self._conflict_names(draft, exc))
            return
        except ServiceError as exc:
            self.app.call_from_thread(self._failed, draft, describe(exc))
            return
        except ValueError as exc:  # pydantic: the dialog validates, so this is rare
            self.app.call_from_thread(self._failed, draft, describe(exc))
            return
        try:
            names = self._app.api.event_names(detail.events)
        except ServiceError:
            names = self._names
        self.app.call_from_thread(self._done, detail, names)

    def _done(self, detail: TicketDetail, names: Any = None) -> None:
        self._show(detail, names=names)
        self.post_message(TicketChanged(detail.id))

    def _failed(self, draft: Any, message: str) -> None:
        self.notify(message, title=_("Not saved"), severity="error")
        self._open(draft.action, draft, message)

    def _conflict_names(self, draft: Any, exc: Conflict) -> Any:
        """Names for the ids in the others' changes and in the draft (worker thread)."""
        from deskui.ui.ticket.actions import draft_event

        try:
            return self._app.api.event_names([*exc.changes, draft_event(draft)])
        except ServiceError:
            return self._names

    def _conflict(self, draft: Any, exc: Conflict, names: Any = None) -> None:
        from deskui.ui.ticket.action_dialogs import ConflictDialog

        number = self.ticket.number if self.ticket else str(exc.ticket_id)

        def chosen(choice: str | None) -> None:
            self._after_conflict(draft, exc.ticket_id, choice or "discard")

        dialog = ConflictDialog(draft, exc.changes, number, self.zone, names)
        self.app.push_screen(dialog, chosen)

    @desk_work(group="detail-action")
    def _after_conflict(self, draft: Any, ticket_id: int, choice: str) -> None:
        """Reload the ticket; then retry with its new version, reopen the draft, or drop it."""
        try:
            fresh = self._app.api.ticket(ticket_id)
        except ServiceError as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error")
            return
        self.app.call_from_thread(self._show, fresh)
        if choice == "reapply":
            self.app.call_from_thread(self._perform, draft, fresh.id, fresh.version)
        elif choice == "edit":
            self.app.call_from_thread(self._open, draft.action, draft, None)
        else:
            self.app.call_from_thread(self.post_message, TicketChanged(fresh.id))

    def run_action(self, name: str) -> None:
        """Run a panel action by name (for the command palette)."""
        getattr(self, f"action_{name}")()
