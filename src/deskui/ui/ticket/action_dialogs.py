"""Dialogs for the actions on one ticket, and the conflict dialog.

Each dialog returns a `Draft` (what the user typed and chose) or None when cancelled; the
detail panel runs the service call in a worker. A failed call reopens the dialog with the
same draft, and a conflict shows what changed while keeping the draft, so nothing typed is
lost and nothing is silently overwritten.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo
from typing import Any, ClassVar, Literal

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    RadioSet,
    Select,
    Static,
    TextArea,
)

from deskui.domain import workflow
from deskui.domain.enums import Category, Priority, Status
from deskui.domain.rows import EventRow, Names, TicketDetail
from deskui.domain.schemas import ResolveForm
from deskui.i18n import _, label
from deskui.ui.common.choice import Choice
from deskui.ui.common.draft_dialog import DraftDialog
from deskui.ui.common.drafts import SAVE_KEY
from deskui.ui.common.formatting import timeline, visible
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import localize_bindings
from deskui.ui.ticket.actions import ActionName, Draft, describe_draft


def titles() -> dict[str, str]:
    return {
        "comment": _("Add a comment"),
        "assign": _("Assign"),
        "change": _("Change priority / category"),
        "pend": _("Wait for the customer"),
        "resume": _("Resume"),
        "escalate": _("Escalate"),
        "resolve": _("Resolve"),
        "reopen": _("Reopen"),
        "close": _("Close"),
        "extend": _("Extend the deadline"),
    }


# Actions whose text is required, and how the field is named.
_REQUIRED_TEXT = {"comment", "escalate", "reopen", "extend", "resolve"}


class ActionDialog(DraftDialog[Draft]):
    """One dialog for every ticket action; the fields shown depend on the action."""

    CSS_PATH = "action_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        SAVE_KEY,
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        action: ActionName,
        ticket: TicketDetail,
        draft: Draft | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__()
        localize_bindings(self)
        self.action_name: ActionName = action
        self.ticket = ticket
        self.draft = draft or Draft(action)
        self.error = error
        self.starts_unsaved = draft is not None  # typed before: a failed save or a conflict
        # Focus lands on the field to type in as the dialog appears, not a moment later: keys
        # typed ahead of the dialog (a fast typist, a paste) then go straight into it.
        self.AUTO_FOCUS = (
            "#text" if action in ("comment", "resolve") else "#text, #agent, #priority, #minutes"
        )

    def draft_key(self) -> tuple[str, int, str]:
        return ("action", self.ticket.id, self.action_name)

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        a, d = self.action_name, self.draft
        with Vertical(id="dialog", classes="dialog"):
            yield Label(
                Text(f"{titles()[a]} · {self.ticket.number}", style="bold"), id="dialog-title"
            )
            if a == "comment":
                with RadioSet(id="visibility"):
                    yield Choice(_("Internal note"), value=d.internal, id="internal")
                    yield Choice(_("To the customer"), value=not d.internal, id="public")
            if a == "assign":
                yield Label(_("Agent"))
                yield Select[int]([], prompt=_("(nobody)"), id="agent")
                yield Label(_("Team"))
                yield Select[int]([], prompt=_("(keep team)"), id="team")
            if a == "change":
                yield Label(_("Priority"))
                yield Select(
                    [(label(p), p) for p in Priority],
                    value=d.priority or self.ticket.priority,
                    allow_blank=False,
                    id="priority",
                )
                yield Label(_("Category"))
                yield Select(
                    [(label(c), c) for c in Category],
                    value=d.category or self.ticket.category,
                    allow_blank=False,
                    id="category",
                )
                yield Static(_("The SLA due times are recomputed."), classes="hint")
            if a == "extend":
                yield Label(_("Minutes"))
                yield Input(str(d.minutes) if d.minutes else "", type="integer", id="minutes")
                yield Static("", id="minutes-error", classes="field-error")
            if a in ("comment", "resolve"):
                yield Label(_("Solution (concrete steps)") if a == "resolve" else _("Comment"))
                area = TextArea(d.text, id="text", soft_wrap=True)
                area.show_line_numbers = False
                yield area
            elif a not in ("assign", "change"):
                yield Label(self._text_label())
                yield Input(d.text, id="text")
            if a not in ("assign", "change"):
                yield Static("", id="text-error", classes="field-error")
            if a == "resolve":
                yield Label(_("Solved at first contact?"))
                with RadioSet(id="first-contact"):
                    yield Choice(_("Yes"), value=d.first_contact is True, id="fcr-yes")
                    yield Choice(_("No"), value=d.first_contact is False, id="fcr-no")
                yield Static("", id="first-contact-error", classes="field-error")
            if a == "extend":
                yield Static(_("The customer must be told about the new deadline."), classes="hint")
                yield Static("", id="extend-clock", classes="hint")
            yield Static(Text(self.error or ""), id="dialog-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="save")
                yield Button(_("Cancel (esc)"), id="cancel")

    def _text_label(self) -> str:
        return {
            "pend": _("What are we waiting for? (optional)"),
            "resume": _("Note (optional)"),
            "escalate": _("Reason"),
            "reopen": _("Reason"),
            "close": _("Reason (required: the callback has not been made)")
            if self._callback_pending()
            else _("Note (optional)"),
            "extend": _("Reason"),
        }.get(self.action_name, _("Note"))

    def _callback_pending(self) -> bool:
        """A resolved ticket is waiting for its callback (回访): closing it needs a reason."""
        return self.ticket.status is Status.RESOLVED

    def _extension_hint(self) -> str:
        """Which clock an extension is counted in (the domain policy's resolution calendar)."""
        app: Any = self.app
        api = getattr(app, "api", None)
        policy = None if api is None else api.sla_policy()
        if policy is None:
            return ""
        t = self.ticket
        due = policy.due_times(t.priority, t.category, t.tier, t.created_at)
        if due.resolve_calendar == "24x7":
            return _("Counted in clock time: this target runs round the clock.")
        return _("Counted in working time: the business calendar's hours.")

    def on_mount(self) -> None:
        if self.action_name == "extend":
            hint = self._extension_hint()
            if hint:
                self.query_one("#extend-clock", Static).update(hint)
        if self.action_name == "assign":
            self._load_people()

    @desk_work(exclusive=True)
    def _load_people(self) -> None:
        app: Any = self.app
        agents, teams = app.api.people()
        self.app.call_from_thread(self._fill_people, agents, teams)

    def _fill_people(self, agents: list[Any], teams: list[Any]) -> None:
        agent = self.query_one("#agent", Select)
        agent.set_options(
            [
                (Text(f"{a.display_name} · {a.team_name or '-'} · {label(a.role)}"), a.id)
                for a in agents
            ]
        )
        value = self.draft.assignee_id or self.ticket.assignee_id
        if value is not None and any(a.id == value for a in agents):
            agent.value = value
        team = self.query_one("#team", Select)
        team.set_options([(Text(t.name), t.id) for t in teams])
        if self.draft.team_id is not None:
            team.value = self.draft.team_id
        self.guard_filled()

    # -- reading the fields ------------------------------------------------------------
    def _text(self) -> str:
        found = self.query("#text")
        if not found:
            return ""
        widget = found.first()
        return widget.text if isinstance(widget, TextArea) else widget.value

    def _collect(self) -> Draft:
        a = self.action_name
        draft = Draft(a, text=self._text(), version=self.ticket.version)
        if a == "comment":
            draft = replace(draft, internal=not self.query_one("#public", Choice).value)
        if a == "assign":
            agent = self.query_one("#agent", Select).value
            team = self.query_one("#team", Select).value
            draft = replace(
                draft,
                assignee_id=None if agent is Select.NULL else int(agent),  # type: ignore[arg-type]
                team_id=None if team is Select.NULL else int(team),  # type: ignore[arg-type]
            )
        if a == "change":
            draft = replace(
                draft,
                priority=self.query_one("#priority", Select).value,  # type: ignore[arg-type]
                category=self.query_one("#category", Select).value,  # type: ignore[arg-type]
            )
        if a == "resolve":
            yes = self.query_one("#fcr-yes", Choice).value
            no = self.query_one("#fcr-no", Choice).value
            draft = replace(draft, first_contact=True if yes else False if no else None)
        if a == "extend":
            raw = self.query_one("#minutes", Input).value.strip()
            draft = replace(draft, minutes=int(raw) if raw.lstrip("-").isdigit() else 0)
        return draft

    def _errors(self, draft: Draft) -> dict[str, str]:
        """Field id -> message; empty when the draft may be sent."""
        errors: dict[str, str] = {}
        a = draft.action
        if a in _REQUIRED_TEXT and not draft.text.strip():
            errors["text"] = _("Required.")
        if a == "resolve":
            if draft.text.strip():
                try:
                    ResolveForm(solution=draft.text, first_contact=bool(draft.first_contact))
                except ValidationError:
                    errors["text"] = _("Give concrete steps (at least 10 characters).")
            if draft.first_contact is None:
                errors["first-contact"] = _("Choose yes or no.")
            elif draft.first_contact:
                try:
                    workflow.first_contact(True, self.ticket.reopen_count)
                except workflow.WorkflowError:
                    errors["first-contact"] = _(
                        "This ticket was reopened: it was not solved at first contact."
                    )
        if a == "close":
            try:
                workflow.close_reason(self._callback_pending(), draft.text)
            except workflow.WorkflowError:
                errors["text"] = _("Give a reason: the callback has not been made.")
        if a == "extend" and draft.minutes <= 0:
            errors["minutes"] = _("A positive number of minutes.")
        if a == "assign" and draft.assignee_id is None and draft.team_id is None:
            errors["dialog"] = _("Choose an agent or a team.")
        return errors


ConflictChoice = Literal["reapply", "edit", "discard"]


class ConflictDialog(ModalScreen[ConflictChoice]):
    """Another agent changed the ticket: show who did what, keep the draft, let the user choose."""

    CSS_PATH = "action_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('reapply')", "Re-apply"),
        Binding("e", "choose('edit')", "Edit draft"),
        Binding("d", "choose('discard')", "Discard"),
        Binding("escape", "choose('discard')", "Discard", show=False),
    ]

    def __init__(
        self,
        draft: Draft,
        changes: list[EventRow],
        number: str,
        zone: tzinfo,
        names: Names | None = None,
    ) -> None:
        super().__init__()
        localize_bindings(self)
        self.draft = draft
        self.changes = changes
        self.number = number
        self.zone = zone
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog conflict"):
            yield Label(
                Text(
                    "⚠ " + _("Changed meanwhile · {number}").format(number=self.number),
                    style="bold",
                ),
                id="dialog-title",
            )
            yield Static(
                _("Another agent changed this ticket since you opened it. Nothing was saved."),
                classes="hint",
            )
            with VerticalScroll(id="changes"):
                if self.changes:
                    yield Static(timeline(self.changes, self.zone, self.names), id="change-list")
                else:
                    yield Static(Text(_("(no details recorded)")), id="change-list")
            yield Label(_("Your draft — {action}").format(action=titles()[self.draft.action]))
            yield Static(
                visible(describe_draft(self.draft, self.names), multiline=True), id="draft-text"
            )
            with Horizontal(classes="buttons"):
                yield Button(_("Re-apply (r)"), variant="primary", id="reapply")
                yield Button(_("Edit draft (e)"), id="edit")
                yield Button(_("Discard (d)"), id="discard")

    def on_mount(self) -> None:
        self.query_one("#reapply", Button).focus()

    def action_choose(self, choice: ConflictChoice) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("reapply", "edit", "discard"):
            self.dismiss(event.button.id)  # type: ignore[arg-type]
