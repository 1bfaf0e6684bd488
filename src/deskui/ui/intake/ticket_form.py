"""New ticket (问题受理): every intake field of service-standards §1.

Validation is the pydantic `IntakeForm`; its errors are shown next to their fields and a
failed save keeps everything typed. Customer lookup by phone or name runs debounced in a
worker; the dispatch rules suggest a team and a priority that the agent may change; the
warranty of the device is shown once model and purchase date are known. Dismisses with
the new ticket id (None when cancelled).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from deskui.domain import warranty, workflow
from deskui.domain.enums import Category, Channel, ComplaintType, Priority, Tier
from deskui.domain.errors import ServiceError
from deskui.domain.privacy import mask_phone
from deskui.domain.rows import CustomerRow
from deskui.domain.schemas import IntakeForm
from deskui.i18n import _, describe, label
from deskui.ui.common.drafts import SAVE_KEY, TYPE_AHEAD_KEYS, GuardedForm
from deskui.ui.common.formatting import visible, warranty_line
from deskui.ui.common.messages import TicketChanged
from deskui.ui.common.workers import desk_work
from deskui.ui.textual_compat import localize_bindings

URGENT_WORDS = (
    "safety",
    "fire",
    "smoke",
    "shock",
    "gas",
    "injur",
    "cannot open",
    "can't open",
    "安全",
    "起火",
    "冒烟",
    "漏电",
    "燃气",
    "受伤",
    "无法开门",
    "打不开",
)
LOOKUP_DELAY = 0.3


def suggest_priority(category: Category, text: str) -> Priority | None:
    """Keep it simple: safety words make a repair or help urgent; a complaint is important."""
    lowered = text.lower()
    if category in (Category.REPAIR, Category.HELP) and any(w in lowered for w in URGENT_WORDS):
        return Priority.URGENT
    if category is Category.COMPLAINT:
        return Priority.IMPORTANT
    if category in (Category.CONSULT, Category.SUGGESTION):
        return Priority.NORMAL
    return None


def _field_of(error: dict[str, Any]) -> tuple[str, str]:
    """Map a pydantic error to (field, message); model-level errors name it as 'field: ...'."""
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    loc = error.get("loc") or ()
    if loc:
        if error.get("input") in (None, "") and error.get("type") != "value_error":
            message = _("Required.")
        return str(loc[0]), message
    found = re.match(r"^(\w+): (.*)$", message)
    if found:
        return found.group(1), found.group(2)
    return "form", message


class CustomerSuggestions(OptionList):
    """Customers matching the phone or name typed. It takes no Tab stop, so a typist tabbing
    from phone to name never lands in a list that appeared meanwhile: up/down and enter in
    the field pick from it."""

    can_focus = False


class TicketFormScreen(GuardedForm, ModalScreen[int | None]):
    CSS_PATH = "ticket_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        SAVE_KEY,
        Binding("escape", "cancel", "Cancel"),
        *TYPE_AHEAD_KEYS,
        Binding("down", "suggestion(1)", show=False),
        Binding("up", "suggestion(-1)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)
        self.customer_id: int | None = None
        self._lookup_timer: Timer | None = None
        self._filling = False
        self._priority_touched = False
        self._team_touched = False
        self._teams: list[Any] = []
        self._products: dict[str, Any] = {}

    @property
    def _app(self) -> Any:
        return self.app

    # -- layout ------------------------------------------------------------------------
    def _row(self, name: str, title: str, widget: Widget) -> ComposeResult:
        widget.compact = True  # type: ignore[attr-defined]  # one line per field at 80x24
        with Horizontal(classes="row", id=f"row-{name}"):
            yield Label(title, classes="field-label")
            with Vertical(classes="field"):
                yield widget
                yield Static("", id=f"err-{name}", classes="field-error")

    def compose(self) -> ComposeResult:
        now = self._app.now().astimezone(self._app.zone)
        with Vertical(id="dialog", classes="dialog"):
            yield Label(Text(_("New ticket"), style="bold"), id="dialog-title")
            with VerticalScroll(id="form"):
                yield Static(Text(_("Customer"), style="bold underline"), classes="section")
                yield from self._row(
                    "customer_phone",
                    _("Phone"),
                    Input(id="customer_phone", placeholder=_("type to look up")),
                )
                yield CustomerSuggestions(id="suggestions")
                yield from self._row(
                    "customer_name",
                    _("Name"),
                    Input(id="customer_name", placeholder=_("may be anonymous")),
                )
                yield Static("", id="customer-chosen", classes="hint")
                yield from self._row("customer_email", _("Email"), Input(id="customer_email"))
                yield from self._row("region", _("Region"), Input(id="region"))
                yield from self._row(
                    "tier",
                    _("Tier"),
                    Select(
                        [(label(t), t) for t in Tier],
                        value=Tier.NORMAL,
                        allow_blank=False,
                        id="tier",
                    ),
                )
                yield Static(Text(_("Request"), style="bold underline"), classes="section")
                yield from self._row(
                    "channel",
                    _("Channel"),
                    Select(
                        [(label(c), c) for c in Channel],
                        value=Channel.PHONE,
                        allow_blank=False,
                        id="channel",
                    ),
                )
                yield from self._row(
                    "received_at",
                    _("Received"),
                    Input(now.strftime("%Y-%m-%d %H:%M"), id="received_at"),
                )
                yield from self._row("subject", _("Subject"), Input(id="subject"))
                area = TextArea(id="description", soft_wrap=True)
                area.show_line_numbers = False
                yield from self._row("description", _("Description"), area)
                yield from self._row(
                    "customer_request", _("Customer request"), Input(id="customer_request")
                )
                yield from self._row(
                    "category",
                    _("Category"),
                    Select([(label(c), c) for c in Category], prompt=_("choose"), id="category"),
                )
                yield from self._row(
                    "complaint_type",
                    _("Complaint type"),
                    Select(
                        [(label(c), c) for c in ComplaintType],
                        prompt=_("choose"),
                        id="complaint_type",
                    ),
                )
                yield from self._row(
                    "priority",
                    _("Priority"),
                    Select([(label(p), p) for p in Priority], prompt=_("choose"), id="priority"),
                )
                yield Static("", id="priority-hint", classes="hint")
                yield from self._row(
                    "team_id",
                    _("Team"),
                    Select[int]([], prompt=_("by dispatch rules"), id="team_id"),
                )
                yield from self._row(
                    "assignee_id",
                    _("Assignee"),
                    Select[int]([], prompt=_("(nobody)"), id="assignee_id"),
                )
                yield Static(Text(_("Product"), style="bold underline"), classes="section")
                yield from self._row(
                    "product_model",
                    _("Model"),
                    Select[str]([], prompt=_("(no product)"), id="product_model"),
                )
                yield from self._row("serial", _("Serial no."), Input(id="serial"))
                yield from self._row(
                    "purchase_date",
                    _("Purchase date"),
                    Input(id="purchase_date", placeholder="YYYY-MM-DD"),
                )
                yield from self._row(
                    "proof_of_purchase",
                    _("Proof of purchase"),
                    Input(id="proof_of_purchase", placeholder=_("invoice / receipt no.")),
                )
                yield Static("", id="warranty")
            yield Static("", id="err-form", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="save")
                yield Button(_("Cancel (esc)"), id="cancel")

    def on_mount(self) -> None:
        for node in self.query(".field-error"):
            node.display = False
        self.query_one("#suggestions").display = False
        self.query_one("#row-complaint_type").display = False
        self.query_one("#customer_phone", Input).focus()
        self._load_choices()
        self.guard_start()

    def draft_key(self) -> tuple[str]:
        return ("intake",)

    @desk_work(group="intake-choices", exclusive=True)
    def _load_choices(self) -> None:
        agents, teams = self._app.api.people()
        products = self._app.api.products(limit=500)
        self.app.call_from_thread(self._fill_choices, teams, agents, products)

    def _fill_choices(self, teams: list[Any], agents: list[Any], products: list[Any]) -> None:
        self._teams = teams
        self._products = {p.model: p for p in products}
        self._filling = True
        self.query_one("#team_id", Select).set_options([(Text(t.name), t.id) for t in teams])
        self.query_one("#assignee_id", Select).set_options(
            [(Text(f"{a.display_name} · {a.team_name or '-'}"), a.id) for a in agents]
        )
        self.query_one("#product_model", Select).set_options(
            [(visible(f"{p.model} {p.name}"), p.model) for p in products]
        )
        self.guard_filled()
        self._filling = False

    # -- customer lookup ---------------------------------------------------------------
    @on(Input.Changed, "#customer_phone, #customer_name")
    def _customer_typed(self, event: Input.Changed) -> None:
        if self._filling:
            return
        chosen = getattr(self, "_chosen", None)
        if chosen is not None and event.value in (chosen.name, chosen.phone or ""):
            return  # the echo of filling the fields from the chosen customer
        if self.customer_id is not None:
            self.customer_id = None
            self._chosen = None
            self.query_one("#customer-chosen", Static).update("")
        if self._lookup_timer is not None:
            self._lookup_timer.stop()
        text = event.value
        self._lookup_timer = self.set_timer(LOOKUP_DELAY, lambda: self._lookup(text))

    @desk_work(group="intake-lookup", exclusive=True)
    def _lookup(self, text: str) -> None:
        found = self._app.api.customers(text)
        self.app.call_from_thread(self._show_suggestions, found)

    def _show_suggestions(self, found: list[CustomerRow]) -> None:
        options = self.query_one("#suggestions", OptionList)
        options.clear_options()
        self._suggested = {str(c.id): c for c in found}
        for c in found:
            line = visible(c.name, style="bold")
            line.append(f"  {mask_phone(c.phone)}  {label(c.tier)}")
            if c.region:
                line.append("  ")
                line.append_text(visible(c.region))
            options.add_option(Option(line, id=str(c.id)))
        options.display = bool(found)

    def _open_suggestions(self) -> CustomerSuggestions | None:
        """The suggestion list, when it is shown and the lookup field has the focus."""
        options = self.query_one("#suggestions", CustomerSuggestions)
        focused = self.focused
        if not options.display or focused is None:
            return None
        return options if focused.id in ("customer_phone", "customer_name") else None

    def action_suggestion(self, step: int) -> None:
        options = self._open_suggestions()
        if options is None:
            return
        if options.highlighted is None:
            options.highlighted = 0 if step > 0 else options.option_count - 1
        elif step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#customer_phone, #customer_name")
    def _lookup_submitted(self, event: Input.Submitted) -> None:
        options = self._open_suggestions()
        if options is not None and options.highlighted is not None:
            event.stop()
            options.action_select()

    @on(OptionList.OptionSelected, "#suggestions")
    def _customer_chosen(self, event: OptionList.OptionSelected) -> None:
        customer = self._suggested.get(event.option.id or "")
        if customer is None:
            return
        self._filling = True
        self.query_one("#customer_name", Input).value = customer.name
        self.query_one("#customer_phone", Input).value = customer.phone or ""
        self.query_one("#customer_email", Input).value = customer.email or ""
        self.query_one("#region", Input).value = customer.region or ""
        self.query_one("#tier", Select).value = customer.tier
        self._filling = False
        self.customer_id = customer.id
        self._chosen = customer
        chosen = Text("✓ " + _("Existing customer: "))
        chosen.append_text(visible(customer.name))
        self.query_one("#customer-chosen", Static).update(chosen)
        event.option_list.display = False
        self.query_one("#customer_email", Input).focus()

    # -- suggestions from the dispatch rules ---------------------------------------------
    @on(Select.Changed, "#priority")
    def _priority_changed(self) -> None:
        if not self._filling:
            self._priority_touched = True

    @on(Select.Changed, "#team_id")
    def _team_changed(self) -> None:
        if not self._filling:
            self._team_touched = True

    @on(Select.Changed, "#category")
    @on(Input.Changed, "#subject")
    @on(TextArea.Changed, "#description")
    def _suggest(self) -> None:
        category = self.query_one("#category", Select).value
        if category is Select.NULL:
            return
        assert isinstance(category, Category)
        self.query_one("#row-complaint_type").display = category is Category.COMPLAINT
        text = (
            self.query_one("#subject", Input).value
            + " "
            + self.query_one("#description", TextArea).text
        )
        priority = suggest_priority(category, text)
        hint = []
        self._filling = True
        try:
            if priority is not None:
                hint.append(_("Suggested priority: {priority}").format(priority=label(priority)))
                if not self._priority_touched:
                    self.query_one("#priority", Select).value = priority
            kind = workflow.DISPATCH[category]
            team = next((t for t in self._teams if t.kind is kind), None)
            if team is not None:
                hint.append(_("team: {name}").format(name=team.name))
                if not self._team_touched:
                    self.query_one("#team_id", Select).value = team.id
        finally:
            self._filling = False
        self.query_one("#priority-hint", Static).update(
            Text("→ " + " · ".join(hint)) if hint else ""
        )

    # -- warranty ----------------------------------------------------------------------
    @on(Select.Changed, "#product_model")
    @on(Input.Changed, "#purchase_date")
    def _warranty(self) -> None:
        out = self.query_one("#warranty", Static)
        model = self.query_one("#product_model", Select).value
        raw = self.query_one("#purchase_date", Input).value.strip()
        product = self._products.get(model) if isinstance(model, str) else None
        try:
            bought = date.fromisoformat(raw) if raw else None
        except ValueError:
            bought = None
        if product is None or bought is None:
            out.update("")
            return
        today = self._app.now().astimezone(self._app.zone).date()
        try:
            warranty.check_purchase_date(bought, today)
        except ValueError:
            out.update(Text("✗ " + _("Cannot be in the future."), style="bold red"))
            return
        lines = Text(_("Warranty:"), style="bold")
        for s in warranty.statuses(
            bought,
            today,
            main_months=product.warranty_main_months,
            accessory_months=product.warranty_accessory_months,
            software_months=product.warranty_software_months,
        ):
            lines.append("\n")
            lines.append_text(warranty_line(s))
        out.update(lines)

    # -- saving ------------------------------------------------------------------------
    def _value(self, name: str) -> Any:
        widget = self.query_one(f"#{name}")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value.strip() or None

    def _collect(self) -> tuple[IntakeForm | None, dict[str, str]]:
        errors: dict[str, str] = {}
        data: dict[str, Any] = {
            name: self._value(name)
            for name in (
                "customer_phone",
                "customer_email",
                "region",
                "tier",
                "channel",
                "subject",
                "customer_request",
                "category",
                "priority",
                "team_id",
                "assignee_id",
                "product_model",
                "serial",
                "proof_of_purchase",
            )
        }
        data["customer_name"] = self._value("customer_name") or ""
        data["description"] = self._value("description") or ""
        data["customer_request"] = data["customer_request"] or ""
        data["subject"] = data["subject"] or ""
        if data["category"] is Category.COMPLAINT:
            data["complaint_type"] = self._value("complaint_type")
        data["customer_id"] = self.customer_id
        zone = self._app.zone
        raw = self._value("received_at")
        if raw:
            try:
                data["received_at"] = datetime.strptime(raw, "%Y-%m-%d %H:%M").replace(tzinfo=zone)
            except ValueError:
                errors["received_at"] = _("Use YYYY-MM-DD HH:MM.")
        raw = self._value("purchase_date")
        if raw:
            try:
                data["purchase_date"] = date.fromisoformat(raw)
            except ValueError:
                errors["purchase_date"] = _("Use YYYY-MM-DD.")
            else:
                today = self._app.now().astimezone(zone).date()
                try:
                    warranty.check_purchase_date(data["purchase_date"], today)
                except ValueError:
                    errors["purchase_date"] = _("Cannot be in the future.")
        if data.get("received_at") and data["received_at"] > self._app.now():
            errors["received_at"] = _("Cannot be in the future.")
        try:
            form = IntakeForm.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                field, message = _field_of(dict(error))
                errors.setdefault(field, message)
            return None, errors
        return (None, errors) if errors else (form, {})

    def _show_errors(self, errors: dict[str, str]) -> None:
        for node in self.query(".field-error"):
            if isinstance(node, Static):
                node.update("")
                node.display = False
        first: Widget | None = None
        for field, message in errors.items():
            target = self.query(f"#err-{field}")
            if not target:
                target = self.query("#err-form")
                message = f"{field}: {message}"
            node = target.first()
            assert isinstance(node, Static)
            node.update(Text("✗ " + message))
            node.display = True
            if first is None and self.query(f"#{field}"):
                first = self.query_one(f"#{field}")
        if first is not None:
            first.focus()

    def action_save(self) -> None:
        form, errors = self._collect()
        self._show_errors(errors)
        if form is not None:
            self._save(form)

    @desk_work(group="intake-save", exclusive=True)
    def _save(self, form: IntakeForm) -> None:
        try:
            ticket = self._app.api.intake(form)
        except ServiceError as exc:
            self.app.call_from_thread(self._show_errors, {"form": describe(exc)})
            return
        self.app.call_from_thread(self._saved, ticket.id, ticket.number)

    def _saved(self, ticket_id: int, number: str) -> None:
        self.guard_saved()
        self.app.post_message(TicketChanged(ticket_id))
        self.notify(_("Ticket registered: {number}").format(number=number))
        self.dismiss(ticket_id)

    def action_cancel(self) -> None:
        self.guard_cancel()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
