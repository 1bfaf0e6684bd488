"""Dialogs for repairs (维修) and replacement (更换): the repair menu and one form per action.

Each dialog returns a `RepairDraft` (what was typed and chosen, already parsed) or None; the
repairs section runs `perform` in a worker. A refused save reopens the dialog with the same
draft and the service's message, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, RadioSet, Select, Static, TextArea
from textual.widgets.option_list import Option

from deskui.domain import repairs as rules
from deskui.domain.rows import TicketDetail
from deskui.i18n import _, describe
from deskui.ui.common.choice import Choice
from deskui.ui.common.draft_dialog import DraftDialog
from deskui.ui.common.drafts import SAVE_KEY
from deskui.ui.common.safe_text import safe_text
from deskui.ui.common.workers import desk_work
from deskui.ui.repairs.actions import (
    FEE_KINDS,
    RepairDraft,
    parse_amount,
    parse_parts,
    parse_when,
)
from deskui.ui.repairs.formatting import (
    MENU,
    MENU_KEYS,
    fee_kind_name,
    field,
    kind_name,
    status_text,
)
from deskui.ui.textual_compat import localize_bindings


class RepairMenu(ModalScreen[str | None]):
    """`R`: the repair actions; the ones that do not apply now say why."""

    CSS_PATH = "repair_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        *[Binding(MENU_KEYS[name], f"choose('{name}')", MENU[name], show=False) for name in MENU],
    ]

    def __init__(self, number: str, actions: list[tuple[str, str, str | None]]) -> None:
        super().__init__()
        localize_bindings(self)
        self.number = number
        self.actions = actions

    def compose(self) -> ComposeResult:
        with Vertical(id="repair-menu", classes="dialog"):
            title = _("Repair · {number}").format(number=self.number)
            yield Label(Text(title, style="bold"), id="dialog-title")
            options = []
            for name, description, refusal in self.actions:
                prompt = Text(f"{MENU_KEYS[name]}  ", style="bold")
                prompt.append(description, style="" if refusal is None else "dim")
                if refusal is not None:
                    prompt.append("  — " + refusal, style="dim italic")
                options.append(Option(prompt, id=name, disabled=refusal is not None))
            yield OptionList(*options, id="repair-actions")
            yield Static(_("Press a key or enter; escape closes."), classes="hint")

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.focus()
        for index, (_name, _d, refusal) in enumerate(self.actions):
            if refusal is None:
                menu.highlighted = index
                break

    def action_choose(self, name: str) -> None:
        for action, _d, refusal in self.actions:
            if action == name:
                if refusal is None:
                    self.dismiss(name)
                else:
                    self.notify(refusal, severity="warning")
                return

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_choose(event.option.id)


# -- one dialog for every repair action ------------------------------------------------------
def titles() -> dict[str, str]:
    return {name: _(text) for name, text in MENU.items()}


class RepairDialog(DraftDialog[RepairDraft]):
    KEEP_ON_SAVE = ("dialog-error",)  # the service's message stays until it is answered
    CSS_PATH = "repair_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        SAVE_KEY,
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        draft: RepairDraft,
        ticket: TicketDetail,
        repair: Any = None,
        error: str | None = None,
    ) -> None:
        super().__init__()
        localize_bindings(self)
        self.draft = draft
        self.ticket = ticket
        self.repair = repair
        self.error = error
        self.starts_unsaved = error is not None  # reopened after a failed save
        # Focus is on the first field as the dialog appears, so keys typed ahead land in it.
        self.AUTO_FOCUS = (
            "#save" if draft.action == "approve" else "Input, TextArea, RadioSet, Button"
        )

    def draft_key(self) -> tuple[str, int, str, int | None]:
        return ("repair", self.ticket.id, str(self.draft.action), getattr(self.repair, "id", None))

    @property
    def zone(self) -> tzinfo:
        app: Any = self.app
        return app.zone

    def _now(self) -> datetime:
        app: Any = self.app
        return app.now()

    def _example(self) -> str:
        """The appointment field's example: tomorrow 10:00 from the clock, never a past date."""
        return f"{rules.example_appointment(self._now(), self.zone):%Y-%m-%d %H:%M}"  # typed form

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        a, d = self.draft.action, self.draft
        with Vertical(id="dialog", classes="dialog"):
            yield Label(
                Text(f"{titles()[a]} · {self.ticket.number}", style="bold"), id="dialog-title"
            )
            with VerticalScroll(id="dialog-body"):  # scrolls; the buttons stay in view
                if self.repair is not None and a != "schedule" and a != "replace":
                    about = Text(_("Repair #{id}").format(id=field(self.repair, "id")) + "  ")
                    about.append(kind_name(field(self.repair, "kind")) + "  ")
                    about.append_text(status_text(field(self.repair, "status")))
                    yield Static(about, classes="hint")
                if a == "schedule":
                    yield Label(_("Kind"))
                    with RadioSet(id="kind"):
                        yield Choice(kind_name("on_site"), value=d.kind == "on_site", id="on_site")
                        yield Choice(
                            kind_name("send_back"), value=d.kind == "send_back", id="send_back"
                        )
                    yield Label(_("Engineer"))
                    yield Select[int]([], prompt=_("(choose)"), id="engineer")
                    yield Static("", id="engineer-error", classes="field-error")
                    yield Label(_("Appointment (YYYY-MM-DD HH:MM)"))
                    yield Input(d.appointment, id="appointment", placeholder=self._example())
                    yield Static("", id="appointment-error", classes="field-error")
                if a == "quote":
                    amounts = dict(d.fees)
                    for kind in FEE_KINDS:
                        with Horizontal(classes="fee-row"):
                            yield Label(fee_kind_name(kind), classes="fee-label")
                            yield Input(amounts.get(kind, ""), id=f"fee-{kind}", placeholder="0.00")
                    yield Static("", id="fees-error", classes="field-error")
                    yield Static(
                        _("Paid repairs are quoted first and done after the customer agrees."),
                        classes="hint",
                    )
                if a == "fee":
                    yield Label(_("Kind"))
                    yield Select(
                        [(fee_kind_name(k), k) for k in FEE_KINDS],
                        value=d.fee_kind,
                        allow_blank=False,
                        id="fee-kind",
                    )
                    yield Label(_("Amount"))
                    yield Input(d.amount, id="amount", placeholder="0.00")
                    yield Static("", id="amount-error", classes="field-error")
                    yield Label(_("Note (optional)"))
                    yield Input(d.note, id="note")
                if a == "work":
                    yield Label(_("Diagnosis (fault cause)"))
                    yield Input(d.diagnosis, id="diagnosis")
                    yield Static("", id="diagnosis-error", classes="field-error")
                    yield Label(_("Fault code"))
                    yield Input(d.fault_code, id="fault-code")
                    yield Label(_("Work done"))
                    area = TextArea(d.work_done, id="work-done", soft_wrap=True)
                    area.show_line_numbers = False
                    yield area
                    yield Static("", id="work-done-error", classes="field-error")
                    yield Label(
                        _("Parts replaced, one per line: name x2 @35.00 (end with $ to charge)")
                    )
                    parts = TextArea(d.parts, id="parts", soft_wrap=True)
                    parts.show_line_numbers = False
                    yield parts
                    yield Static("", id="parts-error", classes="field-error")
                    yield Choice(_("Quality defect"), value=d.quality_defect, id="quality")
                    yield Choice(
                        _("Function lost after an earlier repair"), value=d.function_lost, id="lost"
                    )
                if a == "replace":
                    yield Static(
                        Text("… " + _("Checking whether a replacement is allowed…"), style="dim"),
                        id="replace-check",
                    )
                    yield Choice(_("Quality defect found"), value=d.quality_defect, id="quality")
                    yield Label(_("New model"))
                    yield Input(d.new_model, id="new-model")
                    yield Static("", id="new-model-error", classes="field-error")
                    yield Label(_("Colour"))
                    yield Input(d.colour, id="colour")
                if a in ("accept", "complete", "replace"):
                    yield Label(_("Customer's name (acceptance)"))
                    yield Input(d.accepted_by, id="accepted-by")
                    yield Static("", id="accepted-by-error", classes="field-error")
                if a in ("cancel", "replace"):
                    yield Label(_("Reason"))
                    yield Input(d.reason, id="reason")
                    yield Static("", id="reason-error", classes="field-error")
                if a == "approve":
                    yield Static(self._fees_summary(), id="approve-fees")
                    yield Static(_("Finance checks the fees after approval."), classes="hint")
            with Vertical(classes="dialog-foot"):  # docked: the error and buttons stay in view
                yield Static(
                    Text("✗ " + self.error if self.error else ""),
                    id="dialog-error",
                    classes="field-error",
                )
                with Horizontal(classes="buttons"):
                    yield Button(_("Save (ctrl+s)"), variant="primary", id="save")
                    yield Button(_("Cancel (esc)"), id="cancel")

    def _fees_summary(self) -> Text:
        from deskui.ui.repairs.formatting import fee_lines

        fees = list(field(self.repair, "fees", default=()) or ())
        return fee_lines(fees) if fees else Text(_("No fees."), style="dim")

    def on_mount(self) -> None:
        a = self.draft.action
        if a == "schedule":
            self._load_engineers()
        if a == "replace":
            self._check_replacement(self.draft.quality_defect)

    @desk_work(exclusive=True)
    def _load_engineers(self) -> None:
        app: Any = self.app
        engineers = app.api.engineers()
        self.app.call_from_thread(self._fill_engineers, engineers)

    def _fill_engineers(self, agents: list[Any]) -> None:
        select = self.query_one("#engineer", Select)
        select.set_options(
            [(safe_text(f"{a.display_name} · {a.team_name or '-'}"), a.id) for a in agents]
        )
        app: Any = self.app
        for wanted in (self.draft.engineer_id, app.actor.id, self.ticket.assignee_id):
            if wanted is not None and any(a.id == wanted for a in agents):
                select.value = wanted
                break
        self.guard_filled()

    @on(Choice.Changed, "#quality")
    def _quality_changed(self) -> None:
        if self.draft.action == "replace":
            self._check_replacement(bool(self.query_one("#quality", Choice).value))

    @desk_work(exclusive=True)
    def _check_replacement(self, quality: bool) -> None:
        from deskui.domain.errors import ServiceError

        app: Any = self.app
        try:
            check = app.api.replacement_check(self.ticket.id, quality_defect=quality)
        except ServiceError as exc:
            self.app.call_from_thread(self._show_check, None, describe(exc))
            return
        shown = describe(check) if getattr(check, "message_id", "") else str(check.reason or "")
        self.app.call_from_thread(self._show_check, bool(check.allowed), shown)

    def _show_check(self, allowed: bool | None, reason: str) -> None:
        if allowed:
            text = Text("✓ " + _("Replacement allowed: "), style="green")
        else:
            text = Text("✗ " + _("Replacement refused: "), style="bold yellow")
        text.append_text(safe_text(reason))
        self.query_one("#replace-check", Static).update(text)

    # -- reading the fields --------------------------------------------------------------
    def _value(self, selector: str) -> str:
        found = self.query(selector)
        if not found:
            return ""
        widget = found.first()
        return widget.text if isinstance(widget, TextArea) else str(widget.value)

    def _collect(self) -> RepairDraft:
        a = self.draft.action
        v = self._value
        draft = RepairDraft(
            a,
            note=v("#note"),
            amount=v("#amount"),
            diagnosis=v("#diagnosis"),
            fault_code=v("#fault-code"),
            work_done=v("#work-done"),
            parts=v("#parts"),
            accepted_by=v("#accepted-by"),
            reason=v("#reason"),
            new_model=v("#new-model"),
            colour=v("#colour"),
        )
        quality = self.query("#quality")
        lost = self.query("#lost")
        draft = replace(
            draft,
            quality_defect=bool(quality and quality.first(Choice).value),
            function_lost=bool(lost and lost.first(Choice).value),
        )
        if a == "schedule":
            kind = "send_back" if self.query_one("#send_back", Choice).value else "on_site"
            engineer = self.query_one("#engineer", Select).value
            text = v("#appointment")
            draft = replace(
                draft,
                kind=kind,
                engineer_id=None if engineer is Select.NULL else int(engineer),  # type: ignore[arg-type]
                appointment=text,
                appointment_at=parse_when(text, self.zone),
            )
        if a == "quote":
            draft = replace(draft, fees=tuple((k, v(f"#fee-{k}")) for k in FEE_KINDS))
        if a == "fee":
            draft = replace(draft, fee_kind=str(self.query_one("#fee-kind", Select).value))
        return draft

    def _errors(self, d: RepairDraft) -> dict[str, str]:
        errors: dict[str, str] = {}
        required = _("Required.")
        a = d.action
        if a == "schedule":
            if d.engineer_id is None:
                errors["engineer"] = _("Choose an engineer.")
            if d.appointment_at is None:
                errors["appointment"] = _("A date and time: YYYY-MM-DD HH:MM.")
            else:
                try:
                    rules.check_appointment(d.appointment_at, self._now())
                except ValueError:
                    errors["appointment"] = _("The appointment cannot be in the past.")
        if a == "quote":
            amounts = [(k, t) for k, t in d.fees if t.strip()]
            if not amounts:
                errors["fees"] = _("Enter at least one amount.")
            elif any(parse_amount(t) is None or parse_amount(t) < 0 for _k, t in amounts):  # type: ignore[operator]
                errors["fees"] = _("Amounts are numbers like 120.50.")
        if a == "fee":
            amount = parse_amount(d.amount)
            if amount is None or amount <= 0:
                errors["amount"] = _("A positive amount like 120.50.")
        if a == "work":
            if not d.diagnosis.strip():
                errors["diagnosis"] = required
            if not d.work_done.strip():
                errors["work-done"] = required
            for name, _qty, price, _charged in parse_parts(d.parts):
                if not name or (price and parse_amount(price) is None):
                    errors["parts"] = _("Each line: a name, then x2 and @35.00 if needed.")
        if a in ("accept", "complete", "replace") and not d.accepted_by.strip():
            errors["accepted-by"] = required
        if a in ("cancel", "replace") and not d.reason.strip():
            errors["reason"] = required
        if a == "replace" and not d.new_model.strip():
            errors["new-model"] = required
        return errors
